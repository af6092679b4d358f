//go:build !unix

package sandbox

import (
	"os"
	"os/exec"
)

func setProcessGroup(*exec.Cmd) {}

func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

func exitStatus(st *os.ProcessState) (exited bool, code, sig int) { return true, st.ExitCode(), 0 }

func maxRSS(*os.ProcessState) int64 { return 0 }
