package tui

import (
	"strings"
	"testing"
)

func TestGlossarySearchAndEscape(t *testing.T) {
	c := caseCommon(t) // the built-in course has a glossary
	h := newHarness(t, c, 80, 24)
	h.send(pushMsg{NewGlossary(c)})
	typeText(h, "drift")
	s := h.screen()
	if !strings.Contains(s, "Data drift") || strings.Contains(s, "114 of 114") {
		t.Fatalf("search:\n%s", s)
	}
	if h.m.quitting || h.m.showHelp {
		t.Fatal("letters must go to the search box")
	}
	h.key("esc")
	if !strings.Contains(h.screen(), "of 114 terms") || strings.Contains(h.screen(), "Search: drift") {
		t.Fatalf("esc should clear the search:\n%s", h.screen())
	}
	h.key("esc")
	if _, ok := h.m.top().(*Home); !ok {
		t.Fatalf("second esc should go back, top = %T", h.m.top())
	}
}
