// Package progress reads a learner's whole record from the progress store and the course
// into the plain portfolio.Model that the progress screen, `kaizen progress` and `kaizen
// portfolio` share. It only reads.
package progress

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"github.com/kaizen-mlops/kaizen/activity"
	"github.com/kaizen-mlops/kaizen/casestudies"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
	"github.com/kaizen-mlops/kaizen/portfolio"
)

// Source is where a model comes from.
type Source struct {
	Store   *store.Store
	Learner int64
	// Name is the learner's display name for the portfolio ("" for none).
	Name    string
	Catalog *course.Catalog
	// Exercises describes the course's exercises; nil reads them from the course files
	// (CourseExercises).
	Exercises portfolio.ExerciseCatalog
	// Workspace is the directory holding one workspace per exercise ("" when unknown).
	Workspace string
	// Now is the current time; its location is the learner's time zone.
	Now time.Time
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Load builds the model.
func Load(ctx context.Context, src Source) (*portfolio.Model, error) {
	st, id, cat := src.Store, src.Learner, src.Catalog
	if src.Now.IsZero() {
		src.Now = time.Now()
	}
	wrap := func(what string, err error) error { return fmt.Errorf("read %s: %w", what, err) }
	ls, err := st.Lessons(ctx, id)
	if err != nil {
		return nil, wrap("lessons", err)
	}
	qs, err := st.QuizStatsByChapter(ctx, id)
	if err != nil {
		return nil, wrap("quiz answers", err)
	}
	journal, err := st.Journal(ctx, id)
	if err != nil {
		return nil, wrap("journal", err)
	}
	states, err := st.Exercises(ctx, id)
	if err != nil {
		return nil, wrap("exercises", err)
	}
	attempts, err := st.Attempts(ctx, id, "")
	if err != nil {
		return nil, wrap("exercise checks", err)
	}
	runs, err := st.CaseRuns(ctx, id, "")
	if err != nil {
		return nil, wrap("case-study runs", err)
	}
	links, err := st.Links(ctx, id)
	if err != nil {
		return nil, wrap("links", err)
	}
	times, err := st.EventTimes(ctx, id, time.Time{})
	if err != nil {
		return nil, wrap("activity", err)
	}
	answers, err := st.Answers(ctx, id)
	if err != nil {
		return nil, wrap("quiz answers", err)
	}
	due, err := st.DueCards(ctx, id, src.Now, 0)
	if err != nil {
		return nil, wrap("review cards", err)
	}
	cards, err := st.Cards(ctx, id)
	if err != nil {
		return nil, wrap("review cards", err)
	}
	exCat := src.Exercises
	if exCat == nil {
		exCat = CourseExercises(cat)
	}
	var infos []portfolio.ExerciseInfo
	if exCat != nil {
		infos = exCat.ExerciseInfos()
	}

	m := &portfolio.Model{
		Course:   portfolio.Course{ID: cat.ID, Title: cat.Title, Version: cat.Version},
		Learner:  src.Name,
		Now:      src.Now,
		Activity: activity.Count(times, src.Now.Location()),
		DueCards: len(due),
		Cards:    len(cards),
	}
	for _, a := range answers {
		m.Answers = append(m.Answers, activity.Sample{At: a.At, OK: a.Correct})
	}
	m.Exercises = buildExercises(infos, states, attempts, links, src.Workspace)
	dueBy := map[string]int{}
	for _, c := range due {
		dueBy[c.ChapterID]++
	}
	for _, ch := range cat.Chapters {
		c := portfolio.Chapter{ID: ch.ID, Number: ch.Number, Title: ch.Title, Appendix: ch.Appendix, Lessons: len(ch.Lessons), Due: dueBy[ch.ID]}
		for _, l := range ch.Lessons {
			s := ls[l.ID]
			if s.Finished {
				c.LessonsDone++
			}
			c.Seconds += s.Seconds
		}
		if q := cat.Quiz(ch.ID); q != nil {
			c.Questions = len(q.Questions)
		}
		s := qs[ch.ID]
		c.QuestionsSeen, c.Answered, c.Correct = s.Questions, s.Answered, s.Correct
		for _, e := range m.Exercises {
			if e.ChapterID == ch.ID {
				c.Exercises++
				if e.Passed {
					c.ExercisesPassed++
				}
			}
		}
		c.Prompts = len(ch.Prompts)
		for _, p := range ch.Prompts {
			if e, ok := journal[p.ID]; ok && len(e.Revisions) > 0 {
				c.PromptsAnswered++
			}
		}
		m.Chapters = append(m.Chapters, c)
	}
	m.Cases = buildCases(cat, runs, links)
	m.Essays = buildEssays(cat, journal)
	return m, nil
}

// checkReport is the part of an exercise check report (exercise_attempts.report) the
// portfolio shows: criteria names and outcomes, never output or hidden test data.
type checkReport struct {
	Results []struct {
		Check     string  `json:"check"`
		Name      string  `json:"name"`
		Status    string  `json:"status"`
		Points    float64 `json:"points"`
		MaxPoints float64 `json:"max_points"`
	} `json:"results"`
}

func buildExercises(infos []portfolio.ExerciseInfo, states map[string]store.ExerciseState, attempts []store.Attempt, links map[string]store.Link, workspace string) []portfolio.Exercise {
	byID := map[string][]store.Attempt{}
	for _, a := range attempts {
		byID[a.ExerciseID] = append(byID[a.ExerciseID], a)
	}
	order := map[string]int{}
	var out []portfolio.Exercise
	add := func(e portfolio.Exercise) {
		s, ok := states[e.ID]
		if ok {
			if e.ChapterID == "" {
				e.ChapterID = s.ChapterID
			}
			e.Started, e.Passed, e.Attempts = s.Started, s.Passed, s.Attempts
			if s.PassedAt != nil {
				e.PassedAt = *s.PassedAt
			}
		}
		if as := byID[e.ID]; len(as) > 0 {
			pick := as[len(as)-1]
			for i := len(as) - 1; i >= 0; i-- {
				if as[i].Passed {
					pick = as[i]
					break
				}
			}
			e.Points, e.MaxPoints = pick.Points, pick.MaxPoints
			var rep checkReport
			if json.Unmarshal(pick.Report, &rep) == nil {
				for _, r := range rep.Results {
					name := r.Name
					if name == "" {
						name = r.Check
					}
					e.Checks = append(e.Checks, portfolio.Check{Name: name, Status: r.Status, Points: r.Points, MaxPoints: r.MaxPoints})
				}
			}
		}
		if l, ok := links[e.ID]; ok {
			e.Links = portfolio.Links{Repo: l.Repo, Video: l.Video}
		}
		if workspace != "" && idPattern.MatchString(e.ID) {
			e.Workspace = filepath.Join(workspace, e.ID)
		}
		out = append(out, e)
	}
	seen := map[string]bool{}
	for i, info := range infos {
		if seen[info.ID] {
			continue
		}
		seen[info.ID] = true
		order[info.ID] = i
		summary := info.Summary
		if summary == "" {
			summary = portfolio.SummaryOf(info.README)
		}
		title := info.Title
		if title == "" {
			title = info.ID
		}
		add(portfolio.Exercise{ID: info.ID, ChapterID: info.ChapterID, Title: title, Summary: summary, Language: info.Language, Known: true})
	}
	var rest []string
	for id := range states {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		add(portfolio.Exercise{ID: id, Title: id})
	}
	portfolio.SortExercises(out, order)
	return out
}

func buildCases(cat *course.Catalog, runs []store.CaseRun, links map[string]store.Link) []portfolio.Case {
	var out []portfolio.Case
	for _, cs := range cat.Cases {
		c := portfolio.Case{ID: cs.ID, Title: cs.Title, Summary: cs.Summary, Endings: len(cs.Endings)}
		if l, ok := links[cs.ID]; ok {
			c.Links = portfolio.Links{Repo: l.Repo, Video: l.Video}
		}
		for _, r := range runs {
			if r.CaseID != cs.ID {
				continue
			}
			run := portfolio.Run{At: r.At, Ending: r.Data.Ending, EndingTitle: r.Data.Title}
			if e, ok := cs.Ending(r.Data.Ending); ok {
				run.EndingTitle = e.Title
			}
			if run.EndingTitle == "" {
				run.EndingTitle = r.Data.Ending
			}
			steps, _, _ := casestudies.Replay(cs, r.Data.Choices)
			for _, s := range steps {
				run.Decisions = append(run.Decisions, portfolio.Decision{Scene: s.Scene.Title, Choice: s.Choice.Label, Taught: s.Choice.Taught})
			}
			// A course that changed since the run cannot replay it all: name the rest by key.
			for _, k := range r.Data.Choices[len(steps):] {
				run.Decisions = append(run.Decisions, portfolio.Decision{Scene: "(scene no longer in the course)", Choice: "choice " + k})
			}
			c.Runs = append(c.Runs, run)
		}
		out = append(out, c)
	}
	return out
}

func buildEssays(cat *course.Catalog, journal map[string]*store.JournalEntry) []portfolio.Essay {
	names := map[lessons.Trait]string{}
	for _, t := range lessons.Traits() {
		names[t.Trait] = t.Name
	}
	var out []portfolio.Essay
	done := map[string]bool{}
	add := func(e *store.JournalEntry, p *lessons.Prompt) {
		rev, ok := e.Latest()
		if !ok || !e.Portfolio || done[e.PromptID] {
			return
		}
		done[e.PromptID] = true
		es := portfolio.Essay{PromptID: e.PromptID, ChapterID: e.ChapterID, Body: rev.Body, SavedAt: rev.SavedAt, Revisions: len(e.Revisions), Prompt: e.PromptID}
		if p != nil {
			es.Prompt, es.ChapterID = p.Prompt, p.ChapterID
			for _, t := range p.Traits {
				if n, ok := names[t]; ok {
					es.Traits = append(es.Traits, n)
				}
			}
		}
		out = append(out, es)
	}
	for _, ch := range cat.Chapters {
		for _, p := range ch.Prompts {
			if e, ok := journal[p.ID]; ok {
				add(e, p)
			}
		}
	}
	var rest []string
	for id := range journal {
		if !done[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		add(journal[id], nil)
	}
	return out
}
