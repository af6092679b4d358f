package tui

import (
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
		if c.Store == nil {
			return progressMsg{lessons: map[string]store.LessonState{}}
		}
		ls, err := c.Store.Lessons(c.Ctx, c.Learner)
		if err != nil {
			return progressMsg{err: err}
		}
		last, _, err := c.Store.LastLesson(c.Ctx, c.Learner)
		if err != nil {
			return progressMsg{err: err}
		}
		due, err := c.Store.DueCount(c.Ctx, c.Learner, c.Now())
		if err != nil {
			return progressMsg{err: err}
		}
		runs, err := c.Store.CaseRuns(c.Ctx, c.Learner, "")
		endings := map[string]map[string]bool{}
		for _, r := range runs {
			if endings[r.CaseID] == nil {
				endings[r.CaseID] = map[string]bool{}
			}
			endings[r.CaseID][r.Data.Ending] = true
		}
		return progressMsg{lessons: ls, last: last, due: due, endings: endings, err: err}
	}
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
