//go:build unix

package exercises

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// execRunner runs commands with plain os/exec: a clean environment, a process group killed on
// timeout and after exit, and capped output. It isolates nothing else, so it stands in for the
// sandbox in tests only.
type execRunner struct{}

// cappedBuffer keeps the first max bytes written.
type cappedBuffer struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room < len(p) {
		c.truncated = true
		if room > 0 {
			c.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return c.buf.Write(p)
}

func (execRunner) Run(ctx context.Context, spec sandbox.Spec) (sandbox.Result, error) {
	timeout := spec.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	maxOut := spec.MaxOutput
	if maxOut <= 0 {
		maxOut = 1 << 20
	}
	bin := spec.Argv[0]
	if filepath.Base(bin) == bin {
		found := ""
		for _, d := range filepath.SplitList(spec.Env["PATH"]) {
			p := filepath.Join(d, bin)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
				found = p
				break
			}
		}
		if found == "" {
			return sandbox.Result{}, errors.New(bin + ": not found in PATH")
		}
		bin = found
	}
	cmd := exec.Command(bin, spec.Argv[1:]...)
	cmd.Dir = spec.Dir
	// the defaults sandbox.Run adds
	full := map[string]string{"HOME": spec.Dir, "TMPDIR": os.TempDir(), "LANG": "C.UTF-8"}
	for k, v := range spec.Env {
		full[k] = v
	}
	env := make([]string, 0, len(full))
	for k, v := range full {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	cmd.Env = env
	cmd.Stdin = bytes.NewReader(spec.Stdin)
	stdout := &cappedBuffer{max: maxOut}
	stderr := &cappedBuffer{max: maxOut}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sandbox.Result{}, err
	}
	pgid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	timedOut := false
	var err error
	select {
	case err = <-done:
	case <-timer.C:
		timedOut = true
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		err = <-done
	case <-ctx.Done():
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
		return sandbox.Result{}, ctx.Err()
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL) // leftovers in the background
	res := sandbox.Result{
		Stdout: stdout.buf.Bytes(), Stderr: stderr.buf.Bytes(),
		Truncated: stdout.truncated || stderr.truncated,
		TimedOut:  timedOut, Wall: time.Since(start), Level: sandbox.LevelNone,
		Layers:  []string{"env-scrub", "timeout", "output-cap", "pgid-kill"},
		Missing: []string{"rlimits: plain exec runner", "namespaces: plain exec runner"},
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			res.ExitCode = -1
			res.Signal = ws.Signal().String()
			res.Reason = "killed by " + res.Signal
		} else {
			res.Reason = exitErr.String()
		}
	case errors.Is(err, exec.ErrWaitDelay):
	default:
		return res, err
	}
	if timedOut {
		res.ExitCode = -1
		res.Reason = "timed out"
	}
	return res, nil
}
