package lessons

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kaizen-mlops/kaizen/internal/diag"
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
