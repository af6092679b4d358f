package sandbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/landlock-lsm/go-landlock/landlock"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"golang.org/x/sys/unix"
)

// launcher starts the command from a thread of its own.
//
// Credentials, no_new_privs, the Landlock domain and the seccomp filter are all per thread in
// Linux, and a child inherits those of the thread that forked it. So the launcher locks a
// thread, gives it exactly what the command must have (its uid, no capabilities, the Landlock
// rules, the filter) and forks the command from it. The helper's other threads, its
// thread-group leader among them, keep their rights: they hold the control socket and the
// host's work dir, and the command, in a Landlock domain they are not in, cannot signal or
// ptrace them. The Go runtime never clones new threads from a thread locked with
// LockOSThread, so the restrictions stay on this one thread, which exits with the goroutine.
//
// rlimits, by contrast, are per process: set on the helper they would bind its Go runtime,
// which reserves far more address space than any limit a script should get (study finding
// F4). So the command is forked with PTRACE_TRACEME, stops at its first instruction after
// execve, gets its limits with prlimit(2) from outside, and is detached. At no point does a
// Go process run under the command's limits.
type launcher struct {
	cfg     *helperConfig
	fsys    *nsFS
	rep     *report
	cgroups []*os.File

	locked chan struct{}  // closed once run has locked its thread
	root   chan *nsFS     // the command's filesystem (nil without namespaces), once built
	ready  chan readyInfo // once, when the command is stopped before its first instruction
	start  chan bool      // true: go, false: abort
	exited chan struct{}  // closed when the command's main process has exited
	done   chan doneInfo  // once every process of the run is reaped
	failed chan failure   // instead of ready, when a layer that must hold could not be applied

	pid     int
	traced  bool
	noTrace string // why ptrace cannot stop the command
	nproc   uint64 // the RLIMIT_NPROC to set (see nprocLimit)
}

// failure is a layer that could not be set up, so the run cannot go on in this mode.
type failure struct {
	layer string
	err   error
}

func newLauncher(cfg *helperConfig, rep *report, cgroups []*os.File) *launcher {
	return &launcher{cfg: cfg, rep: rep, cgroups: cgroups, locked: make(chan struct{}), root: make(chan *nsFS, 1),
		ready: make(chan readyInfo, 1), start: make(chan bool, 1), exited: make(chan struct{}),
		done: make(chan doneInfo, 1), failed: make(chan failure, 1)}
}

func (l *launcher) run() {
	// Never unlocked: this thread takes on the command's restrictions and must not serve
	// any other goroutine; the runtime discards it when run returns.
	runtime.LockOSThread()
	close(l.locked)
	var netErr error
	if l.cfg.NS {
		netErr = newNetNS(l.cfg.Loopback)
	}
	l.fsys = <-l.root
	if l.cfg.NS {
		if netErr != nil {
			l.failed <- failure{LayerNetNS, netErr}
			return
		}
		l.rep.add(LayerNetNS)
		if l.cfg.Loopback {
			l.rep.add(LayerLoopback)
		}
	}
	info, argv0, err := l.prepare()
	if err != nil {
		l.failed <- failure{LayerUnprivUID, err}
		return
	}
	if info.NotFound != "" || info.ExecErr != "" {
		l.ready <- info
		<-l.start
		l.done <- doneInfo{}
		return
	}
	if l.traced {
		info.Pid = l.pid
	}
	info.Layers, info.Missing = l.rep.layers, l.rep.missing
	l.ready <- info
	if !<-l.start {
		if l.pid > 0 {
			_ = unix.Kill(l.pid, unix.SIGKILL)
		}
		l.reap(time.Now())
		l.done <- doneInfo{}
		return
	}
	var startErr error
	if l.traced {
		startErr = l.release()
	} else {
		startErr = l.forkUntraced(argv0)
	}
	t0 := time.Now()
	d := l.reap(t0)
	if startErr != nil && d.Err == "" {
		d.Err = startErr.Error()
	}
	l.done <- d
}

// prepare applies every restriction to this thread and forks the command, stopped.
func (l *launcher) prepare() (readyInfo, string, error) {
	var info readyInfo
	cfg := l.cfg
	argv0, err := lookPath(cfg.Argv[0], lookupEnv(cfg.Env, "PATH"), cfg.Dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			info.NotFound = cfg.Argv[0]
		} else {
			info.ExecErr = err.Error()
		}
		return info, "", nil
	}
	l.nproc = l.nprocLimit()
	if err := dropPrivileges(cfg.UID, cfg.GID); err != nil {
		return info, "", fmt.Errorf("drop privileges: %w", err)
	}
	l.privilegeReport()
	abi := l.applyLandlock()
	if cfg.Seccomp {
		l.applySeccomp(abi)
	} else {
		l.rep.miss(LayerSeccomp, "disabled")
	}

	pid, err := syscall.ForkExec(argv0, cfg.Argv, &syscall.ProcAttr{
		Dir:   cfg.Dir,
		Env:   cfg.Env,
		Files: []uintptr{0, 1, 2},
		Sys:   &syscall.SysProcAttr{Setsid: true, Ptrace: true},
	})
	if errors.Is(err, syscall.EPERM) {
		// Yama's ptrace_scope 3, or a container's seccomp profile. The command is then forked
		// on "go", with the limits the helper can carry itself.
		l.noTrace = "ptrace(PTRACE_TRACEME) is not permitted here"
		l.rep.miss(LayerRlimits, "only the CPU, open-file and core limits apply: the address-space, file-size and process limits are set between the command's execve and its first instruction, which needs ptrace, and "+l.noTrace)
		l.cgroupReport(false, "without ptrace the command joins it only after it has started")
		l.nprocReport(false)
		return info, argv0, nil
	}
	if err != nil {
		info.ExecErr = err.Error()
		return info, "", nil
	}
	l.pid, l.traced = pid, true
	var ws unix.WaitStatus
	if _, err := unix.Wait4(pid, &ws, 0, nil); err != nil {
		return info, "", fmt.Errorf("wait for the command to stop: %w", err)
	}
	if !ws.Stopped() {
		return info, "", fmt.Errorf("the command did not stop at execve (status %#x)", uint32(ws))
	}
	l.rep.add(LayerRlimits)
	err = l.moveToCgroup(pid)
	if err != nil {
		l.cgroupReport(false, "move the command into it: "+err.Error())
	} else {
		l.cgroupReport(true, "")
	}
	l.nprocReport(err == nil && len(l.cgroups) > 0)
	return info, argv0, nil
}

// newNetNS moves this thread, and so the command it will fork, into a network namespace of
// its own: only lo, down (nothing reachable, not even 127.0.0.1) or, for NetworkLoopback, up
// (its own 127.0.0.1). Namespaces belong to threads, so the helper's other threads stay where
// they are; they use no network.
func newNetNS(loopback bool) error {
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
	}
	if loopback {
		if err := loopbackUp(); err != nil {
			return fmt.Errorf("bring lo up: %w", err)
		}
	}
	return nil
}

// release sets the command's limits and lets it run.
func (l *launcher) release() error {
	for _, lim := range l.limits() {
		if err := unix.Prlimit(l.pid, lim.res, &unix.Rlimit{Cur: lim.cur, Max: lim.max}, nil); err != nil {
			_ = unix.Kill(l.pid, unix.SIGKILL)
			return fmt.Errorf("set %s on the command: %w", lim.name, err)
		}
	}
	if err := unix.PtraceDetach(l.pid); err != nil {
		_ = unix.Kill(l.pid, unix.SIGKILL)
		return fmt.Errorf("detach from the command: %w", err)
	}
	return nil
}

// forkUntraced is the path without ptrace: the limits that can bind the helper without
// harm (CPU time, open files, core size) are set on it and inherited by the command; the
// address-space and process limits would break the helper's Go runtime, and the file-size
// limit its copying of the work dir back, so those are not set (and reported missing).
func (l *launcher) forkUntraced(argv0 string) error {
	for _, lim := range l.limits() {
		if lim.res != unix.RLIMIT_CPU && lim.res != unix.RLIMIT_NOFILE && lim.res != unix.RLIMIT_CORE {
			continue
		}
		if err := unix.Prlimit(0, lim.res, &unix.Rlimit{Cur: lim.cur, Max: lim.max}, nil); err != nil {
			return fmt.Errorf("set %s: %w", lim.name, err)
		}
	}
	pid, err := syscall.ForkExec(argv0, l.cfg.Argv, &syscall.ProcAttr{
		Dir: l.cfg.Dir, Env: l.cfg.Env, Files: []uintptr{0, 1, 2}, Sys: &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		return err
	}
	l.pid = pid
	// Late, and reported missing, but it still bounds most of what the command does.
	_ = l.moveToCgroup(pid)
	return nil
}

type rlimit struct {
	name     string
	res      int
	cur, max uint64
}

func (l *launcher) limits() []rlimit {
	c := l.cfg
	lims := []rlimit{
		// SIGXCPU at the soft limit; SIGKILL one second later for a command that ignores it.
		{"RLIMIT_CPU", unix.RLIMIT_CPU, c.CPUSeconds, c.CPUSeconds + 1},
		{"RLIMIT_AS", unix.RLIMIT_AS, c.AS, c.AS},
		{"RLIMIT_FSIZE", unix.RLIMIT_FSIZE, c.FSize, c.FSize},
		{"RLIMIT_NOFILE", unix.RLIMIT_NOFILE, c.NoFile, c.NoFile},
		{"RLIMIT_CORE", unix.RLIMIT_CORE, 0, 0},
	}
	if l.nproc > 0 {
		lims = append(lims, rlimit{"RLIMIT_NPROC", unix.RLIMIT_NPROC, l.nproc, l.nproc})
	}
	return lims
}

// reap waits for every process of the run: the command, and (the helper being pid 1 of the
// namespace or a subreaper) every orphan of it. It returns when none is left, which the
// supervisor brings about by killing the rest once the command's main process is gone.
func (l *launcher) reap(t0 time.Time) doneInfo {
	var d doneInfo
	mainDone := l.pid <= 0
	if mainDone {
		close(l.exited)
	}
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, unix.WALL, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil { // ECHILD: nothing left
			break
		}
		if ws.Stopped() {
			// A process of the run asked to be traced (PTRACE_TRACEME makes this thread its
			// tracer). Let it go, passing on any signal but the stop itself.
			sig := ws.StopSignal()
			if sig == unix.SIGTRAP || sig == unix.SIGSTOP {
				sig = 0
			}
			_, _, _ = unix.RawSyscall6(unix.SYS_PTRACE, unix.PTRACE_DETACH, uintptr(pid), 0, uintptr(sig), 0, 0)
			continue
		}
		if pid == l.pid && !mainDone {
			mainDone = true
			d.Wall = time.Since(t0)
			if ws.Signaled() {
				d.Signal = int(ws.Signal())
			} else {
				d.Exited, d.Code = true, ws.ExitStatus()
			}
			close(l.exited)
		}
	}
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_CHILDREN, &ru); err == nil {
		d.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		d.MaxRSS = ru.Maxrss * 1024
	}
	return d
}

// moveToCgroup puts the command into the run's cgroup (while it is stopped, except on the
// path without ptrace).
func (l *launcher) moveToCgroup(pid int) error {
	for _, f := range l.cgroups {
		if _, err := f.WriteString(strconv.Itoa(pid)); err != nil {
			return err
		}
	}
	return nil
}

func (l *launcher) cgroupReport(ok bool, why string) {
	if len(l.cgroups) == 0 {
		return
	}
	if ok {
		l.rep.add(LayerCgroup)
	} else {
		l.rep.miss(LayerCgroup, why)
	}
}

// nprocLimit is the RLIMIT_NPROC to give the command. The kernel counts the tasks of the
// command's uid in its user namespace, so where that count includes processes that are not the
// command's, they are added to the budget (study finding F1).
func (l *launcher) nprocLimit() uint64 {
	c := l.cfg
	switch c.NProcMode {
	case "helper-threads":
		// In the run's user namespace under the parent's own uid, the helper's threads count.
		return c.NProc + uint64(threadCount())
	case "uid-tasks":
		// Without a user namespace every task of the uid on the machine counts.
		return c.NProc + uint64(machineTasks())
	}
	return c.NProc
}

// privilegeReport records whether the command runs unprivileged.
func (l *launcher) privilegeReport() {
	c := l.cfg
	root := c.UID == 0 || (c.UID < 0 && os.Getuid() == 0)
	switch {
	case c.UID > 0 && os.Getuid() == 0:
		l.rep.add(LayerUnprivUID)
	case root && !c.UserNS:
		l.rep.miss(LayerUnprivUID, "without namespaces the command runs as root (with no capabilities): another uid could not write its work dir")
	}
}

// nprocReport records whether the run has a process limit of its own: the cgroup's, or
// RLIMIT_NPROC counted in the run's own user namespace.
func (l *launcher) nprocReport(cgroupOK bool) {
	c := l.cfg
	root := c.UID == 0 || (c.UID < 0 && os.Getuid() == 0)
	switch {
	case cgroupOK:
		l.rep.add(LayerNproc)
	case !l.traced:
		l.rep.miss(LayerNproc, "RLIMIT_NPROC needs ptrace here (see rlimits) and there is no cgroup")
	case c.UserNS:
		l.rep.add(LayerNproc)
	case root:
		l.rep.miss(LayerNproc, "root is exempt from RLIMIT_NPROC and there is no cgroup")
	default:
		l.rep.miss(LayerNproc, "without a user namespace RLIMIT_NPROC counts every process of the uid on the machine; the limit is the machine's task count plus the budget")
	}
}

// dropPrivileges gives this thread the command's credentials: its uid and gid (or, with
// uid < 0, the helper's own uid without any capability), no capabilities, and
// no_new_privs, so neither a setuid binary nor file capabilities give any back.
func dropPrivileges(uid, gid int) error {
	// The bounding set first: dropping from it needs CAP_SETPCAP, which the later steps
	// remove. Failing here is not fatal: no_new_privs and an empty permitted set already
	// keep an execve from granting anything.
	for c := 0; c < 64; c++ {
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0); errors.Is(err, unix.EINVAL) {
			break
		}
	}
	if uid >= 0 {
		// Raw system calls: the syscall package's Setresuid changes every thread of the
		// process, and only this one is to change.
		if _, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, 0, 0, 0); e != 0 {
			return fmt.Errorf("setgroups: %w", e)
		}
		if _, _, e := unix.RawSyscall(unix.SYS_SETRESGID, uintptr(gid), uintptr(gid), uintptr(gid)); e != 0 {
			return fmt.Errorf("setresgid: %w", e)
		}
		if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, uintptr(uid), uintptr(uid), uintptr(uid)); e != 0 {
			return fmt.Errorf("setresuid: %w", e)
		}
	} else {
		// Keeping the uid: make sure that uid 0, if it is that, gets no capabilities at
		// execve. Best effort, as above.
		const secure = 1<<0 | 1<<1 | 1<<2 | 1<<3 | 1<<5 | 1<<6 | 1<<7 // NOROOT, NO_SETUID_FIXUP, KEEP_CAPS_LOCKED, NO_CAP_AMBIENT_RAISE, each locked
		_ = unix.Prctl(unix.PR_SET_SECUREBITS, secure, 0, 0, 0)
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil && !errors.Is(err, unix.EINVAL) {
		return fmt.Errorf("clear ambient capabilities: %w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capset: %w", err)
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("no_new_privs: %w", err)
	}
	return nil
}

// applyLandlock restricts this thread and returns the kernel's Landlock ABI (0 without).
func (l *launcher) applyLandlock() int {
	c := l.cfg
	abi, err := ll.LandlockGetABIVersion()
	if err != nil || abi < 1 {
		why := "not supported by this kernel"
		if err != nil {
			why += " (" + err.Error() + ")"
		}
		if !c.Landlock {
			why = "disabled"
		}
		l.rep.miss(LayerLandlock, why)
		return 0
	}
	if !c.Landlock {
		l.rep.miss(LayerLandlock, "disabled")
		return abi
	}
	tmp := c.TmpDir
	rw := []string{c.Dir}
	ro := append([]string(nil), systemDirs[:]...)
	if c.NS {
		tmp = "/tmp"
		rw = append(rw, "/dev/shm")
		if l.fsys != nil && l.fsys.proc {
			// The pid namespace's own /proc: only the run's processes are in it. Without a
			// pid namespace /proc stays denied, as it shows every process of the machine.
			ro = append(ro, "/proc")
		}
	}
	rw = append(rw, tmp)
	cfg := landlock.Config{HandledAccessFS: landlock.V11.HandledAccessFS, Scoped: landlock.V11.Scoped}
	// TCP: denied outright unless the run has a private loopback to use, in which case the
	// network namespace is what keeps it in.
	tcp := !(c.NS && c.Loopback)
	if tcp {
		cfg.HandledAccessNet = landlock.V11.HandledAccessNet
	}
	rwRule := landlock.RWDirs(rw...)
	if abi >= 2 {
		// Renames and links between the work dir and tmp; "refer" needs ABI 2, and asking for
		// it below that would make go-landlock drop Landlock altogether.
		rwRule = rwRule.WithRefer()
	}
	rules := []landlock.Rule{
		landlock.RODirs(ro...).IgnoreIfMissing(),
		rwRule,
		landlock.RWFiles(devNodes[:]...).IgnoreIfMissing(),
	}
	if c.NS {
		// Listing directories from / down: in the run's own root that shows only what is
		// granted anyway, and `ls /` or `find /` work. Not without a mount namespace, where
		// it would list the host's home directories.
		rules = append(rules, landlock.PathAccess(ll.AccessFSReadDir, "/"))
	}
	for _, p := range c.ReadOnly {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			rules = append(rules, landlock.RODirs(p))
		} else {
			rules = append(rules, landlock.ROFiles(p).IgnoreIfMissing())
		}
	}
	fd, flags, err := cfg.BestEffort().NewRulesetFD(rules...)
	if err != nil {
		l.rep.miss(LayerLandlock, err.Error())
		return abi
	}
	if fd < 0 {
		l.rep.miss(LayerLandlock, "not supported by this kernel")
		return abi
	}
	err = ll.LandlockRestrictSelf(fd, flags)
	unix.Close(fd)
	if err != nil {
		l.rep.miss(LayerLandlock, "landlock_restrict_self: "+err.Error())
		return abi
	}
	l.rep.add(LayerLandlock)
	if !c.NS {
		l.rep.add(LayerPrivateTmp)
	}
	switch {
	case !tcp:
	case abi >= 4:
		l.rep.add(LayerLandlockTCP)
	default:
		l.rep.miss(LayerLandlockTCP, fmt.Sprintf("Landlock ABI %d < 4", abi))
	}
	if abi >= 6 {
		l.rep.add(LayerLandlockScope)
	} else {
		l.rep.miss(LayerLandlockScope, fmt.Sprintf("Landlock ABI %d < 6: the command can signal processes of its uid", abi))
	}
	return abi
}

func (l *launcher) applySeccomp(landlockABI int) {
	c := l.cfg
	// Without a network namespace only seccomp stops UDP (Landlock covers it from ABI 10);
	// without a mount namespace only seccomp stops connecting to a host unix socket by path
	// (Landlock covers it from ABI 9).
	denyInet := !c.NS
	denyUnix := !c.NS && (!c.Landlock || landlockABI < 9)
	prog, err := seccompFilter(denyInet, denyUnix)
	if err == nil {
		err = installSeccomp(prog)
	}
	if err != nil {
		l.rep.miss(LayerSeccomp, err.Error())
		return
	}
	l.rep.add(LayerSeccomp)
}

// threadCount is the number of threads of this process.
func threadCount() int {
	b, err := os.ReadFile("/proc/self/status")
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "Threads:"); ok {
				if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
					return n
				}
			}
		}
	}
	return 32 // no /proc: a generous guess at a Go process's threads
}

// machineTasks is the number of tasks (threads included) on the machine, from /proc/loadavg.
// It stands in for the number of tasks of the command's uid, which RLIMIT_NPROC counts
// without a user namespace: counting those exactly means reading every /proc/PID/status,
// which cost about 15 ms of CPU per run on this 200-task test machine. The bound is looser by
// the other users' tasks, and still stops a fork bomb.
func machineTasks() int {
	b, err := os.ReadFile("/proc/loadavg")
	if err == nil {
		// "0.52 0.58 0.59 3/418 12345": running/total tasks is the fourth field.
		if f := strings.Fields(string(b)); len(f) >= 4 {
			if _, total, ok := strings.Cut(f[3], "/"); ok {
				if n, err := strconv.Atoi(total); err == nil {
					return n
				}
			}
		}
	}
	return 4096 // no /proc: a bound that still stops a fork bomb
}
