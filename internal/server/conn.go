package server

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"
)

// connInfo is what the server learns about one TCP connection, for its log line.
type connInfo struct {
	remote  string
	started time.Time

	mu        sync.Mutex
	user      string
	methods   []string // authentication methods tried, in order
	key       string   // fingerprint of the accepted key
	refused   []string // fingerprints of keys refused
	learner   int64
	name      string
	sessions  int
	refusals  []string // what was asked for and refused, and why
	failure   string   // why the connection failed before a session
	endReason string   // why the last session ended, when the server ended it
}

type connInfoKey struct{}

func connInfoFrom(ctx context.Context) *connInfo {
	if ci, ok := ctx.Value(connInfoKey{}).(*connInfo); ok {
		return ci
	}
	return &connInfo{} // never nil: a throwaway for contexts without one
}

func (ci *connInfo) noteMethod(m string) {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	for _, x := range ci.methods {
		if x == m {
			return
		}
	}
	ci.methods = append(ci.methods, m)
}

func (ci *connInfo) refuse(what string) {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	ci.refusals = append(ci.refusals, what)
}

func (ci *connInfo) set(fn func(ci *connInfo)) {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	fn(ci)
}

// authFailure explains a failed authentication in words.
func (ci *connInfo) authFailure(err error, roster bool) string {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	var other []string
	for _, m := range ci.methods {
		if m != "publickey" && m != "none" {
			other = append(other, m)
		}
	}
	switch {
	case len(ci.refused) > 0 && roster:
		return "key " + strings.Join(ci.refused, ", ") + " is not on the roster"
	case len(other) > 0:
		return strings.Join(other, ", ") + " authentication is not accepted: only SSH keys are"
	case len(ci.methods) == 0 || len(ci.methods) == 1 && ci.methods[0] == "none":
		if err != nil && !strings.Contains(err.Error(), "no auth passed") {
			return err.Error()
		}
		return "no SSH key offered (only public-key authentication is accepted)"
	}
	if err != nil {
		return err.Error()
	}
	return "authentication failed"
}

// track remembers connections by remote address, for the callbacks that only get the
// net.Conn.
type connTable struct {
	mu    sync.Mutex
	byKey map[string]*connInfo
}

func (t *connTable) add(addr string, ci *connInfo) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byKey[addr] = ci
	return len(t.byKey)
}

func (t *connTable) get(addr string) *connInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.byKey[addr]
}

func (t *connTable) remove(addr string) *connInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	ci := t.byKey[addr]
	delete(t.byKey, addr)
	return ci
}

func (t *connTable) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.byKey)
}

// logConn writes the one line every connection gets when it closes: who, when, from where,
// what happened, and why anything was refused.
func (s *Server) logConn(ci *connInfo) {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	outcome := "accepted"
	if ci.sessions == 0 {
		outcome = "refused"
	}
	attrs := []slog.Attr{
		slog.String("remote", ci.remote),
		slog.Time("start", ci.started),
		slog.Duration("duration", s.now().Sub(ci.started).Round(time.Millisecond)),
		slog.String("outcome", outcome),
	}
	if ci.user != "" {
		attrs = append(attrs, slog.String("user", ci.user))
	}
	if ci.key != "" {
		attrs = append(attrs, slog.String("key", ci.key))
	}
	if ci.learner != 0 {
		attrs = append(attrs, slog.Int64("learner", ci.learner), slog.String("name", ci.name))
	}
	attrs = append(attrs, slog.Int("sessions", ci.sessions))
	if len(ci.methods) > 0 {
		attrs = append(attrs, slog.String("auth", strings.Join(ci.methods, ",")))
	}
	reason := ci.failure
	if len(ci.refusals) > 0 {
		if reason != "" {
			reason += "; "
		}
		reason += strings.Join(ci.refusals, "; ")
	}
	if reason != "" {
		attrs = append(attrs, slog.String("reason", reason))
	}
	if ci.endReason != "" {
		attrs = append(attrs, slog.String("ended", ci.endReason))
	}
	level := slog.LevelInfo
	if outcome == "refused" {
		level = slog.LevelWarn
	}
	s.log.LogAttrs(context.Background(), level, "connection", attrs...)
}

func remoteString(a net.Addr) string {
	if a == nil {
		return "unknown"
	}
	return a.String()
}
