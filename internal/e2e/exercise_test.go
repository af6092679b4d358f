package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A learner starts an exercise, fails the check, gives up, puts the solution in place and
// passes: exit codes 1 then 0, and the files land in the workspace.
func TestExerciseStartCheckSolutionPass(t *testing.T) {
	home := t.TempDir()
	out, errOut, code := runCLI(t, home, "exercise", "start", "ex06-drift-psi")
	ws := strings.TrimSpace(out)
	if code != 0 || !strings.HasSuffix(ws, filepath.Join("workspace", "ex06-drift-psi")) {
		t.Fatalf("start: %d %q %s", code, out, errOut)
	}
	out, _, code = runCLI(t, home, "exercise", "check", "ex06-drift-psi")
	if code != 1 || !strings.Contains(out, "✗ fail") || !strings.Contains(out, "isolation: ") {
		t.Fatalf("starter check: exit %d\n%s", code, out)
	}
	_, errOut, code = runCLI(t, home, "exercise", "solution", "ex06-drift-psi")
	if code != 1 || !strings.Contains(errOut, "--give-up") {
		t.Fatalf("locked solution: exit %d %s", code, errOut)
	}
	out, _, code = runCLI(t, home, "exercise", "solution", "ex06-drift-psi", "--give-up")
	if code != 0 || !strings.Contains(out, "──── drift.py") {
		t.Fatalf("give up: exit %d\n%.300s", code, out)
	}
	sol := filepath.Join(home, "kaizen", "workspace", ".solutions", "ex06-drift-psi", "drift.py")
	data, err := os.ReadFile(sol)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "drift.py"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCLI(t, home, "exercise", "check", "ex06-drift-psi", "--json")
	if code != 0 || !strings.Contains(out, `"passed": true`) {
		t.Fatalf("solution check: exit %d\n%s", code, out)
	}
	out, _, _ = runCLI(t, home, "exercise", "list", "--json")
	if !strings.Contains(out, `"status": "passed"`) {
		t.Fatalf("list: %s", out)
	}
}
