package lessons

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kaizen-mlops/kaizen/internal/diag"
	"github.com/kaizen-mlops/kaizen/internal/yamlx"
)

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"The rule of 25%":          "the-rule-of-25",
		"  DevOps first  ":         "devops-first",
		"What is `make`?":          "what-is-make",
		"Ünïcode — headings":       "ünïcode-headings",
		"A/B testing & canaries!!": "a-b-testing-canaries",
		"---":                      "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScanMarkdownSkipsCodeAndFindsLinks(t *testing.T) {
	body := strings.Join([]string{
		"# Title",
		"Text with [a link](lesson:x#y) and [another](https://example.com \"t\").",
		"```bash",
		"# not a heading",
		"echo [no](link)",
		"```",
		"## Second ##",
		"#NotAHeading",
		"####### seven is too many",
	}, "\n")
	hs, links := scanMarkdown(body, 10)
	var got []string
	for _, h := range hs {
		got = append(got, h.Slug)
	}
	if !reflect.DeepEqual(got, []string{"title", "second"}) || hs[1].Line != 16 || hs[1].Level != 2 {
		t.Fatalf("headings = %+v", hs)
	}
	if len(links) != 2 || links[0].Target != "lesson:x#y" || links[1].Target != "https://example.com" || links[0].Line != 11 {
		t.Fatalf("links = %+v", links)
	}
}

func TestParseLessonReportsLinesInTheFile(t *testing.T) {
	var probs diag.List
	l := ParseLesson("l.md", []byte("---\nid: a\ntitle: A\nminutes: 3\n---\n\n## Part\nbody\n"), &probs)
	if len(probs) != 0 || l.BodyLine != 6 || l.Headings[0].Line != 7 || l.Words != 3 {
		t.Fatalf("lesson = %+v, problems %v", l, probs)
	}
}

func TestCountWordsMatchesFields(t *testing.T) {
	for _, s := range []string{"", "one", "  two  words ", "tabs\tand\nnew lines", "ünïcode wörds — dash", "```code```\n\n- item", "no\u00a0break\u2003em space", "vt\vff\fcr\r", "bad \xff utf8", "\u0085next line"} {
		if got, want := countWords(s), len(strings.Fields(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
	}
}

// The fast front-matter reader must agree with the YAML path on every lesson form it takes,
// and hand everything else to it.
func TestSimpleFrontMatterAgreesWithYAML(t *testing.T) {
	cases := []struct {
		front  string
		simple bool
	}{
		{"id: a\ntitle: What is MLOps?\nminutes: 12\nobjectives:\n  - Tell MLOps apart from DevOps\n  - Name \"things\"\n", true},
		{"id: a\ntitle: What is MLOps?\nminutes: 12\nobjectives:\n  - Tell MLOps apart\n  - Judge effort by impact\n", true},
		{"id: a\ntitle: \"Quoted: title\"\nminutes: 3\n", true},
		{"id: a\ntitle: 'single'\nminutes: 3\n", true},
		{"id: a\ntitle: x # comment\nminutes: 3\n", false},
		{"id: a\ntitle: >-\n  folded\nminutes: 3\n", false},
		{"id: a\ntitle: t\nminutes: three\n", false},
		{"id: A B\ntitle: t\nminutes: 3\n", false},
		{"id: a\ntitle: t\nminutes: 3\ntitel: typo\n", false},
		{"id: a\ntitle: t\n", false},
		{"id: a\ntitle: [x, y]\nminutes: 3\n", false},
	}
	for _, tc := range cases {
		fm, ok := parseSimpleFrontMatter([]byte(tc.front))
		if ok != tc.simple {
			t.Errorf("%q: simple = %v, want %v", tc.front, ok, tc.simple)
			continue
		}
		if !ok {
			continue
		}
		var probs diag.List
		l := ParseLesson("x.md", []byte("---\n"+tc.front+"---\nbody\n"), &probs)
		// ParseLesson took the fast path; compare with what YAML alone gives.
		var yprobs diag.List
		root := yamlx.Parse("x.md", []byte(tc.front), &yprobs)
		f := yamlx.Fields("x.md", root, []string{"id", "title", "minutes", "objectives"}, &yprobs)
		if l.ID != yamlx.String("x.md", f, "id", true, root, &yprobs) ||
			l.Title != yamlx.String("x.md", f, "title", true, root, &yprobs) ||
			l.Minutes != yamlx.Int("x.md", f, "minutes", true, root, &yprobs) ||
			strings.Join(l.Objectives, "|") != strings.Join(yamlx.Strings("x.md", f, "objectives", &yprobs), "|") {
			t.Errorf("%q: fast path %+v differs from YAML", tc.front, fm)
		}
		if len(probs)+len(yprobs) != 0 {
			t.Errorf("%q: problems %v %v", tc.front, probs, yprobs)
		}
	}
}
