package plain

import (
	"fmt"
	"strings"

	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// progress is what the menus read out about the learner, loaded fresh each time a menu
// is shown.
type progress struct {
	lessons   map[string]store.LessonState
	last      string
	due       int
	endings   map[string]map[string]bool // case id -> endings found
	quizzes   map[string]store.QuizStats
	journal   map[string]*store.JournalEntry
	exercises map[string]store.ExerciseState
}

// loadProgress reads the learner's progress; a failed read is said and treated as none.
func (s *Session) loadProgress() progress {
	p := progress{lessons: map[string]store.LessonState{}, endings: map[string]map[string]bool{},
		quizzes: map[string]store.QuizStats{}, journal: map[string]*store.JournalEntry{}, exercises: map[string]store.ExerciseState{}}
	if s.st == nil {
		return p
	}
	fail := func(err error) progress {
		s.Sayf("Could not read your progress: %v", err)
		return p
	}
	var err error
	if p.lessons, err = s.st.Lessons(s.ctx, s.learner); err != nil {
		return fail(err)
	}
	if p.last, _, err = s.st.LastLesson(s.ctx, s.learner); err != nil {
		return fail(err)
	}
	if p.due, err = s.st.DueCount(s.ctx, s.learner, s.now()); err != nil {
		return fail(err)
	}
	runs, err := s.st.CaseRuns(s.ctx, s.learner, "")
	if err != nil {
		return fail(err)
	}
	for _, r := range runs {
		if p.endings[r.CaseID] == nil {
			p.endings[r.CaseID] = map[string]bool{}
		}
		p.endings[r.CaseID][r.Data.Ending] = true
	}
	if p.quizzes, err = s.st.QuizStatsByChapter(s.ctx, s.learner); err != nil {
		return fail(err)
	}
	if p.journal, err = s.st.Journal(s.ctx, s.learner); err != nil {
		return fail(err)
	}
	if p.exercises, err = s.st.Exercises(s.ctx, s.learner); err != nil {
		return fail(err)
	}
	return p
}

// continueLesson is the lesson "continue" opens: the last one touched, else the first.
func (s *Session) continueLesson(p progress) *lessons.Lesson {
	if l, ok := s.cat.Lesson(p.last); ok && p.last != "" {
		return l
	}
	if ids := s.cat.LessonIDs(); len(ids) > 0 {
		l, _ := s.cat.Lesson(ids[0])
		return l
	}
	return nil
}

// home is the first menu: continue where you left off, review, chapters, case studies,
// the glossary and progress (the full-screen home screen, as a list).
func (s *Session) home() error {
	cont := func() error {
		if l := s.continueLesson(s.loadProgress()); l != nil {
			return s.readLessons(l, "")
		}
		s.Say("This course has no lessons yet.")
		return nil
	}
	return s.Menu(Menu{
		Title: "Home: " + s.cat.Title,
		Top:   true,
		Intro: func() {
			if s.cat.Description != "" {
				s.sayMarkdown(s.cat.Description)
			}
		},
		Items: func() []Item {
			p := s.loadProgress()
			var items []Item
			if l := s.continueLesson(p); l != nil {
				verb := "Start"
				if p.last != "" {
					verb = "Continue"
				}
				label := verb + ": " + sentence(l.Title)
				var where []string
				if ch, ok := s.cat.Chapter(l.ChapterID); ok {
					where = append(where, ch.Label())
				}
				if st, ok := p.lessons[l.ID]; ok && !st.Finished && st.Scroll > 0 {
					where = append(where, percent(st.Scroll)+" read")
				}
				if len(where) > 0 {
					label += " " + strings.Join(where, ", ") + "."
				}
				items = append(items, Item{Label: label, Run: func() error { return s.readLessons(l, "") }})
			}
			if p.due > 0 {
				items = append(items, Item{Label: fmt.Sprintf("Review: %d %s due, spaced review of questions you answered.", p.due, plural(p.due, "card", "cards")), Run: s.review})
			}
			for _, ch := range s.cat.Chapters {
				ch := ch
				label := sentence(ch.Label()+": "+ch.Title) + " "
				if len(ch.Lessons) == 0 {
					label += "Coming soon."
				} else {
					label += fmt.Sprintf("%d of %d %s finished.", chapterDone(ch, p.lessons), len(ch.Lessons), plural(len(ch.Lessons), "lesson", "lessons"))
				}
				items = append(items, Item{Label: label, Run: func() error { return s.chapter(ch) }})
			}
			for _, cs := range s.cat.Cases {
				cs := cs
				items = append(items, Item{Label: fmt.Sprintf("Case study: %s %d of %d endings found.", sentence(cs.Title), len(p.endings[cs.ID]), len(cs.Endings)),
					Run: func() error { return s.caseStudy(cs) }})
			}
			if len(s.cat.Glossary) > 0 {
				items = append(items, Item{Label: fmt.Sprintf("Glossary: %d key %s, searchable.", len(s.cat.Glossary), plural(len(s.cat.Glossary), "term", "terms")), Run: s.glossary})
			}
			items = append(items, Item{Label: "Progress: what you have done so far.", Run: s.progress})
			return items
		},
		Commands: []Command{
			{Keys: []string{"c", "continue"}, Help: "continue the lesson you were reading", Run: cont},
			{Keys: []string{"r", "review"}, Help: "review the questions that are due", Run: s.review},
			{Keys: []string{"g", "glossary"}, Help: "search the glossary", Run: s.glossary},
			{Keys: []string{"p", "progress"}, Help: "hear your progress", Run: s.progress},
		},
	})
}

// chapterDone counts the finished lessons of a chapter.
func chapterDone(ch *lessons.Chapter, ls map[string]store.LessonState) int {
	n := 0
	for _, l := range ch.Lessons {
		if ls[l.ID].Finished {
			n++
		}
	}
	return n
}

// chapter lists a chapter's lessons with their state, then its quiz, discussion and
// exercises.
func (s *Session) chapter(ch *lessons.Chapter) error {
	return s.Menu(Menu{
		Title: ch.Label() + ": " + ch.Title,
		Intro: func() {
			if ch.Summary != "" {
				s.sayMarkdown(ch.Summary)
			}
			if len(ch.Objectives) > 0 {
				s.Say("You will be able to:")
				for _, o := range ch.Objectives {
					s.Lines(wrap("- "+s.markdownLine(o), s.width, "", "  "))
				}
			}
			if len(ch.Lessons) == 0 {
				s.Say("The lessons of this chapter are coming soon.")
			}
		},
		Items: func() []Item {
			p := s.loadProgress()
			var items []Item
			for i, l := range ch.Lessons {
				l := l
				st, seen := p.lessons[l.ID]
				state := "Not opened yet."
				switch {
				case st.Finished:
					state = "Finished."
				case seen && st.Scroll > 0:
					state = "Started, " + percent(st.Scroll) + " read."
				case seen:
					state = "Started."
				}
				label := fmt.Sprintf("Lesson %d: %s %s", i+1, sentence(l.Title), state)
				if l.Minutes > 0 {
					label += fmt.Sprintf(" %d minutes.", l.Minutes)
				}
				items = append(items, Item{Label: label, Run: func() error { return s.readLessons(l, "") }})
			}
			quizItem := Item{Label: "Quiz: coming soon.", Unavailable: "The quiz for this chapter is coming soon."}
			if qz := s.cat.Quiz(ch.ID); qz != nil {
				quizItem.Label = fmt.Sprintf("Quiz: %d questions.", len(qz.Questions))
				if qs := p.quizzes[ch.ID]; qs.Attempts > 0 {
					quizItem.Label += fmt.Sprintf(" Best attempt %s right.", percent(qs.BestScore))
				}
				quizItem.Run = func() error { return s.quiz(ch) }
			}
			disc := Item{Label: "Discussion: coming soon.", Unavailable: "The discussion prompts for this chapter are coming soon."}
			if len(ch.Prompts) > 0 {
				answered := 0
				for _, pr := range ch.Prompts {
					if e := p.journal[pr.ID]; e != nil && len(e.Revisions) > 0 {
						answered++
					}
				}
				disc.Label = fmt.Sprintf("Discussion: %d critical-thinking %s, %d answered.", len(ch.Prompts), plural(len(ch.Prompts), "prompt", "prompts"), answered)
				disc.Run = func() error { return s.discussion(ch) }
			}
			for _, it := range []Item{quizItem, disc, s.exercisesItem(ch, p.exercises)} {
				// Appendices list only what they have; "coming soon" would promise a quiz.
				if ch.Appendix && it.Run == nil {
					continue
				}
				items = append(items, it)
			}
			return items
		},
	})
}

// percent formats a fraction as a whole percentage.
func percent(f float64) string {
	f = min(max(f, 0), 1)
	return fmt.Sprintf("%d%%", int(f*100+0.5))
}
