package bluemonday

import (
	"html"
	"testing"
)

func TestStrictPolicy(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"", ""},
		{"<b>bold</b> and <i>italic</i>", "bold and italic"},
		{`<a href="https://example.com" title="a > b">link</a>`, "link"},
		{"<p>one</p><p>two</p>", "onetwo"},
		{"line<br>break<br/>here", "linebreakhere"},
		{"<!-- a comment -->text", "text"},
		{"<!DOCTYPE html><html><body>hi</body></html>", "hi"},
		{"<script>alert('x')</script>after", "after"},
		{"<style>p { color: red }</style>shown", "shown"},
		{"<title>gone</title>kept", "kept"},
		{"<object><object>inner</object>still</object>out", "out"},
		{"<iframe src=x>frame text</iframe>visible", "visible"},
		{"a < b and c > d", "a &lt; b and c &gt; d"},
		{"fish &amp; chips", "fish &amp; chips"},
		{"&lt;tag&gt;", "&lt;tag&gt;"},
		{"Tom's \"quote\"", "Tom&#39;s &#34;quote&#34;"},
		{"<details><summary>More</summary>Hidden text</details>", "MoreHidden text"},
		{"<unclosed", ""},
		{"text <b>unclosed bold", "text unclosed bold"},
	}
	for _, tc := range cases {
		if got := StrictPolicy().Sanitize(tc.in); got != tc.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// What glamour shows is the unescaped result.
func TestRoundTripThroughUnescape(t *testing.T) {
	in := `<kbd>Ctrl</kbd>+<kbd>C</kbd> stops "it" & <em>that's</em> all`
	if got := html.UnescapeString(StrictPolicy().Sanitize(in)); got != `Ctrl+C stops "it" & that's all` {
		t.Fatalf("got %q", got)
	}
}
