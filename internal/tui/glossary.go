package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/lessons"
)

// Glossary lists the course's key terms with a search box: type to filter by term or
// definition.
type Glossary struct {
	c      *Common
	search textinput.Model
	keys   ListKeys
	clear  key.Binding
	cursor int
	offset int
	shown  []lessons.GlossaryTerm
	width  int
	height int
}

var _ Screen = (*Glossary)(nil)

// NewGlossary builds the glossary screen.
func NewGlossary(c *Common) *Glossary {
	s := &Glossary{c: c, keys: NewListKeys()}
	s.keys.Up = key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up"))
	s.keys.Down = key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down"))
	s.clear = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search / back"))
	s.search = textinput.New()
	s.search.SetStyles(steadyInput(s.search.Styles()))
	s.search.Prompt = "Search: "
	s.search.Placeholder = "type a term or a word from a definition"
	s.search.Focus()
	s.filter()
	return s
}

// Init does nothing: the glossary is in the catalog.
func (s *Glossary) Init() tea.Cmd { return nil }

// Title names the screen.
func (s *Glossary) Title() string { return "Glossary" }

// Capturing is always true: letters go to the search box.
func (s *Glossary) Capturing() bool { return true }

// Help lists the keys.
func (s *Glossary) Help() [][]key.Binding {
	return [][]key.Binding{{s.keys.Up, s.keys.Down, s.clear}}
}

// SetSize sets the body size.
func (s *Glossary) SetSize(w, h int) {
	s.width, s.height = w, h
	s.search.SetWidth(max(w-10, 10))
}

func (s *Glossary) filter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Value()))
	s.shown = s.shown[:0]
	var byDef []lessons.GlossaryTerm
	for _, t := range s.c.Catalog.Glossary {
		switch {
		case q == "" || strings.Contains(strings.ToLower(t.Term), q):
			s.shown = append(s.shown, t)
		case strings.Contains(strings.ToLower(t.Definition), q):
			byDef = append(byDef, t)
		}
	}
	// Matches in the term come before matches in the definition.
	s.shown = append(s.shown, byDef...)
	s.cursor, s.offset = 0, 0
}

// Update handles typing and movement.
func (s *Glossary) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case catalogChangedMsg:
		s.filter()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.clear):
			if s.search.Value() != "" {
				s.search.SetValue("")
				s.filter()
				return s, nil
			}
			return s, s.c.pop()
		case key.Matches(msg, s.keys.Up):
			s.cursor = max(s.cursor-1, 0)
			return s, nil
		case key.Matches(msg, s.keys.Down):
			s.cursor = min(s.cursor+1, max(len(s.shown)-1, 0))
			return s, nil
		case msg.String() == "pgdown":
			s.cursor = min(s.cursor+5, max(len(s.shown)-1, 0))
			return s, nil
		case msg.String() == "pgup":
			s.cursor = max(s.cursor-5, 0)
			return s, nil
		}
		before := s.search.Value()
		var cmd tea.Cmd
		s.search, cmd = s.search.Update(msg)
		if s.search.Value() != before {
			s.filter()
		}
		return s, cmd
	case tea.PasteMsg:
		var cmd tea.Cmd
		s.search, cmd = s.search.Update(msg)
		s.filter()
		return s, cmd
	}
	return s, nil
}

// View draws the search box and the matching terms, the selected one with its definition
// in full.
func (s *Glossary) View() string {
	st := s.c.Styles
	w := min(s.width, 100)
	var b strings.Builder
	b.WriteString(s.search.View() + "\n")
	b.WriteString(st.Muted.Render(fmt.Sprintf("%d of %d terms", len(s.shown), len(s.c.Catalog.Glossary))) + "\n\n")
	if len(s.shown) == 0 {
		b.WriteString(st.Muted.Render("No term matches. esc clears the search."))
		return b.String()
	}
	var rows []string
	for i, t := range s.shown {
		marker := "  "
		ts := st.Text
		if i == s.cursor {
			marker, ts = st.Cursor.Render("▸ "), st.Title
		}
		where := ""
		if ch, ok := s.c.Catalog.Chapter(t.ChapterID); ok {
			where = st.Muted.Render("  " + ch.Label())
		}
		row := marker + ts.Render(t.Term) + where
		if i == s.cursor {
			row += "\n" + st.Text.Render(indentLines(wrapText(t.Definition, w-4), "    "))
		} else {
			row += st.Muted.Render(truncate("  "+t.Definition, max(w-lipglossWidth(row)-2, 0)))
		}
		rows = append(rows, row)
	}
	avail := max(s.height-3, 1)
	// Keep the selected row (which may span lines) in view.
	s.offset = listWindow(s.cursor, s.offset, max(avail-3, 1), len(rows))
	out := []string{}
	used := 0
	for i := s.offset; i < len(rows) && used < avail; i++ {
		out = append(out, rows[i])
		used += strings.Count(rows[i], "\n") + 1
	}
	b.WriteString(strings.Join(out, "\n"))
	return b.String()
}

func indentLines(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return strings.Join(lines, "\n")
}
