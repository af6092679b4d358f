package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/internal/course"
)

// runNow runs a command and returns its message, or nil when it waits (a tick, a delay).
func runNow(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		return msg
	case <-time.After(200 * time.Millisecond):
		return nil
	}
}

// With Options.Load, the home screen gets the learner's progress in the same message as
// the course: the first frame already says where they left off, before any other
// command has run.
func TestFirstFrameAfterLoadShowsProgress(t *testing.T) {
	base := testCommon(t)
	if err := base.Store.OpenLesson(base.Ctx, base.Learner, "l2"); err != nil {
		t.Fatal(err)
	}
	idx, probs := course.LoadIndex(testCourseFS(), "test")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	c := &Common{Ctx: base.Ctx, Now: base.Now, Width: 80, Height: 24, StatusTTL: -1}
	dark := true
	m := New(c, Options{IsDark: &dark, CompleteAfter: time.Hour, Load: func() (Loaded, error) {
		return Loaded{Catalog: idx, Store: base.Store, Learner: base.Learner}, nil
	}})
	if got := m.View().Content; got != "" {
		t.Fatalf("a frame before the course is loaded: %q", got)
	}
	var loaded tea.Msg
	switch msg := runNow(m.Init()).(type) {
	case loadedMsg:
		loaded = msg
	case tea.BatchMsg:
		for _, cmd := range msg {
			if msg, ok := runNow(cmd).(loadedMsg); ok {
				loaded = msg
			}
		}
	}
	if loaded == nil {
		t.Fatal("Init did not load the course")
	}
	_, cmd := m.Update(loaded)
	screen := plain(m.View().Content)
	for _, want := range []string{"Continue: Second lesson", "Getting started"} {
		if !strings.Contains(screen, want) {
			t.Errorf("first frame lacks %q:\n%s", want, screen)
		}
	}
	// The rest of the course is parsed later (CompleteAfter), not before the first frame.
	if m.common.Catalog.Completed() {
		t.Fatal("the catalog was completed before the first frame")
	}
	switch msg := runNow(cmd).(type) {
	case catalogMsg:
		t.Fatal("the course was completed without waiting CompleteAfter")
	case tea.BatchMsg:
		for _, c := range msg {
			if _, ok := runNow(c).(catalogMsg); ok {
				t.Fatal("the course was completed without waiting CompleteAfter")
			}
		}
	}
}

func TestWarmUpDrawsWithoutATerminal(t *testing.T) {
	WarmUp(80, 24)
	WarmUp(0, 0) // no size known: only the width table
}
