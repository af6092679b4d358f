package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"

	"github.com/kaizen-mlops/kaizen/internal/plain"
	"github.com/kaizen-mlops/kaizen/internal/tui"
)

type tuiOptions struct {
	start func(c *tui.Common) tui.Screen
	// plain is the same start in accessible mode (nil: the home menu).
	plain func(p *plain.Session) error
}

// ErrNoTTY is returned when the app is started without a terminal.
var ErrNoTTY = errors.New("kaizen's app needs a terminal (stdin and stdout must be a TTY); without one, use `kaizen read LESSON_ID` to print a lesson or `kaizen progress` to see your progress")

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// runTUI opens the full-screen app.
func runTUI(ctx context.Context, g *Global, opts tuiOptions) error {
	if accessible(g) {
		return runPlain(ctx, g, opts.plain)
	}
	if !isTerminal(g.Stdin) || !isTerminal(g.Stdout) {
		return ErrNoTTY
	}
	w, h := 0, 0
	if f, ok := g.Stdout.(*os.File); ok {
		w, h, _ = term.GetSize(f.Fd())
	}
	resumeGC := pauseGCForStartup()
	defer resumeGC()
	var sess *session // set by load; read only after its result is received
	logger, closeLog := debugLogger(g)
	defer closeLog()
	// The course and the store load in a command, while Bubble Tea sets up the terminal.
	load := func() (tui.Loaded, error) {
		began := time.Now()
		// A start screen (a quiz, a case study) needs the whole course at once.
		open := openSessionQuiet
		if opts.start != nil {
			open = openSessionFullQuiet
		}
		s, err := open(ctx, g)
		if err != nil {
			return tui.Loaded{}, err
		}
		sess = s
		// The first frame is painted on Bubble Tea's next tick; use the wait.
		go tui.WarmUp(w, h)
		logger.Debug("course and store loaded", "took", time.Since(began), "since_start", time.Since(g.Started))
		return tui.Loaded{Catalog: s.catalog, Store: s.store, Learner: s.learner.ID, Warning: s.warning, Workspace: s.paths.Workspace}, nil
	}
	// Start loading now, before Bubble Tea sets up the terminal; the root model's first
	// command only waits for the result.
	type loadResult struct {
		loaded tui.Loaded
		err    error
	}
	started := make(chan loadResult, 1)
	go func() {
		l, err := load()
		started <- loadResult{l, err}
	}()
	var once sync.Once
	var result loadResult
	get := func() loadResult {
		once.Do(func() { result = <-started })
		return result
	}
	wait := func() (tui.Loaded, error) {
		r := get()
		return r.loaded, r.err
	}
	defer func() {
		// Even when the app quit before the load finished, wait for it and close the store.
		get()
		if sess != nil {
			sess.Close()
		}
	}()
	theme, _ := tui.ParseTheme(g.Theme) // checked in applyConfig
	common := &tui.Common{Ctx: ctx, Width: w, Height: h, Now: g.Now, ReadingWidth: g.Config.ReadingWidth, Logger: logger, Started: g.Started}
	// The rest of the course is parsed three frames after the home screen is built, when
	// the first frame is on screen.
	model := tui.New(common, tui.Options{Load: wait, Start: opts.start, AltScreen: true, IsDark: themeDark(g), Theme: theme, CompleteAfter: 25 * time.Millisecond})
	// 120 fps halves the wait for the first frame, which Bubble Tea paints on its ticker.
	progOpts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(g.Stdin), tea.WithOutput(g.Stdout), tea.WithFPS(120)}
	if g.NoColor {
		progOpts = append(progOpts, tea.WithEnvironment(append(os.Environ(), "NO_COLOR=1")))
	}
	p := tea.NewProgram(model, progOpts...)
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("app: %w", err)
	}
	return model.Err()
}

// themeDark returns a fixed background choice from --theme, or nil to ask the terminal.
func themeDark(g *Global) *bool {
	t := true
	f := false
	switch g.Theme {
	case "dark":
		return &t
	case "light":
		return &f
	}
	return nil
}

// stdoutWidth is the width of the terminal stdout is, or 0 when it is not a terminal (a
// pipe, a file, a test's buffer): output for a terminal can be fitted to it.
func stdoutWidth(g *Global) int {
	if !isTerminal(g.Stdout) {
		return 0
	}
	w, _, err := term.GetSize(g.Stdout.(*os.File).Fd())
	if err != nil {
		return 0
	}
	return w
}
