//go:build unix

package sandbox

import (
	"os"
	"os/exec"
	"syscall"
)

// setProcessGroup puts the command in a process group of its own, so the whole group can be
// killed.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // ESRCH once the group is gone
	}
}

func exitStatus(st *os.ProcessState) (exited bool, code, sig int) {
	ws, ok := st.Sys().(syscall.WaitStatus)
	if !ok {
		return true, st.ExitCode(), 0
	}
	if ws.Signaled() {
		return false, -1, int(ws.Signal())
	}
	return true, ws.ExitStatus(), 0
}

func maxRSS(st *os.ProcessState) int64 {
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss) * rssUnit
	}
	return 0
}
