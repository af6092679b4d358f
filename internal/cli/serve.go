package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/classroom"
	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/server"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

// ServeOptions are the flags of `kaizen serve`.
type ServeOptions struct {
	Listen           string
	Data             string
	Roster           string
	MaxSessions      int
	MaxPerKey        int
	IdleTimeout      time.Duration
	AllowWeakSandbox bool
	LogFormat        string
	// ready, when set, receives the listening address (tests).
	ready func(addr string)
}

func newServeCmd(g *Global) *cobra.Command {
	o := &ServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Host the app for a class over SSH",
		Long: `Host kaizen for a whole class over SSH: students run "ssh -p PORT HOST" and get the app,
with their own progress, journal and workspaces, and no shell ("ssh -p PORT HOST accessible"
gives the accessible mode, plain lines for screen readers). Identity is the student's SSH
key. Without --roster, any key gets in and a new key is asked for a display name; with
--roster FILE (CSV: name,student_id,public_key) only those keys get in.

Progress, the host key and workspaces live in the data directory (--data, default the class
directory beside your own progress). SIGTERM or Ctrl-C stops the server gracefully: every
session is told and saved first.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", server.DefaultListen, "listen on `ADDR` (host:port; 0.0.0.0:2222 for every interface)")
	f.StringVar(&o.Data, "data", "", "class data directory `DIR` (default <home>/class)")
	f.StringVar(&o.Roster, "roster", "", "let in only the students of `FILE` (CSV: name,student_id,public_key)")
	f.IntVar(&o.MaxSessions, "max-sessions", server.DefaultMaxSessions, "most sessions at once")
	f.IntVar(&o.MaxPerKey, "max-per-key", server.DefaultMaxPerKey, "most sessions at once per student key")
	f.DurationVar(&o.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "end a session after this long without a key press (progress is saved)")
	f.BoolVar(&o.AllowWeakSandbox, "allow-weak-sandbox", false, "run exercise checks even when the sandbox cannot isolate them fully (namespaces unavailable)")
	f.StringVar(&o.LogFormat, "log-format", "text", "log lines on stderr as `text` (logfmt) or json")
	return cmd
}

// classDataDir is --data, else <home>/class.
func classDataDir(g *Global, flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	paths, err := app.ResolvePaths(g.Home, g.Env)
	if err != nil {
		return "", err
	}
	return filepath.Join(paths.Home, "class"), nil
}

func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text", "logfmt", "":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usagef("--log-format %q: want text or json", format)
}

func runServe(ctx context.Context, g *Global, o *ServeOptions) error {
	switch {
	case o.MaxSessions < 1:
		return usagef("--max-sessions must be at least 1")
	case o.MaxPerKey < 1:
		return usagef("--max-per-key must be at least 1")
	case o.IdleTimeout <= 0:
		return usagef("--idle-timeout must be a positive duration, like 30m")
	}
	logger, err := newLogger(g.Stderr, o.LogFormat)
	if err != nil {
		return err
	}
	dir, err := classDataDir(g, o.Data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("class data directory: %w", err)
	}
	var roster *classroom.Roster
	if o.Roster != "" {
		if roster, err = classroom.LoadRoster(o.Roster); err != nil {
			return err
		}
	}
	cat, err := app.LoadCourse(g.Course)
	if err != nil {
		return err
	}
	// No in-memory fallback here: a class server that cannot save must not start.
	st, err := store.Open(ctx, filepath.Join(dir, "progress.db"), store.Options{CourseID: cat.ID, CourseVersion: cat.Version, Now: g.Now})
	if err != nil {
		return err
	}
	defer st.Close()
	st.SetPool(8)

	// Say at start-up what the sandbox gives here, and whether exercise checks will run.
	caps := sandbox.Probe(ctx)
	switch {
	case caps.Level >= sandbox.LevelStrict:
		logger.Info("sandbox", "isolation", caps.String())
	case o.AllowWeakSandbox:
		logger.Warn("sandbox below strict isolation; exercise checks run anyway (--allow-weak-sandbox)", "isolation", caps.String(), "missing", strings.Join(caps.Missing, "; "))
	default:
		logger.Warn("sandbox below strict isolation: exercise checks will be refused (students see why); start with --allow-weak-sandbox to run them anyway",
			"isolation", caps.String(), "missing", strings.Join(caps.Missing, "; "), "error", caps.Err)
	}

	srv, err := server.New(server.Config{
		Listen:           o.Listen,
		DataDir:          dir,
		Catalog:          cat,
		Store:            st,
		Roster:           roster,
		MaxSessions:      o.MaxSessions,
		MaxPerKey:        o.MaxPerKey,
		IdleTimeout:      o.IdleTimeout,
		AllowWeakSandbox: o.AllowWeakSandbox,
		Logger:           logger,
		Now:              g.Now,
	})
	if err != nil {
		return err
	}
	ln, err := srv.Listen()
	if err != nil {
		return err
	}
	if o.ready != nil {
		o.ready(ln.Addr().String())
	}
	// SIGTERM (Main) and Ctrl-C both stop the server gracefully.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx, ln); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
