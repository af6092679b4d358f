// Package bluemonday is kaizen's stand-in for the bluemonday HTML sanitizer, reduced to the
// strict policy glamour uses to turn HTML in Markdown into plain text for a terminal.
//
// Sanitize keeps the text of a fragment and drops every element, attribute, comment and
// doctype, and the whole content of elements whose text is not meant to be read (script,
// style and the like), as bluemonday's strict policy does. The text is returned
// HTML-escaped, as bluemonday returns it; glamour unescapes it.
package bluemonday

import (
	"html"
	"io"
	"strings"

	nethtml "golang.org/x/net/html"
)

// Policy is a sanitizing policy. The stand-in has one: strip everything.
type Policy struct{}

// StrictPolicy returns the policy that strips every HTML element and attribute and keeps
// the text.
func StrictPolicy() *Policy { return &Policy{} }

// skipContent lists the elements whose content is dropped with them.
var skipContent = map[string]bool{
	"frame": true, "frameset": true, "iframe": true, "noembed": true, "noframes": true,
	"noscript": true, "nostrict": true, "object": true, "script": true, "style": true, "title": true,
}

// Sanitize returns the text of s with all markup removed.
func (p *Policy) Sanitize(s string) string {
	if !strings.ContainsAny(s, "<>&\"'\r") {
		return s // plain text: nothing to strip or escape
	}
	var b strings.Builder
	z := nethtml.NewTokenizer(strings.NewReader(s))
	skipping := "" // the element whose content is being dropped
	depth := 0     // nesting of that element inside itself
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			if z.Err() == io.EOF {
				return b.String()
			}
			return b.String()
		}
		tok := z.Token()
		switch tt {
		case nethtml.StartTagToken:
			if skipping == tok.Data {
				depth++
			} else if skipping == "" && skipContent[tok.Data] {
				skipping, depth = tok.Data, 1
			}
		case nethtml.EndTagToken:
			if skipping == tok.Data {
				depth--
				if depth == 0 {
					skipping = ""
				}
			}
		case nethtml.TextToken:
			if skipping == "" {
				b.WriteString(html.EscapeString(tok.Data))
			}
		}
		// Self-closing tags, comments and doctypes are dropped.
	}
}
