package server

import (
	"context"
	"encoding/pem"
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
	gossh "golang.org/x/crypto/ssh"
)

// openssh runs the real OpenSSH client against a test server, when it is installed.
type openssh struct {
	bin, home, known string
	ts               *testServer
}

func newOpenSSH(t *testing.T, ts *testServer) *openssh {
	t.Helper()
	bin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("the OpenSSH client (ssh) is not installed")
	}
	home := t.TempDir()
	known := filepath.Join(home, "known_hosts")
	line := "[127.0.0.1]:" + portOf(ts.addr) + " " + string(gossh.MarshalAuthorizedKey(ts.HostKey()))
	if err := os.WriteFile(known, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return &openssh{bin: bin, home: home, known: known, ts: ts}
}

// keyFile writes a client key in OpenSSH's format.
func (o *openssh) keyFile(t *testing.T, k testKey, name string) string {
	t.Helper()
	block, err := gossh.MarshalPrivateKey(k.priv, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(o.home, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func (o *openssh) cmd(ctx context.Context, keyPath string, extra ...string) *exec.Cmd {
	args := []string{"-F", "/dev/null", "-p", portOf(o.ts.addr),
		"-o", "UserKnownHostsFile=" + o.known, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
		"-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5"}
	if keyPath != "" {
		args = append(args, "-i", keyPath)
	}
	args = append(args, extra...)
	c := exec.CommandContext(ctx, o.bin, args...)
	c.Env = []string{"HOME=" + o.home, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "LANG=C.UTF-8"}
	return c
}

func TestOpenSSHClient(t *testing.T) {
	ada, eve := newTestKey(t), newTestKey(t)
	ts := startServer(t, func(c *Config) { c.Roster = rosterOf(t, "Ada,1,"+ada.line) })
	o := newOpenSSH(t, ts)
	adaKey, eveKey := o.keyFile(t, ada, "ada"), o.keyFile(t, eve, "eve")

	t.Run("interactive app", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := o.cmd(ctx, adaKey, "-tt", "student@127.0.0.1")
		ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
		if err != nil {
			t.Fatal(err)
		}
		defer ptmx.Close()
		var mu sync.Mutex
		emu := vt.NewEmulator(80, 24)
		done := make(chan struct{})
		go func() {
			defer close(done)
			buf := make([]byte, 32*1024)
			for {
				n, err := ptmx.Read(buf)
				if n > 0 {
					mu.Lock()
					emu.Write(buf[:n])
					mu.Unlock()
				}
				if err != nil {
					return
				}
			}
		}()
		go func() { _, _ = io.Copy(ptmx, emu) }()
		defer func() {
			if c, ok := emu.InputPipe().(io.Closer); ok {
				_ = c.Close()
			}
		}()
		screen := func() string { mu.Lock(); defer mu.Unlock(); return emu.String() }
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(screen(), "Getting started") {
			if time.Now().After(deadline) {
				t.Fatalf("no app over OpenSSH; screen:\n%s", screen())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if _, err := ptmx.Write([]byte("q")); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("ssh exited with %v; screen:\n%s", err, screen())
		}
		<-done
	})

	refused := []struct {
		name  string
		key   string
		args  []string
		wants string
	}{
		{"exec", adaKey, []string{"student@127.0.0.1", "cat", "/etc/passwd"}, "exec request failed"},
		{"sftp", adaKey, []string{"-s", "student@127.0.0.1", "sftp"}, "subsystem request failed"},
		{"stdio forward", adaKey, []string{"-W", ts.addr, "student@127.0.0.1"}, "forwarding failed"},
		{"remote forward", adaKey, []string{"-N", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:9", "student@127.0.0.1"}, "remote port forwarding failed"},
		{"unknown key", eveKey, []string{"student@127.0.0.1"}, "Permission denied (publickey)"},
		{"password", "", []string{"-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive", "student@127.0.0.1"}, "Permission denied (publickey)"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			out, err := o.cmd(ctx, tc.key, tc.args...).CombinedOutput()
			if err == nil {
				t.Fatalf("ssh succeeded: %s", out)
			}
			if strings.Contains(string(out), "root:") {
				t.Fatalf("a command ran: %s", out)
			}
			if !strings.Contains(string(out), tc.wants) {
				t.Fatalf("output %q lacks %q", out, tc.wants)
			}
		})
	}
}
