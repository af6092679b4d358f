package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/portfolio"
)

// progressCommon is a learner with two weeks of history in a small course with a quiz, a
// discussion prompt and one exercise the store knows.
func progressCommon(t *testing.T) (*Common, *testClock) {
	t.Helper()
	c, clock := testCommonClock(t)
	fsys := fstest.MapFS{}
	for k, v := range testCourseFS() {
		fsys[k] = v
	}
	fsys["chapters/01-one/quiz.yaml"] = &fstest.MapFile{Data: []byte(`questions:
  - id: pq-one
    type: single
    prompt: Which layer comes first?
    options:
      - {id: a, text: Platform automation}
      - {id: b, text: DevOps}
    answer: b
    explanation: Everything rests on DevOps.
    lesson: l1
  - id: pq-two
    type: single
    prompt: Which layer comes last?
    options:
      - {id: a, text: MLOps}
      - {id: b, text: DevOps}
    answer: a
    explanation: MLOps sits on top.
    lesson: l1
`)}
	fsys["chapters/01-one/discussion.yaml"] = &fstest.MapFile{Data: []byte(`prompts:
  - id: pd-one
    traits: [humility]
    prompt: Why might fourteen models and no deployments be a problem?
    guidance: A strong answer questions what progress means.
  - id: pd-two
    traits: [empathy]
    prompt: Who pays when a model fails quietly?
    guidance: Think of the people downstream.
`)}
	cat, probs := course.Load(fsys, "test")
	if len(probs) > 0 {
		t.Fatalf("fixture: %v", probs)
	}
	c.Catalog = cat
	ctx, st, id := c.Ctx, c.Store, c.Learner
	now := clock.t
	at := func(daysAgo int) { clock.t = now.AddDate(0, 0, -daysAgo) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	at(16)
	must(st.OpenLesson(ctx, id, "l1"))
	must(st.RecordAnswer(ctx, id, "pq-one", store.AnswerData{ChapterID: "ch01", Correct: false, Source: "quiz"}))
	at(9)
	must(st.AddLessonTime(ctx, id, "l1", 25*time.Minute))
	must(st.FinishLesson(ctx, id, "l1"))
	must(st.RecordAnswer(ctx, id, "pq-one", store.AnswerData{ChapterID: "ch01", Correct: true, Source: "review"}))
	must(st.RecordAnswer(ctx, id, "pq-two", store.AnswerData{ChapterID: "ch01", Correct: true, Source: "quiz"}))
	for _, d := range []int{2, 1, 0} {
		at(d)
		must(st.OpenLesson(ctx, id, "l2"))
	}
	must(st.AddLessonTime(ctx, id, "l2", 6*time.Minute))
	must(st.RecordExercise(ctx, id, store.KindExerciseStarted, "ex-demo", map[string]string{"chapter": "ch01"}))
	report, _ := json.Marshal(map[string]any{"results": []map[string]any{{"name": "It runs", "status": "pass", "points": 2, "max_points": 2}}})
	must(st.RecordCheck(ctx, id, "ex-demo", store.ExerciseCheckData{ChapterID: "ch01", Passed: true, Points: 2, MaxPoints: 2, Report: report}))
	_, err := st.SaveAnswer(ctx, id, "ch01", "pd-one", "Because a model nobody uses teaches nothing.")
	must(err)
	clock.t = now
	return c, clock
}

func openProgress(t *testing.T, c *Common, w, h int) (*harness, *Progress) {
	t.Helper()
	hs := newHarness(t, c, w, h)
	hs.key("G", "enter")
	p, ok := hs.m.top().(*Progress)
	if !ok {
		t.Fatalf("top = %T, want *Progress", hs.m.top())
	}
	if p.model == nil {
		t.Fatalf("progress not loaded: %v", p.err)
	}
	return hs, p
}

func TestProgressOverview(t *testing.T) {
	c, _ := progressCommon(t)
	h, _ := openProgress(t, c, 80, 24)
	s := h.screen()
	for _, want := range []string{
		"Streak 3 days (best 3 days)", "✓ today done",
		"Lessons 1/2", "Quiz 67% of 3", "Exercises 1/1", "Discussion 1/2", "Reading 31m",
		"Activity · last 20 weeks", "Mon", "less ·░▒▓█ more · 13 events on 5 days",
		"Quiz accuracy · by week", "100% of 2", " 0% of 1",
		"Getting started", "coming soon", "Total",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("overview lacks %q:\n%s", want, s)
		}
	}
	// Without colour the levels still read: density glyphs, not only colour.
	if !strings.ContainsAny(s, "░▒▓█") {
		t.Error("no density glyphs")
	}
	golden(t, "progress_80x24", s)
	golden(t, "progress_80x24_color", h.m.View().Content)
}

func TestProgressScrollsWhenShort(t *testing.T) {
	c, _ := progressCommon(t)
	h, p := openProgress(t, c, 80, 14)
	if !strings.Contains(h.screen(), "more lines") {
		t.Fatalf("no hint that more follows:\n%s", h.screen())
	}
	h.key("G")
	if p.offset == 0 || !strings.Contains(h.screen(), "Total") {
		t.Fatalf("G should reach the end (offset %d):\n%s", p.offset, h.screen())
	}
	h.key("g")
	if p.offset != 0 {
		t.Fatal("g should go back to the top")
	}
}

func TestProgressAttachLinks(t *testing.T) {
	c, _ := progressCommon(t)
	h, p := openProgress(t, c, 80, 24)
	h.key("tab")
	if p.tab != tabLinks || !strings.Contains(h.screen(), "ex-demo") {
		t.Fatalf("links tab:\n%s", h.screen())
	}
	golden(t, "progress_links_80x24", h.screen())
	h.key("enter")
	if p.form == nil || !p.Capturing() {
		t.Fatal("enter should open the link form")
	}
	typeText(h, "http://github.com/ada/x")
	h.key("enter", "enter") // to the video field, then save
	if p.form == nil || !strings.Contains(h.screen(), "only https links are accepted") {
		t.Fatalf("an http link must be refused in the form:\n%s", h.screen())
	}
	h.key("tab") // back to the repository field
	for range len("http://github.com/ada/x") {
		h.key("backspace")
	}
	typeText(h, "https://github.com/ada/x")
	h.key("tab")
	typeText(h, "https://youtu.be/abc")
	golden(t, "progress_form_80x24", h.screen())
	h.key("ctrl+s")
	if p.form != nil {
		t.Fatalf("form still open:\n%s", h.screen())
	}
	links, err := c.Store.Links(c.Ctx, c.Learner)
	if err != nil || links["ex-demo"].Repo != "https://github.com/ada/x" || links["ex-demo"].Video != "https://youtu.be/abc" {
		t.Fatalf("stored links = %+v, %v", links, err)
	}
	if s := h.screen(); !strings.Contains(s, "https://github.com/ada/x") {
		t.Fatalf("links tab does not show the new link:\n%s", s)
	}
	// esc in the form cancels it without leaving the screen.
	h.key("enter", "esc")
	if p.form != nil || h.m.top() != Screen(p) {
		t.Fatal("esc should only close the form")
	}
	h.key("esc")
	if _, ok := h.m.top().(*Home); !ok {
		t.Fatal("esc should go back home")
	}
}

func TestProgressFitsEverySize(t *testing.T) {
	c, _ := progressCommon(t)
	h, p := openProgress(t, c, 80, 24)
	for _, tab := range []progressTab{tabOverview, tabLinks} {
		p.tab = tab
		for _, size := range [][2]int{{40, 10}, {50, 16}, {64, 20}, {100, 30}, {300, 100}} {
			h.send(resizeMsg(size[0], size[1]))
			s := h.screen()
			lines := strings.Split(s, "\n")
			if len(lines) > size[1] {
				t.Errorf("%v at %dx%d: %d lines", tab, size[0], size[1], len(lines))
			}
			for _, l := range lines {
				if w := lipglossWidth(l); w > size[0] {
					t.Errorf("%v at %dx%d: line of %d cells: %q", tab, size[0], size[1], w, l)
					break
				}
			}
			if tab == tabOverview && size == [2]int{40, 10} {
				golden(t, "progress_40x10", s)
			}
		}
	}
}

func TestProgressEmptyLearner(t *testing.T) {
	h, _ := openProgress(t, testCommon(t), 80, 24)
	s := h.screen()
	if !strings.Contains(s, "Activity") || !strings.Contains(s, "No quiz answers yet") {
		t.Fatalf("empty overview:\n%s", s)
	}
	h.key("tab")
	if !strings.Contains(h.screen(), "Nothing to link yet") {
		t.Fatalf("empty links tab:\n%s", h.screen())
	}
}

// w writes the portfolio into ./kaizen-portfolio, again over kaizen's own earlier export,
// and never over files kaizen did not write.
func TestProgressWritesThePortfolio(t *testing.T) {
	cwd := t.TempDir()
	t.Chdir(cwd)
	c, _ := progressCommon(t)
	h, _ := openProgress(t, c, 100, 30)
	if !strings.Contains(h.screen(), "w: write your portfolio") {
		t.Fatalf("no hint for the key:\n%s", h.screen())
	}
	dir := filepath.Join(cwd, portfolio.DefaultDir)
	h.key("w")
	if !strings.Contains(h.m.status, "Portfolio written to "+dir) || h.m.statusErr {
		t.Fatalf("status after w = %q (error %v)", h.m.status, h.m.statusErr)
	}
	for _, f := range []string{portfolio.ReadmeFile, portfolio.HTMLFile, portfolio.ManifestFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("%s not written: %v", f, err)
		}
	}
	h.key("w") // again: replaces its own files
	if h.m.statusErr {
		t.Fatalf("a second export failed: %s", h.m.status)
	}

	other := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.MkdirAll(filepath.Join(other, portfolio.DefaultDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, portfolio.DefaultDir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(other)
	h.key("w")
	if !h.m.statusErr || !strings.Contains(h.m.status, "kaizen did not write") {
		t.Fatalf("status over a foreign directory = %q", h.m.status)
	}
	if data, _ := os.ReadFile(filepath.Join(other, portfolio.DefaultDir, "notes.txt")); string(data) != "mine" {
		t.Fatal("a file kaizen did not write was touched")
	}
}

// On a class server the disk is not the learner's: no w.
func TestProgressNoPortfolioKeyInClass(t *testing.T) {
	t.Chdir(t.TempDir())
	c, _ := progressCommon(t)
	c.ClassMode = true
	h, _ := openProgress(t, c, 100, 30)
	if strings.Contains(h.screen(), "w: write") {
		t.Fatalf("class mode offers w:\n%s", h.screen())
	}
	h.key("w")
	if _, err := os.Stat(portfolio.DefaultDir); err == nil {
		t.Fatal("a portfolio was written on the server")
	}
}
