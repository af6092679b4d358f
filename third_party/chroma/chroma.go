// Package chroma is kaizen's minimal stand-in for the chroma highlighter's core types: token
// types and styles, as glamour's code-block renderer uses them. It does nothing at init.
package chroma

import (
	"strconv"
	"strings"
)

// TokenType is the kind of a highlighted token.
type TokenType int

// Token types glamour styles.
const (
	Background TokenType = iota
	Text
	Error
	Comment
	CommentPreproc
	Keyword
	KeywordReserved
	KeywordNamespace
	KeywordType
	Operator
	Punctuation
	Name
	NameBuiltin
	NameTag
	NameAttribute
	NameClass
	NameConstant
	NameDecorator
	NameException
	NameFunction
	NameOther
	Literal
	LiteralNumber
	LiteralDate
	LiteralString
	LiteralStringEscape
	GenericDeleted
	GenericEmph
	GenericInserted
	GenericStrong
	GenericSubheading
)

// StyleEntries maps token types to style strings such as "#C4C4C4 bg:#222222 bold".
type StyleEntries map[TokenType]string

// StyleEntry is a parsed style string.
type StyleEntry struct {
	Colour     Colour
	Background Colour
	Bold       bool
	Italic     bool
	Underline  bool
}

// Colour is an RGB colour; the zero value means "not set".
type Colour struct {
	R, G, B uint8
	Set     bool
}

// Style is a named set of entries.
type Style struct {
	Name    string
	entries map[TokenType]StyleEntry
}

// MustNewStyle parses entries into a style; malformed parts are ignored.
func MustNewStyle(name string, entries StyleEntries) *Style {
	s := &Style{Name: name, entries: map[TokenType]StyleEntry{}}
	for t, spec := range entries {
		s.entries[t] = parseEntry(spec)
	}
	return s
}

// Get returns the entry for a token type, falling back to its parent kind, then Text.
func (s *Style) Get(t TokenType) StyleEntry {
	if s == nil {
		return StyleEntry{}
	}
	if e, ok := s.entries[t]; ok && (e.Colour.Set || e.Bold || e.Italic || e.Underline) {
		return e
	}
	if p := parent(t); p != t {
		return s.Get(p)
	}
	return s.entries[Text]
}

func parent(t TokenType) TokenType {
	switch t {
	case CommentPreproc:
		return Comment
	case KeywordReserved, KeywordNamespace, KeywordType:
		return Keyword
	case NameBuiltin, NameTag, NameAttribute, NameClass, NameConstant, NameDecorator, NameException, NameFunction, NameOther:
		return Name
	case LiteralNumber, LiteralDate, LiteralString:
		return Literal
	case LiteralStringEscape:
		return LiteralString
	case Name, Literal, Keyword, Comment, Operator, Punctuation, Error:
		return Text
	}
	return t
}

func parseEntry(spec string) StyleEntry {
	var e StyleEntry
	for _, part := range strings.Fields(spec) {
		switch {
		case part == "bold":
			e.Bold = true
		case part == "italic":
			e.Italic = true
		case part == "underline":
			e.Underline = true
		case strings.HasPrefix(part, "bg:"):
			e.Background = parseColour(part[3:])
		default:
			e.Colour = parseColour(part)
		}
	}
	return e
}

func parseColour(s string) Colour {
	s = strings.TrimPrefix(s, "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return Colour{}
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return Colour{}
	}
	return Colour{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), Set: true}
}
