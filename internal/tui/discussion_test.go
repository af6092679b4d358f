package tui

import (
	"strings"
	"testing"
)

func typeText(h *harness, s string) {
	for _, r := range s {
		if r == ' ' {
			h.key("space")
			continue
		}
		h.key(string(r))
	}
}

func TestDiscussionWriteSaveRateAndRevise(t *testing.T) {
	c := quizCommon(t)
	h := newHarness(t, c, 80, 24)
	ch, _ := c.Catalog.Chapter("ch01")
	h.send(pushMsg{NewDiscussion(c, ch)})
	if !strings.Contains(h.screen(), "not started") {
		t.Fatalf("list:\n%s", h.screen())
	}
	golden(t, "discussion_list_80x24", h.screen())
	h.key("enter")
	p := h.m.top().(*Prompt)
	h.key("w")
	if !strings.Contains(h.screen(), "questions what progress means") {
		t.Fatalf("guidance not shown:\n%s", h.screen())
	}
	h.key("e")
	if p.mode != modeEdit || !p.Capturing() {
		t.Fatal("e should start editing")
	}
	typeText(h, "Deploying matters more than training. q and ? are text here.")
	if h.m.showHelp || h.m.quitting {
		t.Fatal("q and ? must be typed into the answer, not act as keys")
	}
	h.key("ctrl+s")
	if p.mode != modeRate || p.rev != 1 {
		t.Fatalf("after save: mode %v rev %d", p.mode, p.rev)
	}
	golden(t, "discussion_rate_80x24", h.screen())
	h.key("3", "4")
	typeText(h, "cite data")
	h.key("ctrl+s")
	j, _ := c.Store.Journal(c.Ctx, c.Learner)
	e := j["d-one"]
	if e == nil || len(e.Revisions) != 1 || !strings.Contains(e.Revisions[0].Body, "Deploying matters") {
		t.Fatalf("journal = %+v", e)
	}
	r := e.Revisions[0]
	if r.Ratings["humility"] != 3 || r.Ratings["fairmindedness"] != 4 || r.Note != "cite data" {
		t.Fatalf("ratings = %+v note %q", r.Ratings, r.Note)
	}
	// A second revision keeps the first.
	h.key("e")
	typeText(h, " More.")
	h.key("ctrl+s", "esc")
	j, _ = c.Store.Journal(c.Ctx, c.Learner)
	if len(j["d-one"].Revisions) != 2 {
		t.Fatalf("revisions = %d", len(j["d-one"].Revisions))
	}
	h.key("v")
	if !strings.Contains(h.screen(), "Previous answer (revision 1 of 2)") {
		t.Fatalf("previous revision:\n%s", h.screen())
	}
	h.key("f")
	j, _ = c.Store.Journal(c.Ctx, c.Learner)
	if !j["d-one"].Portfolio {
		t.Fatal("f should mark the answer for the portfolio")
	}
}

func TestDiscussionDraftSurvivesLeavingAndQuit(t *testing.T) {
	c := quizCommon(t)
	h := newHarness(t, c, 80, 24)
	ch, _ := c.Catalog.Chapter("ch01")
	h.send(pushMsg{NewDiscussion(c, ch)})
	h.key("enter", "e")
	typeText(h, "half a thought")
	// Quit straight from the editor: ctrl+c must still save the draft first.
	_, cmd := h.m.Update(keyPress("ctrl+c"))
	h.run(cmd)
	d, ok, err := c.Store.Draft(c.Ctx, c.Learner, "d-one")
	if err != nil || !ok || d != "half a thought" {
		t.Fatalf("draft = %q %v %v", d, ok, err)
	}
}
