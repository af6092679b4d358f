package portfolio

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) || (a.Namespace != "" && strings.EqualFold(a.Namespace+":"+a.Key, key)) {
			return a.Val, true
		}
	}
	return "", false
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

var externalRef = regexp.MustCompile(`(?i)^\s*([a-z][a-z0-9+.-]*:|//)`)

// svgElements are the elements the charts may use.
var svgElements = map[string]bool{"svg": true, "title": true, "rect": true, "text": true, "line": true, "g": true}

func TestHTMLIsStandaloneAndComplete(t *testing.T) {
	m := fixtureModel(t)
	out := filepath.Join(t.TempDir(), "p")
	exportBoth(t, m, out, false)
	page, err := os.ReadFile(filepath.Join(out, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*html.Node{}
	var svgs []*html.Node
	var anchors []string
	sawViewport, sawPrint := false, false
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if id, ok := attr(n, "id"); ok {
			ids[id] = n
		}
		switch n.Data {
		case "script", "iframe", "object", "embed", "base", "form":
			t.Errorf("the page must not contain <%s>", n.Data)
		case "link", "img", "image", "source", "video", "audio", "use", "style", "input", "track":
			for _, k := range []string{"src", "href", "xlink:href", "srcset", "poster", "data"} {
				if v, ok := attr(n, k); ok && externalRef.MatchString(v) {
					t.Errorf("<%s %s=%q> loads from the network", n.Data, k, v)
				}
			}
		case "a":
			if v, ok := attr(n, "href"); ok {
				anchors = append(anchors, v)
			}
		case "meta":
			if v, _ := attr(n, "name"); v == "viewport" {
				sawViewport = true
			}
		case "svg":
			svgs = append(svgs, n)
		}
		if n.Data == "style" && strings.Contains(textOf(n), "@media print") {
			sawPrint = true
		}
		if n.Data == "style" && regexp.MustCompile(`(?i)url\(|@import`).MatchString(textOf(n)) {
			t.Error("the stylesheet must not load anything")
		}
		if v, ok := attr(n, "style"); ok && strings.Contains(strings.ToLower(v), "url(") {
			t.Errorf("inline style loads something: %q", v)
		}
	})
	if !sawViewport || !sawPrint {
		t.Errorf("viewport meta %v, print CSS %v", sawViewport, sawPrint)
	}
	// Every passed exercise is present, and nothing else.
	for _, e := range m.Exercises {
		n, ok := ids["ex-"+e.ID]
		if e.Passed != ok {
			t.Errorf("exercise %s: passed %v, on the page %v", e.ID, e.Passed, ok)
		}
		if ok && !strings.Contains(textOf(n), e.Title) {
			t.Errorf("exercise %s lacks its title", e.ID)
		}
	}
	text := textOf(doc)
	for _, want := range []string{"Ada Lovelace", "Fanvoy: growth at any cost", "We counted experiments", "Monitoring | drift", "The Makefile has install, lint, test and all targets"} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// External links are only the ones the learner attached; the rest are relative.
	for _, a := range anchors {
		if externalRef.MatchString(a) && a != "https://github.com/ada/mlops-makefile" && a != "https://www.youtube.com/watch?v=abc123&t=4s" && a != "https://github.com/ada/fanvoy-notes" {
			t.Errorf("unexpected link %q", a)
		}
	}
	if !contains(anchors, "exercises/ex01-makefile/tools/lint.py") {
		t.Errorf("solution file links: %v", anchors)
	}
	if len(svgs) != 3 {
		t.Fatalf("want 3 charts (activity, accuracy, skills), got %d", len(svgs))
	}
	for _, s := range svgs {
		checkSVG(t, s)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkSVG checks a chart: a viewBox of four numbers, known elements only, numeric
// non-negative sizes, and a title for screen readers.
func checkSVG(t *testing.T, s *html.Node) {
	t.Helper()
	vb, _ := attr(s, "viewbox")
	if f := strings.Fields(vb); len(f) != 4 {
		t.Errorf("svg viewBox = %q", vb)
	}
	hasTitle := false
	walk(s, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.Namespace != "svg" {
			t.Errorf("<%s> inside an svg is not in the SVG namespace", n.Data)
		}
		if !svgElements[n.Data] {
			t.Errorf("unexpected svg element <%s>", n.Data)
		}
		if n.Data == "title" && n.Parent == s {
			hasTitle = true
		}
		for _, k := range []string{"x", "y", "width", "height", "x1", "x2", "y1", "y2", "rx"} {
			v, ok := attr(n, k)
			if !ok {
				continue
			}
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || ((k == "width" || k == "height") && f < 0) {
				t.Errorf("<%s %s=%q> is not a valid length", n.Data, k, v)
			}
		}
		if n.Data == "rect" {
			if _, ok := attr(n, "width"); !ok {
				t.Error("rect without width")
			}
		}
	})
	if !hasTitle {
		t.Error("svg without a title")
	}
}

func TestStandaloneSVGFilesAreXML(t *testing.T) {
	m := fixtureModel(t)
	for name, svg := range map[string]string{
		"activity": ActivityChart(m.Heatmap(m.HeatmapWeeks())),
		"skills":   SkillsChart(m.Chapters),
		"accuracy": AccuracyChart(m.Weekly(12)),
	} {
		if !strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg"`) {
			t.Errorf("%s: no namespace", name)
		}
		if err := xmlWellFormed(svg); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
