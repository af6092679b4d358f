package plain

import (
	"fmt"
	"strings"

	"github.com/kaizen-mlops/kaizen/lessons"
)

// searchGlossary finds terms by a word in the term or in the definition; matches in the
// term come first, as in the full-screen glossary.
func searchGlossary(terms []lessons.GlossaryTerm, query string) []lessons.GlossaryTerm {
	q := strings.ToLower(strings.TrimSpace(query))
	var byTerm, byDef []lessons.GlossaryTerm
	for _, t := range terms {
		switch {
		case q == "" || strings.Contains(strings.ToLower(t.Term), q):
			byTerm = append(byTerm, t)
		case strings.Contains(strings.ToLower(t.Definition), q):
			byDef = append(byDef, t)
		}
	}
	return append(byTerm, byDef...)
}

// glossary searches the course's key terms: type a word, hear every term that matches
// with its definition.
func (s *Session) glossary() error {
	terms := s.cat.Glossary
	s.Heading(1, "Glossary")
	if len(terms) == 0 {
		s.Say("This course has no glossary yet.")
		return nil
	}
	s.Sayf("%d key terms. Type a word to search the terms and their definitions.", len(terms))
	prompt := "Type a word to search, all to hear every term, or b to go back."
	for {
		line, err := s.ReadLine(prompt)
		if err != nil {
			return err
		}
		w := word(line)
		switch {
		case w == "":
			continue
		case isBack(w):
			return nil
		case isQuit(w):
			return ErrQuit
		case isHelp(w):
			s.Say("Help. Type any word, such as drift or registry, to hear the terms whose name or definition contains it. Type all to hear every term. Type b to go back, or q to save and quit.")
			continue
		}
		found := terms
		if w != "all" {
			found = searchGlossary(terms, line)
		}
		if len(found) == 0 {
			s.Sayf("No term matches %s. Try another word, or type all.", quoted(strings.TrimSpace(line)))
			continue
		}
		if w == "all" {
			s.Sayf("All %d terms:", len(found))
		} else {
			s.Sayf("%d %s %s %s:", len(found), plural(len(found), "term", "terms"), plural(len(found), "matches", "match"), quoted(strings.TrimSpace(line)))
		}
		var lines []string
		for i, t := range found {
			head := t.Term
			if ch, ok := s.cat.Chapter(t.ChapterID); ok {
				head += " (" + ch.Label() + ")"
			}
			lines = append(lines, wrap(fmt.Sprintf("%d. %s: %s", i+1, head, sentence(s.markdownLine(t.Definition))), s.width, "", "   ")...)
		}
		if err := s.Page(lines); err != nil {
			return err
		}
	}
}
