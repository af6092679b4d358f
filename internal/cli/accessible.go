package cli

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/kaizen-mlops/kaizen/internal/plain"
)

// accessibleWidth is the wrap width of accessible mode unless reading_width is set
// (narrower when the terminal is).
const accessibleWidth = 80

// accessible reports whether kaizen runs in accessible mode: --accessible (or the config
// setting, which sets the same field), or KAIZEN_ACCESSIBLE=1.
func accessible(g *Global) bool {
	if g.Accessible {
		return true
	}
	getenv := os.Getenv
	if g.Env.Getenv != nil {
		getenv = g.Env.Getenv
	}
	switch strings.ToLower(strings.TrimSpace(getenv("KAIZEN_ACCESSIBLE"))) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// runPlain runs accessible mode instead of the full-screen app: plain lines in, plain
// lines out, no terminal needed. start picks the first screen (nil: the home menu).
func runPlain(ctx context.Context, g *Global, start func(*plain.Session) error) error {
	// Ctrl+C in a line-mode terminal is a signal: end the session cleanly, saving.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	s, err := openSessionFullQuiet(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	width := accessibleWidth
	if g.Config.ReadingWidth > 0 {
		width = g.Config.ReadingWidth
	}
	if f, ok := g.Stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w >= 20 && w < width {
			width = w
		}
	}
	opts := plain.Options{Ctx: ctx, Catalog: s.catalog, Store: s.store, Learner: s.learner.ID, Now: g.Now,
		In: g.Stdin, Out: g.Stdout, Width: width, Warning: s.warning, Workspace: s.paths.Workspace}
	if isTerminal(g.Stdin) && isTerminal(g.Stdout) {
		opts.Edit = runEditor
	}
	p := plain.New(opts)
	if start == nil {
		return p.Run()
	}
	return start(p)
}

// runEditor opens the learner's editor ($VISUAL, $EDITOR, else nano or vi) on an
// exercise's files, on the terminal, and waits for it to close. Accessible mode reads no
// input meanwhile, so the editor has the terminal to itself.
func runEditor(dir string, files []string) error {
	name, args := "", []string(nil)
	for _, v := range []string{os.Getenv("VISUAL"), os.Getenv("EDITOR")} {
		if f := strings.Fields(v); len(f) > 0 {
			name, args = f[0], f[1:]
			break
		}
	}
	if name == "" {
		name = "vi"
		if _, err := exec.LookPath("nano"); err == nil {
			name = "nano"
		}
	}
	cmd := exec.Command(name, append(args, files...)...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}
