package server

import (
	"bytes"
	"context"
	"io"
	"time"
	"unicode/utf8"

	"charm.land/ssh"

	"github.com/kaizen-mlops/kaizen/internal/plain"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// AccessibleCommand is what a student types after the host to get the accessible mode
// instead of the full-screen app: `ssh -p 2222 HOST accessible`.
const AccessibleCommand = "accessible"

// wantsAccessible reports whether a session asked for the accessible mode.
func wantsAccessible(sess ssh.Session) bool {
	cmd := sess.Command()
	return len(cmd) == 1 && cmd[0] == AccessibleCommand
}

// handleAccessible runs an admitted session in accessible mode, ending it like the app's
// (told why, progress saved) when the server stops, the learner is idle or the connection
// drops.
func (s *Server) handleAccessible(sess ssh.Session, sn *session, ci *connInfo, learner store.Learner, workspace string) {
	ctx, cancel := context.WithCancel(s.base)
	defer cancel()
	s.setKill(sn, func() { cancel(); _ = sess.Close() })
	in := &activityReader{r: sess, now: s.cfg.Now}
	in.last.Store(s.now().UnixNano())
	s.log.Info("session start", "learner", learner.ID, "name", learner.Name, "key", sn.key, "remote", sn.remote, "mode", AccessibleCommand)

	done := make(chan struct{})
	ended := make(chan string, 1)
	reason := ""
	go func() {
		why, msg := s.waitEnd(sess, in, done)
		if why != "" {
			reason = msg
			ended <- why
			cancel()
		}
	}()
	s.runAccessible(ctx, sess, learner, workspace, in)
	close(done)
	why := ""
	select {
	case why = <-ended:
		// The session's last words ("Stopped. Your progress is saved.") are said; then why.
		_, _ = io.WriteString(sess, "kaizen: "+reason+"\r\n")
	default:
	}
	attrs := []any{"learner", learner.ID, "name", learner.Name, "key", sn.key, "remote", sn.remote, "mode", AccessibleCommand,
		"duration", s.now().Sub(sn.started).Round(time.Second).String()}
	if why != "" {
		attrs = append(attrs, "ended", why)
		ci.set(func(ci *connInfo) { ci.endReason = why })
	}
	s.log.Info("session end", attrs...)
	_ = sess.Exit(0)
}

// waitEnd waits until a session must end for a reason of the server's (shutdown, idle,
// the connection gone) and returns it with what to tell the learner, or "" when done
// closes first.
func (s *Server) waitEnd(sess ssh.Session, in *activityReader, done <-chan struct{}) (why, msg string) {
	idle := s.cfg.IdleTimeout
	every := min(max(idle/4, 10*time.Millisecond), 15*time.Second)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return "", ""
		case <-s.stopping:
			return "server shutdown", msgShutdown
		case <-sess.Context().Done():
			return "connection closed", msgClosed
		case <-tick.C:
			if last := time.Unix(0, in.last.Load()); s.now().Sub(last) >= idle {
				return "idle", msgIdle(idle)
			}
		}
	}
}

// accessibleWidth is the line length of the accessible mode without a terminal size.
const accessibleWidth = 80

// runAccessible runs one session in accessible mode: plain lines read in order, answers
// typed as lines, for screen readers and braille displays. Without a terminal (the usual
// `ssh HOST accessible`) the student's own terminal echoes and edits lines; with one
// (`ssh -t`), the client's terminal is raw, so echo, line editing and line ends are done
// here. It returns when the learner quits, input ends or ctx ends (the server stops, the
// session is idle).
func (s *Server) runAccessible(ctx context.Context, sess ssh.Session, learner store.Learner, workspace string, in io.Reader) {
	ptyReq, winCh, hasPty := sess.Pty()
	width := accessibleWidth
	var input io.Reader = in
	var out io.Writer = sess
	if hasPty {
		// Window changes are not used (lines are wrapped once), but they must be read: the
		// SSH library delivers them on a channel of one, and an unread one would hold up the
		// session's requests. The channel closes when the session ends.
		go func() {
			for range winCh {
			}
		}()
		if w := ptyReq.Window.Width; w >= 20 && w < width {
			width = w
		}
		out = &crlfWriter{w: sess}
		input = newLineEditor(in, out)
	}
	p := plain.New(plain.Options{
		Ctx:       ctx,
		Catalog:   s.cfg.Catalog,
		Store:     s.cfg.Store,
		Learner:   learner.ID,
		Now:       s.cfg.Now,
		In:        input,
		Out:       out,
		Width:     width,
		Workspace: workspace,
		Remote:    true,
		AskName:   s.cfg.Roster == nil && learner.Name == "",
		MinLevel:  s.minLevel(),
		CheckGate: s.checkGate(learner.ID),
	})
	if err := p.Run(); err != nil {
		s.log.Error("accessible session", "learner", learner.ID, "err", err)
	}
}

// crlfWriter ends lines with CR LF, as a raw terminal needs.
type crlfWriter struct{ w io.Writer }

func (c *crlfWriter) Write(p []byte) (int, error) {
	if bytes.IndexByte(p, '\n') < 0 {
		return c.w.Write(p)
	}
	var b bytes.Buffer
	for i, ch := range p {
		if ch == '\n' && (i == 0 || p[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(ch)
	}
	if _, err := c.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// lineEditor turns the keys of a raw terminal into lines, as a terminal's line discipline
// would: it echoes what is typed, erases with backspace (a whole line with ctrl+u), ends a
// line on enter, and ends input on ctrl+d at the start of a line or on ctrl+c. Escape
// sequences (arrow and function keys) are dropped; tabs are kept (Makefiles need them). A
// line stops growing at plain.MaxLineBytes.
type lineEditor struct {
	r    io.Reader
	echo io.Writer
	line []byte // the line being typed
	done []byte // finished lines not yet read
	eof  bool
	// esc is the state of an escape sequence being dropped: 0 none, 1 after ESC, 2 inside
	// a CSI or SS3 sequence.
	esc    int
	lastCR bool // the previous key was CR, so a following LF is the same enter
	buf    [256]byte
}

func newLineEditor(r io.Reader, echo io.Writer) *lineEditor {
	return &lineEditor{r: r, echo: echo}
}

func (e *lineEditor) Read(p []byte) (int, error) {
	for len(e.done) == 0 {
		if e.eof {
			return 0, io.EOF
		}
		n, err := e.r.Read(e.buf[:])
		e.keys(e.buf[:n])
		if err != nil && len(e.done) == 0 {
			return 0, err
		}
		if err != nil {
			e.eof = true
		}
	}
	n := copy(p, e.done)
	e.done = e.done[n:]
	return n, nil
}

// keys applies typed bytes to the line.
func (e *lineEditor) keys(b []byte) {
	var echo bytes.Buffer
	for _, c := range b {
		cr := c == '\r'
		switch {
		case e.esc == 1:
			e.esc = 0
			if c == '[' || c == 'O' {
				e.esc = 2
			}
		case e.esc == 2:
			if c >= 0x40 && c <= 0x7e {
				e.esc = 0
			}
		case c == 0x1b:
			e.esc = 1
		case c == '\n' && e.lastCR:
			// CR LF from the client: one enter.
		case c == '\r' || c == '\n':
			echo.WriteString("\r\n")
			e.done = append(append(e.done, e.line...), '\n')
			e.line = e.line[:0]
		case c == 0x7f || c == 0x08:
			if len(e.line) > 0 {
				_, size := utf8.DecodeLastRune(e.line)
				e.line = e.line[:len(e.line)-size]
				echo.WriteString("\b \b")
			}
		case c == 0x15: // ctrl+u
			for n := utf8.RuneCount(e.line); n > 0; n-- {
				echo.WriteString("\b \b")
			}
			e.line = e.line[:0]
		case c == 0x03: // ctrl+c
			echo.WriteString("^C\r\n")
			e.eof = true
		case c == 0x04: // ctrl+d
			if len(e.line) == 0 {
				e.eof = true
			}
		case c == '\t' || c >= 0x20:
			if len(e.line) < plain.MaxLineBytes {
				e.line = append(e.line, c)
				echo.WriteByte(c)
			}
		}
		e.lastCR = cr
		if e.eof {
			break
		}
	}
	if echo.Len() > 0 {
		_, _ = e.echo.Write(echo.Bytes())
	}
}
