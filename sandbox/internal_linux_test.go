package sandbox

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestSeccompFilterDecisions(t *testing.T) {
	if auditArch == 0 {
		t.Skip("no filter on this architecture")
	}
	for _, c := range []struct {
		name string
		nr   uint32
		arg0 uint64
		want uint32
	}{
		{"read", unix.SYS_READ, 0, retAllow},
		{"clone thread", unix.SYS_CLONE, unix.CLONE_VM | unix.CLONE_THREAD, retAllow},
		{"clone newuser", unix.SYS_CLONE, unix.CLONE_NEWUSER | 17, retEPERM},
		{"clone newnet", unix.SYS_CLONE, unix.CLONE_NEWNET, retEPERM},
		{"clone3", unix.SYS_CLONE3, 0, retENOSYS},
		{"unshare", unix.SYS_UNSHARE, 0, retEPERM},
		{"mount", unix.SYS_MOUNT, 0, retEPERM},
		{"bpf", unix.SYS_BPF, 0, retEPERM},
		{"io_uring", unix.SYS_IO_URING_SETUP, 0, retEPERM},
		{"ptrace traceme", unix.SYS_PTRACE, unix.PTRACE_TRACEME, retAllow},
		{"ptrace detach", unix.SYS_PTRACE, unix.PTRACE_DETACH, retAllow},
		{"ptrace attach", unix.SYS_PTRACE, unix.PTRACE_ATTACH, retEPERM},
		{"ptrace traceme, high bits", unix.SYS_PTRACE, 1 << 32, retEPERM},
		{"socket inet", unix.SYS_SOCKET, unix.AF_INET, retEPERM},
		{"socket inet6", unix.SYS_SOCKET, unix.AF_INET6, retEPERM},
		{"socket unix", unix.SYS_SOCKET, unix.AF_UNIX, retEPERM},
		{"socket vsock", unix.SYS_SOCKET, unix.AF_VSOCK, retAllow},
	} {
		if got := bpfRun(t, auditArch, c.nr, c.arg0); got != c.want {
			t.Errorf("%s: got %#x, want %#x", c.name, got, c.want)
		}
	}
	if got := bpfRun(t, auditArch^1, unix.SYS_READ, 0); got != retKill {
		t.Errorf("foreign architecture: %#x", got)
	}
	if x32Bit != 0 {
		if got := bpfRun(t, auditArch, x32Bit|unix.SYS_READ, 0); got != retENOSYS {
			t.Errorf("x32: %#x", got)
		}
	}
}

func TestCgroupDir(t *testing.T) {
	mounts := []cgroupMount{
		{root: "/", point: "/sys/fs/cgroup/pids", controllers: []string{"rw", "pids"}},
		{root: "/", point: "/sys/fs/cgroup/memory", controllers: []string{"rw", "memory"}},
		{root: "/", point: "/sys/fs/cgroup/unified", v2: true},
	}
	self := "8:pids:/\n4:memory:/process_api/abc\n0::/\n"
	if d, ok := cgroupDir(self, mounts, "memory", false); !ok || d != "/sys/fs/cgroup/memory/process_api/abc" {
		t.Errorf("%q %v", d, ok)
	}
	if d, ok := cgroupDir(self, mounts, "pids", false); !ok || d != "/sys/fs/cgroup/pids" {
		t.Errorf("%q %v", d, ok)
	}
	if unescapeMount(`/a\040b`) != "/a b" {
		t.Error("unescape")
	}
}

// bpfRun interprets the classic BPF subset the filter uses, for one system call.
func bpfRun(t *testing.T, arch, nr uint32, arg0 uint64) uint32 {
	t.Helper()
	prog, err := seccompFilter(true, true)
	if err != nil {
		t.Fatal(err)
	}
	var a uint32
	load := func(off uint32) uint32 {
		switch off {
		case offNr:
			return nr
		case offArch:
			return arch
		case offArg0Lo:
			return uint32(arg0)
		case offArg0Hi:
			return uint32(arg0 >> 32)
		}
		t.Fatalf("load at %d", off)
		return 0
	}
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		switch in.Code {
		case 0x20: // ld w abs
			a = load(in.K)
		case 0x06: // ret k
			return in.K
		case 0x15, 0x35, 0x45: // jeq, jge, jset
			var ok bool
			switch in.Code {
			case 0x15:
				ok = a == in.K
			case 0x35:
				ok = a >= in.K
			case 0x45:
				ok = a&in.K != 0
			}
			if ok {
				pc += int(in.Jt)
			} else {
				pc += int(in.Jf)
			}
		default:
			t.Fatalf("opcode %#x", in.Code)
		}
	}
	t.Fatal("fell off the program")
	return 0
}
