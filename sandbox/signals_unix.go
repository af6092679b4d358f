//go:build unix

package sandbox

import "syscall"

// signalWords names a signal the way a learner understands it.
func signalWords(sig int) string {
	switch syscall.Signal(sig) {
	case syscall.SIGKILL:
		return "killed"
	case syscall.SIGTERM:
		return "terminated"
	case syscall.SIGINT:
		return "interrupted"
	case syscall.SIGHUP:
		return "hangup"
	case syscall.SIGQUIT:
		return "quit"
	case syscall.SIGSEGV:
		return "segmentation fault"
	case syscall.SIGABRT:
		return "aborted"
	case syscall.SIGBUS:
		return "bus error"
	case syscall.SIGFPE:
		return "floating-point exception"
	case syscall.SIGILL:
		return "illegal instruction"
	case syscall.SIGPIPE:
		return "broken pipe"
	case syscall.SIGALRM:
		return "alarm clock"
	case syscall.SIGXCPU:
		return "CPU time limit exceeded"
	case syscall.SIGXFSZ:
		return "file size limit exceeded"
	case syscall.SIGSYS:
		return "bad system call"
	case syscall.SIGTRAP:
		return "trace trap"
	case syscall.SIGUSR1:
		return "user signal 1"
	case syscall.SIGUSR2:
		return "user signal 2"
	}
	return "signal " + itoa(sig)
}

// limitSignal names the limit a signal reports, or "".
func limitSignal(sig int) string {
	switch syscall.Signal(sig) {
	case syscall.SIGXCPU:
		return "CPU time limit"
	case syscall.SIGXFSZ:
		return "file size limit"
	}
	return ""
}

func isKill(sig int) bool { return syscall.Signal(sig) == syscall.SIGKILL }
