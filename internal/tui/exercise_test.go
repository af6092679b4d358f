package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExerciseCheckHintResetAndSolution(t *testing.T) {
	c := caseCommon(t)
	c.Workspace = t.TempDir()
	h := newHarness(t, c, 100, 30)
	ex, ok := c.Catalog.Exercise("ex06-drift-psi")
	if !ok {
		t.Fatal("built-in exercise missing")
	}
	h.send(pushMsg{NewExercise(c, ex)})
	s := h.m.top().(*Exercise)
	if s.dir == "" || !strings.Contains(h.screen(), "Not checked yet") {
		t.Fatalf("workspace not made:\n%s", h.screen())
	}
	if _, err := os.Stat(filepath.Join(c.Workspace, ex.ID, "drift.py")); err != nil {
		t.Fatal("starter not copied:", err)
	}
	h.patience = 2 * time.Minute
	h.key("c")
	h.patience = 0
	if s.report == nil || s.report.Passed || s.report.Isolation == "" || !strings.Contains(h.screen(), "✗ Not yet") {
		t.Fatalf("starter should fail with per-check lines:\n%s", h.screen())
	}
	h.key("h")
	if len(s.hints) != 1 || !strings.Contains(h.screen(), "Nudge:") {
		t.Fatalf("hint:\n%s", h.screen())
	}
	// The solution is locked until a pass; s asks to give up, anything else cancels.
	h.key("s", "x")
	if s.state.GaveUp {
		t.Fatal("x must cancel the give-up")
	}
	// Reset needs a second r.
	os.WriteFile(filepath.Join(s.dir, "drift.py"), []byte("# mine\n"), 0o644)
	h.key("r", "r")
	data, _ := os.ReadFile(filepath.Join(s.dir, "drift.py"))
	if strings.HasPrefix(string(data), "# mine") {
		t.Fatal("reset did not restore the starter")
	}
	st, _ := c.Store.Exercises(c.Ctx, c.Learner)
	if st[ex.ID].Attempts != 1 || st[ex.ID].Hints != 1 {
		t.Fatalf("stored state = %+v", st[ex.ID])
	}
	h.key("s", "y")
	if _, ok := h.m.top().(*SolutionView); !ok {
		t.Fatalf("give-up should open the solution, top = %T", h.m.top())
	}
	st, _ = c.Store.Exercises(c.Ctx, c.Learner)
	if !st[ex.ID].Revealed || !st[ex.ID].GaveUp {
		t.Fatalf("reveal not recorded: %+v", st[ex.ID])
	}
}
