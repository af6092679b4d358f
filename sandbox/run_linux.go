package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

const (
	// helloTimeout bounds the wait for a re-exec'd binary to show it is a helper. A binary
	// whose main does not call Init usually exits at once; one that starts its own work
	// instead is killed after this.
	helloTimeout = 5 * time.Second
	// setupTimeout bounds the helper's set-up, copying the work dir in included.
	setupTimeout = 60 * time.Second
	// backstop is how long after the command's timeout the parent waits for the helper's
	// report before killing the helper (and so, with a pid namespace, the whole run). The
	// helper copies the work dir back in that time, up to DiskBytes of it.
	backstop = 30 * time.Second
)

// attempt is one way of starting the helper, from the strongest down.
type attempt struct {
	ns, userns bool
	best       Level
}

// Run runs spec.Argv in spec.Dir under every isolation layer this machine offers and reports
// what happened and which layers held.
//
// It returns an error only when the command could not be run as asked: a bad Spec, a
// MinLevel the machine cannot give (an *IsolationError; nothing ran), a cancelled context
// (with the Result so far), or a failure of the sandbox itself. A command that fails, is
// killed or times out is a Result, not an error.
func Run(ctx context.Context, spec Spec) (Result, error) {
	s, err := normalize(spec)
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	rep := &report{}
	if os.Getenv(helperEnvMarker) != "" {
		// This process was started as a sandbox helper but its main did not call Init, so
		// it is running the program's ordinary code instead (a test binary runs its tests).
		// Re-executing it again would recurse; run without the helper.
		rep.miss(LayerHelper, "this process was started as a sandbox helper, but its main does not call sandbox.Init")
		return runPlainFallback(ctx, s, rep)
	}
	atts := plan(s, rep)
	var cg *cgroup
	switch {
	case len(atts) == 0:
	case s.disabled(LayerCgroup):
		rep.miss(LayerCgroup, "disabled")
	default:
		if c, err := newCgroup(s); err != nil {
			rep.miss(LayerCgroup, cgroupWhy(err))
		} else {
			cg = c
			defer cg.remove()
		}
	}
	for _, a := range atts {
		if a.best < s.MinLevel {
			continue
		}
		res, fallBack, err := runHelper(ctx, s, a, rep, cg)
		if !fallBack {
			return res, err
		}
		if _, gone := missingLayer(rep.missing, LayerHelper); gone {
			break
		}
	}
	return runPlainFallback(ctx, s, rep)
}

// runPlainFallback runs without the helper, or refuses when MinLevel asks for more.
func runPlainFallback(ctx context.Context, s Spec, rep *report) (Result, error) {
	if s.MinLevel > LevelNone {
		return refuse(s, rep)
	}
	for _, l := range []string{LayerRlimits, LayerLandlock, LayerSeccomp, LayerPidNS, LayerNetNS, LayerMountNS, LayerDiskQuota} {
		rep.miss(l, "needs the sandbox helper")
	}
	return runPlain(ctx, s, rep)
}

// plan lists the ways to start the helper, strongest first, and records why stronger ones
// are left out.
func plan(s Spec, rep *report) []attempt {
	if s.disabled(LayerHelper) {
		rep.miss(LayerHelper, "disabled")
		return nil
	}
	if s.Caps != nil {
		if why, ok := missingLayer(s.Caps.Missing, LayerHelper); ok {
			rep.miss(LayerHelper, why)
			return nil
		}
	}
	nsLayers := []string{LayerUserNS, LayerPidNS, LayerNetNS, LayerMountNS}
	var out []attempt
	switch {
	case s.disabled(LayerNamespaces):
		for _, l := range nsLayers {
			rep.miss(l, "disabled")
		}
	case s.Caps != nil && !s.Caps.Has(LayerPidNS):
		for _, l := range nsLayers {
			if why, ok := missingLayer(s.Caps.Missing, l); ok {
				rep.miss(l, why)
			}
		}
	default:
		if s.Caps != nil && !s.Caps.Has(LayerUserNS) {
			if why, ok := missingLayer(s.Caps.Missing, LayerUserNS); ok {
				rep.miss(LayerUserNS, why)
			}
		} else {
			out = append(out, attempt{ns: true, userns: true, best: LevelStrict})
		}
		if os.Geteuid() == 0 {
			// Root can make the other namespaces without a user namespace.
			out = append(out, attempt{ns: true, best: LevelStrict})
		}
	}
	return append(out, attempt{best: LevelBasic})
}

func cgroupWhy(err error) string {
	if errors.Is(err, os.ErrPermission) {
		return "no writable cgroup (needs root or a delegated cgroup v2): " + err.Error()
	}
	return err.Error()
}

// runHelper makes one attempt. fallBack reports that it failed before the command could
// start, with the reason recorded in rep, and that a weaker attempt should follow.
func runHelper(ctx context.Context, s Spec, a attempt, rep *report, cg *cgroup) (res Result, fallBack bool, err error) {
	p, err := newPipes(s.Stdin)
	if err != nil {
		return res, false, err
	}
	defer p.close()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return res, false, err
	}
	ctl, err := newConn(fds[0])
	if err != nil {
		unix.Close(fds[0])
		unix.Close(fds[1])
		return res, false, err
	}
	defer ctl.close()
	childEnd := os.NewFile(uintptr(fds[1]), "sandbox-control")
	defer childEnd.Close()

	tmp := "/tmp"
	if !a.ns {
		if tmp, err = os.MkdirTemp("", "kaizen-sbx-tmp-"); err != nil {
			return res, false, err
		}
		defer os.RemoveAll(tmp)
	}
	cfg := helperConfig{
		Argv: s.Argv, Env: environ(s, tmp), Dir: s.Dir,
		NS: a.ns, UserNS: a.userns, Loopback: s.Network == NetworkLoopback,
		UID: -1, GID: -1,
		Landlock: !s.disabled(LayerLandlock), Seccomp: !s.disabled(LayerSeccomp),
		ReadOnly: s.ReadOnlyPaths, DiskBytes: s.DiskBytes,
		CPUSeconds: uint64((s.CPUTime + time.Second - 1) / time.Second),
		AS:         uint64(s.MemoryBytes), FSize: uint64(s.MaxFileSize), NoFile: uint64(s.MaxOpenFiles),
		NProc: uint64(s.MaxProcs), Timeout: s.Timeout, MinLevel: s.MinLevel,
	}
	if !a.ns {
		cfg.TmpDir = tmp
	}
	sys := &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	root := os.Geteuid() == 0
	if a.ns {
		// The network namespace is made by the helper's launcher thread, concurrently with the
		// rest of the set-up (it is the slowest namespace to create).
		sys.Cloneflags = unix.CLONE_NEWNS | unix.CLONE_NEWPID | unix.CLONE_NEWIPC | unix.CLONE_NEWUTS | unix.CLONE_NEWCGROUP
		if root {
			// The command runs as nobody: root is exempt from RLIMIT_NPROC, and a root
			// command could read any file its mount namespace shows.
			cfg.UID, cfg.GID = nobody, nobody
		}
	}
	// How RLIMIT_NPROC is counted for the command decides what to add to its budget
	// (launcher.nprocLimit).
	switch {
	case a.userns && root:
		sys.Cloneflags |= unix.CLONE_NEWUSER
		// The helper stays root (of the namespace, with our files); the command is nobody,
		// counted for RLIMIT_NPROC in this namespace alone.
		ids := []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 1}, {ContainerID: nobody, HostID: nobody, Size: 1}}
		sys.UidMappings, sys.GidMappings, sys.GidMappingsEnableSetgroups = ids, ids, true
	case a.userns:
		sys.Cloneflags |= unix.CLONE_NEWUSER
		// An unprivileged user can map only its own ids. The helper keeps that uid and gets
		// the capabilities it needs for mounts and lo as ambient ones; the launcher drops them
		// for the command, which therefore runs as the user, with nothing extra.
		sys.UidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getuid(), HostID: os.Getuid(), Size: 1}}
		sys.GidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getgid(), HostID: os.Getgid(), Size: 1}}
		sys.AmbientCaps = []uintptr{unix.CAP_SYS_ADMIN, unix.CAP_NET_ADMIN, unix.CAP_SETPCAP}
		cfg.NProcMode = "helper-threads"
	case !root || a.ns:
		// No user namespace, and a command uid that is not root: every task of that uid
		// counts.
		cfg.NProcMode = "uid-tasks"
	}
	extra := []*os.File{childEnd}
	if cg != nil {
		extra = append(extra, cg.procs...)
		cfg.CgroupFDs = len(cg.procs)
	}
	cmd := &exec.Cmd{
		Path:        "/proc/self/exe",
		Args:        []string{"kaizen-sandbox", helperArg},
		Env:         helperEnv(),
		Stdin:       p.stdinR,
		Stdout:      p.stdoutW,
		Stderr:      p.stderrW,
		ExtraFiles:  extra,
		SysProcAttr: sys,
	}
	waited, err := startLocked(cmd)
	if err != nil {
		switch {
		case a.userns:
			rep.miss(LayerUserNS, "clone: "+err.Error())
		case a.ns:
			for _, l := range []string{LayerPidNS, LayerNetNS, LayerMountNS} {
				rep.miss(l, "clone: "+err.Error())
			}
		default:
			rep.miss(LayerHelper, "start: "+err.Error())
		}
		return res, true, nil
	}
	childEnd.Close()
	p.closeChildEnds()
	abandon := func() {
		_ = cmd.Process.Kill()
		<-waited
	}
	// exited waits for a helper that has said its last word; one that then hangs is killed.
	exited := func() {
		select {
		case <-waited:
		case <-time.After(10 * time.Second):
			abandon()
		}
	}
	// Queued in the socket before the helper reads it: no round trip.
	if err := ctl.send(message{Kind: msgConfig, Config: &cfg}); err != nil {
		abandon()
		return res, false, err
	}
	msgs := make(chan message, 4)
	go func() {
		defer close(msgs)
		for {
			m, err := ctl.recv(time.Time{})
			if err != nil {
				return
			}
			msgs <- m
		}
	}()
	next := func(timeout time.Duration) (message, string) {
		t := time.NewTimer(timeout)
		defer t.Stop()
		select {
		case m, ok := <-msgs:
			if !ok {
				<-waited
				return m, "the helper exited (" + cmd.ProcessState.String() + ")"
			}
			return m, ""
		case <-t.C:
			return message{}, "no answer within " + timeout.String()
		case <-ctx.Done():
			return message{}, "cancelled"
		}
	}

	if m, why := next(helloTimeout); why != "" || m.Kind != msgHello {
		abandon()
		if ctx.Err() != nil {
			return res, false, ctx.Err()
		}
		rep.miss(LayerHelper, "the re-executed binary did not answer as a sandbox helper; its main must call sandbox.Init first ("+why+")")
		return res, true, nil
	}
	m, why := next(setupTimeout)
	if why == "" && m.Kind == msgError {
		exited()
		if m.Layer == "" {
			return res, false, errors.New("sandbox: " + m.Err)
		}
		rep.miss(m.Layer, m.Err)
		if m.Layer == LayerMountNS {
			// Without its mount namespace the other namespaces are no use either.
			for _, l := range []string{LayerUserNS, LayerPidNS, LayerNetNS} {
				rep.miss(l, "the mount namespace failed")
			}
		}
		return res, true, nil
	}
	if why != "" || (m.Kind != msgReady && m.Kind != msgRefused) || m.Ready == nil {
		abandon()
		if ctx.Err() != nil {
			return res, false, ctx.Err()
		}
		// Whatever the helper printed (a Go panic, say) is in the command's stderr pipe.
		return res, false, fmt.Errorf("sandbox: helper set-up: %s%s", why, tail(p.stderrR))
	}
	ready := m.Ready
	final := &report{}
	final.add(LayerEnv, LayerTimeout, LayerOutputCap, LayerHelper)
	final.add(ready.Layers...)
	for _, m := range append(append([]string(nil), rep.missing...), ready.Missing...) {
		name, why, _ := strings.Cut(m, ": ")
		if !slices.Contains(final.layers, name) {
			final.miss(name, why)
		}
	}
	res = Result{Level: levelOf(final.layers), Layers: final.layers, Missing: final.missing}
	if m.Kind == msgRefused {
		exited()
		r, err := refuse(s, final)
		return r, false, err
	}
	if ready.NotFound != "" || ready.ExecErr != "" {
		exited()
		outcome{notFound: ready.NotFound, execErr: ready.ExecErr}.fill(&res, s)
		return res, false, nil
	}

	// The command runs from here on.
	var o outcome
	kill := make(chan struct{}, 1)
	out := newOutput(s.MaxOutput, func() { kill <- struct{}{} })
	out.collect(p.stdoutR, false)
	out.collect(p.stderrR, true)
	fed := p.feed(s.Stdin)
	back := time.NewTimer(s.Timeout + backstop)
	defer back.Stop()
	var done *doneInfo
	sentKill := false
	askKill := func() {
		if !sentKill {
			sentKill = true
			_ = ctl.send(message{Kind: msgKill})
		}
	}
	ctxDone := ctx.Done()
wait:
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				break wait
			}
			if m.Kind == msgDone {
				done = m.Done
			}
		case <-kill:
			o.overflow = true
			askKill()
		case <-ctxDone:
			ctxDone = nil
			o.cancelled = true
			askKill()
		case <-back.C:
			o.timedOut = true
			_ = cmd.Process.Kill()
			if !a.ns && ready.Pid > 0 {
				// Without a pid namespace the helper's death does not take the command with it.
				_ = unix.Kill(-ready.Pid, unix.SIGKILL)
			}
		}
	}
	exited()
	out.finish(p.stdoutR, p.stderrR)
	p.close()
	<-fed
	out.result(&res)
	if done != nil {
		o.exited, o.code, o.signal = done.Exited, done.Code, done.Signal
		o.cpu, o.wall, o.maxRSS = done.CPU, done.Wall, done.MaxRSS
		o.timedOut = o.timedOut || done.TimedOut
	} else if !o.timedOut {
		o.died = cmd.ProcessState.String()
	} else {
		o.signal = int(unix.SIGKILL)
	}
	if cg != nil {
		o.oom, o.pidsMax, _ = cg.stats()
	}
	o.fill(&res, s)
	switch {
	case done != nil && done.Err != "":
		return res, false, errors.New("sandbox: " + done.Err)
	case o.cancelled:
		return res, false, ctx.Err()
	}
	return res, false, nil
}

// startLocked starts cmd from a goroutine that keeps its OS thread until cmd has exited.
// Pdeathsig fires when the thread that forked the helper exits, not the process
// (golang/go#27505), and the runtime ends a thread whose goroutine exits while locked to it.
// The caller's goroutine stays unlocked: a locked goroutine is woken through its own thread,
// which costs every message of the run a cross-thread handoff. (The control socket's
// end-of-file covers the parent's death as well.)
// The returned channel closes once cmd has been waited for.
func startLocked(cmd *exec.Cmd) (<-chan struct{}, error) {
	started := make(chan error)
	waited := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		err := cmd.Start()
		started <- err
		if err == nil {
			// Hold the thread until the helper is gone. The wait itself happens elsewhere: a
			// goroutine locked to a thread resumes only through that thread, which adds
			// milliseconds on a busy machine.
			<-waited
		}
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	go func() {
		_ = cmd.Wait()
		close(waited)
	}()
	return waited, nil
}

// tail reads what is already in a pipe (up to 4 KiB) for an error message.
func tail(f *os.File) string {
	_ = f.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	buf := make([]byte, 4096)
	n, _ := f.Read(buf)
	if n == 0 {
		return ""
	}
	return ":\n" + strings.TrimSpace(string(buf[:n]))
}

// helperEnvMarker is set in the helper's environment. A helper that is working (its main
// called Init) never looks at it; a binary whose main does not call Init runs its ordinary
// code when re-executed, and Run, seeing the marker, does not re-execute it once more.
const helperEnvMarker = "KAIZEN_SANDBOX_HELPER"

// helperEnv is the helper's whole environment: nothing of ours (it may hold secrets), only
// the marker above and what the Go runtime reads at start-up. One P is enough (its threads
// mostly wait in system calls, which release it, so the set-up steps still overlap) and
// saves scheduler hand-offs and a share of the command's RLIMIT_NPROC; a race-detector build
// (the tests) would otherwise sleep a second in every helper's exit.
func helperEnv() []string {
	return []string{helperEnvMarker + "=1", "GOMAXPROCS=1", "GORACE=" + strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0")}
}

// nobody is the uid and gid commands run as when kaizen runs as root.
const nobody = 65534
