// Package tui is kaizen's terminal user interface: a root model that owns the window, the
// styles and navigation, and screens that each implement one small interface. It is the
// only package that imports Bubble Tea. Screens never do I/O in Update or View: reading
// the store, rendering Markdown and running checks happen in commands that return
// messages.
package tui

import (
	"context"
	"log/slog"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

// Common is what every screen shares: services passed at construction, never looked up
// from globals.
type Common struct {
	Ctx     context.Context
	Catalog *course.Catalog
	Store   *store.Store
	Learner int64
	Styles  *Styles
	Global  GlobalKeys
	Cache   *RenderCache
	Now     func() time.Time
	// Warning is shown in the footer for the whole session (e.g. progress not saved).
	Warning string
	// CheckGate, when set, limits how many exercise checks a learner runs at once across
	// all their sessions (class mode: one); see app.Practice.Gate.
	CheckGate func() (release func(), ok bool)
	// MinLevel is the least isolation exercise checks may run with (class servers: strict).
	MinLevel sandbox.Level
	// ReadingWidth is the maximum line width of lessons (0: 100 columns).
	ReadingWidth int
	// DraftDelay overrides the pause in typing after which a draft is saved (tests).
	DraftDelay time.Duration
	// ClassMode is set for a session of `kaizen serve`: the learner is remote, has no
	// shell and no $EDITOR, and must never reach files other than their own.
	ClassMode bool
	// Workspace is the directory under which this learner's exercise workspaces live (in
	// class mode, a directory per learner inside the server's data dir); empty means the
	// personal default.
	Workspace string
	// AllowWeakSandbox is the server's --allow-weak-sandbox: run exercises even when the
	// sandbox cannot isolate them fully.
	AllowWeakSandbox bool
	Width            int
	Height           int
	// Logger receives diagnostics (the debug log); nil discards them.
	Logger *slog.Logger
	// Started is when the process began, for start-up timings in the log.
	Started time.Time
	// StatusTTL is how long footer notes stay (0: 6 seconds; negative: until replaced).
	StatusTTL time.Duration

	// nav holds navigation asked for during an Update; the root applies it before the next
	// message (see Model.applyNav).
	nav []tea.Msg
}

// push opens a screen on top of the current one as soon as the current Update returns.
func (c *Common) push(s Screen) tea.Cmd { c.nav = append(c.nav, pushMsg{s}); return nil }

// pop goes back one screen as soon as the current Update returns.
func (c *Common) pop() tea.Cmd { c.nav = append(c.nav, popMsg{}); return nil }

// replace swaps the current screen as soon as the current Update returns.
func (c *Common) replace(s Screen) tea.Cmd { c.nav = append(c.nav, replaceMsg{s}); return nil }

// Screen is one page of the app.
type Screen interface {
	// Init starts the screen's first commands (loading data, rendering).
	Init() tea.Cmd
	// Update handles a message and returns the screen (possibly replaced).
	Update(msg tea.Msg) (Screen, tea.Cmd)
	// View draws the screen's body at the size last given to SetSize.
	View() string
	// SetSize gives the body's inner size.
	SetSize(width, height int)
	// Title names the screen in the header breadcrumb.
	Title() string
	// Help lists the screen's own keys, in groups, for the footer and the help overlay.
	Help() [][]key.Binding
}

// Leaver is implemented by screens that must save state when left or when the app quits.
type Leaver interface {
	Leave() tea.Cmd
}

// Capturer is implemented by screens that are currently taking text input, so global
// single-letter keys (q, ?) must go to the screen instead.
type Capturer interface {
	Capturing() bool
}

// BackHandler is implemented by screens that use esc themselves in some states (leaving
// an editor, skipping a step) instead of going back.
type BackHandler interface {
	HandlesBack() bool
}

// pushMsg asks the root to open a screen on top of the current one.
type pushMsg struct{ screen Screen }

// popMsg asks the root to go back one screen.
type popMsg struct{}

// replaceMsg asks the root to swap the current screen (e.g. next lesson).
type replaceMsg struct{ screen Screen }

// errMsg reports an error from a command; the root shows it in the footer.
type errMsg struct{ err error }

// statusMsg shows a short note in the footer.
type statusMsg string

// popCmd goes back one screen after other commands (use it last in a tea.Sequence).
func popCmd() tea.Cmd { return func() tea.Msg { return popMsg{} } }
