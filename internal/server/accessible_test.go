package server

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/kaizen-mlops/kaizen/internal/plain"
)

// plainSession is `ssh HOST accessible`: a session with a command, read as a stream.
type plainSession struct {
	t     *testing.T
	sess  *gossh.Session
	stdin io.WriteCloser
	mu    sync.Mutex
	out   bytes.Buffer
	seen  int
	exit  chan error
}

func (w *plainSession) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.Write(p)
}

func openAccessible(t *testing.T, c *gossh.Client, pty bool) *plainSession {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	ps := &plainSession{t: t, sess: sess, exit: make(chan error, 1)}
	sess.Stdout, sess.Stderr = ps, ps
	if ps.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if pty {
		if err := sess.RequestPty("xterm-256color", 24, 60, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Start(AccessibleCommand); err != nil {
		t.Fatalf("start %q: %v", AccessibleCommand, err)
	}
	go func() { ps.exit <- sess.Wait() }()
	t.Cleanup(func() { sess.Close() })
	return ps
}

// expect waits for text and returns what was said since the last expect, up to it.
func (ps *plainSession) expect(text string) string {
	ps.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ps.mu.Lock()
		all := ps.out.String()
		ps.mu.Unlock()
		if i := strings.Index(all[ps.seen:], text); i >= 0 {
			chunk := all[ps.seen : ps.seen+i+len(text)]
			ps.seen += i + len(text)
			return chunk
		}
		time.Sleep(5 * time.Millisecond)
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.t.Fatalf("timed out waiting for %q; said:\n%q", text, ps.out.String()[ps.seen:])
	return ""
}

func (ps *plainSession) send(s string) {
	ps.t.Helper()
	if _, err := io.WriteString(ps.stdin, s); err != nil {
		ps.t.Fatalf("send %q: %v", s, err)
	}
}

func (ps *plainSession) waitExit() error {
	ps.t.Helper()
	select {
	case err := <-ps.exit:
		return err
	case <-time.After(10 * time.Second):
		ps.t.Fatal("the session did not end")
	}
	return nil
}

// A screen-reader user of a class runs `ssh HOST accessible`: plain lines, no escape
// codes, progress kept as the app keeps it.
func TestAccessibleModeOverSSH(t *testing.T) {
	ada := newTestKey(t)
	ts := startServer(t, func(c *Config) { c.Roster = rosterOf(t, "Ada Lovelace,42,"+ada.line) })
	c := ts.connect(t, ada)
	ps := openAccessible(t, c, false)
	home := ps.expect("or h for help.")
	for _, want := range []string{"kaizen, accessible mode. Demo Course.", "Heading level 1: Home: Demo Course", "Getting started"} {
		if !strings.Contains(home, want) {
			t.Errorf("home lacks %q:\n%s", want, home)
		}
	}
	if strings.Contains(home, "What name") {
		t.Error("a roster student was asked for a name")
	}
	if strings.ContainsAny(home, "\x1b\r") {
		t.Errorf("escape codes or CRs in accessible output: %q", home)
	}
	ps.send("1\n") // Start: the first lesson
	ps.expect("Heading level 1:")
	ps.send("q\n")
	ps.expect("Goodbye.")
	if err := ps.waitExit(); err != nil {
		t.Fatalf("exit: %v", err)
	}
	ls, err := ts.store.Lessons(ts.base, learnerOf(t, ts.store, ada).ID)
	if err != nil || len(ls) == 0 {
		t.Fatalf("the lesson opened in accessible mode was not recorded: %v %v", ls, err)
	}
	line := ts.logs.waitLog(t, `"msg":"session end"`, `"mode":"accessible"`)
	if !strings.Contains(line, `"name":"Ada Lovelace"`) {
		t.Fatalf("session end log: %s", line)
	}
}

// A new key in an open class is asked for a name once, in plain lines too.
func TestAccessibleModeAsksANewStudentsName(t *testing.T) {
	grace := newTestKey(t)
	ts := startServer(t, nil)
	c := ts.connect(t, grace)
	ps := openAccessible(t, c, false)
	ps.expect("What name should your instructor see?")
	ps.send("Grace Hopper\n")
	ps.expect("Thank you, Grace Hopper.")
	ps.send("q\n")
	ps.expect("Goodbye.")
	if err := ps.waitExit(); err != nil {
		t.Fatal(err)
	}
	if l := learnerOf(t, ts.store, grace); l.Name != "Grace Hopper" {
		t.Fatalf("learner = %+v", l)
	}
}

// With `ssh -t`, the client's terminal is raw: the server echoes, edits and ends lines.
func TestAccessibleModeWithATerminal(t *testing.T) {
	ada := newTestKey(t)
	ts := startServer(t, func(c *Config) { c.Roster = rosterOf(t, "Ada,1,"+ada.line) })
	c := ts.connect(t, ada)
	ps := openAccessible(t, c, true)
	home := ps.expect("or h for help.\r\n")
	if !strings.Contains(home, "Heading level 1: Home: Demo Course\r\n") {
		t.Fatalf("lines do not end with CR LF: %q", home)
	}
	// A terminal resized again and again must not hold the session up.
	for i := range 40 {
		if err := ps.sess.WindowChange(24, 60+i); err != nil {
			t.Fatalf("window change %d: %v", i, err)
		}
	}
	ps.send("x\x7fq\x1b[A\r") // x, backspace, q, an arrow key (dropped), enter
	echo := ps.expect("Goodbye.")
	if !strings.Contains(echo, "x\b \bq\r\n") {
		t.Fatalf("echo = %q", echo)
	}
	if err := ps.waitExit(); err != nil {
		t.Fatal(err)
	}
}

// An idle accessible session ends like the app's: told why, progress saved.
func TestAccessibleModeIdleTimeout(t *testing.T) {
	ada := newTestKey(t)
	ts := startServer(t, func(c *Config) {
		c.Roster = rosterOf(t, "Ada,1,"+ada.line)
		c.IdleTimeout = 300 * time.Millisecond
	})
	c := ts.connect(t, ada)
	ps := openAccessible(t, c, false)
	ps.expect("or h for help.")
	ps.expect("You were away for 300ms, so this session ended.")
	if err := ps.waitExit(); err != nil {
		var exit *gossh.ExitError
		if !errors.As(err, &exit) {
			t.Fatal(err)
		}
	}
	ts.logs.waitLog(t, `"msg":"session end"`, `"ended":"idle"`)
}

// Other commands are still refused.
func TestOnlyTheAccessibleCommandRuns(t *testing.T) {
	ada := newTestKey(t)
	ts := startServer(t, func(c *Config) { c.Roster = rosterOf(t, "Ada,1,"+ada.line) })
	c := ts.connect(t, ada)
	for _, cmd := range []string{"accessible; cat /etc/passwd", "accessible extra", "sh", "ACCESSIBLE"} {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out, err := s.CombinedOutput(cmd)
		s.Close()
		if err == nil || strings.Contains(string(out), "root:") || strings.Contains(string(out), "accessible mode") {
			t.Fatalf("%q ran: %v %q", cmd, err, out)
		}
	}
}

func TestLineEditor(t *testing.T) {
	cases := []struct {
		name, keys, lines, echo string
	}{
		{"enter", "ab\r", "ab\n", "ab\r\n"},
		{"crlf is one enter", "a\r\nb\r\n", "a\nb\n", "a\r\nb\r\n"},
		{"lf", "a\n", "a\n", "a\r\n"},
		{"backspace", "ab\x7fc\r", "ac\n", "ab\b \bc\r\n"},
		{"backspace of a wide rune", "é\x7f\r", "\n", "é\b \b\r\n"},
		{"backspace at the start", "\x7f\x08a\r", "a\n", "a\r\n"},
		{"ctrl+u", "abc\x15d\r", "d\n", "abc\b \b\b \b\b \bd\r\n"},
		{"arrows dropped", "a\x1b[Ab\x1bOPc\r", "abc\n", "abc\r\n"},
		{"tab kept", "\techo\r", "\techo\n", "\techo\r\n"},
		{"other controls dropped", "a\x01\x02b\r", "ab\n", "ab\r\n"},
		{"ctrl+d at the start ends", "a\r\x04b\r", "a\n", "a\r\n"},
		{"ctrl+d mid-line is ignored", "a\x04b\r", "ab\n", "ab\r\n"},
		{"ctrl+c ends", "a\x03b\r", "", "a^C\r\n"},
	}
	for _, tc := range cases {
		var echo bytes.Buffer
		e := newLineEditor(strings.NewReader(tc.keys), &echo)
		got, err := io.ReadAll(e)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if string(got) != tc.lines || echo.String() != tc.echo {
			t.Errorf("%s: lines %q echo %q, want %q %q", tc.name, got, echo.String(), tc.lines, tc.echo)
		}
	}
}

func TestCRLFWriter(t *testing.T) {
	var b bytes.Buffer
	w := &crlfWriter{w: &b}
	for _, s := range []string{"one\ntwo\r\n", "\nthree", "", "four\n"} {
		if n, err := io.WriteString(w, s); n != len(s) || err != nil {
			t.Fatalf("write %q: %d %v", s, n, err)
		}
	}
	if b.String() != "one\r\ntwo\r\n\r\nthree"+"four\r\n" {
		t.Fatalf("got %q", b.String())
	}
}

func TestLineEditorBoundsALine(t *testing.T) {
	var echo bytes.Buffer
	e := newLineEditor(strings.NewReader(strings.Repeat("y", plain.MaxLineBytes+500)+"\r"), &echo)
	got, err := io.ReadAll(e)
	if err != nil || len(got) != plain.MaxLineBytes+1 || echo.Len() != plain.MaxLineBytes+2 {
		t.Fatalf("line %d bytes, echo %d, %v", len(got), echo.Len(), err)
	}
}

// The start-up line tells the instructor what students type, the accessible mode included.
func TestListeningLineSaysHowToConnect(t *testing.T) {
	ts := startServer(t, nil)
	_, port, _ := strings.Cut(ts.addr, ":")
	ts.logs.waitLog(t, `"msg":"listening"`, `"students_run":"ssh -p `+port+` HOST"`, `"accessible_mode":"ssh -p `+port+` HOST accessible"`)
}
