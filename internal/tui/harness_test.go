package tui

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testCourse is a small fixed course so goldens do not move when real content changes.
func testCourse(t testing.TB) *course.Catalog {
	t.Helper()
	c, probs := course.Load(testCourseFS(), "test")
	if len(probs) > 0 {
		t.Fatalf("fixture course: %v", probs)
	}
	return c
}

func testCourseFS() fstest.MapFS {
	long := strings.Repeat("This paragraph is here so that the lesson needs scrolling to reach its end. ", 6)
	lesson := func(id, title string, n int) string {
		var b strings.Builder
		b.WriteString("---\nid: " + id + "\ntitle: " + title + "\nminutes: 7\nobjectives:\n  - Read to the end\n---\n# " + title + "\n\n")
		for i := 0; i < n; i++ {
			b.WriteString("## Section " + string(rune('A'+i)) + "\n\n" + long + "\n\n")
		}
		b.WriteString("```bash\nmake test\n```\n")
		return b.String()
	}
	fsys := fstest.MapFS{
		"course.yaml":                  {Data: []byte("id: demo\ntitle: Demo Course\nversion: 1.0.0\ndescription: A tiny course for tests.\nchapters:\n  - 01-one\n  - 02-two\n")},
		"chapters/01-one/chapter.yaml": {Data: []byte("id: ch01\nnumber: 1\ntitle: Getting started\nsummary: The first steps.\nminutes: 20\nobjectives:\n  - Start\n")},
		"chapters/01-one/01-a.md":      {Data: []byte(lesson("l1", "First lesson", 6))},
		"chapters/01-one/02-b.md":      {Data: []byte(lesson("l2", "Second lesson", 1))},
		"chapters/02-two/chapter.yaml": {Data: []byte("id: ch02\nnumber: 2\ntitle: Not written yet\nsummary: Later.\n")},
	}
	return fsys
}

// testClock is the one clock a test's screens and store share.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time          { return c.t }
func (c *testClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func testCommon(t testing.TB) *Common {
	c, _ := testCommonClock(t)
	return c
}

func testCommonClock(t testing.TB) (*Common, *testClock) {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	st, err := store.Open(ctx, ":memory:", store.Options{CourseID: "demo", CourseVersion: "1.0.0", Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l, err := st.EnsureLearner(ctx, store.LocalLearnerKey, "")
	if err != nil {
		t.Fatal(err)
	}
	return &Common{Ctx: ctx, Catalog: testCourse(t), Store: st, Learner: l.ID, Now: clock.now, DraftDelay: time.Millisecond, StatusTTL: -1}, clock
}

// harness drives a root model synchronously: every command runs and its messages are fed
// back, except commands that wait (ticks), which are dropped after a short grace.
type harness struct {
	t *testing.T
	m *Model
	// patience is how long a command may take before it counts as a tick and is dropped
	// (longer for tests that run real exercise checks).
	patience time.Duration
}

func newHarness(t *testing.T, c *Common, w, h int) *harness {
	dark := true
	m := New(c, Options{IsDark: &dark})
	hs := &harness{t: t, m: m}
	hs.run(m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

func (h *harness) send(msg tea.Msg) {
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(h.wait()):
		return // a tick or other waiting command
	}
	if msg == nil {
		return
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			h.run(c)
		}
		return
	}
	// tea.Sequence's message is an unexported slice of commands: run them in order.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		for i := 0; i < v.Len(); i++ {
			h.run(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	if _, ok := msg.(tea.QuitMsg); ok {
		return
	}
	h.send(msg)
}

func (h *harness) wait() time.Duration {
	if h.patience > 0 {
		return h.patience
	}
	// Drafts tick after 1 ms and footer notes never expire in testCommon; anything still running after
	// this is a poll or a wait (class dashboard, watch) and is dropped, so a recurring tick
	// cannot keep the harness busy forever. Keep it below the shortest poll a test uses (1 s).
	return 500 * time.Millisecond
}

func (h *harness) key(keys ...string) {
	for _, k := range keys {
		h.send(keyPress(k))
	}
}

func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// screen returns the view as the Ascii colour profile draws it: no colours, stable.
func (h *harness) screen() string { return plain(h.m.View().Content) }

func plain(s string) string {
	var buf bytes.Buffer
	w := colorprofile.NewWriter(&buf, nil)
	w.Profile = colorprofile.NoTTY
	w.WriteString(s)
	lines := strings.Split(buf.String(), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return strings.Join(lines, "\n")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden %s (run go test ./internal/tui -update): %v", path, err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden:\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func resizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func keyPressCtrl(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }
