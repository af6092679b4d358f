package quiz

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kaizen-mlops/kaizen/internal/diag"
)

func parseFile(t *testing.T, path string) (*Quiz, diag.List, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	qz, probs := Parse(filepath.ToSlash(path), data)
	if qz == nil {
		t.Fatal("Parse returned a nil quiz")
	}
	return qz, probs, data
}

func TestParseValid(t *testing.T) {
	qz, probs, _ := parseFile(t, "testdata/valid.yaml")
	if len(probs) > 0 {
		t.Fatalf("problems in a valid file:\n%s", joinProblems(probs))
	}
	if qz.File != "testdata/valid.yaml" {
		t.Errorf("File = %q", qz.File)
	}
	var ids []string
	for _, q := range qz.Questions {
		ids = append(ids, q.ID)
	}
	wantIDs := []string{"ch01-q-hierarchy-base", "ch01-q-rule-of-25", "ch01-q-notebooks", "ch01-q-latency", "ch01-q-workflows", "ch01-q-hierarchy-order"}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("ids = %v, want %v", ids, wantIDs)
	}

	q := qz.Questions[0]
	if q.Type != Single || q.Line != 3 || q.LessonLine != 14 || q.LessonID != "ch01-hierarchy-of-needs" || q.Section != "devops-first" {
		t.Errorf("single: %+v", q)
	}
	if q.Prompt != "In the MLOps hierarchy of needs, which layer is the foundation?" {
		t.Errorf("prompt = %q", q.Prompt)
	}
	if len(q.Options) != 3 || q.Options[1] != (Option{ID: "b", Text: "DevOps", Line: 9}) || !slices.Equal(q.Answer, []string{"b"}) {
		t.Errorf("single options %+v answer %v", q.Options, q.Answer)
	}
	if q.Explanation != "Everything above needs working CI/CD first ..." || q.Lesson() != "ch01-hierarchy-of-needs#devops-first" {
		t.Errorf("explanation %q lesson %q", q.Explanation, q.Lesson())
	}
	if q := qz.Questions[1]; q.Type != Multi || !slices.Equal(q.Answer, []string{"devops", "data", "models", "business"}) {
		t.Errorf("multi: %+v", q)
	}
	if q := qz.Questions[2]; q.Type != TrueFalse || q.Truth || q.Lesson() != "ch01-what-is-mlops" {
		t.Errorf("truefalse: %+v", q)
	}
	if q := qz.Questions[3]; q.Type != Numeric || q.Number != 250 || q.Tolerance != 0.5 || q.Unit != "ms" {
		t.Errorf("numeric: %+v", q)
	}
	if q := qz.Questions[4]; q.Type != Text || !slices.Equal(q.Accepted, []string{".github/workflows", ".github/workflows/"}) || q.Pattern != `^\.github/workflows/?$` || q.pattern() == nil {
		t.Errorf("text: %+v", q)
	}
	if q := qz.Questions[5]; q.Type != Order || !slices.Equal(q.Answer, []string{"devops", "dataops", "platform", "mlops"}) {
		t.Errorf("order: %+v", q)
	}
	if q, ok := qz.Question("ch01-q-latency"); !ok || q.Unit != "ms" {
		t.Error("Question(id) did not find ch01-q-latency")
	}
	if _, ok := qz.Question("nope"); ok {
		t.Error("Question found an unknown id")
	}
}

// want is one expected problem: a line and a substring of its message.
type want struct {
	line int
	text string
}

var (
	wantComment = regexp.MustCompile(`#\s*want(-file)?((?:\s+"(?:[^"\\]|\\.)*")+)\s*$`)
	wantString  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
)

// fixtureWants reads the expectations written in a fixture as comments:
// `# want "message part" ...` on the line the problem must be reported at, or
// `# want-file "message part"` for a problem about the whole file (line 0).
func fixtureWants(t *testing.T, data []byte) []want {
	t.Helper()
	var wants []want
	for i, line := range strings.Split(string(data), "\n") {
		m := wantComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n := i + 1
		if m[1] != "" {
			n = 0
		}
		for _, q := range wantString.FindAllString(m[2], -1) {
			s, err := strconv.Unquote(q)
			if err != nil {
				t.Fatalf("line %d: bad want %s: %v", i+1, q, err)
			}
			wants = append(wants, want{n, s})
		}
	}
	return wants
}

// matchProblems checks that every problem is expected and every expectation met.
func matchProblems(t *testing.T, file string, probs diag.List, wants []want) {
	t.Helper()
	used := make([]bool, len(wants))
	for _, p := range probs {
		if p.File != file {
			t.Errorf("problem %q names file %q, want %q", p, p.File, file)
		}
		found := false
		for i, w := range wants {
			if !used[i] && w.line == p.Line && strings.Contains(p.Message, w.text) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("unexpected problem: %s", p)
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("missing problem at %s:%d: %q", file, w.line, w.text)
		}
	}
}

// TestParseInvalid parses one fixture per kind of mistake and checks every problem's line
// and message against the fixture's `# want` comments.
func TestParseInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".yaml"), func(t *testing.T) {
			_, probs, data := parseFile(t, path)
			wants := fixtureWants(t, data)
			if len(wants) == 0 {
				t.Fatal("fixture has no # want comments")
			}
			matchProblems(t, filepath.ToSlash(path), probs, wants)
			if !slices.IsSortedFunc(probs, func(a, b diag.Problem) int { return a.Line - b.Line }) {
				t.Errorf("problems are not sorted by line:\n%s", joinProblems(probs))
			}
		})
	}
}

func TestCheckLessons(t *testing.T) {
	path := "testdata/lessons.yaml"
	qz, probs, data := parseFile(t, path)
	if len(probs) > 0 {
		t.Fatalf("parse problems:\n%s", joinProblems(probs))
	}
	resolve := func(id, section string) error {
		switch id {
		case "ch01-what-is-mlops":
			if section == "" || section == "the-rule-of-25" {
				return nil
			}
			return fmt.Errorf("resolving: %w", ErrUnknownSection)
		case "ch01-draft":
			return fmt.Errorf("lesson %q is a draft", id)
		}
		return ErrUnknownLesson
	}
	got := qz.CheckLessons(resolve)
	matchProblems(t, path, got, fixtureWants(t, data))
	for _, p := range got {
		if !strings.HasPrefix(p.String(), fmt.Sprintf("%s:%d: ", path, p.Line)) {
			t.Errorf("String() = %q, want file:line: message", p)
		}
	}
}

// TestParseKeepsGoodQuestions: a bad question is reported and left out; the others load.
func TestParseKeepsGoodQuestions(t *testing.T) {
	data := []byte(`questions:
  - id: ch01-q-good
    type: truefalse
    prompt: Is it?
    answer: true
    explanation: Because.
    lesson: ch01-l
  - id: ch01-q-bad
    type: truefalse
    prompt: Is it?
    answer: maybe
    explanation: Because.
    lesson: ch01-l
`)
	qz, probs := Parse("quiz.yaml", data)
	if len(probs) != 1 || probs[0].Line != 11 {
		t.Fatalf("problems:\n%s", joinProblems(probs))
	}
	if len(qz.Questions) != 1 || qz.Questions[0].ID != "ch01-q-good" {
		t.Fatalf("questions = %+v", qz.Questions)
	}
}

// TestParseAliases: YAML anchors and aliases work (options shared between questions).
func TestParseAliases(t *testing.T) {
	data := []byte(`questions:
  - id: ch01-q-a
    type: single
    prompt: Which?
    options: &layers
      - {id: a, text: One}
      - {id: b, text: Two}
    answer: a
    explanation: &why Because.
    lesson: ch01-l
  - id: ch01-q-b
    type: multi
    prompt: Which?
    options: *layers
    answer: [a, b]
    explanation: *why
    lesson: ch01-l
`)
	qz, probs := Parse("quiz.yaml", data)
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", joinProblems(probs))
	}
	if q := qz.Questions[1]; len(q.Options) != 2 || q.Explanation != "Because." {
		t.Errorf("aliased question: %+v", q)
	}
}

// TestAuthoringExample: the quiz.yaml example in docs/AUTHORING.md parses cleanly.
func TestAuthoringExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/AUTHORING.md")
	if err != nil {
		t.Skipf("no authoring guide: %v", err)
	}
	_, section, ok := strings.Cut(string(doc), "## quiz.yaml")
	if !ok {
		t.Skip("the authoring guide has no quiz.yaml section")
	}
	_, block, ok := strings.Cut(section, "```yaml\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml example in the quiz.yaml section")
	}
	qz, probs := Parse("AUTHORING.md", []byte(block))
	if len(probs) > 0 || len(qz.Questions) == 0 {
		t.Fatalf("the guide's example does not parse cleanly:\n%s", joinProblems(probs))
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"The rule of 25%":            "the-rule-of-25",
		"DevOps first":               "devops-first",
		"  Key terms  ":              "key-terms",
		"CI/CD: what & why?":         "ci-cd-what-why",
		"Über-Modelle":               "über-modelle",
		"devops-first":               "devops-first",
		"Recap":                      "recap",
		"v2.0 -- the `make` targets": "v2-0-the-make-targets",
	}
	for in, want := range tests {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"ch01-q-layers": true, "a": true, "0": true, "ch01--x": true,
		"": false, "-a": false, "Ch01": false, "ch_01": false, "ch01 q": false, "é": false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v", id, got)
		}
	}
}

func TestLessonResolverErrors(t *testing.T) {
	if !errors.Is(fmt.Errorf("x: %w", ErrUnknownLesson), ErrUnknownLesson) {
		t.Error("wrapped ErrUnknownLesson not recognised")
	}
}

func joinProblems(l diag.List) string {
	var b strings.Builder
	for _, p := range l {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

// TestParseMarkdown: prompts and explanations keep their Markdown, including a first line
// indented as a code block, minus surrounding blank lines.
func TestParseMarkdown(t *testing.T) {
	data := []byte("questions:\n  - id: ch01-q-a\n    type: truefalse\n    prompt: |2\n\n          make test\n\n      Does this run the tests?\n\n    answer: true\n    explanation: >-\n      Yes: `make test`\n      runs them.\n    lesson: ch01-l\n")
	qz, probs := Parse("quiz.yaml", data)
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", joinProblems(probs))
	}
	q := qz.Questions[0]
	if want := "    make test\n\nDoes this run the tests?"; q.Prompt != want {
		t.Errorf("prompt = %q, want %q", q.Prompt, want)
	}
	if want := "Yes: `make test` runs them."; q.Explanation != want {
		t.Errorf("explanation = %q, want %q", q.Explanation, want)
	}
}
