package cli

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/kaizen-mlops/kaizen/internal/app"
)

// debugLogger returns a logger that writes to debug.log in the data directory when --debug
// or KAIZEN_DEBUG is set, and discards everything otherwise. The full-screen app must never
// print to the terminal it draws on, so this file is where its diagnostics go.
func debugLogger(g *Global) (*slog.Logger, func()) {
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	if !g.Debug && !envTrue(g.Env.Getenv("KAIZEN_DEBUG")) {
		return discard, func() {}
	}
	paths, err := app.ResolvePaths(g.Home, g.Env)
	if err != nil {
		return discard, func() {}
	}
	if err := os.MkdirAll(paths.Home, 0o700); err != nil {
		return discard, func() {}
	}
	f, err := os.OpenFile(filepath.Join(paths.Home, "debug.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return discard, func() {}
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug})), func() { f.Close() }
}
