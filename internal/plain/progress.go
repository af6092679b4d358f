package plain

import (
	"fmt"
	"strings"
)

// progress reads out the learner's progress in sentences: totals first, then one sentence
// per chapter and per case study (what `kaizen progress` prints as a table).
func (s *Session) progress() error {
	p := s.loadProgress()
	cards := 0
	if s.st != nil {
		all, err := s.st.Cards(s.ctx, s.learner)
		if err != nil {
			s.Sayf("Could not read your review cards: %v", err)
		}
		cards = len(all)
	}
	var lines []string
	say := func(format string, args ...any) {
		lines = append(lines, wrap(fmt.Sprintf(format, args...), s.width, "", "  ")...)
	}
	totalLessons, finished := 0, 0
	var seconds int64
	answered, correct, discussions := 0, 0, 0
	exTotal, exPassed := 0, 0
	for _, ch := range s.cat.Chapters {
		totalLessons += len(ch.Lessons)
		finished += chapterDone(ch, p.lessons)
		for _, l := range ch.Lessons {
			seconds += p.lessons[l.ID].Seconds
		}
		qs := p.quizzes[ch.ID]
		answered += qs.Answered
		correct += qs.Correct
		for _, pr := range ch.Prompts {
			if e := p.journal[pr.ID]; e != nil && len(e.Revisions) > 0 {
				discussions++
			}
		}
		for _, ex := range s.cat.ExercisesOf(ch.ID) {
			exTotal++
			if p.exercises[ex.ID].Passed {
				exPassed++
			}
		}
	}
	s.Heading(1, "Progress")
	if seconds > 0 {
		say("Lessons: %d of %d finished, %s of reading.", finished, totalLessons, minutes(seconds))
	} else {
		say("Lessons: %d of %d finished.", finished, totalLessons)
	}
	if answered > 0 {
		say("Quiz and review answers: %d, of which %d right (%s).", answered, correct, percent(float64(correct)/float64(answered)))
	} else {
		say("Quiz and review answers: none yet.")
	}
	say("Review cards: %d due now, of %d.", p.due, cards)
	say("Discussion answers saved: %d.", discussions)
	if exTotal > 0 {
		say("Exercises passed: %d of %d.", exPassed, exTotal)
	}
	lines = append(lines, "", "By chapter:")
	for _, ch := range s.cat.Chapters {
		head := ch.Label() + ", " + sentenceless(ch.Title) + ": "
		exs := s.cat.ExercisesOf(ch.ID)
		if len(ch.Lessons) == 0 && s.cat.Quiz(ch.ID) == nil && len(ch.Prompts) == 0 && len(exs) == 0 {
			say("- %scoming soon.", head)
			continue
		}
		var parts []string
		if len(ch.Lessons) > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d %s finished", chapterDone(ch, p.lessons), len(ch.Lessons), plural(len(ch.Lessons), "lesson", "lessons")))
		}
		if qz := s.cat.Quiz(ch.ID); qz != nil {
			qs := p.quizzes[ch.ID]
			switch {
			case qs.Answered == 0:
				parts = append(parts, "quiz not taken")
			default:
				q := fmt.Sprintf("quiz answers %s right of %d", percent(float64(qs.Correct)/float64(qs.Answered)), qs.Answered)
				if qs.Attempts > 0 {
					q += fmt.Sprintf(", best attempt %s", percent(qs.BestScore))
				}
				parts = append(parts, q)
			}
		}
		if len(ch.Prompts) > 0 {
			done := 0
			for _, pr := range ch.Prompts {
				if e := p.journal[pr.ID]; e != nil && len(e.Revisions) > 0 {
					done++
				}
			}
			parts = append(parts, fmt.Sprintf("discussion %d of %d answered", done, len(ch.Prompts)))
		}
		if len(exs) > 0 {
			done := 0
			for _, ex := range exs {
				if p.exercises[ex.ID].Passed {
					done++
				}
			}
			parts = append(parts, fmt.Sprintf("exercises %d of %d passed", done, len(exs)))
		}
		say("- %s%s.", head, strings.Join(parts, "; "))
	}
	if len(s.cat.Cases) > 0 {
		lines = append(lines, "", "Case studies:")
		for _, cs := range s.cat.Cases {
			runs := 0
			if s.st != nil {
				r, err := s.st.CaseRuns(s.ctx, s.learner, cs.ID)
				if err == nil {
					runs = len(r)
				}
			}
			say("- %s: %d of %d endings found, in %d %s.", sentenceless(cs.Title), len(p.endings[cs.ID]), len(cs.Endings), runs, plural(runs, "run", "runs"))
		}
	}
	return s.Page(lines)
}

// minutes says a reading time: "25 minutes", "1 hour 5 minutes", "under a minute".
func minutes(seconds int64) string {
	m := (seconds + 30) / 60
	switch {
	case m < 1:
		return "under a minute"
	case m < 60:
		return fmt.Sprintf("%d %s", m, plural(int(m), "minute", "minutes"))
	}
	h, m := m/60, m%60
	out := fmt.Sprintf("%d %s", h, plural(int(h), "hour", "hours"))
	if m > 0 {
		out += fmt.Sprintf(" %d %s", m, plural(int(m), "minute", "minutes"))
	}
	return out
}
