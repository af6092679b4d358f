package course

import (
	"strings"
	"testing"

	"github.com/kaizen-mlops/kaizen/assets"
	"github.com/kaizen-mlops/kaizen/quiz"
)

// TestBuiltInCourseMeetsTheContentBar checks the minimums the built-in course promises, for
// every chapter: 3–5 lessons of 2,500–4,500 words in all, each with key terms and a recap;
// at least 12 quiz questions mixing every question type; 5 discussion prompts; references;
// two exercises. Also the appendices and a glossary of at least 60 terms.
func TestBuiltInCourseMeetsTheContentBar(t *testing.T) {
	c, probs := Lint(assets.Course(), "embedded")
	for _, p := range probs {
		t.Error(p)
	}
	chapters := 0
	for _, ch := range c.Chapters {
		if ch.Appendix {
			if len(ch.Lessons) == 0 {
				t.Errorf("%s: an appendix with no lesson", ch.ID)
			}
			continue
		}
		chapters++
		t.Run(ch.ID, func(t *testing.T) {
			if n := len(ch.Lessons); n < 3 || n > 5 {
				t.Errorf("%d lessons, want 3–5", n)
			}
			words := 0
			for _, l := range ch.Lessons {
				words += l.Words
				for _, want := range []string{"key-terms", "recap"} {
					if !l.HasAnchor(want) {
						t.Errorf("lesson %s has no %q section", l.ID, want)
					}
				}
			}
			if words < 2500 || words > 4500 {
				t.Errorf("%d words in the lessons, want 2,500–4,500", words)
			}
			qz := c.Quiz(ch.ID)
			if qz == nil || len(qz.Questions) < 12 {
				t.Fatalf("quiz has fewer than 12 questions")
			}
			types := map[quiz.Type]int{}
			for _, q := range qz.Questions {
				types[q.Type]++
				if strings.TrimSpace(q.Explanation) == "" || q.LessonID == "" {
					t.Errorf("question %s lacks an explanation or a lesson reference", q.ID)
				}
			}
			for _, ty := range quiz.Types() {
				if types[ty] == 0 {
					t.Errorf("no %s question (types: %v)", ty, types)
				}
			}
			if n := len(ch.Prompts); n != 5 {
				t.Errorf("%d discussion prompts, want 5", n)
			}
			for _, p := range ch.Prompts {
				if len(p.Traits) == 0 || strings.TrimSpace(p.Guidance) == "" {
					t.Errorf("prompt %s lacks traits or guidance", p.ID)
				}
			}
			if len(ch.References) == 0 {
				t.Error("no references for the chapter's facts")
			}
			if n := len(c.ExercisesOf(ch.ID)); n < 2 {
				t.Errorf("%d exercises, want 2", n)
			}
		})
	}
	if chapters != 12 {
		t.Errorf("%d chapters, want 12", chapters)
	}
	appendices := map[string]bool{}
	for _, ch := range c.Chapters {
		if ch.Appendix {
			appendices[ch.Number] = true
		}
	}
	for _, want := range []string{"B", "C", "D", "E"} {
		if !appendices[want] {
			t.Errorf("appendix %s missing (have %v)", want, appendices)
		}
	}
	if n := len(c.Glossary); n < 60 {
		t.Errorf("glossary has %d terms, want at least 60", n)
	}
	for _, term := range c.Glossary {
		if term.ChapterID == "" {
			t.Errorf("glossary term %q names no chapter", term.Term)
		}
	}
	if len(c.Cases) == 0 {
		t.Error("no case study")
	}
	if n := len(c.Exercises); n < 24 {
		t.Errorf("%d exercises, want at least 24", n)
	}
}
