//go:build unix

package sandbox_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// allModes adds the path without the helper to the modes of eachMode.
func allModes(t *testing.T, f func(t *testing.T, disable []string)) {
	eachMode(t, f)
	t.Run("no-helper", func(t *testing.T) { f(t, []string{sandbox.LayerHelper}) })
}

func TestRunExitAndOutput(t *testing.T) {
	t.Parallel()
	allModes(t, func(t *testing.T, disable []string) {
		s := sh(t, "echo out; echo err >&2; exit 3")
		s.Disable = disable
		res := run(t, s)
		if res.ExitCode != 3 || res.Reason != "exit status 3" || res.Signal != "" ||
			string(res.Stdout) != "out\n" || string(res.Stderr) != "err\n" {
			t.Errorf("%s", dump(res))
		}
		if res.Wall <= 0 || res.Level != map[bool]sandbox.Level{true: sandbox.LevelNone, false: res.Level}[len(disable) > 0 && disable[0] == sandbox.LayerHelper] {
			t.Errorf("wall %v level %v", res.Wall, res.Level)
		}
	})
}

func TestRunNotFound(t *testing.T) {
	t.Parallel()
	allModes(t, func(t *testing.T, disable []string) {
		s := spec(t, "no-such-command-7771")
		s.Disable = disable
		res := run(t, s)
		if res.ExitCode != 127 || !strings.Contains(res.Reason, "command not found") {
			t.Errorf("%s", dump(res))
		}
	})
}

func TestRunStdin(t *testing.T) {
	t.Parallel()
	allModes(t, func(t *testing.T, disable []string) {
		s := spec(t, "cat")
		s.Stdin = []byte("hello\nworld\n")
		s.Disable = disable
		res := run(t, s)
		if string(res.Stdout) != "hello\nworld\n" {
			t.Errorf("%s", dump(res))
		}
		// Without Stdin the command reads /dev/null, not the terminal kaizen runs in.
		s = spec(t, "cat")
		s.Disable = disable
		if res = run(t, s); res.ExitCode != 0 || len(res.Stdout) != 0 {
			t.Errorf("%s", dump(res))
		}
	})
}

// A large input the command never reads must not hang the run.
func TestRunUnreadStdin(t *testing.T) {
	t.Parallel()
	s := spec(t, "true")
	s.Stdin = make([]byte, 4<<20)
	res := run(t, s)
	if res.ExitCode != 0 {
		t.Errorf("%s", dump(res))
	}
}

func TestRunEnvironment(t *testing.T) {
	t.Parallel()
	allModes(t, func(t *testing.T, disable []string) {
		s := spec(t, "env")
		s.Env = map[string]string{"EXTRA": "1", "LANG": "C"}
		s.Disable = disable
		res := run(t, s)
		env := map[string]string{}
		for _, kv := range strings.Split(strings.TrimSpace(string(res.Stdout)), "\n") {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		if env["PATH"] != sandbox.DefaultPath || env["HOME"] != s.Dir || env["EXTRA"] != "1" || env["LANG"] != "C" || env["TMPDIR"] == "" {
			t.Errorf("environment %q", env)
		}
		for k := range env {
			if k != "PWD" && k != "SHLVL" && k != "_" && k != "PATH" && k != "HOME" && k != "EXTRA" && k != "LANG" && k != "TMPDIR" {
				t.Errorf("unexpected variable %s", k)
			}
		}
	})
}

// The work dir is synced back: new, changed and removed files, modes and untouched mtimes.
func TestRunWorkDir(t *testing.T) {
	t.Parallel()
	allModes(t, func(t *testing.T, disable []string) {
		s := sh(t, `cat keep.txt >/dev/null; echo changed > change.txt; rm gone.txt; mkdir -p new/sub; echo n > new/sub/f; chmod 755 new/sub/f; ln -s keep.txt link`)
		s.Disable = disable
		writeFile(t, filepath.Join(s.Dir, "keep.txt"), "keep", 0o640)
		writeFile(t, filepath.Join(s.Dir, "change.txt"), "old", 0o644)
		writeFile(t, filepath.Join(s.Dir, "gone.txt"), "x", 0o644)
		old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		os.Chtimes(filepath.Join(s.Dir, "keep.txt"), old, old)
		res := run(t, s)
		if res.ExitCode != 0 {
			t.Fatalf("%s", dump(res))
		}
		read := func(name string) string { b, _ := os.ReadFile(filepath.Join(s.Dir, name)); return string(b) }
		if read("keep.txt") != "keep" || read("change.txt") != "changed\n" || read("new/sub/f") != "n\n" {
			t.Errorf("contents: %q %q %q", read("keep.txt"), read("change.txt"), read("new/sub/f"))
		}
		if _, err := os.Stat(filepath.Join(s.Dir, "gone.txt")); !os.IsNotExist(err) {
			t.Errorf("gone.txt: %v", err)
		}
		if fi, err := os.Stat(filepath.Join(s.Dir, "keep.txt")); err != nil || !fi.ModTime().Equal(old) || fi.Mode().Perm() != 0o640 {
			t.Errorf("keep.txt: %v %v", fi.ModTime(), fi.Mode())
		}
		if fi, err := os.Stat(filepath.Join(s.Dir, "new/sub/f")); err != nil || fi.Mode().Perm() != 0o755 {
			t.Errorf("new/sub/f: %v", err)
		}
		if l, err := os.Readlink(filepath.Join(s.Dir, "link")); err != nil || l != "keep.txt" {
			t.Errorf("link: %q %v", l, err)
		}
	})
}

func TestRunCancel(t *testing.T) {
	t.Parallel()
	allModes(t, func(t *testing.T, disable []string) {
		s := spec(t, "sleep", "7781")
		s.Disable = disable
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		res, err := sandbox.Run(ctx, s)
		if !errors.Is(err, context.DeadlineExceeded) || res.Reason != "killed: cancelled" {
			t.Errorf("%v: %s", err, dump(res))
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("took %v", d)
		}
		noSurvivors(t, "sleep 7781")
	})
}

func TestRunBadSpec(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]sandbox.Spec{
		"no argv":     {Dir: t.TempDir()},
		"no dir":      {Argv: []string{"true"}},
		"missing dir": {Argv: []string{"true"}, Dir: "/nonexistent/kaizen"},
		"system dir":  {Argv: []string{"true"}, Dir: "/usr"},
		"relative ro": {Argv: []string{"true"}, Dir: t.TempDir(), ReadOnlyPaths: []string{"rel"}},
		"bad env":     {Argv: []string{"true"}, Dir: t.TempDir(), Env: map[string]string{"A=B": "c"}},
		"missing ro":  {Argv: []string{"true"}, Dir: t.TempDir(), ReadOnlyPaths: []string{"/nonexistent/kaizen"}},
		"bad network": {Argv: []string{"true"}, Dir: t.TempDir(), Network: 7},
	} {
		if _, err := sandbox.Run(context.Background(), s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRunReadOnlyPaths(t *testing.T) {
	t.Parallel()
	tools := t.TempDir()
	os.Chmod(tools, 0o755)
	os.Chmod(filepath.Dir(tools), 0o755)
	writeFile(t, filepath.Join(tools, "tool.sh"), "#!/bin/sh\necho tool ran\n", 0o755)
	eachMode(t, func(t *testing.T, disable []string) {
		s := sh(t, `"$1/tool.sh"; echo x > "$1/new" || echo denied`)
		s.Argv = append(s.Argv, "ro", tools)
		s.ReadOnlyPaths = []string{tools}
		s.Disable = disable
		res := run(t, s)
		if !strings.Contains(string(res.Stdout), "tool ran") || !strings.Contains(string(res.Stdout), "denied") {
			t.Errorf("%s", dump(res))
		}
		if _, err := os.Stat(filepath.Join(tools, "new")); err == nil {
			t.Error("wrote into a read-only path")
		}
	})
}

func TestProbe(t *testing.T) {
	t.Parallel()
	if caps.Err != "" {
		t.Fatalf("probe: %s", caps.Err)
	}
	t.Logf("isolation: %s; missing %q", caps, caps.Missing)
	if caps.Level == sandbox.LevelNone || !caps.Has(sandbox.LayerHelper) {
		t.Errorf("the test binary is its own helper, yet: %s %q", caps, caps.Missing)
	}
	// Spec.Caps skips what the probe saw fail, with the probe's reasons.
	s := spec(t, "true")
	s.Caps = &sandbox.Capabilities{Missing: []string{sandbox.LayerHelper + ": probed: no helper"}}
	res := run(t, s)
	if why, ok := strings.CutPrefix(strings.Join(res.Missing, "|"), sandbox.LayerHelper+": "); !ok || !strings.HasPrefix(why, "probed: no helper") {
		t.Errorf("Caps ignored: %q", res.Missing)
	}
}

func TestInitReturnsAtOnce(t *testing.T) {
	if n := testing.AllocsPerRun(100, sandbox.Init); n != 0 {
		t.Errorf("Init allocates %v times", n)
	}
}

func BenchmarkInit(b *testing.B) {
	for b.Loop() {
		sandbox.Init()
	}
}
