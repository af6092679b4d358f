package tui

import (
	"strings"
	"testing"
)

func TestHomeListsChaptersWithProgress(t *testing.T) {
	h := newHarness(t, testCommon(t), 80, 24)
	s := h.screen()
	for _, want := range []string{"Demo Course", "Start: First lesson", "Getting started", "0/2", "coming soon"} {
		if !strings.Contains(s, want) {
			t.Errorf("home lacks %q:\n%s", want, s)
		}
	}
	golden(t, "home_80x24", s)
}

func TestOpenChapterAndLessonThenFinish(t *testing.T) {
	c := testCommon(t)
	h := newHarness(t, c, 80, 24)
	h.key("down", "enter") // the first chapter
	if _, ok := h.m.top().(*Chapter); !ok {
		t.Fatalf("top = %T, want *Chapter", h.m.top())
	}
	golden(t, "chapter_80x24", h.screen())
	h.key("enter") // first lesson
	les, ok := h.m.top().(*Lesson)
	if !ok {
		t.Fatalf("top = %T, want *Lesson", h.m.top())
	}
	if !les.content {
		t.Fatal("lesson not rendered")
	}
	golden(t, "lesson_80x24", h.screen())
	if !strings.Contains(h.screen(), "lesson 1/2 · 0%") {
		t.Fatalf("progress line missing:\n%s", h.screen())
	}
	h.key("G")
	if !strings.Contains(h.screen(), "100%") || !les.finished {
		t.Fatalf("G should reach the end and finish:\n%s", h.screen())
	}
	h.key("esc", "esc")
	ls, _ := c.Store.Lessons(c.Ctx, c.Learner)
	if !ls["l1"].Finished {
		t.Fatal("finish not stored")
	}
	if !strings.Contains(h.screen(), "1/2") || !strings.Contains(h.screen(), "Continue: First lesson") {
		t.Fatalf("home does not show progress:\n%s", h.screen())
	}
}

func TestScrollPositionIsRemembered(t *testing.T) {
	c := testCommon(t)
	h := newHarness(t, c, 80, 24)
	h.key("down", "enter", "enter", "space")
	les := h.m.top().(*Lesson)
	frac := les.fraction()
	if frac <= 0 || frac >= 1 {
		t.Fatalf("fraction after a page = %v", frac)
	}
	h.key("esc") // leave saves the position
	h.key("enter")
	les2 := h.m.top().(*Lesson)
	if les2 == les {
		t.Fatal("expected a new lesson screen")
	}
	if got := les2.fraction(); got < frac-0.05 || got > frac+0.05 {
		t.Fatalf("restored fraction = %v, want ≈ %v", got, frac)
	}
}

func TestNextAndPreviousLesson(t *testing.T) {
	h := newHarness(t, testCommon(t), 80, 24)
	h.key("down", "enter", "enter", "n")
	if got := h.m.top().Title(); got != "Second lesson" {
		t.Fatalf("after n: %q", got)
	}
	if !strings.Contains(h.screen(), "lesson 2/2") {
		t.Fatal(h.screen())
	}
	h.key("n")
	if !strings.Contains(h.screen(), "last lesson") {
		t.Fatalf("want a note at the last lesson:\n%s", h.screen())
	}
	h.key("p")
	if got := h.m.top().Title(); got != "First lesson" {
		t.Fatalf("after p: %q", got)
	}
}

func TestHelpOverlayAndQuit(t *testing.T) {
	h := newHarness(t, testCommon(t), 80, 24)
	h.key("?")
	s := h.screen()
	if !strings.Contains(s, "Keys on this screen") || !strings.Contains(s, "ctrl+c") {
		t.Fatalf("help overlay:\n%s", s)
	}
	golden(t, "help_80x24", s)
	h.key("?")
	if strings.Contains(h.screen(), "Keys on this screen") {
		t.Fatal("? should close help")
	}
	_, cmd := h.m.Update(keyPress("q"))
	if cmd == nil || !h.m.quitting {
		t.Fatal("q should quit")
	}
}

func TestTinyAndHugeTerminals(t *testing.T) {
	for _, size := range [][2]int{{20, 5}, {39, 9}, {40, 10}, {300, 100}} {
		h := newHarness(t, testCommon(t), size[0], size[1])
		h.key("down", "enter", "enter")
		s := h.screen()
		lines := strings.Split(s, "\n")
		if len(lines) > size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		small := size[0] < MinWidth || size[1] < MinHeight
		if small != strings.Contains(s, "Terminal too small") {
			t.Errorf("%dx%d: too-small note = %v:\n%s", size[0], size[1], !small, s)
		}
	}
}

func TestResizeRerendersLesson(t *testing.T) {
	h := newHarness(t, testCommon(t), 80, 24)
	h.key("down", "enter", "enter")
	les := h.m.top().(*Lesson)
	before := les.shown
	h.send(resizeMsg(60, 20))
	if les.shown == before || les.shown.width != 58 {
		t.Fatalf("lesson not re-rendered at new width: %+v -> %+v", before, les.shown)
	}
}
