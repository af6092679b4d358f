package tui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/exercises"
	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

// practice returns the exercise runner for the session's learner. A class server runs
// learner code only under strict isolation unless it was started with --allow-weak-sandbox.
func practice(c *Common) *app.Practice {
	level := c.MinLevel
	if c.ClassMode && !c.AllowWeakSandbox {
		level = max(level, sandbox.LevelStrict)
	}
	return &app.Practice{Store: c.Store, Learner: c.Learner, Root: c.Workspace, MinLevel: level, Now: c.Now, Gate: c.CheckGate}
}

// exerciseStatesMsg carries the learner's exercise states.
type exerciseStatesMsg struct {
	states map[string]store.ExerciseState
	err    error
}

func loadExerciseStatesCmd(c *Common) tea.Cmd {
	return func() tea.Msg {
		if c.Store == nil {
			return exerciseStatesMsg{states: map[string]store.ExerciseState{}}
		}
		st, err := c.Store.Exercises(c.Ctx, c.Learner)
		return exerciseStatesMsg{st, err}
	}
}

func exerciseMark(st *Styles, s store.ExerciseState) string {
	switch {
	case s.Passed:
		return st.Good.Render("✓ passed")
	case s.Attempts > 0:
		return st.Accent.Render(fmt.Sprintf("◐ %d attempt(s)", s.Attempts))
	case s.Started:
		return st.Accent.Render("◐ started")
	}
	return st.Muted.Render("○ new")
}

// ExerciseList lists a chapter's exercises with their status.
type ExerciseList struct {
	c      *Common
	ch     *lessons.Chapter
	keys   ListKeys
	cursor int
	states map[string]store.ExerciseState
	width  int
	height int
}

var _ Screen = (*ExerciseList)(nil)

// NewExerciseList builds a chapter's exercise list.
func NewExerciseList(c *Common, ch *lessons.Chapter) *ExerciseList {
	return &ExerciseList{c: c, ch: ch, keys: NewListKeys(), states: map[string]store.ExerciseState{}}
}

// Init loads the states.
func (s *ExerciseList) Init() tea.Cmd { return loadExerciseStatesCmd(s.c) }

// Title names the screen.
func (s *ExerciseList) Title() string { return "Exercises" }

// Help lists the keys.
func (s *ExerciseList) Help() [][]key.Binding {
	return [][]key.Binding{{s.keys.Open, s.keys.Up, s.keys.Down}, {s.keys.Top, s.keys.Bottom}}
}

// SetSize sets the body size.
func (s *ExerciseList) SetSize(w, h int) { s.width, s.height = w, h }

// Update handles keys.
func (s *ExerciseList) Update(msg tea.Msg) (Screen, tea.Cmd) {
	exs := s.c.Catalog.ExercisesOf(s.ch.ID)
	switch msg := msg.(type) {
	case exerciseStatesMsg:
		if msg.err == nil {
			s.states = msg.states
		}
	case refreshMsg:
		return s, loadExerciseStatesCmd(s.c)
	case tea.KeyPressMsg:
		if cursor, moved := s.keys.Move(msg, s.cursor, len(exs)); moved {
			s.cursor = cursor
			return s, nil
		}
		switch {
		case key.Matches(msg, s.keys.Open):
			if s.cursor < len(exs) {
				return s, s.c.push(NewExercise(s.c, exs[s.cursor]))
			}
		}
	}
	return s, nil
}

// View draws the list.
func (s *ExerciseList) View() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Automation exercises: "+s.ch.Title) + "\n")
	if s.height >= 14 {
		b.WriteString(st.Muted.Render(wrapText("You write real automation in your own editor; kaizen checks it in a sandbox.", min(s.width, 100))) + "\n")
	}
	b.WriteString("\n")
	for i, ex := range s.c.Catalog.ExercisesOf(s.ch.ID) {
		marker, ts := "  ", st.Text
		if i == s.cursor {
			marker, ts = st.Cursor.Render("▸ "), st.Title
		}
		status := exerciseMark(st, s.states[ex.ID])
		right := st.Muted.Render(ex.Language) + "  " + status
		titleW := max(listWidth(s.width)-2-lipglossWidth(right)-2, 10)
		b.WriteString(marker + ts.Render(padRight(truncate(ex.Title, titleW), titleW)) + "  " + right + "\n")
	}
	return b.String()
}

// ExerciseKeys are the exercise screen's keys.
type ExerciseKeys struct {
	Edit     key.Binding
	Check    key.Binding
	Watch    key.Binding
	Hint     key.Binding
	Reset    key.Binding
	Solution key.Binding
	Down     key.Binding
	Up       key.Binding
	PageDown key.Binding
	PageUp   key.Binding
}

// NewExerciseKeys returns the exercise screen's keys.
func NewExerciseKeys() ExerciseKeys {
	return ExerciseKeys{
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit in $EDITOR")),
		Check:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check")),
		Watch:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "watch: check on every save")),
		Hint:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "next hint")),
		Reset:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reset (keeps a backup)")),
		Solution: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "solution")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space"), key.WithHelp("space", "page down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("b", "page up")),
	}
}

// Exercise shows one exercise: the task, the last check's results, hints, and the keys to
// edit, check, watch, reset and see the solution.
type Exercise struct {
	c     *Common
	ex    *exercises.Exercise
	keys  ExerciseKeys
	state store.ExerciseState
	dir   string

	report   *exercises.Report
	checking bool
	cancel   context.CancelFunc // cancels a running check
	pending  bool               // a save arrived during a check: check again after it
	spin     spinner.Model

	watching    bool
	stopWatch   context.CancelFunc
	changes     chan struct{}
	hints       []string
	confirm     string // "reset" or "give-up" while waiting for a confirming key
	readme      string
	readmeKey   renderKey
	notice      string
	vp          viewport.Model
	width       int
	height      int
	checkedAt   time.Time
	checkErr    error
	scrollTop   bool
	solutionDir string
}

var _ Screen = (*Exercise)(nil)

// NewExercise builds the exercise screen.
func NewExercise(c *Common, ex *exercises.Exercise) *Exercise {
	s := &Exercise{c: c, ex: ex, keys: NewExerciseKeys()}
	s.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	s.vp = viewport.New()
	s.vp.KeyMap = viewport.KeyMap{}
	return s
}

// exerciseReadyMsg reports the workspace and the learner's state.
type exerciseReadyMsg struct {
	dir   string
	state store.ExerciseState
	hints []string
	last  *exercises.Report
	err   error
}

// checkDoneMsg carries a finished check.
type checkDoneMsg struct {
	report *exercises.Report
	err    error
}

// fileChangedMsg says the learner saved a file while watching.
type fileChangedMsg struct{}

// editorDoneMsg says the editor closed.
type editorDoneMsg struct{ err error }

// Init creates the workspace (never overwriting) and loads the state and the README.
func (s *Exercise) Init() tea.Cmd {
	c, ex := s.c, s.ex
	p := practice(c)
	ready := func() tea.Msg {
		dir, _, err := p.Start(c.Ctx, ex)
		if err != nil {
			return exerciseReadyMsg{err: err}
		}
		st, err := p.State(c.Ctx, ex)
		if err != nil {
			return exerciseReadyMsg{err: err}
		}
		hints, err := p.HintsShown(c.Ctx, ex)
		var last *exercises.Report
		if c.Store != nil {
			if atts, aerr := c.Store.Attempts(c.Ctx, c.Learner, ex.ID); aerr == nil && len(atts) > 0 {
				var rep exercises.Report
				if jsonUnmarshal(atts[len(atts)-1].Report, &rep) == nil {
					last = &rep
				}
			}
		}
		return exerciseReadyMsg{dir: dir, state: st, hints: hints, last: last, err: err}
	}
	return tea.Batch(ready, s.renderReadme())
}

func (s *Exercise) renderReadme() tea.Cmd {
	if s.width == 0 {
		return nil
	}
	ex := s.ex
	k := renderKey{id: "exercise:" + ex.ID, width: readingWidth(s.width, s.c.ReadingWidth), style: s.c.Styles.GlamourStyle}
	if k == s.readmeKey {
		return nil
	}
	s.readmeKey = k
	if text, ok := s.c.Cache.Get(k); ok {
		s.readme = text
		return nil
	}
	return renderMarkdownCmd(s.c.Cache, k, ex.README)
}

// Title names the screen.
func (s *Exercise) Title() string { return s.ex.Title }

// Help lists the keys.
func (s *Exercise) Help() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{{k.Edit, k.Check, k.Watch, k.Hint, k.Reset, k.Solution}, {k.Down, k.Up, k.PageDown, k.PageUp}}
}

// SetSize sets the body size.
func (s *Exercise) SetSize(w, h int) {
	s.width, s.height = w, h
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(h-3, 1))
}

// Update handles keys and results.
func (s *Exercise) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case exerciseReadyMsg:
		if msg.err != nil {
			s.checkErr = msg.err
			return s, nil
		}
		s.dir, s.state, s.hints = msg.dir, msg.state, msg.hints
		if s.report == nil {
			s.report = msg.last
		}
	case renderedMsg:
		if msg.key == s.readmeKey {
			if msg.err == nil {
				s.readme = msg.text
			} else {
				s.readme = "Could not show the task: " + msg.err.Error()
			}
		}
	case resizedMsg, stylesChangedMsg:
		return s, s.renderReadme()
	case checkDoneMsg:
		s.checking = false
		s.cancel = nil
		s.checkedAt = s.c.Now()
		if msg.err != nil {
			s.checkErr = msg.err
		} else {
			s.checkErr = nil
			s.report = msg.report
			s.state.Attempts++
			if msg.report.Passed && !s.state.Passed {
				s.state.Passed = true
				s.notice = "✓ Every check passes. The solution is unlocked (s) to compare with yours."
			}
		}
		s.scrollTop = true
		if s.pending {
			s.pending = false
			return s, s.startCheck()
		}
		return s, nil
	case fileChangedMsg:
		var next tea.Cmd
		if s.watching {
			next = s.waitForChange()
		}
		if s.checking {
			s.pending = true
			return s, next
		}
		return s, tea.Batch(next, s.startCheck())
	case editorDoneMsg:
		if msg.err != nil {
			s.notice = "The editor failed: " + msg.err.Error() + ". Set $EDITOR, or edit the files in " + s.dir + " with any editor."
			return s, nil
		}
		if !s.watching {
			s.notice = "Saved? Press c to check."
		}
	case hintRevealedMsg:
		if msg.rung > len(s.hints) {
			s.hints = append(s.hints, msg.text)
			s.state.Hints = len(s.hints)
		} else {
			s.notice = "That was the last hint; the solution unlocks after a pass (or s to give up)."
		}
		s.scrollTop = true
	case solutionMsg:
		s.solutionDir = msg.dir
		s.state.Revealed = true
		return s, s.c.push(NewSolutionView(s.c, s.ex, msg.files, msg.dir))
	case spinner.TickMsg:
		if s.checking {
			var cmd tea.Cmd
			s.spin, cmd = s.spin.Update(msg)
			return s, cmd
		}
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, cmd
	}
	return s, nil
}

func (s *Exercise) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	if s.confirm != "" {
		what := s.confirm
		s.confirm = ""
		switch {
		case what == "reset" && key.Matches(msg, k.Reset):
			return s.reset()
		case what == "give-up" && msg.String() == "y":
			return s.solution(true)
		}
		s.notice = "Nothing changed."
		return nil
	}
	s.notice = ""
	switch {
	case key.Matches(msg, k.Check):
		return s.startCheck()
	case key.Matches(msg, k.Edit):
		return s.edit()
	case key.Matches(msg, k.Watch):
		return s.toggleWatch()
	case key.Matches(msg, k.Hint):
		return s.hint()
	case key.Matches(msg, k.Reset):
		s.confirm = "reset"
		s.notice = "Press r again to reset: your files move to a backup and the starter comes back. Any other key cancels."
	case key.Matches(msg, k.Solution):
		if s.state.Passed || s.state.GaveUp {
			return s.solution(false)
		}
		s.confirm = "give-up"
		s.notice = "The solution unlocks after a pass. Press y to give up and see it now (it is recorded); any other key cancels."
	case key.Matches(msg, k.Down):
		s.vp.ScrollDown(1)
	case key.Matches(msg, k.Up):
		s.vp.ScrollUp(1)
	case key.Matches(msg, k.PageDown):
		s.vp.PageDown()
	case key.Matches(msg, k.PageUp):
		s.vp.PageUp()
	}
	return nil
}

// startCheck runs the checks in a command; only one runs at a time.
func (s *Exercise) startCheck() tea.Cmd {
	if s.checking {
		s.pending = true
		return nil
	}
	s.checking = true
	ctx, cancel := context.WithCancel(s.c.Ctx)
	s.cancel = cancel
	p, ex := practice(s.c), s.ex
	run := func() tea.Msg {
		rep, err := p.Check(ctx, ex, 0)
		return checkDoneMsg{rep, err}
	}
	return tea.Batch(run, s.spin.Tick)
}

// editorCommand picks the learner's editor: $VISUAL, $EDITOR, then nano or vi.
func editorCommand() (string, []string) {
	for _, v := range []string{os.Getenv("VISUAL"), os.Getenv("EDITOR")} {
		if f := strings.Fields(v); len(f) > 0 {
			return f[0], f[1:]
		}
	}
	for _, e := range []string{"nano", "vi"} {
		if _, err := exec.LookPath(e); err == nil {
			return e, nil
		}
	}
	return "vi", nil
}

func (s *Exercise) edit() tea.Cmd {
	if s.dir == "" {
		return nil
	}
	if s.c.ClassMode {
		// Over SSH there is no local editor: use the built-in one.
		return s.c.push(NewFileEditor(s.c, s.dir, s.ex.Files))
	}
	name, args := editorCommand()
	args = append(args, s.ex.Files...)
	cmd := exec.Command(name, args...)
	cmd.Dir = s.dir
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return editorDoneMsg{err} })
}

func (s *Exercise) toggleWatch() tea.Cmd {
	if s.watching {
		s.stopWatching()
		s.notice = "Watch off."
		return nil
	}
	if s.dir == "" {
		return nil
	}
	ctx, cancel := context.WithCancel(s.c.Ctx)
	s.watching, s.stopWatch = true, cancel
	s.changes = make(chan struct{}, 1)
	changes, dir := s.changes, s.dir
	go func() {
		// Every save (debounced) becomes one message; a save while one waits is merged.
		_ = exercises.Watch(ctx, dir, 300*time.Millisecond, func() {
			select {
			case changes <- struct{}{}:
			default:
			}
		})
	}()
	s.notice = "Watch on: kaizen checks on every save in " + s.dir + "."
	return tea.Batch(s.waitForChange(), s.startCheck())
}

func (s *Exercise) waitForChange() tea.Cmd {
	changes := s.changes
	ctx := s.c.Ctx
	return func() tea.Msg {
		select {
		case <-changes:
			return fileChangedMsg{}
		case <-ctx.Done():
			return nil
		}
	}
}

func (s *Exercise) stopWatching() {
	if s.stopWatch != nil {
		s.stopWatch()
	}
	s.watching, s.stopWatch = false, nil
}

// Leave stops watching and cancels a running check.
func (s *Exercise) Leave() tea.Cmd {
	s.stopWatching()
	if s.cancel != nil {
		s.cancel()
	}
	return nil
}

func (s *Exercise) hint() tea.Cmd {
	p, ex, c := practice(s.c), s.ex, s.c
	return func() tea.Msg {
		rung, text, err := p.Hint(c.Ctx, ex)
		if err != nil {
			return errMsg{err}
		}
		return hintRevealedMsg{rung, text}
	}
}

// hintRevealedMsg adds a hint to the screen.
type hintRevealedMsg struct {
	rung int
	text string
}

func (s *Exercise) reset() tea.Cmd {
	p, ex, c := practice(s.c), s.ex, s.c
	s.stopWatching()
	return func() tea.Msg {
		backup, err := p.Reset(c.Ctx, ex)
		if err != nil {
			return errMsg{err}
		}
		note := "Fresh starter files are in place."
		if backup != "" {
			note += " Your previous work is in " + backup
		}
		return statusMsg(note)
	}
}

// solutionMsg carries the revealed solution.
type solutionMsg struct {
	dir   string
	files map[string][]byte
}

func (s *Exercise) solution(giveUp bool) tea.Cmd {
	p, ex, c := practice(s.c), s.ex, s.c
	if giveUp {
		s.state.GaveUp = true
	}
	return func() tea.Msg {
		dir, files, err := p.Solution(c.Ctx, ex, giveUp)
		if err != nil {
			return errMsg{err}
		}
		return solutionMsg{dir, files}
	}
}

// View draws the header, then the results, the hints and the task.
func (s *Exercise) View() string {
	st := s.c.Styles
	w := min(s.width, 100)
	var head strings.Builder
	status := exerciseMark(st, s.state)
	if s.state.Hints > 0 || len(s.hints) > 0 {
		status += st.Muted.Render(fmt.Sprintf(" · %d hint(s)", max(s.state.Hints, len(s.hints))))
	}
	watch := ""
	if s.watching {
		watch = st.Accent.Render("  ● watching")
	}
	head.WriteString(st.Title.Render(truncate(s.ex.Title, w-30)) + "  " + status + watch + "\n")
	files := strings.Join(s.ex.Files, ", ")
	head.WriteString(st.Muted.Render(truncate(fmt.Sprintf("%s · edit %s in %s", s.ex.Language, files, s.dir), w)) + "\n")
	switch {
	case s.confirm != "" || s.notice != "":
		head.WriteString(st.Warn.Render(truncate(s.notice, w)) + "\n")
	case s.checking:
		head.WriteString(s.spin.View() + st.Muted.Render(fmt.Sprintf(" checking %d criteria in the sandbox…", len(s.ex.Checks))) + "\n")
	default:
		head.WriteString("\n")
	}

	var body strings.Builder
	// Hints first (short, and just asked for), then the results, then the task.
	if len(s.hints) > 0 {
		names := []string{"Nudge", "Concept", "Partial answer"}
		body.WriteString(st.Subtitle.Render("Hints") + "\n")
		for i, h := range s.hints {
			body.WriteString(st.Accent.Render(names[min(i, 2)]+": ") + st.Text.Render(wrapText(strings.TrimSpace(h), w-16)) + "\n")
		}
		body.WriteString("\n")
	}
	body.WriteString(s.resultsView(w))
	if s.solutionDir != "" {
		body.WriteString("\n" + st.Subtitle.Render("Solution") + "\n" + st.Muted.Render("The reference solution is in "+s.solutionDir) + "\n")
	}
	body.WriteString("\n" + s.readme)
	s.vp.SetContent(body.String())
	if s.scrollTop {
		s.vp.GotoTop()
		s.scrollTop = false
	}
	return head.String() + s.vp.View()
}

func (s *Exercise) resultsView(w int) string {
	st := s.c.Styles
	var b strings.Builder
	if s.checkErr != nil {
		b.WriteString(st.Bad.Render("! The check could not run: ") + st.Text.Render(wrapText(s.checkErr.Error(), w-26)) + "\n")
		return b.String()
	}
	rep := s.report
	if rep == nil {
		b.WriteString(st.Muted.Render("Not checked yet. Edit the files (e), then press c to check, or w to check on every save.") + "\n")
		return b.String()
	}
	verdict := st.Bad.Render(fmt.Sprintf("✗ Not yet: %d/%d points", rep.Points, rep.MaxPoints))
	if rep.Passed {
		verdict = st.Good.Render(fmt.Sprintf("✓ All checks pass: %d/%d points", rep.Points, rep.MaxPoints))
	}
	when := ""
	if !s.checkedAt.IsZero() {
		when = st.Muted.Render("  checked at " + s.checkedAt.Format("15:04:05"))
	}
	b.WriteString(verdict + when + "\n")
	for _, r := range rep.Results {
		mark := st.Good.Render("✓ pass ")
		switch r.Status {
		case exercises.Fail:
			mark = st.Bad.Render("✗ fail ")
		case exercises.Error:
			mark = st.Warn.Render("! error")
		}
		b.WriteString(mark + " " + st.Text.Render(truncate(r.Name, w-16)) + st.Muted.Render(fmt.Sprintf(" %d/%d", r.Points, r.MaxPoints)) + "\n")
		if r.Status != exercises.Pass && r.Reason != "" {
			b.WriteString(st.Muted.Render(indentLines(wrapText(strings.TrimSpace(r.Reason), w-9), "         ")) + "\n")
		}
	}
	iso := "isolation: " + rep.Isolation
	if len(rep.Layers) > 0 {
		iso += " — " + rep.IsolationSummary()
	}
	b.WriteString(st.Muted.Render(truncate(iso, w)) + "\n")
	return b.String()
}
