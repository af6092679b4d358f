package exercises

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// testExercise loads an exercise from files (paths relative to the exercise directory) and
// fails the test on any lint problem.
func testExercise(t *testing.T, spec string, files map[string]string) *Exercise {
	t.Helper()
	m := fstest.MapFS{exDir + "/exercise.yaml": {Data: []byte(spec)}, exDir + "/README.md": {Data: []byte("# T\n")}}
	for k, v := range files {
		m[exDir+"/"+k] = &fstest.MapFile{Data: []byte(v), Mode: 0o644}
	}
	ex, probs := Load(m, exDir)
	if len(probs) > 0 || ex == nil {
		t.Fatalf("lint: %v", probs)
	}
	return ex
}

// workspace writes files into a fresh workspace directory.
func workspace(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	for k, v := range files {
		p := filepath.Join(dir, k)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func byName(rep *Report) map[string]Result {
	m := map[string]Result{}
	for _, r := range rep.Results {
		m[r.Name] = r
	}
	return m
}

func expect(t *testing.T, rep *Report, name string, st Status, reason string) {
	t.Helper()
	r, ok := byName(rep)[name]
	if !ok {
		t.Errorf("no result %q in %+v", name, rep.Results)
		return
	}
	if r.Status != st || !strings.Contains(r.Reason, reason) {
		t.Errorf("%s: got %s %q (detail %q, output %q), want %s containing %q", name, r.Status, r.Reason, r.Detail, r.Output, st, reason)
	}
}

const hintsYAML = `hints: {nudge: a, concept: b, partial: c}
`
