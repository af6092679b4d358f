package sandbox

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
)

// outcome is what the process tree did, as seen by whoever waited for it.
type outcome struct {
	exited    bool
	code      int // exit status when exited
	signal    int // signal number when killed (0 when exited)
	cpu, wall time.Duration
	maxRSS    int64
	timedOut  bool // killed because the wall-clock limit passed
	cancelled bool // killed because the caller's context ended
	overflow  bool // killed because the output passed MaxOutput
	oom       bool // the cgroup's memory limit killed something
	pidsMax   bool // the cgroup's pids limit refused a fork
	notFound  string
	execErr   string // the command could not be started (exit code 126 or 127)
	died      string // the supervisor itself died: why
}

// fill writes the outcome into r in words.
func (o outcome) fill(r *Result, s Spec) {
	r.Wall, r.CPU, r.PeakRSS = o.wall, o.cpu, o.maxRSS
	r.TimedOut = o.timedOut
	switch {
	case o.notFound != "":
		r.ExitCode, r.Reason = 127, "command not found: "+o.notFound
		return
	case o.execErr != "":
		r.ExitCode, r.Reason = 126, "cannot run the command: "+o.execErr
		return
	case o.died != "":
		r.ExitCode, r.Signal = -1, "killed"
		r.Reason = "killed: the sandbox supervisor died (" + o.died + ")"
		return
	case o.exited:
		r.ExitCode = o.code
		r.Reason = fmt.Sprintf("exit status %d", o.code)
		switch {
		case o.timedOut:
			r.Reason = "killed: timed out"
		case o.cancelled:
			r.Reason = "killed: cancelled"
		case o.overflow:
			r.Reason = "killed: output limit"
		case o.code > 128 && o.code < 128+65 && limitSignal(o.code-128) != "":
			// A shell reports a child killed by signal n as 128+n; the limits are worth naming.
			r.Reason += " (a child hit the " + limitSignal(o.code-128) + ")"
		case o.code != 0 && o.oom:
			r.Reason += " (memory limit)"
		case o.code != 0 && o.pidsMax:
			r.Reason += " (process limit)"
		case o.code != 0 && allocFailed(r.Stderr):
			r.Reason += " (memory limit: allocation failed)"
		}
		return
	}
	r.ExitCode = -1
	r.Signal = signalWords(o.signal)
	switch {
	case o.timedOut:
		r.Reason = "killed: timed out"
	case o.cancelled:
		r.Reason = "killed: cancelled"
	case o.overflow:
		r.Reason = "killed: output limit"
	case o.oom:
		r.Reason = "memory limit"
	case limitSignal(o.signal) != "":
		r.Reason = limitSignal(o.signal)
	case isKill(o.signal) && o.cpu >= s.CPUTime*8/10:
		// Past the soft limit the kernel sends SIGXCPU; a process that ignores it gets SIGKILL
		// at the hard limit one second later. (getrusage, which o.cpu comes from, samples CPU
		// time and under-reports it on VMs, hence the margin.)
		r.Reason = "CPU time limit"
	default:
		r.Reason = "killed by signal: " + r.Signal
	}
}

// allocFailed recognises the messages bash, python and libc print when an allocation fails,
// which is how RLIMIT_AS shows itself: the kernel keeps no count of those failures.
func allocFailed(stderr []byte) bool {
	tail := stderr[max(0, len(stderr)-2048):]
	for _, m := range [...]string{"MemoryError", "Cannot allocate memory", "cannot allocate memory", "xmalloc: cannot allocate"} {
		if bytes.Contains(tail, []byte(m)) {
			return true
		}
	}
	return false
}

// levelOf derives the isolation level from the layers that held. Strict needs the
// namespaces that keep the host out of sight and reach (pid, net and mount, with either a
// user namespace or an unprivileged uid); basic needs any kernel layer beyond the portable
// ones.
func levelOf(layers []string) Level {
	has := func(l string) bool { return slices.Contains(layers, l) }
	if has(LayerPidNS) && has(LayerNetNS) && has(LayerMountNS) && (has(LayerUserNS) || has(LayerUnprivUID)) {
		return LevelStrict
	}
	for _, l := range [...]string{LayerRlimits, LayerLandlock, LayerSeccomp, LayerPidNS, LayerMountNS} {
		if has(l) {
			return LevelBasic
		}
	}
	return LevelNone
}

// describe is the one-line summary used by Result.Isolation and Capabilities.String.
func describe(level Level, layers []string) string {
	has := func(l string) bool { return slices.Contains(layers, l) }
	var parts []string
	if has(LayerPidNS) && has(LayerNetNS) && has(LayerMountNS) {
		parts = append(parts, "namespaces")
	} else {
		for _, l := range [...]string{LayerUserNS, LayerPidNS, LayerNetNS, LayerMountNS} {
			if has(l) {
				parts = append(parts, l)
			}
		}
		if has(LayerRlimits) {
			parts = append(parts, "rlimits")
		}
	}
	for _, l := range [...]string{LayerLandlock, LayerSeccomp, LayerCgroup} {
		if has(l) {
			parts = append(parts, l)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "environment, timeout and output cap only")
	}
	return level.String() + " — " + strings.Join(parts, ", ")
}

// report accumulates the layers a run got and the ones it did not, in order.
type report struct {
	layers  []string
	missing []string
}

func (r *report) add(layers ...string) {
	for _, l := range layers {
		if !slices.Contains(r.layers, l) {
			r.layers = append(r.layers, l)
		}
	}
}

// miss records a missing layer once, with the first reason given for it.
func (r *report) miss(layer, why string) {
	for _, m := range r.missing {
		if strings.HasPrefix(m, layer+": ") {
			return
		}
	}
	r.missing = append(r.missing, layer+": "+why)
}

// missingLayer finds the reason recorded for layer in a Missing list.
func missingLayer(missing []string, layer string) (string, bool) {
	for _, m := range missing {
		if why, ok := strings.CutPrefix(m, layer+": "); ok {
			return why, true
		}
	}
	return "", false
}

func itoa(n int) string { return fmt.Sprint(n) }
