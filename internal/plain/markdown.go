package plain

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/kaizen-mlops/kaizen/lessons"
)

// Text is Markdown turned into plain lines for reading aloud: headings announced with
// their level, code blocks and quotes announced at both ends, lists and tables read as
// sentences, paragraphs wrapped at a width. It never contains escape sequences.
type Text struct {
	Lines []string
	// Headings maps a heading's slug to the line it is announced on.
	Headings map[string]int
}

// LinkTitle names the target of a link for the listener: lesson links become the lesson's
// title. It returns "" to say nothing more than the link text.
type LinkTitle func(target string) string

// RenderMarkdown turns Markdown into plain lines wrapped at width.
func RenderMarkdown(md string, width int, links LinkTitle) Text {
	if width < 20 {
		width = 20
	}
	src := []byte(md)
	p := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)).Parser()
	doc := p.Parse(text.NewReader(src))
	r := &mdRenderer{src: src, width: width, links: links, out: Text{Headings: map[string]int{}}}
	r.blocks(doc, "", 0)
	for len(r.out.Lines) > 0 && r.out.Lines[len(r.out.Lines)-1] == "" {
		r.out.Lines = r.out.Lines[:len(r.out.Lines)-1]
	}
	return r.out
}

type mdRenderer struct {
	src   []byte
	width int
	links LinkTitle
	out   Text
}

func (r *mdRenderer) emit(lines ...string) { r.out.Lines = append(r.out.Lines, lines...) }

// trimBlank drops a blank line just written, so an announcement follows its block.
func (r *mdRenderer) trimBlank() {
	if n := len(r.out.Lines); n > 0 && r.out.Lines[n-1] == "" {
		r.out.Lines = r.out.Lines[:n-1]
	}
}

// blank separates blocks: never at the start, never two in a row.
func (r *mdRenderer) blank() {
	if n := len(r.out.Lines); n > 0 && r.out.Lines[n-1] != "" {
		r.emit("")
	}
}

// blocks renders the block children of n, each line prefixed by indent. depth counts the
// lists n sits in.
func (r *mdRenderer) blocks(n ast.Node, indent string, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.block(c, indent, depth)
	}
}

func (r *mdRenderer) block(n ast.Node, indent string, depth int) {
	switch n := n.(type) {
	case *ast.Heading:
		t := r.inline(n)
		r.blank()
		r.out.Headings[lessons.Slug(t)] = len(r.out.Lines)
		r.emit(wrap(fmt.Sprintf("Heading level %d: %s", n.Level, t), r.width, indent, indent)...)
		r.blank()
	case *ast.Paragraph, *ast.TextBlock:
		r.emit(wrap(r.inline(n), r.width, indent, indent)...)
		if _, tight := n.(*ast.TextBlock); !tight {
			r.blank()
		}
	case *ast.FencedCodeBlock:
		lang := strings.TrimSpace(string(n.Language(r.src)))
		r.code(n, lang, indent)
	case *ast.CodeBlock:
		r.code(n, "", indent)
	case *ast.Blockquote:
		r.emit(indent + "Quote:")
		r.blocks(n, indent, depth)
		r.trimBlank()
		r.emit(indent + "End of quote.")
		r.blank()
	case *ast.List:
		r.list(n, indent, depth)
	case *ast.ThematicBreak:
		r.emit(indent + "Separator.")
		r.blank()
	case *east.Table:
		r.table(n, indent)
	case *ast.HTMLBlock:
		// Raw HTML is not part of the course format; read its text, tags and all.
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			r.emit(indent + strings.TrimRight(string(seg.Value(r.src)), "\n"))
		}
		r.blank()
	default:
		r.blocks(n, indent, depth)
	}
}

func (r *mdRenderer) code(n ast.Node, lang, indent string) {
	switch lang {
	case "", "text", "plain", "txt":
		r.emit(indent + "Code block:")
	default:
		r.emit(indent + "Code block, " + lang + ":")
	}
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		// Code is never re-wrapped: its lines mean something.
		r.emit(indent + strings.TrimRight(string(seg.Value(r.src)), "\r\n"))
	}
	r.emit(indent + "End of code block.")
	r.blank()
}

func (r *mdRenderer) list(n *ast.List, indent string, depth int) {
	count := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		count++
	}
	kind := "List"
	if n.IsOrdered() {
		kind = "Numbered list"
	}
	if depth == 0 {
		r.emit(indent + fmt.Sprintf("%s, %d %s:", kind, count, plural(count, "item", "items")))
	}
	num := n.Start
	if num == 0 {
		num = 1
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		marker := "- "
		if n.IsOrdered() {
			marker = fmt.Sprintf("%d. ", num)
			num++
		}
		hang := indent + strings.Repeat(" ", len(marker))
		first := true
		for b := c.FirstChild(); b != nil; b = b.NextSibling() {
			switch b.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				prefix := hang
				if first {
					prefix = indent + marker
				}
				r.emit(wrap(r.inline(b), r.width, prefix, hang)...)
				if _, loose := b.(*ast.Paragraph); loose && b.NextSibling() != nil {
					r.blank()
				}
			default:
				if first {
					r.emit(indent + strings.TrimRight(marker, " "))
				}
				r.block(b, hang, depth+1)
			}
			first = false
		}
		if first {
			r.emit(indent + strings.TrimRight(marker, " "))
		}
	}
	if depth == 0 {
		r.blank()
	}
}

// table reads a table row by row, each cell named by its column: "Row 2: Tool: make;
// Purpose: builds."
func (r *mdRenderer) table(n *east.Table, indent string) {
	var header []string
	var rows [][]string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		var cells []string
		for cell := c.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, r.inline(cell))
		}
		if _, ok := c.(*east.TableHeader); ok {
			header = cells
		} else {
			rows = append(rows, cells)
		}
	}
	r.emit(wrap(fmt.Sprintf("Table, %d %s and %d %s.", len(rows), plural(len(rows), "row", "rows"), len(header), plural(len(header), "column", "columns")), r.width, indent, indent)...)
	if len(header) > 0 {
		r.emit(wrap(sentence("Columns: "+strings.Join(header, "; ")), r.width, indent, indent)...)
	}
	for i, row := range rows {
		var parts []string
		for j, cell := range row {
			name := ""
			if j < len(header) {
				name = header[j]
			}
			switch {
			case cell == "":
				continue
			case name == "":
				parts = append(parts, cell)
			default:
				parts = append(parts, name+": "+cell)
			}
		}
		r.emit(wrap(sentence(fmt.Sprintf("Row %d: %s", i+1, strings.Join(parts, "; "))), r.width, indent, indent+"  ")...)
	}
	r.emit(indent + "End of table.")
	r.blank()
}

// inline collects the text of n's inline children: emphasis and code markers dropped,
// links followed by where they lead.
func (r *mdRenderer) inline(n ast.Node) string {
	var b strings.Builder
	r.inlineTo(&b, n)
	return strings.TrimSpace(b.String())
}

func (r *mdRenderer) inlineTo(b *strings.Builder, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(r.src))
			switch {
			case c.HardLineBreak():
				b.WriteString("\n")
			case c.SoftLineBreak():
				b.WriteString(" ")
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			r.inlineTo(b, c)
		case *ast.Link:
			var t strings.Builder
			r.inlineTo(&t, c)
			label := t.String()
			b.WriteString(label)
			dest := string(c.Destination)
			if r.links != nil {
				if title := r.links(dest); title != "" {
					b.WriteString(" (" + title + ")")
					continue
				}
			}
			if (strings.Contains(dest, "://") || strings.HasPrefix(dest, "mailto:")) && dest != label {
				b.WriteString(" (" + dest + ")")
			}
		case *ast.AutoLink:
			b.Write(c.URL(r.src))
		case *ast.Image:
			var t strings.Builder
			r.inlineTo(&t, c)
			b.WriteString("Image: " + strings.TrimSpace(t.String()))
		case *ast.RawHTML:
			// Inline tags say nothing to a listener.
		default:
			r.inlineTo(b, c)
		}
	}
}

// wrap breaks s into lines of at most width runes: the first line starts with first, the
// others with rest. Lines inside s (hard breaks) are kept.
func wrap(s string, width int, first, rest string) []string {
	var out []string
	prefix := first
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := prefix
		empty := true
		for _, w := range words {
			switch {
			case empty:
				line += w
				empty = false
			case runeLen(line)+1+runeLen(w) > width:
				out = append(out, line)
				line = rest + w
			default:
				line += " " + w
			}
		}
		out = append(out, strings.TrimRight(line, " "))
		prefix = rest
	}
	return out
}

func runeLen(s string) int { return len([]rune(s)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sentence ends s with a full stop unless it already ends with punctuation.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".?!:") {
		return s
	}
	return s + "."
}
