package tui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/internal/store"
)

// newHarnessModel drives a root model built by the test.
func newHarnessModel(t *testing.T, m *Model, w, h int) *harness {
	hs := &harness{t: t, m: m}
	hs.run(m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

func TestNamePromptAsksOnceThenShowsHome(t *testing.T) {
	c := testCommon(t)
	dark := true
	m := New(c, Options{IsDark: &dark, Start: func(c *Common) Screen { return NewNamePrompt(c) }})
	h := newHarnessModel(t, m, 80, 24)
	if _, ok := h.m.top().(*NamePrompt); !ok {
		t.Fatalf("top = %T, want the name prompt", h.m.top())
	}
	golden(t, "name_prompt_80x24", h.screen())
	h.key("enter")
	if !strings.Contains(h.screen(), "please type a name") {
		t.Fatalf("an empty name was accepted:\n%s", h.screen())
	}
	// q and ? are letters here, esc does not skip the question.
	h.key("esc", "q", "?", "backspace", "backspace")
	if _, ok := h.m.top().(*NamePrompt); !ok || h.m.quitting || h.m.showHelp {
		t.Fatalf("global keys escaped the prompt: top %T quitting %v help %v", h.m.top(), h.m.quitting, h.m.showHelp)
	}
	for _, r := range "  Ada   Lovelace " {
		if r == ' ' {
			h.key("space")
		} else {
			h.key(string(r))
		}
	}
	h.key("enter")
	if _, ok := h.m.top().(*Home); !ok {
		t.Fatalf("after the name, top = %T, want home", h.m.top())
	}
	l, err := c.Store.LearnerByID(c.Ctx, c.Learner)
	if err != nil || l.Name != "Ada Lovelace" {
		t.Fatalf("stored name %q (%v)", l.Name, err)
	}
	if !strings.Contains(h.screen(), "Welcome, Ada Lovelace!") {
		t.Fatalf("no welcome note:\n%s", h.screen())
	}
}

func TestServedShutdownSavesLikeQuitting(t *testing.T) {
	c := testCommon(t)
	dark := true
	sv := NewServed(c, Options{IsDark: &dark})
	h := newHarnessModel(t, sv.Model(), 80, 24)
	h.key("down", "enter", "enter", "space") // a page into the first lesson
	if _, ok := h.m.top().(*Lesson); !ok {
		t.Fatalf("top = %T", h.m.top())
	}
	_, cmd := sv.Update(ShutdownMsg{Reason: "The class server is stopping."})
	h.run(cmd)
	if sv.Reason() != "The class server is stopping." || !h.m.quitting {
		t.Fatalf("reason %q quitting %v", sv.Reason(), h.m.quitting)
	}
	ls, _ := c.Store.Lessons(c.Ctx, c.Learner)
	if ls["l1"].Scroll <= 0 {
		t.Fatalf("the lesson's place was not saved on shutdown: %+v", ls["l1"])
	}
	// Other messages still reach the app.
	if _, cmd := sv.Update(tea.WindowSizeMsg{Width: 90, Height: 30}); cmd != nil {
		h.run(cmd)
	}
	if c.Width != 90 {
		t.Fatal("window size did not reach the app")
	}
}

// classCommon is a store with two learners who did different things.
func classCommon(t *testing.T) (*Common, *testClock, [2]int64) {
	c, clock := quizCommonClock(t)
	ctx := c.Ctx
	ada, _ := c.Store.EnsureLearner(ctx, "ssh:SHA256:ada", "")
	bob, _ := c.Store.EnsureLearner(ctx, "ssh:SHA256:bob", "")
	if err := c.Store.SetLearnerProfile(ctx, ada.ID, "Ada", "42"); err != nil {
		t.Fatal(err)
	}
	if err := c.Store.SetLearnerProfile(ctx, bob.ID, "Bob", "7"); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Store.FinishLesson(ctx, ada.ID, "l1"))
	must(c.Store.FinishLesson(ctx, ada.ID, "l2"))
	must(c.Store.RecordAnswer(ctx, ada.ID, "q-single", store.AnswerData{ChapterID: "ch01", Correct: true, Score: 1}))
	if _, err := c.Store.SaveAnswer(ctx, ada.ID, "ch01", "d-one", "Models nobody deploys deliver nothing."); err != nil {
		t.Fatal(err)
	}
	must(c.Store.RecordCheck(ctx, ada.ID, "ex-make", store.ExerciseCheckData{ChapterID: "ch01", Passed: false, Points: 3, MaxPoints: 10,
		Report: []byte(`{"results":[{"name":"make test passes","status":"fail","reason":"target test is missing","points":0,"max_points":7},{"name":"Makefile exists","status":"pass","points":3,"max_points":3}]}`)}))
	clock.advance(2 * time.Hour)
	must(c.Store.RecordAnswer(ctx, bob.ID, "q-single", store.AnswerData{ChapterID: "ch01", Correct: false}))
	must(c.Store.RecordSession(ctx, bob.ID, "ssh"))
	clock.advance(5 * time.Minute)
	return c, clock, [2]int64{ada.ID, bob.ID}
}

func TestClassDashboardSortsPollsAndDrillsDown(t *testing.T) {
	c, clock, ids := classCommon(t)
	dark := true
	m := NewClassApp(c, Options{IsDark: &dark}, time.Second)
	h := newHarnessModel(t, m, 100, 24)
	dash, ok := h.m.top().(*ClassDashboard)
	if !ok || len(h.m.stack) != 1 {
		t.Fatalf("stack = %v", h.m.stack)
	}
	golden(t, "class_dashboard_100x24", h.screen())
	scr := h.screen()
	for _, want := range []string{"2 learner(s)", "Name▲", "Ada", "Bob", "2/2", "100%", "0%", "5m ago", "2h ago"} {
		if !strings.Contains(scr, want) {
			t.Errorf("dashboard lacks %q:\n%s", want, scr)
		}
	}
	// Sort by the next column (student id), then reverse.
	h.key("s")
	if dash.sortBy.String() != "student id" || dash.gb.Rows[0].Name != "Bob" {
		t.Fatalf("sort by student id: %v %v", dash.sortBy, dash.gb.Rows[0].Name)
	}
	h.key("r")
	if dash.gb.Rows[0].Name != "Ada" {
		t.Fatal("reverse did not reverse")
	}
	h.key("s") // lessons, most first
	if dash.gb.Rows[0].Name != "Ada" || !strings.Contains(h.screen(), "Lessons▼") {
		t.Fatalf("sort by lessons:\n%s", h.screen())
	}

	// Live: a poll picks up what a server session wrote meanwhile.
	if err := c.Store.FinishLesson(c.Ctx, ids[1], "l1"); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Second)
	h.send(classTickMsg{gen: dash.gen})
	if dash.gb.Rows[1].Lessons.Done != 1 {
		t.Fatalf("the poll did not see Bob's lesson: %+v", dash.gb.Rows[1].Lessons)
	}
	// A tick of an old chain is ignored.
	h.send(classTickMsg{gen: dash.gen - 1})

	// Drill down into Ada (the cursor is on the first row).
	h.key("g", "enter")
	det, ok := h.m.top().(*LearnerDetail)
	if !ok {
		t.Fatalf("top = %T", h.m.top())
	}
	if det.row.Name != "Ada" {
		t.Fatalf("opened %q", det.row.Name)
	}
	h.send(resizeMsg(100, 60))
	scr = h.screen()
	for _, want := range []string{"Ada", "student 42", "Quizzes", "100%", "ex-make", "✗ make test passes: target test is missing", "✓ Makefile exists",
		"Why might fourteen models", "Models nobody deploys deliver nothing."} {
		if !strings.Contains(scr, want) {
			t.Errorf("drill-down lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "Bob") {
		t.Errorf("Ada's page shows Bob:\n%s", scr)
	}
	h.key("esc")
	if _, ok := h.m.top().(*ClassDashboard); !ok {
		t.Fatalf("back: top = %T", h.m.top())
	}
	// Going back does not leave the dashboard with nothing under it.
	h.key("esc")
	if len(h.m.stack) != 1 {
		t.Fatal("esc left the dashboard")
	}
}

func TestClassDashboardEmptyAndNarrow(t *testing.T) {
	c := testCommon(t)
	dark := true
	h := newHarnessModel(t, NewClassApp(c, Options{IsDark: &dark}, time.Second), 80, 24)
	if !strings.Contains(h.screen(), "No learners yet") {
		t.Fatalf("empty class:\n%s", h.screen())
	}
	c2, _, _ := classCommon(t)
	h = newHarnessModel(t, NewClassApp(c2, Options{IsDark: &dark}, time.Second), 44, 12)
	for _, line := range strings.Split(h.screen(), "\n") {
		if w := len([]rune(line)); w > 44 {
			t.Errorf("line wider than the terminal (%d): %q", w, line)
		}
	}
	if !strings.Contains(h.screen(), "Ada") {
		t.Fatalf("narrow:\n%s", h.screen())
	}
}

func TestServedTakesALateBackgroundAnswer(t *testing.T) {
	c := testCommon(t)
	sv := NewServed(c, Options{}) // the background is asked of the terminal
	h := newHarnessModel(t, sv.Model(), 80, 24)
	h.send(bgTimeoutMsg{}) // the answer is slow over SSH: the app stops waiting
	if !c.Styles.IsDark {
		t.Fatal("want the dark default before the answer")
	}
	_, cmd := sv.Update(tea.BackgroundColorMsg{Color: color.White})
	h.run(cmd)
	if c.Styles.IsDark {
		t.Fatal("a late light answer was ignored")
	}
}
