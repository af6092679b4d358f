package portfolio

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// essayHTML renders a discussion answer, which learners write in Markdown, for the HTML
// page: CommonMark with tables and strikethrough. goldmark's safe defaults drop raw HTML and
// empty dangerous link targets (javascript:, data:, ...); on top of that, images become
// links to them, so the page stays standalone (nothing is fetched when it opens), and
// headings start at level 4, below the page's own.
func essayHTML(md string) template.HTML {
	conv := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(essayTransformer{}, 100))),
	)
	var b bytes.Buffer
	if err := conv.Convert([]byte(md), &b); err != nil {
		// goldmark does not fail on any input; should it, the text is still shown, escaped.
		return template.HTML("<p>" + template.HTMLEscapeString(md) + "</p>")
	}
	return template.HTML(b.String()) // goldmark's output, with raw HTML left out
}

// essayTransformer turns images into links and moves headings down to level 4 and below.
type essayTransformer struct{}

func (essayTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var images []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+3, 6)
		case *ast.Image:
			images = append(images, n)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination, link.Title = img.Destination, img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		if !link.HasChildren() {
			link.AppendChild(link, ast.NewString([]byte("image")))
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}
