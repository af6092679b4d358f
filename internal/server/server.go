// Package server is `kaizen serve`: the class server. It hosts the same terminal app as the
// local one over SSH with wish, one Bubble Tea program per session, every session on one
// shared store. Identity is the client key's fingerprint; an optional roster restricts who
// gets in. Only public-key authentication and an interactive terminal are accepted: no
// password, no shell, no exec, no port or agent forwarding, no subsystems (SFTP).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/kaizen-mlops/kaizen/classroom"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/internal/tui"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

// Defaults of Config.
const (
	DefaultListen        = "127.0.0.1:2222"
	DefaultMaxSessions   = 300
	DefaultMaxPerKey     = 3
	DefaultIdleTimeout   = 30 * time.Minute
	DefaultShutdownGrace = 10 * time.Second
	DefaultHandshake     = 30 * time.Second
	DefaultFPS           = 60
	// WorkspacesDir is where learners' workspaces live inside the data directory, one
	// directory per learner id.
	WorkspacesDir = "workspaces"
)

// Config configures a class server.
type Config struct {
	// Listen is the address to listen on (host:port).
	Listen string
	// DataDir holds the host key and the learners' workspaces (the caller opens the store,
	// normally DataDir/progress.db).
	DataDir string
	Catalog *course.Catalog
	Store   *store.Store
	// Roster, when set, is the only set of keys let in, each bound to its row. Without it,
	// any key gets in and a new key is asked for a display name.
	Roster *classroom.Roster
	// MaxSessions caps concurrent sessions; MaxPerKey caps them per key.
	MaxSessions int
	MaxPerKey   int
	// IdleTimeout ends a session after this long without a key press (its progress saved).
	IdleTimeout time.Duration
	// ShutdownGrace is how long sessions get to save when the server stops.
	ShutdownGrace time.Duration
	// HandshakeTimeout bounds the time from TCP connect to a finished SSH handshake.
	HandshakeTimeout time.Duration
	// AllowWeakSandbox lets exercises run when the sandbox cannot isolate them fully.
	AllowWeakSandbox bool
	// FPS caps how often each session redraws (default 60).
	FPS int
	// Logger receives one structured line per connection and per session.
	Logger *slog.Logger
	// Now is the clock (tests).
	Now func() time.Time
}

func (c *Config) defaults() {
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.MaxPerKey <= 0 {
		c.MaxPerKey = DefaultMaxPerKey
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = DefaultShutdownGrace
	}
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = DefaultHandshake
	}
	if c.FPS <= 0 {
		c.FPS = DefaultFPS
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Server is a running class server.
type Server struct {
	cfg     Config
	srv     *ssh.Server
	log     *slog.Logger
	hostKey gossh.PublicKey
	conns   connTable
	// base is the context of store writes: sessions save their progress with it even
	// while the server is shutting down, so it is never cancelled.
	base context.Context
	// renders is the rendered-lesson cache all sessions share: a class opening the same
	// lesson renders it once.
	renders *tui.RenderCache

	mu       sync.Mutex
	sessions map[*session]struct{}
	perKey   map[string]int
	checking map[int64]bool // learners with an exercise check running
	closing  bool
	stopping chan struct{} // closed when shutdown starts
	active   sync.WaitGroup
	ln       net.Listener
}

// sharedRenders is how many renderings the shared cache keeps: each lesson at each width
// and style the class uses (widths above 100 columns share one). A rendering of the
// built-in course's lessons is 50–220 KB, 135 KB on average, so about 17 MB when full.
const sharedRenders = 128

// session is one learner's connection: the app, or the accessible mode.
type session struct {
	key     string
	learner store.Learner
	remote  string
	started time.Time
	prog    *tea.Program // the app (nil in accessible mode)
	// kill ends the session at once (the shutdown grace is over); set with setKill, read
	// under Server.mu.
	kill func()
}

// New prepares a server: it loads (or creates) the host key.
func New(cfg Config) (*Server, error) {
	cfg.defaults()
	if cfg.Catalog == nil || cfg.Store == nil {
		return nil, errors.New("server: a course and a store are required")
	}
	if cfg.DataDir == "" {
		return nil, errors.New("server: a data directory is required")
	}
	signer, created, err := LoadOrCreateHostKey(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		log:      cfg.Logger,
		hostKey:  signer.PublicKey(),
		conns:    connTable{byKey: map[string]*connInfo{}},
		base:     context.Background(),
		renders:  tui.NewRenderCache(sharedRenders),
		sessions: map[*session]struct{}{},
		perKey:   map[string]int{},
		checking: map[int64]bool{},
		stopping: make(chan struct{}),
	}
	if created {
		s.log.Info("host key created", "path", filepath.Join(cfg.DataDir, HostKeyFile), "fingerprint", gossh.FingerprintSHA256(s.hostKey))
	}
	srv, err := wish.NewServer(
		// The host key comes first: without one, wish.NewServer writes a fresh private key
		// to ./id_ed25519 in whatever directory kaizen was started from.
		func(srv *ssh.Server) error { srv.HostSigners = []ssh.Signer{signer}; return nil },
		wish.WithAddress(cfg.Listen),
		wish.WithVersion("kaizen"),
		wish.WithPublicKeyAuth(s.publicKeyAuth),
		wish.WithMiddleware(func(ssh.Handler) ssh.Handler { return s.handle }),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	srv.HandshakeTimeout = cfg.HandshakeTimeout
	// A backstop for connections that never open a session; sessions end themselves after
	// IdleTimeout without a key press, saving first.
	srv.IdleTimeout = cfg.IdleTimeout + 5*time.Minute
	srv.ConnCallback = s.connOpened
	srv.ConnectionFailedCallback = s.connFailed
	srv.ConnectionCloseCallback = s.connClosed
	srv.ServerConfigCallback = s.serverConfig
	srv.SessionRequestCallback = s.sessionRequest
	srv.PtyCallback = func(ssh.Context, ssh.Pty) bool { return true }
	// Only interactive sessions; every other channel (direct-tcpip, forwarded-tcpip, agent,
	// x11) and every global request (tcpip-forward, ...) is refused and logged.
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{
		"session": s.sessionChannel,
		"default": s.refuseChannel,
	}
	srv.RequestHandlers = map[string]ssh.RequestHandler{"default": s.refuseRequest}
	srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	s.srv = srv
	return s, nil
}

// HostKey is the server's public host key.
func (s *Server) HostKey() gossh.PublicKey { return s.hostKey }

// Addr is the address the server listens on, once Serve runs.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Sessions is the number of running sessions.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Listen opens the listening socket (so a caller can learn the port before serving).
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	return ln, nil
}

// Serve serves on ln until ctx is done, then shuts down gracefully: it stops accepting,
// tells every session, lets each save (its screens' Leave commands run) within
// ShutdownGrace, and closes what is left.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	port := "PORT"
	if a, ok := ln.Addr().(*net.TCPAddr); ok {
		port = strconv.Itoa(a.Port)
	}
	s.log.Info("listening", "addr", ln.Addr().String(), "host_key", gossh.FingerprintSHA256(s.hostKey),
		"roster", s.cfg.Roster.Len(), "max_sessions", s.cfg.MaxSessions, "max_per_key", s.cfg.MaxPerKey,
		"idle_timeout", s.cfg.IdleTimeout.String(), "allow_weak_sandbox", s.cfg.AllowWeakSandbox,
		"students_run", "ssh -p "+port+" HOST", "accessible_mode", "ssh -p "+port+" HOST "+AccessibleCommand)
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	return s.Shutdown()
}

// ListenAndServe listens on Config.Listen and serves until ctx is done.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := s.Listen()
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Shutdown stops the server gracefully (see Serve).
func (s *Server) Shutdown() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	close(s.stopping)
	n := len(s.sessions)
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", n, "grace", s.cfg.ShutdownGrace.String())

	// Stop accepting; Shutdown then waits for connections, so run it aside.
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace+2*time.Second)
	defer cancel()
	sdone := make(chan error, 1)
	go func() { sdone <- s.srv.Shutdown(sctx) }()

	done := make(chan struct{})
	go func() { s.active.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(s.cfg.ShutdownGrace):
		s.mu.Lock()
		for sn := range s.sessions {
			if sn.kill != nil {
				sn.kill()
			}
		}
		left := len(s.sessions)
		s.mu.Unlock()
		s.log.Warn("shutdown grace over: sessions killed", "sessions", left)
		<-done
	}
	// Clients close their connection once the session ends; give them a moment, then
	// close whatever is left.
	select {
	case <-sdone:
	case <-time.After(time.Second):
	}
	err := s.srv.Close()
	s.log.Info("stopped")
	if errors.Is(err, ssh.ErrServerClosed) {
		err = nil
	}
	return err
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// connOpened starts the record of a connection, and refuses it when far too many are open
// (unauthenticated connections cost little, but not nothing).
func (s *Server) connOpened(ctx ssh.Context, conn net.Conn) net.Conn {
	ci := &connInfo{remote: remoteString(conn.RemoteAddr()), started: s.now()}
	ctx.SetValue(connInfoKey{}, ci)
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	limit := s.cfg.MaxSessions + 64
	if closing || s.conns.len() >= limit {
		ci.failure = fmt.Sprintf("too many open connections (%d)", limit)
		if closing {
			ci.failure = "the server is shutting down"
		}
		s.logConn(ci)
		conn.Close()
		return nil
	}
	s.conns.add(ci.remote, ci)
	return conn
}

func (s *Server) connFailed(conn net.Conn, err error) {
	if ci := s.conns.get(remoteString(conn.RemoteAddr())); ci != nil {
		reason := ci.authFailure(err, s.cfg.Roster != nil)
		ci.set(func(ci *connInfo) {
			if ci.failure == "" {
				ci.failure = reason
			}
		})
	}
}

func (s *Server) connClosed(conn net.Conn) {
	if ci := s.conns.remove(remoteString(conn.RemoteAddr())); ci != nil {
		s.logConn(ci)
	}
}

// serverConfig notes the authentication methods a client tries, for the log.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	ci := connInfoFrom(ctx)
	return &gossh.ServerConfig{
		MaxAuthTries: 6,
		AuthLogCallback: func(conn gossh.ConnMetadata, method string, err error) {
			ci.noteMethod(method)
			ci.set(func(ci *connInfo) { ci.user = conn.User() })
		},
	}
}

// publicKeyAuth lets in any key without a roster, and only roster keys with one.
func (s *Server) publicKeyAuth(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := classroom.Fingerprint(key)
	if _, isCert := key.(*gossh.Certificate); isCert {
		connInfoFrom(ctx).set(func(ci *connInfo) { ci.refused = append(ci.refused, fp+" (certificate)") })
		return false
	}
	if s.cfg.Roster != nil {
		if _, ok := s.cfg.Roster.Lookup(fp); !ok {
			connInfoFrom(ctx).set(func(ci *connInfo) { ci.refused = append(ci.refused, fp) })
			return false
		}
	}
	connInfoFrom(ctx).set(func(ci *connInfo) { ci.key = fp })
	return true
}

// sessionRequest allows an interactive shell request (the app) and one command,
// `accessible` (the accessible mode). Other commands and subsystems (sftp) are refused.
func (s *Server) sessionRequest(sess ssh.Session, reqType string) bool {
	if reqType == "shell" {
		return true
	}
	ci := connInfoFrom(sess.Context())
	switch reqType {
	case "exec":
		if wantsAccessible(sess) {
			return true
		}
		ci.refuse(fmt.Sprintf("exec %q refused", truncateString(sess.RawCommand(), 80)))
	case "subsystem":
		ci.refuse(fmt.Sprintf("subsystem %q refused", truncateString(sess.Subsystem(), 40)))
	default:
		ci.refuse(reqType + " refused")
	}
	return false
}

// sessionChannel runs the library's session handler with agent and X11 forwarding
// requests answered "no" (the library would say yes to the agent request).
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, &filteredChannel{NewChannel: nc, ci: connInfoFrom(ctx)}, ctx)
}

type filteredChannel struct {
	gossh.NewChannel
	ci *connInfo
}

func (f *filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for req := range reqs {
			switch req.Type {
			case "auth-agent-req@openssh.com":
				f.ci.refuse("agent forwarding refused")
				_ = req.Reply(false, nil)
				continue
			case "x11-req":
				f.ci.refuse("X11 forwarding refused")
				_ = req.Reply(false, nil)
				continue
			}
			out <- req
		}
	}()
	return ch, out, nil
}

func (s *Server) refuseChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	what := nc.ChannelType()
	if what == "direct-tcpip" || what == "direct-streamlocal@openssh.com" {
		what = "port forwarding (" + what + ")"
	}
	connInfoFrom(ctx).refuse(what + " refused")
	_ = nc.Reject(gossh.Prohibited, "kaizen serves its app only: "+nc.ChannelType()+" is not allowed")
}

func (s *Server) refuseRequest(ctx ssh.Context, srv *ssh.Server, req *gossh.Request) (bool, []byte) {
	switch req.Type {
	case "tcpip-forward", "streamlocal-forward@openssh.com":
		connInfoFrom(ctx).refuse("remote port forwarding (" + req.Type + ") refused")
	}
	return false, nil
}

// minLevel is the least sandbox isolation exercise checks may run with: strict, unless the
// instructor said --allow-weak-sandbox.
func (s *Server) minLevel() sandbox.Level {
	if s.cfg.AllowWeakSandbox {
		return sandbox.LevelNone
	}
	return sandbox.LevelStrict
}

// checkGate lets a learner run one exercise check at a time across all their sessions: a
// second session (or a second key press) is told to wait instead of doubling the sandbox load.
func (s *Server) checkGate(learner int64) func() (release func(), ok bool) {
	return func() (func(), bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.checking[learner] {
			return nil, false
		}
		s.checking[learner] = true
		var once sync.Once
		return func() {
			once.Do(func() {
				s.mu.Lock()
				delete(s.checking, learner)
				s.mu.Unlock()
			})
		}, true
	}
}

// admit reserves a session slot for a key, or says why not.
func (s *Server) admit(sn *session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return "The class server is shutting down; try again in a moment."
	case s.perKey[sn.key] >= s.cfg.MaxPerKey:
		return fmt.Sprintf("You already have %d sessions open with this key; close one first.", s.perKey[sn.key])
	case len(s.sessions) >= s.cfg.MaxSessions:
		return fmt.Sprintf("The class is full (%d sessions); try again in a few minutes.", s.cfg.MaxSessions)
	}
	s.sessions[sn] = struct{}{}
	s.perKey[sn.key]++
	s.active.Add(1)
	return ""
}

func (s *Server) release(sn *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, sn)
	if s.perKey[sn.key]--; s.perKey[sn.key] <= 0 {
		delete(s.perKey, sn.key)
	}
	s.active.Done()
}

// learnerFor finds or creates the learner behind a key, binding roster rows.
func (s *Server) learnerFor(fp string) (store.Learner, error) {
	ctx := s.base
	l, err := s.cfg.Store.EnsureLearner(ctx, classroom.LearnerKey(fp), "")
	if err != nil {
		return l, err
	}
	if st, ok := s.cfg.Roster.Lookup(fp); ok && (l.Name != st.Name || l.StudentID != st.StudentID) {
		if err := s.cfg.Store.SetLearnerProfile(ctx, l.ID, st.Name, st.StudentID); err != nil {
			return l, err
		}
		l.Name, l.StudentID = st.Name, st.StudentID
	}
	return l, nil
}

// refuseSession records why a session was refused, logs it at once, tells the client and
// ends the session.
func (s *Server) refuseSession(sess ssh.Session, ci *connInfo, key, why, msg string) {
	ci.refuse(why)
	s.log.Warn("session refused", "remote", remoteString(sess.RemoteAddr()), "key", key, "reason", why)
	tell(sess, 1, msg)
}

// tell writes a message to the client's terminal and ends the session.
func tell(sess ssh.Session, code int, msg string) {
	_, _ = io.WriteString(sess.Stderr(), "kaizen: "+msg+"\r\n")
	_ = sess.Exit(code)
}

// truncateString shortens what a client sent for the log, on a rune boundary.
func truncateString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// activityReader records when the learner last typed.
type activityReader struct {
	r    io.Reader
	last atomic.Int64 // unix nanoseconds
	now  func() time.Time
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.last.Store(a.now().UnixNano())
	}
	return n, err
}

// handle runs one SSH session: the app, bound to the session, until it ends.
func (s *Server) handle(sess ssh.Session) {
	ci := connInfoFrom(sess.Context())
	pk := sess.PublicKey()
	if pk == nil {
		s.refuseSession(sess, ci, "", "session without a public key", "log in with an SSH key.")
		return
	}
	fp := classroom.Fingerprint(pk)
	if s.cfg.Roster != nil {
		// The auth handler already checked; check again with the key the session proved.
		if _, ok := s.cfg.Roster.Lookup(fp); !ok {
			s.refuseSession(sess, ci, fp, "key "+fp+" is not on the roster", "your key is not on this class's roster.")
			return
		}
	}
	accessible := wantsAccessible(sess)
	ptyReq, winCh, ok := sess.Pty()
	if !ok && !accessible {
		s.refuseSession(sess, ci, fp, "session without a terminal", "kaizen is a terminal app: connect with `ssh -t` from a terminal, or run `ssh HOST "+AccessibleCommand+"` for the accessible mode (plain lines, for screen readers).")
		return
	}
	sn := &session{key: fp, remote: remoteString(sess.RemoteAddr()), started: s.now()}
	if why := s.admit(sn); why != "" {
		s.refuseSession(sess, ci, fp, why, why)
		return
	}
	defer s.release(sn)
	learner, err := s.learnerFor(fp)
	if err != nil {
		s.refuseSession(sess, ci, fp, "cannot open the learner's record: "+err.Error(), "the server cannot open your record right now; tell your instructor.")
		return
	}
	sn.learner = learner
	ci.set(func(ci *connInfo) {
		ci.key, ci.learner, ci.name = fp, learner.ID, learner.Name
		ci.sessions++
	})
	workspace := filepath.Join(s.cfg.DataDir, WorkspacesDir, strconv.FormatInt(learner.ID, 10))
	if err := os.MkdirAll(workspace, 0o700); err != nil {
		s.log.Error("workspace", "learner", learner.ID, "err", err)
	}
	if err := s.cfg.Store.RecordSession(s.base, learner.ID, "ssh"); err != nil {
		s.log.Error("record session", "learner", learner.ID, "err", err)
	}
	if accessible {
		s.handleAccessible(sess, sn, ci, learner, workspace)
		return
	}

	common := &tui.Common{
		Ctx:              s.base,
		Catalog:          s.cfg.Catalog,
		Store:            s.cfg.Store,
		Learner:          learner.ID,
		Now:              s.cfg.Now,
		Cache:            s.renders,
		Width:            ptyReq.Window.Width,
		Height:           ptyReq.Window.Height,
		ClassMode:        true,
		Workspace:        workspace,
		AllowWeakSandbox: s.cfg.AllowWeakSandbox,
		MinLevel:         s.minLevel(),
		CheckGate:        s.checkGate(learner.ID),
	}
	opts := tui.Options{AltScreen: true}
	if s.cfg.Roster == nil && learner.Name == "" {
		opts.Start = func(c *tui.Common) tui.Screen { return tui.NewNamePrompt(c) }
	}
	app := tui.NewServed(common, opts)
	in := &activityReader{r: sess, now: s.cfg.Now}
	in.last.Store(s.now().UnixNano())
	progOpts := append(bm.MakeOptions(sess),
		tea.WithInput(in),
		tea.WithoutSignalHandler(),
		tea.WithFPS(s.cfg.FPS),
	)
	sn.prog = tea.NewProgram(app, progOpts...)
	s.setKill(sn, sn.prog.Kill)
	ci.mu.Lock()
	connected := ci.started
	ci.mu.Unlock()
	s.log.Info("session start", "learner", learner.ID, "name", learner.Name, "key", fp, "remote", sn.remote,
		"term", ptyReq.Term, "width", ptyReq.Window.Width, "height", ptyReq.Window.Height,
		"handshake", sn.started.Sub(connected).Round(time.Millisecond).String(), "setup", s.now().Sub(sn.started).Round(time.Millisecond).String())

	done := make(chan struct{})
	ended := make(chan string, 1) // why the server ended the session
	go s.watch(sess, sn, in, winCh, done, ended)
	_, runErr := sn.prog.Run()
	close(done)

	reason := app.Reason()
	if reason != "" {
		_, _ = io.WriteString(sess, "\r\nkaizen: "+reason+"\r\n")
	}
	dur := s.now().Sub(sn.started).Round(time.Second)
	attrs := []any{"learner", learner.ID, "name", learner.Name, "key", fp, "remote", sn.remote, "duration", dur.String()}
	why := ""
	select {
	case why = <-ended:
	default:
	}
	if why != "" {
		attrs = append(attrs, "ended", why)
		ci.set(func(ci *connInfo) { ci.endReason = why })
	}
	if runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled) {
		attrs = append(attrs, "err", runErr.Error())
	}
	s.log.Info("session end", attrs...)
	_ = sess.Exit(0)
}

// What a learner is told when the server ends their session.
const (
	msgShutdown = "The class server is shutting down. Your progress is saved; log in again when it is back."
	msgClosed   = "Connection closed."
)

func msgIdle(idle time.Duration) string {
	return fmt.Sprintf("You were away for %s, so this session ended. Your progress is saved; log in again to continue.", idle)
}

// setKill records how to end a session at once, for Shutdown.
func (s *Server) setKill(sn *session, kill func()) {
	s.mu.Lock()
	sn.kill = kill
	s.mu.Unlock()
}

// watch forwards window changes and ends the session cleanly when the server stops, the
// learner has been idle too long, or the connection drops.
func (s *Server) watch(sess ssh.Session, sn *session, in *activityReader, winCh <-chan ssh.Window, done <-chan struct{}, ended chan<- string) {
	idle := s.cfg.IdleTimeout
	every := min(max(idle/4, 10*time.Millisecond), 15*time.Second)
	tick := time.NewTicker(every)
	defer tick.Stop()
	var kill <-chan time.Time
	end := func(why, msg string) {
		if kill != nil {
			return
		}
		ended <- why
		go sn.prog.Send(tui.ShutdownMsg{Reason: msg})
		kill = time.After(s.cfg.ShutdownGrace)
	}
	stopping := s.stopping
	gone := sess.Context().Done()
	for {
		select {
		case <-done:
			return
		case w, ok := <-winCh:
			if !ok {
				winCh = nil
				continue
			}
			go sn.prog.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		case <-stopping:
			stopping = nil
			end("server shutdown", msgShutdown)
		case <-gone:
			gone = nil
			end("connection closed", msgClosed)
		case <-tick.C:
			last := time.Unix(0, in.last.Load())
			if s.now().Sub(last) >= idle {
				end("idle", msgIdle(idle))
			}
		case <-kill:
			sn.prog.Kill()
			return
		}
	}
}
