package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// The parent and the helper talk over a SOCK_SEQPACKET socketpair (fd 3 in the helper): one
// JSON message per packet, so no framing is needed, and the socket is private to the two
// (the command never inherits it). Its end-of-file is the helper's signal that the parent
// died. The exchange has no round trip the run waits on: the parent writes the config as
// soon as the helper exists, and the helper starts the command as soon as the layers are up.
//
//	parent → helper  config                   (queued before the helper runs)
//	helper → parent  hello                    (the binary does call Init)
//	helper → parent  ready | refused | error  (the layers applied; the command started, or
//	                                           not because MinLevel was not met, or set-up failed)
//	parent → helper  kill                     (cancelled, or output over the cap)
//	helper → parent  done
const (
	msgHello   = "hello"
	msgConfig  = "config"
	msgReady   = "ready"
	msgRefused = "refused"
	msgError   = "error"
	msgKill    = "kill"
	msgDone    = "done"
)

// maxMsg bounds a message; a config is argv, environment and paths. A SOCK_SEQPACKET message
// must fit the socket's send buffer (about 208 KiB by default).
const maxMsg = 192 << 10

type message struct {
	Kind   string        `json:"kind"`
	Config *helperConfig `json:"config,omitempty"`
	Ready  *readyInfo    `json:"ready,omitempty"`
	Done   *doneInfo     `json:"done,omitempty"`
	Err    string        `json:"err,omitempty"`
	Layer  string        `json:"layer,omitempty"` // with msgError: the layer that failed ("": the run itself cannot be set up)
}

// helperConfig is everything the helper needs; the parent decided it.
type helperConfig struct {
	Argv []string `json:"argv"`
	Env  []string `json:"env"`
	Dir  string   `json:"dir"`

	NS       bool `json:"ns"`       // the helper was cloned into mount/pid/net/ipc/uts/cgroup namespaces
	UserNS   bool `json:"userns"`   // ... and a user namespace
	Loopback bool `json:"loopback"` // bring lo up in the network namespace
	UID      int  `json:"uid"`      // the command's uid and gid; -1 keeps the helper's (its caps are dropped)
	GID      int  `json:"gid"`

	Landlock bool `json:"landlock"`
	Seccomp  bool `json:"seccomp"`

	ReadOnly  []string `json:"ro,omitempty"`
	TmpDir    string   `json:"tmp,omitempty"` // without namespaces: the private TMPDIR on the host
	DiskBytes int64    `json:"disk"`

	CPUSeconds uint64        `json:"cpu"`
	AS         uint64        `json:"as"`
	FSize      uint64        `json:"fsize"`
	NoFile     uint64        `json:"nofile"`
	NProc      uint64        `json:"nproc"`      // 0: no limit (root is exempt anyway)
	NProcMode  string        `json:"nproc_mode"` // how to account for processes outside the run: "", "helper-threads", "uid-tasks"
	Timeout    time.Duration `json:"timeout"`
	MinLevel   Level         `json:"min_level"`  // start the command only if the layers reach it
	CgroupFDs  int           `json:"cgroup_fds"` // cgroup.procs files passed as fds 4, 5, ...
}

// readyInfo is the helper's report once the command is stopped at its first instruction.
type readyInfo struct {
	Layers   []string `json:"layers"`
	Missing  []string `json:"missing"`
	Pid      int      `json:"pid"` // the command's pid in the helper's pid namespace
	NotFound string   `json:"not_found,omitempty"`
	ExecErr  string   `json:"exec_err,omitempty"`
}

type doneInfo struct {
	Exited   bool          `json:"exited"`
	Code     int           `json:"code"`
	Signal   int           `json:"signal"`
	CPU      time.Duration `json:"cpu"`
	Wall     time.Duration `json:"wall"`
	MaxRSS   int64         `json:"maxrss"`
	TimedOut bool          `json:"timed_out"`
	Err      string        `json:"err,omitempty"` // copying the work dir back failed
}

// conn is one end of the control socket. recv is called from one goroutine at a time.
type conn struct {
	f   *os.File
	buf []byte
}

func newConn(fd int) (*conn, error) {
	// Non-blocking so the runtime's poller serves it (reads get deadlines, and no thread is
	// parked in read(2)).
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, err
	}
	return &conn{f: os.NewFile(uintptr(fd), "sandbox-control")}, nil
}

func (c *conn) send(m message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if len(b) > maxMsg {
		return fmt.Errorf("sandbox: %s message of %d bytes is too large", m.Kind, len(b))
	}
	_, err = c.f.Write(b)
	return err
}

// recv reads one message; io.EOF when the other side is gone.
func (c *conn) recv(deadline time.Time) (message, error) {
	var m message
	if err := c.f.SetReadDeadline(deadline); err != nil {
		return m, err
	}
	if c.buf == nil {
		c.buf = make([]byte, maxMsg)
	}
	n, err := c.f.Read(c.buf)
	if err != nil {
		return m, err
	}
	if n == 0 {
		return m, errors.New("sandbox: empty control message")
	}
	err = json.Unmarshal(c.buf[:n], &m)
	return m, err
}

func (c *conn) close() error { return c.f.Close() }
