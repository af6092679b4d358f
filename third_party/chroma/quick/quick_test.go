package quick

import (
	"bytes"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
)

func TestHighlightKeepsTextAndColoursTokens(t *testing.T) {
	styles.Register(chroma.MustNewStyle("t", chroma.StyleEntries{chroma.Keyword: "#ff0000 bold", chroma.Comment: "#00ff00", chroma.LiteralString: "#0000ff"}))
	cases := []struct{ lang, src, coloured string }{
		{"bash", "if [ -f x ]; then echo \"hi\"; fi # done\n", "\x1b[1;38;2;255;0;0mif"},
		{"python", "def f(x):\n    return 'a'  # c\n", "\x1b[38;2;0;0;255m'a'"},
		{"yaml", "on:\n  push: {}\n", ""},
		{"make", "test:\n\tpython3 -m unittest\n", ""},
		{"text", "plain words\n", ""},
		{"", "no language\n", ""},
	}
	for _, tc := range cases {
		var buf bytes.Buffer
		if err := Highlight(&buf, tc.src, tc.lang, "terminal256", "t"); err != nil {
			t.Fatal(err)
		}
		if got := stripANSI(buf.String()); got != tc.src {
			t.Errorf("%s: text changed:\n%q\n%q", tc.lang, got, tc.src)
		}
		if tc.coloured != "" && !strings.Contains(buf.String(), tc.coloured) {
			t.Errorf("%s: want %q in %q", tc.lang, tc.coloured, buf.String())
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
