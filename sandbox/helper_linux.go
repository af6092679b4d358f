package sandbox

import (
	"bufio"
	"errors"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// helperMain is the helper process: it sets up the layers the parent asked for, starts the
// command through a launcher thread, supervises it, and reports. It never returns.
func helperMain() {
	// The main goroutine keeps the thread-group leader for itself, so the launcher (which
	// restricts its own thread) is certain to get another thread.
	runtime.LockOSThread()
	// Descriptors the parent leaked without close-on-exec must not reach the command; ours
	// (the control socket, the cgroup files) are only for the helper (study finding F5).
	_ = unix.CloseRange(3, math.MaxUint32, unix.CLOSE_RANGE_CLOEXEC)
	// Not dumpable: the command's processes have our uid in some modes, and a dumpable
	// helper would let them open /proc/1/fd, /proc/1/root or /proc/1/environ.
	_ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
	// Catch every signal and drop it. As pid 1 of its namespace the helper only receives the
	// signals it handles, and the runtime's default handling of SIGTERM and friends is to
	// exit, which would let the command end its own supervision. Catching (rather than
	// ignoring) matters for the command too: a fork resets caught signals to their defaults,
	// while ignored ones, ours or those kaizen was started with (nohup, a shell's SIGPIPE),
	// would stay ignored in the command across execve.
	signal.Notify(make(chan os.Signal, 1))
	c, err := newConn(3)
	if err != nil {
		os.Stderr.WriteString("kaizen sandbox helper: no control socket: " + err.Error() + "\n")
		os.Exit(125)
	}
	if err := c.send(message{Kind: msgHello}); err != nil {
		os.Exit(125)
	}
	m, err := c.recv(time.Time{})
	if err != nil || m.Kind != msgConfig || m.Config == nil {
		os.Exit(125)
	}
	os.Exit(serve(c, m.Config))
}

// helper is the supervising side of the helper process.
type helper struct {
	cfg *helperConfig
	pid int // the command's pid, once started
}

func serve(c *conn, cfg *helperConfig) int {
	h := &helper{cfg: cfg}
	rep := &report{}
	var cgroups []*os.File
	for i := range cfg.CgroupFDs {
		cgroups = append(cgroups, os.NewFile(uintptr(4+i), "cgroup.procs"))
	}
	// The launcher starts first: it makes the run's network namespace on its own thread
	// while this one builds the root, so the two costliest steps of the set-up overlap.
	l := newLauncher(cfg, rep, cgroups)
	go l.run()
	// The launcher has locked a thread other than this one; the leader can go back to
	// serving any goroutine (a locked goroutine is woken through its own thread, which would
	// slow every step below).
	<-l.locked
	runtime.UnlockOSThread()

	var fsys *nsFS
	if cfg.NS {
		if cfg.UserNS {
			rep.add(LayerUserNS)
		}
		rep.add(LayerPidNS, LayerTreeKill, LayerIPCNS, LayerUTSNS)
		var err error
		if fsys, err = buildRoot(cfg, rep); err != nil {
			layer := LayerMountNS
			var wd *workDirError
			if errors.As(err, &wd) {
				layer = ""
			}
			_ = c.send(message{Kind: msgError, Layer: layer, Err: err.Error()})
			return 1
		}
		_ = unix.Sethostname([]byte("sandbox"))
	} else {
		// Orphans of the command become our children instead of init's, so they can be found
		// and killed when the run ends (setsid and double forks included).
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			rep.miss(LayerTreeKill, "PR_SET_CHILD_SUBREAPER: "+err.Error())
		} else {
			rep.add(LayerTreeKill)
		}
	}
	l.root <- fsys

	var info readyInfo
	select {
	case f := <-l.failed:
		_ = c.send(message{Kind: msgError, Layer: f.layer, Err: f.err.Error()})
		return 1
	case info = <-l.ready:
	}
	h.pid = info.Pid
	if info.NotFound != "" || info.ExecErr != "" {
		l.start <- false
		<-l.done
		_ = c.send(message{Kind: msgReady, Ready: &info})
		return 0
	}
	if levelOf(info.Layers) < cfg.MinLevel {
		// Refuse before the command runs a single instruction.
		l.start <- false
		<-l.done
		_ = c.send(message{Kind: msgRefused, Ready: &info})
		return 0
	}
	l.start <- true
	if err := c.send(message{Kind: msgReady, Ready: &info}); err != nil {
		h.killAll(true)
	}

	msgs := make(chan message)
	go func() {
		defer close(msgs)
		for {
			m, err := c.recv(time.Time{})
			if err != nil {
				return
			}
			msgs <- m
		}
	}()
	timer := time.NewTimer(cfg.Timeout)
	defer timer.Stop()
	var sweep <-chan time.Time
	startSweep := func() {
		h.killAll(false)
		if sweep == nil {
			// Until every process is reaped; it lives as long as the helper, which exits soon.
			sweep = time.NewTicker(5 * time.Millisecond).C
		}
	}
	var d doneInfo
	timedOut := false
	exited := l.exited
wait:
	for {
		select {
		case <-timer.C:
			timedOut = true
			startSweep()
		case m, ok := <-msgs:
			if !ok {
				// The parent is gone: nobody will read a result, so end the run now.
				msgs = nil
				startSweep()
			} else if m.Kind == msgKill {
				startSweep()
			}
		case <-exited:
			// The command's main process is done; whatever it left behind goes too, so that
			// no detached grandchild outlives the run or holds its output open.
			exited = nil
			startSweep()
		case <-sweep:
			h.killAll(true)
		case d = <-l.done:
			break wait
		}
	}
	d.TimedOut = timedOut
	if fsys != nil && d.Err == "" {
		// Every process of the run is gone, so the work dir can no longer change under us.
		if err := syncTree(fsys.work, fsys.host, owner{}); err != nil {
			d.Err = "copy the work dir back: " + err.Error()
		}
	}
	_ = c.send(message{Kind: msgDone, Done: &d})
	return 0
}

// killAll kills every process of the run. As pid 1 of its namespace the helper can use
// kill(-1), which reaches exactly the namespace's other processes. Without a pid namespace
// that call would reach every process of the uid on the machine, so the helper kills the
// command's process group and, with orphans, its own children (it is their subreaper),
// repeatedly until none is left. Orphans are looked up only when the group kill was not
// enough: reading /proc/self/task/*/children costs the kernel milliseconds when the helper
// is reaped (it invalidates the dentries that reading created).
func (h *helper) killAll(orphans bool) {
	if h.cfg.NS {
		_ = unix.Kill(-1, unix.SIGKILL)
		return
	}
	if h.pid > 0 {
		_ = unix.Kill(-h.pid, unix.SIGKILL)
	}
	if !orphans && h.pid > 0 {
		return
	}
	for _, pid := range children() {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
}

// children lists this process's children.
func children() []int {
	var out []int
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	if len(tasks) == 0 {
		return childrenByScan()
	}
	for _, p := range tasks {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				out = append(out, pid)
			}
		}
	}
	return out
}

// childrenByScan is the fallback for kernels without /proc/PID/task/TID/children.
func childrenByScan() []int {
	self := strconv.Itoa(os.Getpid())
	var out []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		line, err := bufio.NewReader(f).ReadString('\n')
		f.Close()
		if err != nil && !errors.Is(err, os.ErrClosed) && line == "" {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
		i := strings.LastIndexByte(line, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(line[i+1:])
		if len(fields) > 1 && fields[1] == self {
			if pid, err := strconv.Atoi(filepath.Base(filepath.Dir(p))); err == nil {
				out = append(out, pid)
			}
		}
	}
	return out
}
