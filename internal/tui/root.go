package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// Minimum terminal size at which screens are drawn; below it a note asks for more room.
const (
	MinWidth  = 40
	MinHeight = 10
)

// Loaded is what the app needs before it can draw its first screen.
type Loaded struct {
	Catalog *course.Catalog
	Store   *store.Store
	Learner int64
	Warning string
	// Workspace is the root of the learner's exercise workspaces.
	Workspace string
}

// catalogMsg delivers the completed catalog (quizzes, glossary, case studies).
type catalogMsg struct {
	catalog *course.Catalog
	err     error
}

// catalogChangedMsg tells screens to rebuild what they derived from the catalog.
type catalogChangedMsg struct{}

// completeCmd completes an index catalog off the UI path.
func completeCmd(idx *course.Catalog, delay time.Duration) tea.Cmd {
	return func() tea.Msg {
		// Wait for the first frames to be painted: the parsing would compete with them.
		time.Sleep(delay)
		full, err := idx.CompleteInBackgroundOrError()
		return catalogMsg{full, err}
	}
}

// loadedMsg delivers the result of Options.Load.
type loadedMsg struct {
	loaded Loaded
	err    error
	// progress is the home screen's data, read in the same command so that the first
	// frame already shows where the learner left off.
	progress progressMsg
}

// Options configure the root model.
type Options struct {
	// Load, when set, loads the course and the store in a command that runs while the
	// terminal is being set up, instead of before the program starts; the home screen
	// appears when it returns. A load error ends the program (see Model.Err).
	Load func() (Loaded, error)
	// Start, when set, opens this screen on top of home (e.g. `kaizen quiz ch01`).
	Start func(c *Common) Screen
	// IsDark, when not nil, fixes the background instead of asking the terminal (tests).
	IsDark *bool
	// AltScreen draws full screen (the default for the interactive app).
	AltScreen bool
	// Theme picks the colour scheme; with ThemeAuto (or "") dark or light follows IsDark or
	// the terminal's background.
	Theme Theme
	// CompleteAfter delays parsing the rest of a course loaded as an index (quizzes,
	// exercises, case studies) so it does not compete with painting the first frames.
	CompleteAfter time.Duration
}

// Model is the root Bubble Tea model.
type Model struct {
	common    *Common
	stack     []Screen
	showHelp  bool
	status    string
	statusErr bool
	bgKnown   bool
	opts      Options
	quitting  bool
	err       error
}

var _ tea.Model = (*Model)(nil)

// bgTimeoutMsg ends the wait for the terminal's background colour.
type bgTimeoutMsg struct{}

// clearStatusMsg clears a footer note after a while.
type clearStatusMsg struct{ text string }

// New builds the root model.
func New(c *Common, opts Options) *Model {
	if c.Styles == nil {
		dark := true
		if opts.IsDark != nil {
			dark = *opts.IsDark
		}
		c.Styles = NewThemeStyles(opts.Theme, dark)
	}
	if c.Cache == nil {
		c.Cache = NewRenderCache(64)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Global = NewGlobalKeys()
	m := &Model{common: c, opts: opts, bgKnown: opts.IsDark != nil}
	if c.Catalog != nil {
		m.buildStack()
	}
	return m
}

func (m *Model) buildStack() {
	c := m.common
	m.stack = []Screen{NewHome(c)}
	if m.opts.Start != nil {
		m.stack = append(m.stack, m.opts.Start(c))
	}
	if c.Width > 0 && c.Height > 0 {
		// Known before the first WindowSizeMsg, so the first frame is already the screen.
		m.resize()
	}
}

// Err is the error that ended the program, if loading failed.
func (m *Model) Err() error { return m.err }

// Init starts the screens and asks for the terminal's background colour.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{}
	if m.opts.Load != nil && m.common.Catalog == nil {
		load := m.opts.Load
		ctx, now := m.common.Ctx, m.common.Now
		cmds = append(cmds, func() tea.Msg {
			l, err := load()
			if err != nil {
				return loadedMsg{err: err}
			}
			return loadedMsg{loaded: l, progress: readProgress(ctx, l.Store, l.Learner, now())}
		})
	}
	for _, s := range m.stack {
		cmds = append(cmds, s.Init())
	}
	if !m.bgKnown {
		cmds = append(cmds, tea.RequestBackgroundColor, tea.Tick(300*time.Millisecond, func(time.Time) tea.Msg { return bgTimeoutMsg{} }))
	}
	return tea.Batch(cmds...)
}

func (m *Model) top() Screen { return m.stack[len(m.stack)-1] }

// Update routes messages: window and colour changes to everyone, keys to the top screen.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if len(m.stack) == 0 {
		return m, m.updateLoading(msg)
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.common.Width, m.common.Height = msg.Width, msg.Height
		m.resize()
		return m, m.broadcast(resizedMsg{})
	case tea.BackgroundColorMsg:
		// An answer that comes after the timeout (slow terminals, SSH) still applies; only a
		// theme that fixes dark or light ignores it.
		m.bgKnown = true
		if m.opts.IsDark == nil {
			if dark := msg.IsDark(); dark != m.common.Styles.IsDark {
				m.common.Styles = NewThemeStyles(m.opts.Theme, dark)
				return m, m.broadcast(stylesChangedMsg{})
			}
		}
		return m, nil
	case bgTimeoutMsg:
		m.bgKnown = true
		return m, nil
	case catalogMsg:
		if msg.err != nil {
			m.err = msg.err
			m.quitting = true
			return m, tea.Quit
		}
		m.common.Catalog = msg.catalog
		return m, m.broadcast(catalogChangedMsg{})
	case pushMsg:
		m.stack = append(m.stack, msg.screen)
		m.resize()
		return m, msg.screen.Init()
	case replaceMsg:
		leave := leaveCmd(m.top())
		m.stack[len(m.stack)-1] = msg.screen
		m.resize()
		return m, tea.Batch(leave, msg.screen.Init())
	case popMsg:
		return m, m.back()
	case errMsg:
		m.status, m.statusErr = msg.err.Error(), true
		return m, m.clearStatusLater()
	case statusMsg:
		m.status, m.statusErr = string(msg), false
		return m, m.clearStatusLater()
	case clearStatusMsg:
		if m.status == msg.text {
			m.status = ""
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, m.updateTop(msg)
}

// resizedMsg tells screens the window changed size (SetSize has run).
type resizedMsg struct{}

// updateLoading handles messages that arrive before the course is loaded.
func (m *Model) updateLoading(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.err != nil {
			m.err = msg.err
			m.quitting = true
			return tea.Quit
		}
		c := m.common
		c.Catalog, c.Store, c.Learner, c.Warning = msg.loaded.Catalog, msg.loaded.Store, msg.loaded.Learner, msg.loaded.Warning
		if msg.loaded.Workspace != "" {
			c.Workspace = msg.loaded.Workspace
		}
		m.buildStack()
		cmds := []tea.Cmd{}
		// The home screen takes its data now, before the first frame.
		var cmd tea.Cmd
		m.stack[0], cmd = m.stack[0].Update(msg.progress)
		cmds = append(cmds, cmd)
		if c.Logger != nil && !c.Started.IsZero() {
			c.Logger.Debug("home screen built", "since_start", time.Since(c.Started))
		}
		if !c.Catalog.Completed() {
			cmds = append(cmds, completeCmd(c.Catalog, m.opts.CompleteAfter))
		}
		for _, s := range m.stack {
			cmds = append(cmds, s.Init())
		}
		return tea.Batch(cmds...)
	case tea.WindowSizeMsg:
		m.common.Width, m.common.Height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.bgKnown = true
		if m.opts.IsDark == nil {
			m.common.Styles = NewThemeStyles(m.opts.Theme, msg.IsDark())
		}
	case bgTimeoutMsg:
		m.bgKnown = true
	case tea.KeyPressMsg:
		if key.Matches(msg, m.common.Global.ForceQuit) {
			m.quitting = true
			return tea.Quit
		}
	}
	return nil
}

// stylesChangedMsg tells screens to re-render with new styles.
type stylesChangedMsg struct{}

func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, s := range m.stack {
		ns, cmd := s.Update(msg)
		m.stack[i] = ns
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) updateTop(msg tea.Msg) tea.Cmd {
	ns, cmd := m.top().Update(msg)
	m.stack[len(m.stack)-1] = ns
	return tea.Batch(cmd, m.applyNav())
}

// applyNav carries out the navigation screens asked for with Common.push/pop/replace during
// Update, at once: a key typed right after "enter" must reach the screen that enter opened.
func (m *Model) applyNav() tea.Cmd {
	var cmds []tea.Cmd
	for len(m.common.nav) > 0 {
		op := m.common.nav[0]
		m.common.nav = m.common.nav[1:]
		_, cmd := m.Update(op)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) clearStatusLater() tea.Cmd {
	text := m.status
	ttl := m.common.StatusTTL
	switch {
	case ttl < 0:
		return nil // notes stay until replaced (tests read them)
	case ttl == 0:
		ttl = 6 * time.Second
	}
	return tea.Tick(ttl, func(time.Time) tea.Msg { return clearStatusMsg{text} })
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	g := m.common.Global
	if key.Matches(msg, g.ForceQuit) {
		return m.quit()
	}
	capturing := false
	if c, ok := m.top().(Capturer); ok {
		capturing = c.Capturing()
	}
	if m.showHelp {
		if key.Matches(msg, g.Help) || key.Matches(msg, g.Back) || key.Matches(msg, g.Quit) {
			m.showHelp = false
		}
		return nil
	}
	if !capturing {
		switch {
		case key.Matches(msg, g.Quit):
			return m.quit()
		case key.Matches(msg, g.Help):
			m.showHelp = true
			return nil
		case key.Matches(msg, g.Back):
			if bh, ok := m.top().(BackHandler); ok && bh.HandlesBack() {
				break
			}
			if len(m.stack) > 1 {
				return m.back()
			}
			return nil
		}
	}
	return m.updateTop(msg)
}

func leaveCmd(s Screen) tea.Cmd {
	if l, ok := s.(Leaver); ok {
		return l.Leave()
	}
	return nil
}

func (m *Model) back() tea.Cmd {
	if len(m.stack) <= 1 {
		return nil
	}
	leave := leaveCmd(m.top())
	m.stack = m.stack[:len(m.stack)-1]
	m.resize()
	// The screen below may show progress that the one we left changed.
	return tea.Sequence(leave, m.broadcastTop(refreshMsg{}))
}

// refreshMsg asks a screen to reload its data (sent when it becomes the top again).
type refreshMsg struct{}

func (m *Model) broadcastTop(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}

// quit saves every screen's state, then exits. The saves run in order before tea.Quit.
func (m *Model) quit() tea.Cmd {
	if m.quitting {
		return tea.Quit
	}
	m.quitting = true
	cmds := []tea.Cmd{}
	for i := len(m.stack) - 1; i >= 0; i-- {
		if c := leaveCmd(m.stack[i]); c != nil {
			cmds = append(cmds, c)
		}
	}
	cmds = append(cmds, tea.Quit)
	return tea.Sequence(cmds...)
}

// chrome is the height the header and footer take.
const chromeHeight = 2

func (m *Model) resize() {
	w := max(m.common.Width-2, 1) // App padding
	h := max(m.common.Height-chromeHeight, 1)
	for _, s := range m.stack {
		s.SetSize(w, h)
	}
}

// View draws the header, the top screen and the footer.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = m.opts.AltScreen
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "kaizen"
	if len(m.stack) > 0 {
		v.WindowTitle += " · " + m.top().Title()
	}
	return v
}

func (m *Model) render() string {
	c := m.common
	st := c.Styles
	if m.quitting || c.Width == 0 || len(m.stack) == 0 {
		return ""
	}
	if c.Width < MinWidth || c.Height < MinHeight {
		note := fmt.Sprintf("Terminal too small (%d×%d).\nkaizen needs at least %d×%d.\nEnlarge the window, or press q to quit.", c.Width, c.Height, MinWidth, MinHeight)
		return lipgloss.NewStyle().Width(c.Width).MaxHeight(c.Height).Render(wrapText(note, c.Width))
	}
	innerW := c.Width - 2
	bodyH := c.Height - chromeHeight
	header := m.header(innerW)
	var body string
	if m.showHelp {
		body = m.helpView(innerW, bodyH)
	} else {
		body = m.top().View()
	}
	footer := m.footer(innerW)
	if frame, ok := composeFrame(header, body, footer, innerW, bodyH); ok {
		return frame
	}
	// A line wider than the screen: lipgloss wraps it (the slower path, same layout).
	body = lipgloss.NewStyle().Width(innerW).Height(bodyH).MaxHeight(bodyH).MaxWidth(innerW).Render(body)
	return st.App.Render(lipgloss.JoinVertical(lipgloss.Left, header, body, footer))
}

// composeFrame lays out the screen as the lipgloss path below it does (the body padded or
// cut to bodyH lines, every line padded to width, one space of margin each side) when no
// line is wider than width, measuring each line once instead of in three lipgloss passes:
// the frame is drawn after every message, and over SSH for every student. It reports
// false when a line needs wrapping or holds a tab.
func composeFrame(header, body, footer string, width, bodyH int) (string, bool) {
	var b strings.Builder
	b.Grow(len(header) + len(body) + len(footer) + (bodyH+2)*(width+4))
	first := true
	put := func(line string) bool {
		w := ansi.StringWidth(line)
		if w > width || strings.ContainsAny(line, "\t\r") {
			return false // to be wrapped, or tabs to expand: lipgloss does it
		}
		if !first {
			b.WriteByte('\n')
		}
		first = false
		b.WriteByte(' ')
		b.WriteString(line)
		b.WriteString(strings.Repeat(" ", width-w+1))
		return true
	}
	for _, l := range strings.Split(header, "\n") {
		if !put(l) {
			return "", false
		}
	}
	lines := strings.Split(body, "\n")
	for i := 0; i < bodyH; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		if !put(l) {
			return "", false
		}
	}
	for _, l := range strings.Split(footer, "\n") {
		if !put(l) {
			return "", false
		}
	}
	return b.String(), true
}

func (m *Model) header(width int) string {
	st := m.common.Styles
	left := st.Brand.Render("kaizen")
	var crumbs []string
	for _, s := range m.stack {
		crumbs = append(crumbs, s.Title())
	}
	trail := strings.Join(crumbs, " › ")
	avail := width - lipgloss.Width(left) - 3
	trail = truncate(trail, avail)
	return left + st.Crumb.Render(" · "+trail)
}

func (m *Model) footer(width int) string {
	st := m.common.Styles
	if m.status != "" {
		style := st.Status
		if m.statusErr {
			style = st.Bad
		}
		return style.Render(truncate(m.status, width))
	}
	if m.common.Warning != "" {
		return st.Warn.Render(truncate("⚠ "+m.common.Warning, width))
	}
	var parts []string
	for _, group := range m.top().Help() {
		for _, b := range group {
			if b.Enabled() {
				parts = append(parts, st.HelpKey.Render(b.Help().Key)+" "+st.Footer.Render(b.Help().Desc))
			}
		}
		break // the first group is the short help
	}
	g := m.common.Global
	if c, ok := m.top().(Capturer); ok && c.Capturing() {
		// Letters are being typed: only ctrl+c quits; the screen's own keys say how to leave.
		parts = append(parts, st.HelpKey.Render("ctrl+c")+" "+st.Footer.Render("quit"))
		return fitParts(parts, width, st.Footer.Render(" · "))
	}
	if len(m.stack) > 1 {
		parts = append(parts, st.HelpKey.Render(g.Back.Help().Key)+" "+st.Footer.Render(g.Back.Help().Desc))
	}
	parts = append(parts, st.HelpKey.Render("?")+" "+st.Footer.Render("help"), st.HelpKey.Render("q")+" "+st.Footer.Render("quit"))
	return fitParts(parts, width, st.Footer.Render(" · "))
}

// fitParts joins as many parts as fit in width.
func fitParts(parts []string, width int, sep string) string {
	out := ""
	for _, p := range parts {
		cand := p
		if out != "" {
			cand = out + sep + p
		}
		if lipgloss.Width(cand) > width {
			break
		}
		out = cand
	}
	return out
}

func (m *Model) helpView(width, height int) string {
	st := m.common.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Keys on this screen") + "\n\n")
	row := func(k key.Binding) {
		if !k.Enabled() {
			return
		}
		fmt.Fprintf(&b, "%s %s\n", st.HelpKey.Render(fmt.Sprintf("%-12s", k.Help().Key)), st.HelpDesc.Render(k.Help().Desc))
	}
	for _, group := range m.top().Help() {
		for _, k := range group {
			row(k)
		}
	}
	b.WriteString("\n" + st.Title.Render("Everywhere") + "\n\n")
	g := m.common.Global
	for _, k := range []key.Binding{g.Back, g.Help, g.Quit, g.ForceQuit} {
		row(k)
	}
	b.WriteString("\n" + st.Muted.Render("press ? or esc to close"))
	box := st.HelpBox.Render(strings.TrimRight(b.String(), "\n"))
	if lipgloss.Width(box) > width || lipgloss.Height(box) > height {
		return strings.TrimRight(b.String(), "\n")
	}
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}
