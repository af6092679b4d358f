// Package app wires kaizen together for the commands: where files live (XDG directories,
// KAIZEN_HOME and --home), loading the course, and opening the progress store with the
// fallbacks a user expects (a read-only home still lets them read).
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// Paths are the places kaizen reads and writes.
type Paths struct {
	Home      string // data directory: progress.db, workspace/
	DB        string
	Workspace string
	ConfigDir string
	Cache     string // derived data that can be rebuilt (the parsed course index)
}

// Env is the part of the process environment paths depend on (injectable for tests).
type Env struct {
	Getenv  func(string) string
	HomeDir func() (string, error)
}

// OSEnv reads the real environment.
func OSEnv() Env { return Env{Getenv: os.Getenv, HomeDir: os.UserHomeDir} }

// ResolvePaths picks the data directory: --home, else $KAIZEN_HOME, else
// $XDG_DATA_HOME/kaizen, else ~/.local/share/kaizen. The config directory is the data
// directory when --home or KAIZEN_HOME is given (so one directory holds everything), else
// $XDG_CONFIG_HOME/kaizen or ~/.config/kaizen.
func ResolvePaths(flagHome string, env Env) (Paths, error) {
	var p Paths
	home := flagHome
	if home == "" {
		home = env.Getenv("KAIZEN_HOME")
	}
	if home != "" {
		abs, err := filepath.Abs(home)
		if err != nil {
			return p, err
		}
		p.Home, p.ConfigDir, p.Cache = abs, abs, filepath.Join(abs, "cache")
	} else {
		userHome, err := env.HomeDir()
		if err != nil && env.Getenv("XDG_DATA_HOME") == "" {
			return p, fmt.Errorf("cannot find a home directory for progress (set KAIZEN_HOME or --home): %w", err)
		}
		if x := env.Getenv("XDG_DATA_HOME"); x != "" {
			p.Home = filepath.Join(x, "kaizen")
		} else {
			p.Home = filepath.Join(userHome, ".local", "share", "kaizen")
		}
		if x := env.Getenv("XDG_CONFIG_HOME"); x != "" {
			p.ConfigDir = filepath.Join(x, "kaizen")
		} else if userHome != "" {
			p.ConfigDir = filepath.Join(userHome, ".config", "kaizen")
		} else {
			p.ConfigDir = p.Home
		}
		if x := env.Getenv("XDG_CACHE_HOME"); x != "" {
			p.Cache = filepath.Join(x, "kaizen")
		} else if userHome != "" {
			p.Cache = filepath.Join(userHome, ".cache", "kaizen")
		} else {
			p.Cache = filepath.Join(p.Home, "cache")
		}
	}
	p.DB = filepath.Join(p.Home, "progress.db")
	p.Workspace = filepath.Join(p.Home, "workspace")
	return p, nil
}

// LoadCourse loads --course DIR, or the embedded course when dir is empty.
func LoadCourse(dir string) (*course.Catalog, error) {
	if dir == "" {
		return course.Embedded()
	}
	return course.Dir(dir)
}

// LoadCourseIndex loads the first-screen part of a course for the app (see
// course.LoadIndex); the app completes it after its first frame.
func LoadCourseIndex(dir, cacheDir string) (*course.Catalog, error) {
	if dir == "" {
		return course.EmbeddedIndexCached(cacheDir)
	}
	return course.DirIndexCached(dir, cacheDir)
}

// OpenStore opens the progress database for a course. When the home cannot be written
// (read-only or full disk), it falls back to a private in-memory store and returns a
// warning to show, so the learner can still read; saved progress is never touched. A
// newer, corrupt or foreign database is an error.
func OpenStore(ctx context.Context, p Paths, courseID, courseVersion string, now func() time.Time) (st *store.Store, warning string, err error) {
	opt := store.Options{CourseID: courseID, CourseVersion: courseVersion, Now: now}
	st, err = store.Open(ctx, p.DB, opt)
	if err == nil {
		return st, "", nil
	}
	if !errors.Is(err, store.ErrReadOnly) {
		return nil, "", err
	}
	mem, merr := store.Open(ctx, ":memory:", opt)
	if merr != nil {
		return nil, "", fmt.Errorf("%v (and no in-memory fallback: %w)", err, merr)
	}
	return mem, "progress is not being saved: " + err.Error(), nil
}
