package tui

import (
	tea "charm.land/bubbletea/v2"
)

// ShutdownMsg asks a served session to save every screen's state and end: the class server
// is stopping, the learner was idle too long, or the connection dropped. Every screen's
// Leave command runs before the program quits, as when the learner quits themselves.
type ShutdownMsg struct{ Reason string }

// Served is the root model of one session of `kaizen serve`: the same app as the local
// one, plus the clean shutdown the server asks for with ShutdownMsg.
type Served struct {
	m      *Model
	reason string
}

var _ tea.Model = (*Served)(nil)

// NewServed builds the app for one class-server session.
func NewServed(c *Common, opts Options) *Served { return &Served{m: New(c, opts)} }

// Init starts the app.
func (s *Served) Init() tea.Cmd { return s.m.Init() }

// Update handles ShutdownMsg and hands everything else to the app.
func (s *Served) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ShutdownMsg:
		if s.reason == "" {
			s.reason = msg.Reason
		}
		return s, s.m.quit()
	case tea.BackgroundColorMsg:
		// Over SSH the client's answer can come after the app stopped waiting for it; a late
		// answer still sets the styles, so the session matches the learner's terminal.
		if s.m.opts.IsDark == nil {
			s.m.bgKnown = false
		}
	}
	_, cmd := s.m.Update(msg)
	return s, cmd
}

// View draws the app.
func (s *Served) View() tea.View { return s.m.View() }

// Reason is why the server ended the session ("" when the learner quit).
func (s *Served) Reason() string { return s.reason }

// Model is the app inside.
func (s *Served) Model() *Model { return s.m }
