package server

import (
	"context"
	"errors"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/kaizen-mlops/kaizen/classroom"
)

func TestRosterStudentGetsTheApp(t *testing.T) {
	ada := newTestKey(t)
	ts := startServer(t, func(c *Config) { c.Roster = rosterOf(t, "Ada Lovelace,42,"+ada.line) })
	c := ts.connect(t, ada)
	tm := openTerm(t, c, 80, 24)
	tm.waitFor("Demo Course")
	tm.waitFor("Getting started")
	if strings.Contains(tm.screen(), "What name") {
		t.Fatal("a roster student was asked for a name")
	}
	l := learnerOf(t, ts.store, ada)
	if l.Name != "Ada Lovelace" || l.StudentID != "42" {
		t.Fatalf("learner = %+v", l)
	}
	// The session counts, its workspace exists under the data dir, only for this learner.
	if ts.Sessions() != 1 {
		t.Fatalf("sessions = %d", ts.Sessions())
	}
	ws := filepath.Join(ts.dir, WorkspacesDir, "1")
	if st, err := os.Stat(ws); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("workspace %s: %v %v", ws, st, err)
	}
	tm.keys("q")
	if err := tm.waitExit(); err != nil {
		t.Fatalf("quit: %v", err)
	}
	c.Close()
	line := ts.logs.waitLog(t, `"msg":"connection"`, `"outcome":"accepted"`, ada.fp)
	for _, want := range []string{`"remote":"127.0.0.1:`, `"name":"Ada Lovelace"`, `"sessions":1`, `"start":`} {
		if !strings.Contains(line, want) {
			t.Errorf("connection log line lacks %s: %s", want, line)
		}
	}
}

func TestEverythingButTheAppIsRefused(t *testing.T) {
	ada, eve := newTestKey(t), newTestKey(t)
	ts := startServer(t, func(c *Config) { c.Roster = rosterOf(t, "Ada,1,"+ada.line) })

	t.Run("unknown key", func(t *testing.T) {
		if _, err := ts.dial(t, gossh.PublicKeys(eve.signer)); err == nil {
			t.Fatal("a key not on the roster got in")
		}
		ts.logs.waitLog(t, `"outcome":"refused"`, `"reason":"key `+eve.fp+` is not on the roster"`, `"remote":"127.0.0.1:`)
	})
	t.Run("password", func(t *testing.T) {
		// The server offers only publickey, so the client never even sends the password.
		_, err := ts.dial(t, gossh.Password("hunter2"))
		if err == nil || !strings.Contains(err.Error(), "[none]") {
			t.Fatalf("a password login: %v", err)
		}
		ts.logs.waitLog(t, `"outcome":"refused"`, "only public-key authentication is accepted")
	})
	if ts.srv.PasswordHandler != nil || ts.srv.KeyboardInteractiveHandler != nil || ts.srv.LocalPortForwardingCallback != nil || ts.srv.ReversePortForwardingCallback != nil {
		t.Fatal("the server has a password, keyboard-interactive or forwarding handler")
	}
	t.Run("keyboard-interactive", func(t *testing.T) {
		_, err := ts.dial(t, gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil }))
		if err == nil {
			t.Fatal("keyboard-interactive got in")
		}
		ts.logs.waitLog(t, `"outcome":"refused"`, "only public-key authentication is accepted")
	})

	c := ts.connect(t, ada)
	t.Run("exec", func(t *testing.T) {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		out, err := s.CombinedOutput("cat /etc/passwd")
		if err == nil || strings.Contains(string(out), "root:") {
			t.Fatalf("exec ran: %v %q", err, out)
		}
	})
	t.Run("sftp subsystem", func(t *testing.T) {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.RequestSubsystem("sftp"); err == nil {
			t.Fatal("the sftp subsystem was accepted")
		}
	})
	t.Run("local port forward", func(t *testing.T) {
		conn, err := c.Dial("tcp", ts.addr)
		if err == nil {
			conn.Close()
			t.Fatal("direct-tcpip was accepted")
		}
	})
	t.Run("remote port forward", func(t *testing.T) {
		ln, err := c.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			ln.Close()
			t.Fatal("tcpip-forward was accepted")
		}
	})
	t.Run("agent forwarding", func(t *testing.T) {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := agent.RequestAgentForwarding(s); err == nil {
			t.Fatal("agent forwarding was accepted")
		}
	})
	t.Run("shell without a terminal", func(t *testing.T) {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var stderr strings.Builder
		s.Stderr = &stderr
		if err := s.Shell(); err != nil {
			t.Fatal(err)
		}
		var exit *gossh.ExitError
		if err := s.Wait(); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
			t.Fatalf("want exit status 1, got %v", err)
		}
		if !strings.Contains(stderr.String(), "terminal app") {
			t.Fatalf("stderr = %q", stderr.String())
		}
	})
	c.Close()
	line := ts.logs.waitLog(t, `"msg":"connection"`, ada.fp, "exec")
	for _, want := range []string{`exec \"cat /etc/passwd\" refused`, `subsystem \"sftp\" refused`, "port forwarding (direct-tcpip) refused",
		"remote port forwarding (tcpip-forward) refused", "agent forwarding refused", "session without a terminal"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %q:\n%s", want, line)
		}
	}
	if ts.Sessions() != 0 {
		t.Fatalf("sessions = %d", ts.Sessions())
	}
}

func TestTwoStudentsAtOnceSeeOnlyTheirOwnWork(t *testing.T) {
	ada, bob := newTestKey(t), newTestKey(t)
	ts := startServer(t, func(c *Config) { c.Roster = rosterOf(t, "Ada,1,"+ada.line, "Bob,2,"+bob.line) })
	ta := openTerm(t, ts.connect(t, ada), 80, 24)
	tb := openTerm(t, ts.connect(t, bob), 80, 24)
	ta.waitFor("Getting started")
	tb.waitFor("Getting started")

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // Ada reads the first lesson to the end.
		defer wg.Done()
		ta.keys("down", "enter")
		ta.waitFor("The first steps.") // the chapter is open
		ta.keys("enter")
		ta.waitFor("Section A") // rendered
		ta.keys("G")
		ta.waitFor("100%")
		ta.keys("esc") // one at a time: two escapes in one read are alt+esc
		ta.waitFor("The first steps.")
		ta.keys("esc")
		ta.waitFor("Not written yet") // home
	}()
	go func() { // Bob answers a quiz question.
		defer wg.Done()
		tb.keys("down", "enter")
		tb.waitFor("The first steps.")
		tb.keys("down", "down", "enter")
		tb.waitFor("Which layer comes first?")
		tb.keys("1", "enter")
		tb.waitFor("Everything rests on DevOps")
		tb.keys("esc")
		tb.waitFor("The first steps.")
		// ... and writes a discussion answer.
		tb.keys("down", "enter")
		tb.waitFor("not started")
		tb.keys("enter")
		tb.waitFor("Why might fourteen models")
		tb.keys("e")
		for _, r := range "Bob says ship one model." {
			if r == ' ' {
				tb.keys("space")
			} else {
				tb.keys(string(r))
			}
		}
		tb.keys("ctrl+s")
		tb.waitFor("Rate revision 1") // saved; the self-rating is optional
		// Skip the rating, then back to the list, the chapter and home.
		for range 4 {
			tb.keys("esc")
			time.Sleep(250 * time.Millisecond)
		}
		tb.waitFor("Not written yet") // home
	}()
	wg.Wait()
	ta.waitFor("Continue: First lesson")
	ta.waitFor("1/2")
	if strings.Contains(tb.screen(), "1/2") {
		t.Errorf("Bob's home shows Ada's lesson:\n%s", tb.screen())
	}

	// Ada's journal is empty, on her screen and in the store.
	ta.keys("g", "down", "enter")
	ta.waitFor("The first steps.")
	ta.keys("down", "down", "down", "enter")
	ta.waitFor("not started")
	if strings.Contains(ta.screen(), "Bob says") {
		t.Errorf("Ada sees Bob's answer:\n%s", ta.screen())
	}

	ctx := context.Background()
	la, lb := learnerOf(t, ts.store, ada), learnerOf(t, ts.store, bob)
	aj, _ := ts.store.Journal(ctx, la.ID)
	bj, _ := ts.store.Journal(ctx, lb.ID)
	if len(aj) != 0 || bj["d-one"] == nil || len(bj["d-one"].Revisions) != 1 || !strings.Contains(bj["d-one"].Revisions[0].Body, "Bob says ship one model.") {
		t.Errorf("journals crossed: ada %v, bob %+v", aj, bj["d-one"])
	}
	aLessons, _ := ts.store.Lessons(ctx, la.ID)
	bLessons, _ := ts.store.Lessons(ctx, lb.ID)
	aAnswers, _ := ts.store.Answers(ctx, la.ID)
	bAnswers, _ := ts.store.Answers(ctx, lb.ID)
	if !aLessons["l1"].Finished || len(bLessons) != 0 || len(aAnswers) != 0 || len(bAnswers) != 1 {
		t.Fatalf("progress crossed: ada lessons %v answers %d; bob lessons %v answers %d", aLessons, len(aAnswers), bLessons, len(bAnswers))
	}

	// The gradebook shows both, each with their own work.
	recs, err := ts.store.ClassRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gb := classroom.Build(classroom.CourseFromCatalog(ts.cfg.Catalog), recs, time.Now())
	if len(gb.Rows) != 2 {
		t.Fatalf("gradebook rows: %+v", gb.Rows)
	}
	if r := gb.Rows[0]; r.Name != "Ada" || r.Lessons.Done != 1 || r.QuizAnswered != 0 || r.LastSeen == nil {
		t.Errorf("Ada's row: %+v", r)
	}
	if r := gb.Rows[1]; r.Name != "Bob" || r.Lessons.Done != 0 || r.QuizAnswered != 1 || r.Discussion.Done != 1 {
		t.Errorf("Bob's row: %+v", r)
	}
}

func TestNewKeyIsAskedForANameOnce(t *testing.T) {
	grace := newTestKey(t)
	ts := startServer(t, nil) // no roster: open enrolment
	tm := openTerm(t, ts.connect(t, grace), 80, 24)
	tm.waitFor("What name should your instructor see")
	tm.keys("q") // a letter of the name, not quit
	tm.keys("backspace")
	for _, r := range "Grace Hopper" {
		tm.keys(string(r))
	}
	tm.keys("enter")
	tm.waitFor("Welcome, Grace Hopper!")
	tm.waitFor("Getting started")
	if l := learnerOf(t, ts.store, grace); l.Name != "Grace Hopper" {
		t.Fatalf("name = %q", l.Name)
	}
	tm.keys("q")
	tm.waitExit()

	again := openTerm(t, ts.connect(t, grace), 80, 24)
	again.waitFor("Getting started")
	if strings.Contains(again.screen(), "What name") {
		t.Fatal("asked for a name twice")
	}
}

func TestSessionLimits(t *testing.T) {
	ada, bob := newTestKey(t), newTestKey(t)
	ts := startServer(t, func(c *Config) { c.MaxPerKey, c.MaxSessions = 1, 1 })
	first := openTerm(t, ts.connect(t, ada), 80, 24)
	first.waitFor("What name")

	second := openTerm(t, ts.connect(t, ada), 80, 24)
	var exit *gossh.ExitError
	if err := second.waitExit(); !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Fatalf("second session of one key: %v", err)
	}
	ts.logs.waitLog(t, "You already have 1 sessions open with this key")

	other := openTerm(t, ts.connect(t, bob), 80, 24)
	if err := other.waitExit(); !errors.As(err, &exit) {
		t.Fatalf("session over the class limit: %v", err)
	}
	ts.logs.waitLog(t, "The class is full (1 sessions)")
	if ts.Sessions() != 1 {
		t.Fatalf("sessions = %d", ts.Sessions())
	}
}

func TestIdleSessionEndsAndSaves(t *testing.T) {
	ada := newTestKey(t)
	ts := startServer(t, func(c *Config) {
		c.Roster = rosterOf(t, "Ada,1,"+ada.line)
		c.IdleTimeout = 1500 * time.Millisecond
	})
	tm := openTerm(t, ts.connect(t, ada), 80, 24)
	tm.waitFor("Getting started")
	tm.keys("down", "enter")
	tm.waitFor("The first steps.")
	tm.keys("enter")
	tm.waitFor("Section A") // rendered
	tm.keys("space")
	tm.waitMatch(`lesson 1/2 · [1-9][0-9]*%`)
	if err := tm.waitExit(); err != nil {
		t.Fatalf("idle end: %v", err)
	}
	tm.waitOutput("You were away for 1.5s")
	ls, _ := ts.store.Lessons(context.Background(), learnerOf(t, ts.store, ada).ID)
	if ls["l1"].Scroll <= 0 {
		t.Fatalf("the place in the lesson was not saved: %+v", ls["l1"])
	}
	ts.logs.waitLog(t, `"msg":"session end"`, `"ended":"idle"`)
}

func TestGracefulShutdownTellsSessionsAndFlushes(t *testing.T) {
	ada := newTestKey(t)
	ts := startServer(t, func(c *Config) { c.Roster = rosterOf(t, "Ada,1,"+ada.line) })
	tm := openTerm(t, ts.connect(t, ada), 80, 24)
	tm.waitFor("Getting started")
	tm.keys("down", "enter")
	tm.waitFor("The first steps.")
	tm.keys("enter")
	tm.waitFor("Section A")
	tm.keys("space", "space")
	tm.waitMatch(`lesson 1/2 · [1-9][0-9]*%`)
	if err := ts.stop(t); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	tm.waitExit()
	tm.waitOutput("The class server is shutting down. Your progress is saved")
	ls, _ := ts.store.Lessons(context.Background(), learnerOf(t, ts.store, ada).ID)
	if ls["l1"].Scroll <= 0 {
		t.Fatalf("the lesson's place was not flushed: %+v", ls["l1"])
	}
	ts.logs.waitLog(t, `"msg":"shutting down"`, `"sessions":1`)
	ts.logs.waitLog(t, `"msg":"stopped"`)
	// New connections are refused once stopped.
	if _, err := ts.dial(t, gossh.PublicKeys(ada.signer)); err == nil {
		t.Fatal("connected to a stopped server")
	}
}

func TestHostKeyIsCreatedOnceAndKeptPrivate(t *testing.T) {
	dir := t.TempDir()
	s1, created, err := LoadOrCreateHostKey(dir)
	if err != nil || !created {
		t.Fatalf("first: %v %v", created, err)
	}
	st, err := os.Stat(filepath.Join(dir, HostKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode: %v %v", st.Mode(), err)
	}
	s2, created, err := LoadOrCreateHostKey(dir)
	if err != nil || created || gossh.FingerprintSHA256(s1.PublicKey()) != gossh.FingerprintSHA256(s2.PublicKey()) {
		t.Fatalf("second start did not reuse the key: %v %v", created, err)
	}
	if err := os.Chmod(filepath.Join(dir, HostKeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadOrCreateHostKey(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a world-readable key: %v", err)
	}
}

func TestEachSessionFollowsItsOwnTerminal(t *testing.T) {
	a, b, c := newTestKey(t), newTestKey(t), newTestKey(t)
	ts := startServer(t, func(cfg *Config) { cfg.Roster = rosterOf(t, "A,1,"+a.line, "B,2,"+b.line, "C,3,"+c.line) })
	dark := openTermWith(t, ts.connect(t, a), 80, 24, "xterm-256color", color.Black, nil)
	light := openTermWith(t, ts.connect(t, b), 80, 24, "xterm-256color", color.White, nil)
	plain := openTermWith(t, ts.connect(t, c), 80, 24, "xterm-256color", nil, []string{"NO_COLOR=1"})
	for _, tm := range []*term{dark, light, plain} {
		tm.waitFor("Getting started")
	}
	colours := func(tm *term) string {
		// The styles of the last frame: the text after the last full redraw.
		out := tm.output()
		return strings.Join(regexp.MustCompile(`\x1b\[[0-9;]*m`).FindAllString(out[max(len(out)-4000, 0):], -1), "")
	}
	deadline := time.Now().Add(5 * time.Second)
	for colours(dark) == colours(light) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if colours(dark) == colours(light) {
		t.Error("a light terminal got the dark styles")
	}
	if strings.Contains(plain.output(), "38;5;") || strings.Contains(plain.output(), "38;2;") {
		t.Error("NO_COLOR from the client was ignored")
	}
	if !strings.Contains(dark.output(), "38;5;") {
		t.Error("an xterm-256color client got no 256-colour output")
	}
}

func TestOneExerciseCheckAtATimePerLearner(t *testing.T) {
	s := &Server{checking: map[int64]bool{}}
	ada, ada2, bob := s.checkGate(1), s.checkGate(1), s.checkGate(2)
	release, ok := ada()
	if !ok {
		t.Fatal("the first check was refused")
	}
	if _, ok := ada2(); ok {
		t.Fatal("a second check of the same learner ran at once")
	}
	if r, ok := bob(); !ok {
		t.Fatal("another learner was held up")
	} else {
		r()
	}
	release()
	release() // twice is harmless
	if r, ok := ada2(); !ok {
		t.Fatal("the gate stayed shut after release")
	} else {
		r()
	}
}
