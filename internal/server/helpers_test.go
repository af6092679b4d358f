package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"image/color"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/kaizen-mlops/kaizen/classroom"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// testCourse is a small course with a quiz, so sessions draw fast and stay stable.
func testCourse(t testing.TB) *course.Catalog {
	t.Helper()
	long := strings.Repeat("This paragraph is here so that the lesson needs scrolling to reach its end. ", 6)
	lesson := func(id, title string, n int) string {
		var b strings.Builder
		b.WriteString("---\nid: " + id + "\ntitle: " + title + "\nminutes: 7\n---\n# " + title + "\n\n")
		for i := 0; i < n; i++ {
			b.WriteString("## Section " + string(rune('A'+i)) + "\n\n" + long + "\n\n")
		}
		return b.String()
	}
	fsys := fstest.MapFS{
		"course.yaml":                  {Data: []byte("id: demo\ntitle: Demo Course\nversion: 1.0.0\ndescription: A tiny course for tests.\nchapters:\n  - 01-one\n  - 02-two\n")},
		"chapters/01-one/chapter.yaml": {Data: []byte("id: ch01\nnumber: 1\ntitle: Getting started\nsummary: The first steps.\nminutes: 20\nobjectives:\n  - Start\n")},
		"chapters/01-one/01-a.md":      {Data: []byte(lesson("l1", "First lesson", 6))},
		"chapters/01-one/02-b.md":      {Data: []byte(lesson("l2", "Second lesson", 1))},
		"chapters/01-one/quiz.yaml": {Data: []byte(`questions:
  - id: q-single
    type: single
    prompt: Which layer comes first?
    options:
      - {id: a, text: Platform automation}
      - {id: b, text: DevOps}
      - {id: c, text: DataOps}
    answer: b
    explanation: Everything rests on DevOps.
    lesson: l1
  - id: q-number
    type: numeric
    prompt: How many layers are there?
    answer: 4
    tolerance: 0
    explanation: Four layers.
    lesson: l1
`)},
		"chapters/01-one/discussion.yaml": {Data: []byte(`prompts:
  - id: d-one
    traits: [humility, fairmindedness]
    prompt: Why might fourteen models and no deployments be a problem?
    guidance: A strong answer questions what progress means.
`)},
		"chapters/02-two/chapter.yaml": {Data: []byte("id: ch02\nnumber: 2\ntitle: Not written yet\nsummary: Later.\n")},
	}
	c, probs := course.Load(fsys, "test")
	if len(probs) > 0 {
		t.Fatalf("fixture course: %v", probs)
	}
	return c
}

// syncBuffer is a log sink tests read while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitLog waits until the log holds a line containing every part.
func (b *syncBuffer) waitLog(t testing.TB, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(b.String(), "\n") {
			ok := true
			for _, p := range parts {
				if !strings.Contains(line, p) {
					ok = false
					break
				}
			}
			if ok {
				return line
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no log line with %q in:\n%s", parts, b.String())
	return ""
}

// testKey is a client key pair.
type testKey struct {
	signer gossh.Signer
	priv   ed25519.PrivateKey
	line   string // authorized_keys form
	fp     string
}

func newTestKey(t testing.TB) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{signer: s, priv: priv, line: strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey()))), fp: gossh.FingerprintSHA256(s.PublicKey())}
}

func rosterOf(t testing.TB, rows ...string) *classroom.Roster {
	t.Helper()
	r, err := classroom.ParseRoster(strings.NewReader(classroom.RosterHeader+"\n"+strings.Join(rows, "\n")+"\n"), "roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testServer is a class server on 127.0.0.1:0 for one test.
type testServer struct {
	*Server
	addr   string
	store  *store.Store
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
	dir    string
}

func startServer(t testing.TB, tweak func(*Config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	cat := testCourse(t)
	st, err := store.Open(context.Background(), filepath.Join(dir, "progress.db"), store.Options{CourseID: cat.ID, CourseVersion: cat.Version})
	if err != nil {
		t.Fatal(err)
	}
	st.SetPool(8)
	logs := &syncBuffer{}
	cfg := Config{
		Listen:        "127.0.0.1:0",
		DataDir:       dir,
		Catalog:       cat,
		Store:         st,
		ShutdownGrace: 3 * time.Second,
		Logger:        slog.New(slog.NewJSONHandler(logs, nil)),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: srv, addr: ln.Addr().String(), store: st, logs: logs, cancel: cancel, done: make(chan error, 1), dir: dir}
	go func() { ts.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		ts.stop(t)
		st.Close()
	})
	return ts
}

// stop shuts the server down and waits for Serve to return.
func (ts *testServer) stop(t testing.TB) error {
	ts.cancel()
	select {
	case err := <-ts.done:
		ts.done <- err // later calls see it too
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not stop")
	}
	return nil
}

func (ts *testServer) dial(t testing.TB, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "student",
		Auth:            auth,
		HostKeyCallback: gossh.FixedHostKey(ts.HostKey()),
		Timeout:         5 * time.Second,
	})
}

func (ts *testServer) connect(t testing.TB, k testKey) *gossh.Client {
	t.Helper()
	c, err := ts.dial(t, gossh.PublicKeys(k.signer))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// term is one interactive session read through a terminal emulator.
type term struct {
	t     testing.TB
	sess  *gossh.Session
	stdin io.WriteCloser
	mu    sync.Mutex
	emu   *vt.Emulator
	raw   bytes.Buffer
	done  chan struct{}
	exit  chan error
}

func openTerm(t testing.TB, c *gossh.Client, w, h int) *term {
	t.Helper()
	return openTermWith(t, c, w, h, "xterm-256color", nil, nil)
}

// openTermWith opens a session from a terminal of a given type and background colour (nil:
// the emulator's default, dark), sending env ("KEY=value") first.
func openTermWith(t testing.TB, c *gossh.Client, w, h int, termType string, bg color.Color, env []string) *term {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range append([]string{"LANG=C.UTF-8"}, env...) {
		k, v, _ := strings.Cut(kv, "=")
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty(termType, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stderr = io.Discard
	tm := &term{t: t, sess: sess, stdin: stdin, emu: vt.NewEmulator(w, h), done: make(chan struct{}), exit: make(chan error, 1)}
	if bg != nil {
		tm.emu.SetDefaultBackgroundColor(bg)
	}
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	go func() {
		defer close(tm.done)
		buf := make([]byte, 32*1024)
		for {
			n, err := stdout.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.raw.Write(buf[:n])
				tm.emu.Write(buf[:n])
				tm.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { _, _ = io.Copy(stdin, tm.emu) }()
	go func() { tm.exit <- sess.Wait() }()
	t.Cleanup(func() {
		sess.Close()
		<-tm.done
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

func (tm *term) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.raw.String()
}

func (tm *term) waitFor(text string) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.screen(), text) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("timed out waiting for %q; screen:\n%s", text, tm.screen())
}

func (tm *term) waitMatch(pattern string) {
	tm.t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if re.MatchString(tm.screen()) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("timed out waiting for /%s/; screen:\n%s", pattern, tm.screen())
}

func (tm *term) waitOutput(text string) {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.output(), text) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.t.Fatalf("timed out waiting for %q in the output:\n%q", text, tm.output())
}

// keys sends key presses with a pause after each, as a person types.
func (tm *term) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		seq := map[string]string{"enter": "\r", "esc": "\x1b", "down": "\x1b[B", "up": "\x1b[A", "space": " ", "ctrl+c": "\x03", "backspace": "\x7f", "ctrl+s": "\x13"}[k]
		if seq == "" {
			seq = k
		}
		if _, err := tm.stdin.Write([]byte(seq)); err != nil {
			tm.t.Fatalf("send %q: %v", k, err)
		}
		time.Sleep(60 * time.Millisecond)
	}
}

// waitExit waits for the session to end and returns its error (nil for exit 0).
func (tm *term) waitExit() error {
	tm.t.Helper()
	select {
	case err := <-tm.exit:
		tm.exit <- err
		return err
	case <-time.After(10 * time.Second):
		tm.t.Fatalf("the session did not end; screen:\n%s", tm.screen())
	}
	return nil
}

func learnerOf(t testing.TB, st *store.Store, k testKey) store.Learner {
	t.Helper()
	l, err := st.LearnerByKey(context.Background(), classroom.LearnerKey(k.fp))
	if err != nil {
		t.Fatalf("learner of %s: %v", k.fp, err)
	}
	return l
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}
