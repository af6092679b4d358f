// Package lessons parses the reading side of a course: chapter descriptions, Markdown
// lessons with YAML front matter, critical-thinking discussion prompts and the glossary.
// It is plain Go (no terminal or database code) and reports every problem it finds with
// file and line, so a course linter can list them all in one run.
package lessons

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/kaizen-mlops/kaizen/internal/diag"
	"github.com/kaizen-mlops/kaizen/internal/yamlx"
)

// Reference is a source a chapter cites for its non-obvious facts.
type Reference struct {
	Title string
	URL   string
	Note  string
}

// Chapter is one chapter (or appendix) of a course.
type Chapter struct {
	ID         string
	Number     string // "1", "12", or a letter for appendices
	Title      string
	Summary    string
	Minutes    int
	Objectives []string
	References []Reference
	Appendix   bool
	Dir        string // directory name under chapters/
	File       string // path of chapter.yaml relative to the course root
	Lessons    []*Lesson
	Prompts    []*Prompt
}

// Label is how the chapter is named in lists: "Chapter 3" or "Appendix B".
func (c *Chapter) Label() string {
	if c.Appendix {
		return "Appendix " + c.Number
	}
	return "Chapter " + c.Number
}

// Heading is a Markdown heading of a lesson.
type Heading struct {
	Level int
	Text  string
	Slug  string
	Line  int // line in the lesson file
}

// Link is a link found in a lesson body.
type Link struct {
	Target string
	Line   int
}

// Lesson is one Markdown lesson.
type Lesson struct {
	ID         string
	Title      string
	Minutes    int
	Objectives []string
	File       string // relative to the course root
	Body       string // Markdown without front matter
	BodyLine   int    // line of the file where Body starts
	Headings   []Heading
	Links      []Link
	Words      int
	ChapterID  string
}

// HasAnchor reports whether the lesson has a heading with this slug.
func (l *Lesson) HasAnchor(slug string) bool {
	for _, h := range l.Headings {
		if h.Slug == slug {
			return true
		}
	}
	return false
}

// Trait is one of the eight intellectual traits a discussion prompt exercises.
type Trait string

// The eight traits of critical thinking, with their course-file keys.
const (
	Humility           Trait = "humility"
	Courage            Trait = "courage"
	Empathy            Trait = "empathy"
	Autonomy           Trait = "autonomy"
	Integrity          Trait = "integrity"
	Perseverance       Trait = "perseverance"
	ConfidenceInReason Trait = "confidence-in-reason"
	Fairmindedness     Trait = "fairmindedness"
)

// TraitInfo describes a trait for the self-assessment screen.
type TraitInfo struct {
	Trait Trait
	Name  string
	// Rubric is the one-line question a learner rates their answer against (1–4).
	Rubric string
}

// Traits lists the eight traits in a fixed order with their rubrics.
func Traits() []TraitInfo {
	return []TraitInfo{
		{Humility, "Intellectual humility", "Did I say what I don't know and where my view could be wrong?"},
		{Courage, "Intellectual courage", "Did I take seriously a view I dislike, and say an unpopular thing where the evidence led?"},
		{Empathy, "Intellectual empathy", "Did I reason from inside the other people's situation, not just my own?"},
		{Autonomy, "Intellectual autonomy", "Did I reach my own conclusion from evidence rather than repeat an authority?"},
		{Integrity, "Intellectual integrity", "Did I hold my own view to the same standard I hold others' to?"},
		{Perseverance, "Intellectual perseverance", "Did I work through the hard part instead of stopping at the first answer?"},
		{ConfidenceInReason, "Confidence in reason", "Did I argue from evidence and reasons that others could check?"},
		{Fairmindedness, "Fair-mindedness", "Did I give every viewpoint a fair hearing before judging it?"},
	}
}

// RatingScale names the four self-assessment levels.
func RatingScale() []string {
	return []string{"1 not yet", "2 beginning", "3 solid", "4 strong"}
}

// ValidTrait reports whether t is one of the eight traits.
func ValidTrait(t Trait) bool {
	for _, ti := range Traits() {
		if ti.Trait == t {
			return true
		}
	}
	return false
}

// Prompt is a critical-thinking discussion prompt.
type Prompt struct {
	ID        string
	Traits    []Trait
	Prompt    string
	Guidance  string
	File      string
	Line      int
	ChapterID string
}

// GlossaryTerm is one key term.
type GlossaryTerm struct {
	Term       string
	Definition string
	ChapterID  string
	Line       int
}

// ParseChapter decodes chapter.yaml.
func ParseChapter(file string, data []byte, probs *diag.List) *Chapter {
	root := yamlx.Parse(file, data, probs)
	if root == nil {
		return nil
	}
	f := yamlx.Fields(file, root, []string{"id", "number", "title", "summary", "minutes", "objectives", "references", "appendix"}, probs)
	c := &Chapter{File: file}
	c.ID = yamlx.String(file, f, "id", true, root, probs)
	if c.ID != "" && !yamlx.ValidID(c.ID) {
		probs.Add(file, f["id"].Line, "id %q must be lower-case letters, digits and dashes", c.ID)
	}
	c.Number = yamlx.String(file, f, "number", true, root, probs)
	c.Title = yamlx.String(file, f, "title", true, root, probs)
	c.Summary = yamlx.String(file, f, "summary", true, root, probs)
	c.Minutes = yamlx.Int(file, f, "minutes", false, root, probs)
	c.Objectives = yamlx.Strings(file, f, "objectives", probs)
	if v, ok := f["appendix"]; ok {
		if err := v.Decode(&c.Appendix); err != nil {
			probs.Add(file, v.Line, "\"appendix\" must be true or false")
		}
	}
	for _, r := range yamlx.Seq(file, f, "references", probs) {
		rf := yamlx.Fields(file, r, []string{"title", "url", "note"}, probs)
		ref := Reference{
			Title: yamlx.String(file, rf, "title", true, r, probs),
			URL:   yamlx.String(file, rf, "url", true, r, probs),
			Note:  yamlx.String(file, rf, "note", false, r, probs),
		}
		if ref.URL != "" && !strings.HasPrefix(ref.URL, "https://") && !strings.HasPrefix(ref.URL, "http://") {
			probs.Add(file, r.Line, "reference url %q must start with https://", ref.URL)
		}
		c.References = append(c.References, ref)
	}
	return c
}

var frontMatterSep = []byte("---")

// ParseLesson decodes a Markdown lesson with YAML front matter.
func ParseLesson(file string, data []byte, probs *diag.List) *Lesson {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(data, []byte("---\n")) {
		probs.Add(file, 1, "lesson must start with YAML front matter between --- lines")
		return nil
	}
	rest := data[4:]
	end := -1
	for off := 0; off < len(rest); {
		nl := bytes.IndexByte(rest[off:], '\n')
		line := rest[off:]
		if nl >= 0 {
			line = rest[off : off+nl]
		}
		if bytes.Equal(bytes.TrimRight(line, " \t"), frontMatterSep) {
			end = off
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		probs.Add(file, 1, "front matter is not closed by a --- line")
		return nil
	}
	front := rest[:end]
	body := rest[end:]
	if nl := bytes.IndexByte(body, '\n'); nl >= 0 {
		body = body[nl+1:]
	} else {
		body = nil
	}
	bodyLine := 2 + bytes.Count(front, []byte("\n")) + 1
	l := &Lesson{File: file, Body: string(body), BodyLine: bodyLine}
	// Most front matter is a few plain "key: value" lines, read here without a YAML parser
	// (lessons are parsed before the app's first frame). Anything else, or anything wrong,
	// goes through the YAML path, which reports problems with their lines.
	if fm, ok := parseSimpleFrontMatter(front); ok {
		l.ID, l.Title, l.Minutes, l.Objectives = fm.id, fm.title, fm.minutes, fm.objectives
	} else {
		// Parse the front matter with line numbers shifted to the file's.
		var sub diag.List
		root := yamlx.Parse(file, front, &sub)
		for _, p := range sub {
			p.Line++
			*probs = append(*probs, p)
		}
		if root == nil {
			return nil
		}
		shiftLines(root, 1)
		f := yamlx.Fields(file, root, []string{"id", "title", "minutes", "objectives"}, probs)
		l.ID = yamlx.String(file, f, "id", true, root, probs)
		if l.ID != "" && !yamlx.ValidID(l.ID) {
			probs.Add(file, f["id"].Line, "id %q must be lower-case letters, digits and dashes", l.ID)
		}
		l.Title = yamlx.String(file, f, "title", true, root, probs)
		l.Minutes = yamlx.Int(file, f, "minutes", true, root, probs)
		l.Objectives = yamlx.Strings(file, f, "objectives", probs)
	}
	l.Headings, l.Links = scanMarkdown(l.Body, bodyLine)
	l.Words = countWords(l.Body)
	if strings.TrimSpace(l.Body) == "" {
		probs.Add(file, bodyLine, "lesson %q has no text", l.ID)
	}
	return l
}

// simpleFrontMatter is a lesson's front matter read by parseSimpleFrontMatter.
type simpleFrontMatter struct {
	id, title  string
	minutes    int
	objectives []string
}

// parseSimpleFrontMatter reads front matter made only of "id:", "title:", "minutes:" and an
// "objectives:" list of "- item" lines, with plain or simply quoted values. It reports false
// for anything else (other keys, YAML syntax beyond that, a missing or invalid field), so the
// caller falls back to the YAML parser, which gives the exact problem and line.
func parseSimpleFrontMatter(front []byte) (simpleFrontMatter, bool) {
	var fm simpleFrontMatter
	seen := map[string]bool{}
	inList := false
	for _, raw := range strings.Split(string(front), "\n") {
		line := strings.TrimRight(raw, " \t\r")
		if line == "" {
			continue
		}
		if inList && strings.HasPrefix(line, "  - ") {
			v, ok := plainScalar(line[4:])
			if !ok {
				return fm, false
			}
			fm.objectives = append(fm.objectives, v)
			continue
		}
		inList = false
		key, rest, ok := strings.Cut(line, ":")
		if !ok || seen[key] || strings.ContainsAny(key, " \t#") {
			return fm, false
		}
		seen[key] = true
		rest = strings.TrimSpace(rest)
		switch key {
		case "objectives":
			if rest != "" {
				return fm, false
			}
			inList = true
			continue
		case "id", "title", "minutes":
		default:
			return fm, false
		}
		v, ok := plainScalar(rest)
		if !ok || v == "" {
			return fm, false
		}
		switch key {
		case "id":
			fm.id = v
		case "title":
			fm.title = v
		case "minutes":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fm, false
			}
			fm.minutes = n
		}
	}
	ok := seen["id"] && seen["title"] && seen["minutes"] && yamlx.ValidID(fm.id)
	return fm, ok
}

// plainScalar reads a YAML scalar written plainly or in simple quotes; false for anything that
// needs the YAML parser (escapes, comments, flow collections, block scalars, anchors, tags).
func plainScalar(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	switch s[0] {
	case '"':
		if len(s) < 2 || s[len(s)-1] != '"' || strings.ContainsAny(s[1:len(s)-1], "\\\"") {
			return "", false
		}
		return s[1 : len(s)-1], true
	case '\'':
		if len(s) < 2 || s[len(s)-1] != '\'' || strings.Contains(s[1:len(s)-1], "'") {
			return "", false
		}
		return s[1 : len(s)-1], true
	case '[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '#', '-', '?', ',':
		return "", false
	}
	if strings.Contains(s, " #") || strings.Contains(s, ": ") {
		return "", false
	}
	return s, true
}

// countWords counts runs of non-space characters without building the list of words (it
// runs over every lesson at start-up).
func countWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		var space bool
		if c < utf8.RuneSelf {
			// ASCII, nearly every byte of a lesson: no rune decoding.
			space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if space {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// scanMarkdown finds headings and link targets outside fenced code blocks. It is written
// without regular expressions because it runs over every lesson at start-up.
func scanMarkdown(body string, firstLine int) ([]Heading, []Link) {
	var hs []Heading
	var links []Link
	fence := ""
	line := 0
	for rest := body; rest != ""; line++ {
		var l string
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			l, rest = rest, ""
		}
		trimmed := strings.TrimLeft(l, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fence = trimmed[:3]
			continue
		}
		if h, ok := parseHeading(l); ok {
			h.Line = firstLine + line
			hs = append(hs, h)
		}
		for i := strings.Index(l, "]("); i >= 0; {
			target := l[i+2:]
			end := strings.IndexAny(target, ") \t")
			if end > 0 {
				links = append(links, Link{Target: target[:end], Line: firstLine + line})
			}
			next := strings.Index(l[i+2:], "](")
			if next < 0 {
				break
			}
			i += 2 + next
		}
	}
	return hs, links
}

// parseHeading reads an ATX heading: 1–6 '#', a space, the text, optional closing '#'s.
func parseHeading(l string) (Heading, bool) {
	n := 0
	for n < len(l) && l[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(l) || (l[n] != ' ' && l[n] != '\t') {
		return Heading{}, false
	}
	text := strings.TrimSpace(l[n:])
	text = strings.TrimSpace(strings.TrimRight(text, "#"))
	if text == "" {
		return Heading{}, false
	}
	return Heading{Level: n, Text: text, Slug: Slug(text)}, true
}

// Slug turns a heading into its anchor: lower case, every run of characters other than
// letters and digits replaced by one dash, no leading or trailing dash.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// ParseDiscussion decodes discussion.yaml.
func ParseDiscussion(file string, data []byte, probs *diag.List) []*Prompt {
	root := yamlx.Parse(file, data, probs)
	if root == nil {
		return nil
	}
	f := yamlx.Fields(file, root, []string{"prompts"}, probs)
	var out []*Prompt
	for _, n := range yamlx.Seq(file, f, "prompts", probs) {
		pf := yamlx.Fields(file, n, []string{"id", "traits", "prompt", "guidance"}, probs)
		p := &Prompt{File: file, Line: n.Line}
		p.ID = yamlx.String(file, pf, "id", true, n, probs)
		if p.ID != "" && !yamlx.ValidID(p.ID) {
			probs.Add(file, pf["id"].Line, "id %q must be lower-case letters, digits and dashes", p.ID)
		}
		p.Prompt = yamlx.String(file, pf, "prompt", true, n, probs)
		p.Guidance = yamlx.String(file, pf, "guidance", true, n, probs)
		traits := yamlx.Strings(file, pf, "traits", probs)
		if len(traits) == 0 {
			probs.Add(file, n.Line, "prompt %q must list at least one trait", p.ID)
		}
		for _, t := range traits {
			if !ValidTrait(Trait(t)) {
				probs.Add(file, pf["traits"].Line, "unknown trait %q (one of humility, courage, empathy, autonomy, integrity, perseverance, confidence-in-reason, fairmindedness)", t)
				continue
			}
			p.Traits = append(p.Traits, Trait(t))
		}
		out = append(out, p)
	}
	return out
}

// ParseGlossary decodes glossary.yaml.
func ParseGlossary(file string, data []byte, probs *diag.List) []GlossaryTerm {
	root := yamlx.Parse(file, data, probs)
	if root == nil {
		return nil
	}
	f := yamlx.Fields(file, root, []string{"terms"}, probs)
	var out []GlossaryTerm
	seen := map[string]int{}
	for _, n := range yamlx.Seq(file, f, "terms", probs) {
		tf := yamlx.Fields(file, n, []string{"term", "definition", "chapter"}, probs)
		t := GlossaryTerm{Line: n.Line}
		t.Term = yamlx.String(file, tf, "term", true, n, probs)
		t.Definition = yamlx.String(file, tf, "definition", true, n, probs)
		t.ChapterID = yamlx.String(file, tf, "chapter", false, n, probs)
		key := strings.ToLower(t.Term)
		if prev, dup := seen[key]; dup && key != "" {
			probs.Add(file, n.Line, "term %q already defined at line %d", t.Term, prev)
		}
		seen[key] = n.Line
		out = append(out, t)
	}
	return out
}
