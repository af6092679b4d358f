package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/classroom"
)

// NamePrompt asks a learner who joined a class server for the first time for the name their
// instructor will see. It opens on top of home and closes once the name is saved.
type NamePrompt struct {
	c      *Common
	input  textinput.Model
	save   key.Binding
	err    string
	saving bool
	width  int
	height int
}

var (
	_ Screen      = (*NamePrompt)(nil)
	_ Capturer    = (*NamePrompt)(nil)
	_ BackHandler = (*NamePrompt)(nil)
)

// nameSavedMsg reports the end of saving the name.
type nameSavedMsg struct {
	name string
	err  error
}

// NewNamePrompt builds the prompt.
func NewNamePrompt(c *Common) *NamePrompt {
	in := textinput.New()
	in.SetStyles(steadyInput(in.Styles()))
	in.Prompt = "› "
	in.Placeholder = "your name, as your instructor knows you"
	in.CharLimit = classroom.MaxNameLen
	in.Focus()
	return &NamePrompt{c: c, input: in, save: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save and start"))}
}

// Init does nothing: the field is already focused.
func (s *NamePrompt) Init() tea.Cmd { return nil }

// Title names the screen.
func (s *NamePrompt) Title() string { return "Welcome" }

// Help lists the keys.
func (s *NamePrompt) Help() [][]key.Binding { return [][]key.Binding{{s.save}} }

// SetSize sets the body size.
func (s *NamePrompt) SetSize(w, h int) {
	s.width, s.height = w, h
	s.input.SetWidth(max(min(w-4, classroom.MaxNameLen+2), 10))
}

// Capturing is true: every letter goes into the name.
func (s *NamePrompt) Capturing() bool { return true }

// HandlesBack is true: there is nothing to go back to before the learner has a name.
func (s *NamePrompt) HandlesBack() bool { return true }

// Update takes the name.
func (s *NamePrompt) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case nameSavedMsg:
		s.saving = false
		if msg.err != nil {
			s.err = "could not save your name: " + msg.err.Error()
			return s, nil
		}
		return s, tea.Batch(s.c.pop(), func() tea.Msg { return statusMsg("Welcome, " + msg.name + "!") })
	case tea.KeyPressMsg:
		if s.saving {
			return s, nil
		}
		if key.Matches(msg, s.save) {
			name, err := classroom.CleanName(s.input.Value())
			if err != nil {
				s.err = err.Error()
				return s, nil
			}
			s.err, s.saving = "", true
			c := s.c
			return s, func() tea.Msg {
				if c.Store == nil {
					return nameSavedMsg{name: name}
				}
				l, err := c.Store.LearnerByID(c.Ctx, c.Learner)
				if err == nil {
					err = c.Store.SetLearnerProfile(c.Ctx, c.Learner, name, l.StudentID)
				}
				return nameSavedMsg{name: name, err: err}
			}
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		s.err = ""
		return s, cmd
	case tea.PasteMsg:
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return s, cmd
	}
	return s, nil
}

// View draws the prompt.
func (s *NamePrompt) View() string {
	st := s.c.Styles
	var b strings.Builder
	title := "Welcome"
	if s.c.Catalog != nil {
		title = "Welcome to " + s.c.Catalog.Title
	}
	b.WriteString(st.Title.Render(truncate(title, s.width)) + "\n\n")
	b.WriteString(st.Text.Render(wrapText("You are joining a class. What name should your instructor see next to your progress?", min(s.width, 80))) + "\n\n")
	b.WriteString(s.input.View() + "\n")
	switch {
	case s.err != "":
		b.WriteString(st.Bad.Render(wrapText(s.err, s.width)) + "\n")
	case s.saving:
		b.WriteString(st.Muted.Render("saving…") + "\n")
	default:
		b.WriteString("\n")
	}
	b.WriteString("\n" + st.Muted.Render(wrapText("Your progress is tied to the SSH key you logged in with: use the same key next time.", min(s.width, 80))))
	return b.String()
}
