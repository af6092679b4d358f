package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/internal/store"
)

// progressMsg carries the learner's lesson progress, loaded off the UI path.
type progressMsg struct {
	lessons map[string]store.LessonState
	last    string
	due     int
	endings map[string]map[string]bool // case id -> endings found
	err     error
}

// loadProgressCmd reads lesson progress from the store.
func loadProgressCmd(c *Common) tea.Cmd {
	return func() tea.Msg {
		return readProgress(c.Ctx, c.Store, c.Learner, c.Now())
	}
}

// readProgress reads what the home screen shows: lessons, the last one opened, reviews
// due and case-study endings found.
func readProgress(ctx context.Context, st *store.Store, learner int64, now time.Time) progressMsg {
	if st == nil {
		return progressMsg{lessons: map[string]store.LessonState{}}
	}
	ls, err := st.Lessons(ctx, learner)
	if err != nil {
		return progressMsg{err: err}
	}
	last, _, err := st.LastLesson(ctx, learner)
	if err != nil {
		return progressMsg{err: err}
	}
	due, err := st.DueCount(ctx, learner, now)
	if err != nil {
		return progressMsg{err: err}
	}
	runs, err := st.CaseRuns(ctx, learner, "")
	endings := map[string]map[string]bool{}
	for _, r := range runs {
		if endings[r.CaseID] == nil {
			endings[r.CaseID] = map[string]bool{}
		}
		endings[r.CaseID][r.Data.Ending] = true
	}
	return progressMsg{lessons: ls, last: last, due: due, endings: endings, err: err}
}

// saveCmd runs a store write off the UI path and reports failure in the footer.
func saveCmd(c *Common, what string, fn func(s *store.Store) error) tea.Cmd {
	if c.Store == nil {
		return nil
	}
	return func() tea.Msg {
		if err := fn(c.Store); err != nil {
			return errMsg{err: wrapErr("save "+what, err)}
		}
		return nil
	}
}

type wrappedErr struct {
	what string
	err  error
}

func (e wrappedErr) Error() string { return e.what + ": " + e.err.Error() }
func (e wrappedErr) Unwrap() error { return e.err }

func wrapErr(what string, err error) error { return wrappedErr{what, err} }
