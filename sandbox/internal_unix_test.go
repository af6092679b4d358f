//go:build unix

package sandbox

import (
	"syscall"
	"testing"
	"time"
)

func TestOutcomeWords(t *testing.T) {
	s := Spec{CPUTime: 2 * time.Second}
	for _, c := range []struct {
		o           outcome
		stderr      string
		reason, sig string
		code        int
	}{
		{outcome{exited: true, code: 0}, "", "exit status 0", "", 0},
		{outcome{exited: true, code: 1}, "Traceback…\nMemoryError\n", "exit status 1 (memory limit: allocation failed)", "", 1},
		{outcome{exited: true, code: 128 + int(syscall.SIGXFSZ)}, "", "exit status 153 (a child hit the file size limit)", "", 153},
		{outcome{signal: int(syscall.SIGXCPU)}, "", "CPU time limit", "CPU time limit exceeded", -1},
		{outcome{signal: int(syscall.SIGXFSZ)}, "", "file size limit", "file size limit exceeded", -1},
		{outcome{signal: int(syscall.SIGKILL), timedOut: true}, "", "killed: timed out", "killed", -1},
		{outcome{signal: int(syscall.SIGKILL), overflow: true}, "", "killed: output limit", "killed", -1},
		{outcome{signal: int(syscall.SIGKILL), cancelled: true}, "", "killed: cancelled", "killed", -1},
		{outcome{signal: int(syscall.SIGKILL), oom: true}, "", "memory limit", "killed", -1},
		{outcome{signal: int(syscall.SIGKILL), cpu: 3 * time.Second}, "", "CPU time limit", "killed", -1},
		{outcome{signal: int(syscall.SIGSEGV)}, "", "killed by signal: segmentation fault", "segmentation fault", -1},
		{outcome{notFound: "pyhton3"}, "", "command not found: pyhton3", "", 127},
		{outcome{died: "signal: killed"}, "", "killed: the sandbox supervisor died (signal: killed)", "killed", -1},
	} {
		r := Result{Stderr: []byte(c.stderr)}
		c.o.fill(&r, s)
		if r.Reason != c.reason || r.Signal != c.sig || r.ExitCode != c.code {
			t.Errorf("%+v: got %q %q %d, want %q %q %d", c.o, r.Reason, r.Signal, r.ExitCode, c.reason, c.sig, c.code)
		}
	}
}
