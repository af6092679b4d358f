package tui

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/exercises"
)

// SolutionView shows an exercise's reference solution, file by file.
type SolutionView struct {
	c     *Common
	ex    *exercises.Exercise
	files map[string][]byte
	dir   string
	keys  ReaderKeys
	vp    viewport.Model
}

var _ Screen = (*SolutionView)(nil)

// NewSolutionView builds the solution screen.
func NewSolutionView(c *Common, ex *exercises.Exercise, files map[string][]byte, dir string) *SolutionView {
	s := &SolutionView{c: c, ex: ex, files: files, dir: dir, keys: NewReaderKeys()}
	s.vp = viewport.New()
	s.vp.KeyMap = viewport.KeyMap{}
	return s
}

// Init does nothing.
func (s *SolutionView) Init() tea.Cmd { return nil }

// Title names the screen.
func (s *SolutionView) Title() string { return "Solution" }

// Help lists the keys.
func (s *SolutionView) Help() [][]key.Binding {
	return [][]key.Binding{{s.keys.Down, s.keys.Up, s.keys.PageDown, s.keys.PageUp}}
}

// SetSize sets the body size.
func (s *SolutionView) SetSize(w, h int) {
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(h, 1))
}

// Update scrolls.
func (s *SolutionView) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		s.keys.scroll(&s.vp, msg)
	}
	return s, nil
}

// View draws every file.
func (s *SolutionView) View() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Reference solution: "+s.ex.Title) + "\n")
	b.WriteString(st.Muted.Render("Compare it with yours; there is more than one good answer. Files: "+s.dir) + "\n")
	names := make([]string, 0, len(s.files))
	for n := range s.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString("\n" + st.Subtitle.Render("── "+n+" ──") + "\n")
		b.WriteString(st.Text.Render(strings.TrimRight(string(s.files[n]), "\n")) + "\n")
	}
	s.vp.SetContent(b.String())
	return s.vp.View()
}
