package casestudies

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var courseChapters = []string{"ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07", "ch08", "ch09", "ch10", "ch11", "ch12"}

// wantMarks reads "# ERROR text" markers: each says that lint must report a problem on that
// line whose message contains text.
func wantMarks(t *testing.T, data []byte) map[int][]string {
	t.Helper()
	want := map[int][]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		if _, text, ok := strings.Cut(sc.Text(), "# ERROR "); ok {
			want[n] = append(want[n], strings.TrimSpace(text))
		}
	}
	return want
}

// TestLintBrokenFixtures checks one broken fixture per kind of problem: every marked problem
// is reported at its file:line, and nothing else is.
func TestLintBrokenFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := wantMarks(t, data)
			if len(want) == 0 {
				t.Fatal("fixture has no # ERROR marker")
			}
			got := Lint(file, data, Options{Chapters: courseChapters})
			matched := make([]bool, len(got))
			for line, texts := range want {
				for _, text := range texts {
					found := false
					for i, p := range got {
						if p.File == file && p.Line == line && strings.Contains(p.Message, text) {
							matched[i], found = true, true
						}
					}
					if !found {
						t.Errorf("missing %s:%d: ...%s...", file, line, text)
					}
				}
			}
			for i, p := range got {
				if !matched[i] {
					t.Errorf("unexpected problem: %s", p)
				}
			}
		})
	}
}

func TestValidateCleanCases(t *testing.T) {
	for _, file := range []string{fanvoyFile, "testdata/mini.yaml"} {
		c := mustLoad(t, file)
		if l := ValidateWith(c, Options{Chapters: courseChapters}); len(l) > 0 {
			t.Errorf("%s: unexpected problems:\n%v", file, l)
		}
	}
}

// The proposed graph of the research pack has one branch that no path can take: at D10-B
// the "+4 months if users >= 150" bonus needs more users than any path has by then (at most
// 130). Validate finds it; the Fanvoy case lowers the bar to 100 users.
func TestValidateProposedGraphFindsDeadBonus(t *testing.T) {
	c := mustLoad(t, huddleFile)
	l := Validate(c)
	if len(l) != 1 || !strings.Contains(l[0].Message, `conditional if "users >= 150 and trust >= 60" never holds`) {
		t.Fatalf("want exactly the dead D10-B bonus, got:\n%v", l)
	}
	if want := 317; l[0].Line != want {
		t.Errorf("line %d, want %d", l[0].Line, want)
	}
}

func TestValidateWithoutChapterListChecksFormOnly(t *testing.T) {
	data, err := os.ReadFile("testdata/invalid/unknown-chapter.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if l := Lint("x.yaml", data, Options{}); len(l) != 0 {
		t.Fatalf("without a chapter list ch13 is a well-formed id, got %v", l)
	}
}

func TestStateLimit(t *testing.T) {
	c := mustLoad(t, huddleFile)
	l := ValidateWith(c, Options{MaxStates: 1000})
	if len(l) == 0 || !strings.Contains(l[0].Message, "exploration stopped after 1000 states") || l[0].Line != c.Line {
		t.Fatalf("want a truncation problem at the id line, got %v", l)
	}
}

func TestLintAll(t *testing.T) {
	fsys := fstest.MapFS{}
	good, _ := os.ReadFile(miniFile)
	fsys["course/casestudies/one/case.yaml"] = &fstest.MapFile{Data: good}
	fsys["course/casestudies/two/case.yaml"] = &fstest.MapFile{Data: good} // same ids
	fsys["course/casestudies/bad/case.yaml"] = &fstest.MapFile{Data: []byte("id: [\n")}
	cases, l := LintAll(fsys, "course", Options{Chapters: courseChapters})
	if len(cases) != 2 {
		t.Fatalf("%d cases", len(cases))
	}
	var msgs []string
	for _, p := range l {
		msgs = append(msgs, p.String())
	}
	want := []string{
		"course/casestudies/bad/case.yaml:2: invalid YAML: did not find expected node content",
		`course/casestudies/two/case.yaml:2: case id "mini" already used at course/casestudies/one/case.yaml:2`,
	}
	if len(msgs) != 8 || msgs[0] != want[0] || msgs[1] != want[1] {
		t.Errorf("got:\n%s", strings.Join(msgs, "\n"))
	}
}
