// Package e2e drives the real kaizen binary in a pseudo-terminal, reading its screen
// through a terminal emulator, as a person at a terminal would.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

	// The tests run a binary built from these packages; importing them makes `go test`
	// re-run this package (instead of reporting a cached pass) whenever they change.
	_ "github.com/kaizen-mlops/kaizen/internal/cli"
)

// binary is the kaizen binary built once for the package's tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kaizen-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "kaizen")
	build := exec.Command("go", "build", "-o", binary, "github.com/kaizen-mlops/kaizen/cmd/kaizen")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build kaizen:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// term is kaizen running in a pty with an emulator reading its output.
type term struct {
	t    testing.TB
	cmd  *exec.Cmd
	ptmx *os.File
	emu  *vt.Emulator // guarded by mu: the emulator is not safe for concurrent use
	done chan struct{}
	// updated gets a value (if it has none) each time output reaches the emulator, so a
	// waiter can look at the screen only when it may have changed.
	updated chan struct{}
	mu      sync.Mutex
	raw     bytes.Buffer
}

func baseEnv(home string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"KAIZEN_HOME=" + filepath.Join(home, "kaizen"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
	}
}

func start(t testing.TB, home string, w, h int, args ...string) *term {
	t.Helper()
	return startBinary(t, binary, baseEnv(home), w, h, args...)
}

func startBinary(t testing.TB, bin string, env []string, w, h int, args ...string) *term {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(env, "TERM=xterm-256color")
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(w), Rows: uint16(h)})
	if err != nil {
		t.Fatalf("start kaizen in a pty: %v", err)
	}
	tm := &term{t: t, cmd: cmd, ptmx: ptmx, emu: vt.NewEmulator(w, h), done: make(chan struct{}), updated: make(chan struct{}, 1)}
	go func() {
		defer close(tm.done)
		buf := make([]byte, 32*1024)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.raw.Write(buf[:n])
				tm.emu.Write(buf[:n])
				tm.mu.Unlock()
				select {
				case tm.updated <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	// Answers the emulator gives to the app's queries (colours, cursor) go back to it.
	go func() { _, _ = io.Copy(ptmx, tm.emu) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = ptmx.Close()
		_ = cmd.Wait()
		<-tm.done
		// End the answer-copying goroutine by closing the pipe it reads; Emulator.Close
		// would race with that goroutine's Read.
		if c, ok := tm.emu.InputPipe().(io.Closer); ok {
			_ = c.Close()
		}
	})
	return tm
}

func (tm *term) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.emu.String()
}

// waitFor waits until the screen contains text.
func (tm *term) waitFor(text string, timeout time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.screen(), text) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("timed out waiting for %q; screen:\n%s", text, tm.screen())
}

// waitShown waits until the screen contains text, looking at it only when output arrived
// (for measurements: no polling that would compete with the program for the CPU), and
// returns when it was first seen.
func (tm *term) waitShown(text string, timeout time.Duration) time.Time {
	tm.t.Helper()
	deadline := time.After(timeout)
	for {
		if strings.Contains(tm.screen(), text) {
			return time.Now()
		}
		select {
		case <-tm.updated:
		case <-tm.done:
			if strings.Contains(tm.screen(), text) {
				return time.Now()
			}
			tm.t.Fatalf("kaizen exited before showing %q; screen:\n%s", text, tm.screen())
		case <-deadline:
			tm.t.Fatalf("timed out waiting for %q; screen:\n%s", text, tm.screen())
		}
	}
}

func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := tm.ptmx.WriteString(s); err != nil {
		tm.t.Fatalf("send %q: %v", s, err)
	}
}

// waitExit waits for the program to end.
func (tm *term) waitExit(timeout time.Duration) {
	tm.t.Helper()
	select {
	case <-tm.done:
	case <-time.After(timeout):
		tm.t.Fatalf("kaizen did not exit; screen:\n%s", tm.screen())
	}
}

// runCLI runs a non-interactive kaizen command.
func runCLI(t testing.TB, home string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = baseEnv(home)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

const (
	keyEnter = "\r"
	keyEsc   = "\x1b"
)

// selectLine moves a list's cursor (j) until the selected line contains text, waiting for
// each move to show before deciding on the next, so it never overshoots.
func (tm *term) selectLine(text string, timeout time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		screen := tm.screen()
		for _, line := range strings.Split(screen, "\n") {
			if strings.Contains(line, "▸") && strings.Contains(line, text) {
				return
			}
		}
		tm.send("j")
		for tm.screen() == screen && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	tm.t.Fatalf("could not select %q; screen:\n%s", text, tm.screen())
}
