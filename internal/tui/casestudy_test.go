package tui

import (
	"strings"
	"testing"

	"github.com/kaizen-mlops/kaizen/assets"
	"github.com/kaizen-mlops/kaizen/internal/course"
)

// caseCommon uses the built-in course. Its problems are the business of the course's own
// lint test (internal/course), so screens are tested on whatever loads.
func caseCommon(t *testing.T) *Common {
	c := testCommon(t)
	cat, _ := course.Load(assets.Course(), "embedded")
	c.Catalog = cat
	return c
}

func TestCaseStudyPlayToEndingStoreAndReplay(t *testing.T) {
	c := caseCommon(t)
	cs, ok := c.Catalog.Case("fanvoy")
	if !ok {
		t.Fatal("no fanvoy case in the built-in course")
	}
	h := newHarness(t, c, 120, 36)
	h.send(pushMsg{NewCaseStudy(c, cs)})
	s := h.m.top().(*CaseStudy)
	if s.phase != casePremise || !strings.Contains(h.screen(), "Press enter to begin") {
		t.Fatalf("premise:\n%s", h.screen())
	}
	h.key("enter")
	if s.phase != casePlaying || !strings.Contains(h.screen(), "Dashboard") {
		t.Fatalf("first scene:\n%s", h.screen())
	}
	h.key("b") // crowd workers: model quality rises, shown with its sign
	if !strings.Contains(h.screen(), "+15") && !strings.Contains(h.screen(), "+") {
		t.Fatalf("deltas not shown:\n%s", h.screen())
	}
	for _, k := range []string{"c", "b", "a", "b", "b", "b", "b", "b", "b", "b"} {
		if s.phase != casePlaying {
			break
		}
		h.key(k)
	}
	if s.phase != caseEnded {
		t.Fatalf("phase = %v after 11 choices", s.phase)
	}
	screen := h.screen()
	if !strings.Contains(screen, "Ending:") {
		t.Fatalf("ending:\n%s", screen)
	}
	runs, err := c.Store.CaseRuns(c.Ctx, c.Learner, "fanvoy")
	if err != nil || len(runs) != 1 || runs[0].Data.Ending == "" || len(runs[0].Data.Choices) != 11 {
		t.Fatalf("runs = %+v, %v", runs, err)
	}
	// What if: replay from decision 3; the stored first run stays.
	h.key("w")
	if s.phase != caseRewind {
		t.Fatalf("phase = %v", s.phase)
	}
	for i := 0; i < 20; i++ {
		h.key("up")
	}
	h.key("down", "down", "enter")
	if s.phase != casePlaying || len(s.state.Keys()) != 2 {
		t.Fatalf("after rewind: %v keys %v", s.phase, s.state.Keys())
	}
	runs, _ = c.Store.CaseRuns(c.Ctx, c.Learner, "fanvoy")
	if len(runs) != 1 {
		t.Fatalf("first run lost: %d runs", len(runs))
	}
}

func TestCaseStudyNarrowLayout(t *testing.T) {
	c := caseCommon(t)
	cs, _ := c.Catalog.Case("fanvoy")
	h := newHarness(t, c, 60, 24)
	h.send(pushMsg{NewCaseStudy(c, cs)})
	h.key("enter")
	s := h.screen()
	if !strings.Contains(s, "A. ") {
		t.Fatalf("choices missing at 60 columns:\n%s", s)
	}
	for _, line := range strings.Split(s, "\n") {
		if w := len([]rune(line)); w > 60 {
			t.Fatalf("line wider than the terminal (%d): %q", w, line)
		}
	}
}
