package portfolio

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("missing golden %s (run go test ./portfolio -update): %v", p, err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from golden:\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func exportBoth(t *testing.T, m *Model, dir string, force bool) *ExportResult {
	t.Helper()
	res, err := Export(m, ExportOptions{Dir: dir, Markdown: true, HTML: true, Force: force})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestMarkdownGolden(t *testing.T) {
	m := fixtureModel(t)
	out := filepath.Join(t.TempDir(), "portfolio")
	res := exportBoth(t, m, out, false)
	readme, err := os.ReadFile(filepath.Join(out, ReadmeFile))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "README.md.golden", readme)
	s := string(readme)
	for _, want := range []string{
		"# Ada Lovelace · MLOps portfolio",
		"### A Makefile that installs, lints and tests",
		"[Repository](https://github.com/ada/mlops-makefile)",
		"(exercises/ex01-makefile/Makefile)",
		"### A drift check", // passed although its files are gone
		"Monitoring \\| drift",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("README lacks %q", want)
		}
	}
	for _, bad := range []string{"A CI workflow", "javascript:", "secret", "Never played", ".env", "model.bin", "notes.txt", "x.pyc"} {
		if strings.Contains(s, bad) {
			t.Errorf("README must not contain %q", bad)
		}
	}
	if !slices.Equal(res.Missing, []string{"ex03-drift"}) {
		t.Errorf("missing = %v", res.Missing)
	}
	wantWritten := []string{"README.md", "activity.svg", "exercises/ex01-makefile/Makefile", "exercises/ex01-makefile/test_hello.py", "exercises/ex01-makefile/tools/lint.py", "index.html"}
	if !slices.Equal(res.Written, wantWritten) {
		t.Errorf("written = %v", res.Written)
	}
	var reasons []string
	for _, s := range res.Skipped {
		reasons = append(reasons, s.Path+": "+s.Reason)
	}
	wantSkipped := []string{
		"exercises/ex01-makefile/__pycache__/: tool output",
		"exercises/ex01-makefile/model.bin: larger than 256 KiB",
		"exercises/ex01-makefile/notes.txt: symbolic link (not followed)",
	}
	if !slices.Equal(reasons, wantSkipped) {
		t.Errorf("skipped = %q", reasons)
	}
}

func TestReadFilesRules(t *testing.T) {
	root := t.TempDir()
	ws := fixtureWorkspace(t, root)
	files, skipped, err := ReadFiles(ws, Limits{MaxFiles: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files["Makefile"] == nil {
		t.Fatalf("files = %v", keys(files))
	}
	found := false
	for _, s := range skipped {
		if strings.Contains(s.Reason, "more than 2 files") {
			found = true
		}
	}
	if !found {
		t.Fatalf("count limit not reported: %v", skipped)
	}
	files, skipped, err = ReadFiles(ws, Limits{MaxTotalBytes: 70})
	if err != nil {
		t.Fatal(err)
	}
	total, over := 0, false
	for _, b := range files {
		total += len(b)
	}
	for _, s := range skipped {
		over = over || strings.Contains(s.Reason, "over the 70 bytes total")
	}
	if total > 70 || !over || files["Makefile"] == nil {
		t.Fatalf("total limit: files = %v skipped = %v", keys(files), skipped)
	}
	if _, _, err := ReadFiles(filepath.Join(root, "nope"), Limits{}); err == nil {
		t.Fatal("a missing workspace is an error")
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestExportRefusesNonEmptyAndForceKeepsOtherFiles(t *testing.T) {
	m := fixtureModel(t)
	dir := t.TempDir()
	own := filepath.Join(dir, "notes.md")
	os.WriteFile(own, []byte("mine\n"), 0o644)
	_, err := Export(m, ExportOptions{Dir: dir, Markdown: true, HTML: true})
	var ne *NotEmptyError
	if !errors.As(err, &ne) {
		t.Fatalf("want NotEmptyError, got %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatal("a refused export wrote files")
	}
	exportBoth(t, m, dir, true)
	if b, _ := os.ReadFile(own); string(b) != "mine\n" {
		t.Fatal("the learner's own file changed")
	}
	man, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil || !strings.Contains(string(man), `"exercises/ex01-makefile/Makefile"`) || strings.Contains(string(man), "notes.md") {
		t.Fatalf("manifest = %s, %v", man, err)
	}

	// Again, with the exercise no longer passed: its files go, everything else stays.
	m2 := fixtureModel(t)
	m2.Exercises[0].Passed = false
	res, err := Export(m2, ExportOptions{Dir: dir, Markdown: true, HTML: false, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	wantRemoved := []string{"exercises/ex01-makefile/Makefile", "exercises/ex01-makefile/test_hello.py", "exercises/ex01-makefile/tools/lint.py", "index.html"}
	if !slices.Equal(res.Removed, wantRemoved) {
		t.Fatalf("removed = %v", res.Removed)
	}
	if _, err := os.Stat(filepath.Join(dir, "exercises")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("empty exercise folders should go too")
	}
	if b, _ := os.ReadFile(own); string(b) != "mine\n" {
		t.Fatal("the learner's own file changed")
	}
}

func TestExportRefusesToReplaceFilesItDidNotWrite(t *testing.T) {
	m := fixtureModel(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# my repo\n"), 0o644)
	_, err := Export(m, ExportOptions{Dir: dir, Markdown: true, Force: true})
	var ce *ConflictError
	if !errors.As(err, &ce) || !slices.Equal(ce.Paths, []string{"README.md"}) {
		t.Fatalf("want a conflict on README.md, got %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "README.md")); string(b) != "# my repo\n" {
		t.Fatal("README.md changed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatal("a refused export wrote files")
	}
	// A manifest kaizen did not write is not trusted.
	os.Remove(filepath.Join(dir, "README.md"))
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{"files":["../../etc/passwd"]}`), 0o644)
	if _, err := Export(m, ExportOptions{Dir: dir, Markdown: true, Force: true}); err == nil || !strings.Contains(err.Error(), "not a kaizen manifest") {
		t.Fatalf("foreign manifest: %v", err)
	}
}

func TestExportWritesNothingOutsideTheDirectory(t *testing.T) {
	m := fixtureModel(t)
	base := t.TempDir()
	dir := filepath.Join(base, "out")
	outside := filepath.Join(base, "elsewhere")
	os.MkdirAll(dir, 0o755)
	os.MkdirAll(outside, 0o755)
	// An earlier export whose exercises folder was swapped for a link to another place.
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{"generator":"kaizen","files":["exercises/ex01-makefile/Makefile","../elsewhere/victim"]}`), 0o644)
	os.WriteFile(filepath.Join(outside, "victim"), []byte("keep"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "exercises")); err != nil {
		t.Fatal(err)
	}
	_, err := Export(m, ExportOptions{Dir: dir, Markdown: true, Force: true})
	if err == nil {
		t.Fatal("writing through a link out of the directory must fail")
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 {
		t.Fatalf("files appeared outside: %v", entries)
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "victim")); string(b) != "keep" {
		t.Fatal("a file outside was changed")
	}
}

func TestExportNeedsAFormat(t *testing.T) {
	if _, err := Export(fixtureModel(t), ExportOptions{Dir: t.TempDir()}); err == nil {
		t.Fatal("no format should be an error")
	}
}

func TestSummaryAndSkill(t *testing.T) {
	if got := SummaryOf("# Title\n\nFirst line\nsecond line.\n\nMore."); got != "First line second line." {
		t.Fatalf("SummaryOf = %q", got)
	}
	c := Chapter{Lessons: 2, LessonsDone: 1, Questions: 4, QuestionsSeen: 2, Answered: 2, Correct: 2, Exercises: 1, ExercisesPassed: 1}
	// (0.5 + 1·0.5 + 1) / 3
	if s, ok := c.Skill(); !ok || s < 0.666 || s > 0.667 {
		t.Fatalf("skill = %v", s)
	}
	if _, ok := (Chapter{}).Skill(); ok {
		t.Fatal("empty chapter has no skill")
	}
	for in, want := range map[int64]string{0: "0m", 30: "<1m", 125: "2m", 3600: "1h 00m", 7500: "2h 05m"} {
		if got := Duration(in); got != want {
			t.Errorf("Duration(%d) = %q, want %q", in, got, want)
		}
	}
}
