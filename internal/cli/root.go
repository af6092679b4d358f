// Package cli holds kaizen's command line: one file per command, each an options struct
// and a run function that tests can call directly. Errors are typed and mapped to exit
// codes in one place: 0 success, 1 a failure the command reports, 2 usage.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// UsageError marks a mistake in how a command was called (exit 2).
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error { return UsageError{fmt.Errorf(format, args...)} }

// SilentError is a failure whose message the command already printed (exit 1).
type SilentError struct{ Code int }

func (e SilentError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// Global holds the flags every command shares.
type Global struct {
	Course     string
	Home       string
	Accessible bool
	Theme      string
	NoColor    bool
	Debug      bool
	// Config is the learner's settings file, read before every command; flags win over it.
	Config app.Config

	Env app.Env
	// Now is the clock for progress and review scheduling. KAIZEN_CLOCK_OFFSET (a Go
	// duration such as 15m or 48h) shifts it: end-to-end tests use it to see review cards
	// come due without waiting.
	Now    func() time.Time
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Started is when the command line began to run (start-up timings in the debug log).
	Started time.Time
}

// Main runs kaizen with the process's arguments and returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// Run executes one command line.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &Global{Env: app.OSEnv(), Stdin: stdin, Stdout: stdout, Stderr: stderr, Now: time.Now, Started: time.Now()}
	if off := os.Getenv("KAIZEN_CLOCK_OFFSET"); off != "" {
		d, err := time.ParseDuration(off)
		if err != nil {
			fmt.Fprintf(stderr, "kaizen: KAIZEN_CLOCK_OFFSET=%q is not a duration (like 15m or 48h)\n", off)
			return ExitUsage
		}
		g.Now = func() time.Time { return time.Now().Add(d) }
	}
	root := NewRoot(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	return exitCode(err, stderr)
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	var silent SilentError
	if errors.As(err, &silent) {
		return silent.Code
	}
	var usage UsageError
	if errors.As(err, &usage) {
		fmt.Fprintf(stderr, "kaizen: %v\nRun 'kaizen --help' for usage.\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "kaizen: %v\n", err)
	return ExitFailure
}

// NewRoot builds the command tree.
func NewRoot(g *Global) *cobra.Command {
	root := &cobra.Command{
		Use:   "kaizen",
		Short: "Learn MLOps in your terminal",
		Long: `kaizen teaches MLOps (getting machine-learning systems into production and keeping
them there) with lessons, quizzes, discussion questions, sandboxed automation exercises and a
branching case study. Run it with no command to open the app where you left off.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUI(cmd.Context(), g, tuiOptions{})
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.Course, "course", "", "run the course in `DIR` instead of the built-in one")
	pf.StringVar(&g.Home, "home", "", "keep progress in `DIR` (default $KAIZEN_HOME or ~/.local/share/kaizen)")
	pf.BoolVar(&g.Accessible, "accessible", false, "plain line-by-line mode for screen readers")
	pf.StringVar(&g.Theme, "theme", "", "colour theme: auto, dark, light")
	pf.BoolVar(&g.NoColor, "no-color", false, "no colours (also NO_COLOR=1)")
	pf.BoolVar(&g.Debug, "debug", false, "write a debug log to the data directory (also KAIZEN_DEBUG=1)")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return UsageError{err} })
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error { return applyConfig(g, cmd) }
	root.AddCommand(
		newReadCmd(g),
		newProgressCmd(g),
		newPortfolioCmd(g),
		newDoctorCmd(g),
		newVersionCmd(g),
		newCourseCmd(g),
		newQuizCmd(g),
		newReviewCmd(g),
		newJournalCmd(g),
		newCaseCmd(g),
		newConfigCmd(g),
		newExerciseCmd(g),
		newServeCmd(g),
		newClassCmd(g),
		newExportCmd(g),
	)
	return root
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s takes %d argument(s), got %d: %s", cmd.CommandPath(), n, len(args), cmd.Use)
		}
		return nil
	}
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("%s takes at most %d argument(s): %s", cmd.CommandPath(), n, cmd.Use)
		}
		return nil
	}
}

// session is what most commands need: paths, the course and the store.
type session struct {
	paths   app.Paths
	catalog *course.Catalog
	store   *store.Store
	warning string
	learner store.Learner
}

func (s *session) Close() {
	if s.store != nil {
		s.store.Close()
	}
}

// loadCourseOnly loads the course without opening the store.
func loadCourseOnly(g *Global) (*course.Catalog, error) { return app.LoadCourse(g.Course) }

// openSession loads the course and opens the store for the local learner. A warning (the
// store fell back to memory) is printed to stderr: commands that print must not pretend
// progress was saved.
func openSession(ctx context.Context, g *Global) (*session, error) {
	s, err := openSessionFullQuiet(ctx, g)
	if err == nil && s.warning != "" {
		fmt.Fprintln(g.Stderr, "kaizen: warning: "+s.warning)
	}
	return s, err
}

// openSessionQuiet is openSession for the full-screen app, which shows the warning itself
// and completes the course after its first frame.
func openSessionQuiet(ctx context.Context, g *Global) (*session, error) {
	return openSessionWith(ctx, g, app.LoadCourseIndex)
}

func openSessionFullQuiet(ctx context.Context, g *Global) (*session, error) {
	return openSessionWith(ctx, g, func(dir, _ string) (*course.Catalog, error) { return app.LoadCourse(dir) })
}

func openSessionWith(ctx context.Context, g *Global, loadCourse func(dir, cacheDir string) (*course.Catalog, error)) (*session, error) {
	paths, err := app.ResolvePaths(g.Home, g.Env)
	if err != nil {
		return nil, err
	}
	// The course and the database load at the same time: both sit on the path to the
	// first frame.
	type opened struct {
		st      *store.Store
		warning string
		err     error
	}
	storeCh := make(chan opened, 1)
	go func() {
		st, warning, err := app.OpenStore(ctx, paths, "", "", g.Now)
		storeCh <- opened{st, warning, err}
	}()
	cat, err := loadCourse(g.Course, paths.Cache)
	o := <-storeCh
	if err != nil {
		if o.st != nil {
			o.st.Close()
		}
		return nil, err
	}
	if o.err != nil {
		return nil, o.err
	}
	st, warning := o.st, o.warning
	st.SetCourse(cat.ID, cat.Version)
	learner, err := st.EnsureLearner(ctx, store.LocalLearnerKey, "")
	if err != nil {
		st.Close()
		return nil, err
	}
	return &session{paths: paths, catalog: cat, store: st, warning: warning, learner: learner}, nil
}
