//go:build unix

package sandbox_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// spec is a small, fast spec in a fresh work dir.
func spec(t *testing.T, argv ...string) sandbox.Spec {
	t.Helper()
	return sandbox.Spec{Argv: argv, Dir: t.TempDir(), Timeout: 5 * time.Second}
}

func sh(t *testing.T, script string) sandbox.Spec {
	t.Helper()
	return spec(t, "bash", "-c", script)
}

// run runs s and fails the test on an error of the sandbox itself.
func run(t *testing.T, s sandbox.Spec) sandbox.Result {
	t.Helper()
	res, err := sandbox.Run(context.Background(), s)
	if err != nil {
		t.Fatalf("Run: %v\nresult: %s", err, dump(res))
	}
	return res
}

func dump(r sandbox.Result) string {
	return fmt.Sprintf("reason=%q exit=%d signal=%q timedOut=%v truncated=%v wall=%v cpu=%v level=%v\nlayers=%v\nmissing=%q\nstdout=%q\nstderr=%q",
		r.Reason, r.ExitCode, r.Signal, r.TimedOut, r.Truncated, r.Wall, r.CPU, r.Level, r.Layers, r.Missing,
		clip(r.Stdout), clip(r.Stderr))
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// need skips the test unless the machine offers one of the layers that contain the attack,
// and returns the first one it offers.
func need(t *testing.T, layers ...string) string {
	t.Helper()
	for _, l := range layers {
		if caps.Has(l) {
			return l
		}
	}
	var why []string
	for _, l := range layers {
		why = append(why, l+": "+caps.Why(l))
	}
	t.Skipf("no layer that contains this attack is available here (%s)", strings.Join(why, "; "))
	return ""
}

// modes are the ways a test can run on this machine: the full stack, and the stack without
// namespaces (the fallback of hosts without user namespaces), so that path is exercised here
// too.
var modes = []struct {
	name    string
	disable []string
}{
	{"full", nil},
	{"no-namespaces", []string{sandbox.LayerNamespaces}},
}

// eachMode runs f as a subtest per mode.
func eachMode(t *testing.T, f func(t *testing.T, disable []string)) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { f(t, m.disable) })
	}
}

// holds fails unless res has one of the layers, and returns which.
func holds(t *testing.T, res sandbox.Result, layers ...string) string {
	t.Helper()
	for _, l := range layers {
		if res.Has(l) {
			return l
		}
	}
	t.Skipf("this run had none of %v (missing: %q)", layers, res.Missing)
	return ""
}

// survivors lists host processes whose command line contains marker.
func survivors(marker string) []string {
	var out []string
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	self := fmt.Sprint(os.Getpid())
	for _, p := range cmdlines {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			continue
		}
		pid := filepath.Base(filepath.Dir(p))
		if pid == self {
			continue
		}
		b = bytes.ReplaceAll(bytes.TrimRight(b, "\x00"), []byte{0}, []byte{' '})
		if bytes.Contains(b, []byte(marker)) {
			stat, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "stat"))
			if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
				continue // a zombie is dead; its parent (not us) reaps it
			}
			out = append(out, pid+": "+string(b))
		}
	}
	return out
}

// noSurvivors fails if any host process matches marker after a short grace.
func noSurvivors(t *testing.T, marker string) {
	t.Helper()
	var left []string
	// A process that escaped may still be between fork and exec; give it a moment to show.
	time.Sleep(50 * time.Millisecond)
	for range 20 {
		if left = survivors(marker); len(left) == 0 {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	for _, l := range left {
		var pid int
		fmt.Sscanf(l, "%d", &pid)
		if p, err := os.FindProcess(pid); err == nil {
			p.Kill()
		}
	}
	t.Fatalf("processes outlived the run: %q", left)
}

// writeFile writes a file and fails the test on error.
func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
