package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

func newDoctorCmd(g *Global) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check paths, the progress database, the terminal and the tools exercises need",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			problems := runDoctor(cmd.Context(), g, g.Stdout)
			if problems > 0 {
				return SilentError{Code: ExitFailure}
			}
			return nil
		},
	}
}

// runDoctor prints a report and returns how many problems it found.
func runDoctor(ctx context.Context, g *Global, w io.Writer) int {
	problems := 0
	ok := func(label, value string) { fmt.Fprintf(w, "  ✓ %-16s %s\n", label, value) }
	bad := func(label, value string) { problems++; fmt.Fprintf(w, "  ✗ %-16s %s\n", label, value) }
	note := func(label, value string) { fmt.Fprintf(w, "  • %-16s %s\n", label, value) }

	fmt.Fprintf(w, "kaizen %s\n\nPaths\n", versionString())
	paths, err := app.ResolvePaths(g.Home, g.Env)
	if err != nil {
		bad("data directory", err.Error())
	} else {
		ok("data directory", paths.Home)
		note("config", paths.ConfigDir)
		note("workspaces", paths.Workspace)
		note("cache", paths.Cache)
	}

	fmt.Fprintf(w, "\nCourse\n")
	cat, err := app.LoadCourse(g.Course)
	if err != nil {
		bad("course", err.Error())
	} else {
		lessons := len(cat.LessonIDs())
		ok("course", fmt.Sprintf("%s %s (%s): %d chapters, %d lessons", cat.ID, cat.Version, cat.Source, len(cat.Chapters), lessons))
	}

	fmt.Fprintf(w, "\nProgress database\n")
	if err == nil && paths.DB != "" {
		st, openErr := store.Open(ctx, paths.DB, store.Options{CourseID: cat.ID, CourseVersion: cat.Version})
		if openErr != nil {
			bad("database", openErr.Error())
		} else {
			start := time.Now()
			h, herr := st.Health(ctx)
			st.Close()
			if herr != nil {
				bad("database", herr.Error())
			} else {
				ok("database", fmt.Sprintf("%s (%d bytes)", h.Path, h.SizeBytes))
				ok("schema", fmt.Sprintf("version %d of %d, journal %s", h.SchemaVersion, store.SchemaVersion(), h.JournalMode))
				if h.Integrity == "ok" {
					ok("integrity", fmt.Sprintf("ok (%d learners, %d events, checked in %s)", h.Learners, h.Events, time.Since(start).Round(time.Millisecond)))
				} else {
					bad("integrity", h.Integrity)
				}
			}
		}
	}

	fmt.Fprintf(w, "\nTerminal\n")
	stdinTTY, stdoutTTY := isTerminal(g.Stdin), isTerminal(g.Stdout)
	if stdinTTY && stdoutTTY {
		ok("tty", "stdin and stdout are terminals")
	} else {
		note("tty", fmt.Sprintf("stdin tty=%v, stdout tty=%v (the app needs both; read and progress work without)", stdinTTY, stdoutTTY))
	}
	note("TERM", orNone(os.Getenv("TERM")))
	profile := colorprofile.Detect(os.Stdout, os.Environ())
	note("colours", profile.String())
	if os.Getenv("NO_COLOR") != "" || g.NoColor {
		note("NO_COLOR", "set: no colours")
	}

	fmt.Fprintf(w, "\nTools exercises use\n")
	for _, tool := range []struct{ name, flag string }{{"bash", "--version"}, {"python3", "--version"}, {"make", "--version"}, {"git", "--version"}} {
		path, lerr := exec.LookPath(tool.name)
		if lerr != nil {
			bad(tool.name, "not found on PATH: exercises that need it cannot be checked")
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		out, _ := exec.CommandContext(cctx, path, tool.flag).CombinedOutput()
		cancel()
		first := strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
		ok(tool.name, path+"  "+first)
	}
	fmt.Fprintf(w, "\nSandbox for exercise checks\n")
	caps := sandbox.Probe(ctx)
	switch {
	case caps.Err != "":
		bad("sandbox", caps.Err)
	case caps.Level >= sandbox.LevelStrict:
		ok("isolation", "strict — "+strings.Join(caps.Layers, ", "))
	default:
		note("isolation", fmt.Sprintf("level %d — %s (checks still run; a class server refuses this level unless --allow-weak-sandbox)", caps.Level, strings.Join(caps.Layers, ", ")))
	}
	for _, m := range caps.Missing {
		note("missing layer", m)
	}
	if caps.Root {
		note("as root", "learner code runs as an unprivileged user")
	}
	fmt.Fprintln(w)
	if problems > 0 {
		fmt.Fprintf(w, "%d problem(s) found.\n", problems)
	} else {
		fmt.Fprintln(w, "Everything kaizen needs is in place.")
	}
	return problems
}

func orNone(s string) string {
	if s == "" {
		return "(not set)"
	}
	return s
}
