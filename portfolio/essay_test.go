package portfolio

import (
	"strings"
	"testing"
)

func TestEssayHTMLRendersMarkdownSafely(t *testing.T) {
	md := strings.Join([]string{
		"# My answer",
		"",
		"We counted **experiments**, not *outcomes*:",
		"",
		"- models built",
		"- models `in production`",
		"",
		"| metric | value |",
		"|---|---|",
		"| shipped | 0 |",
		"",
		"<script>alert('x')</script>",
		"",
		"[a bad link](javascript:alert(1)) and [a good one](https://example.com/notes)",
		"",
		"![the dashboard](https://tracker.example.com/pixel.png) ![](https://example.com/a.png)",
	}, "\n")
	out := string(essayHTML(md))
	for _, want := range []string{
		"<h4>My answer</h4>", "<strong>experiments</strong>", "<em>outcomes</em>", "<li>models built</li>",
		"<code>in production</code>", "<table>", "<td>shipped</td>",
		`<a href="https://example.com/notes">a good one</a>`,
		`<a href="https://tracker.example.com/pixel.png">the dashboard</a>`, `<a href="https://example.com/a.png">image</a>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"<script", "javascript:", "<img", "<h1"} {
		if strings.Contains(out, bad) {
			t.Errorf("has %q:\n%s", bad, out)
		}
	}
}
