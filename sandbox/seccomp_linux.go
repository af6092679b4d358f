package sandbox

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The seccomp filter is a deny-list, not an allow-list: bash, python and make use a wide and
// changing set of system calls, and the other layers already confine what the allowed ones
// can reach. What it denies is what widens the kernel's attack surface or undoes the other
// layers (study, section 2):
//
//   - tracing and cross-process memory access (ptrace except TRACEME/DETACH, which the
//     helper itself needs to stop the command at its first instruction, and
//     process_vm_readv/writev, pidfd_getfd);
//   - new namespaces (unshare, setns, clone with CLONE_NEW*; clone3 gets ENOSYS because its
//     flags sit in memory a filter cannot read, and libc then falls back to clone);
//   - mounts, pivot_root, chroot, and the new mount API;
//   - bpf, perf_event_open, userfaultfd, io_uring (which bypasses this filter for the calls
//     it performs), keyctl and friends, kexec, modules, swap, reboot, syslog, acct;
//   - without a network namespace: socket(AF_INET, AF_INET6, AF_PACKET, AF_NETLINK), the
//     only way to stop UDP below Landlock ABI 10, and socket(AF_UNIX) below ABI 9, where
//     Landlock cannot stop connecting to a host socket such as docker.sock by path.
//
// Foreign-architecture calls (the i386 and x32 ABIs on x86-64) are refused outright: their
// numbers differ, so the list above would not apply to them.

// seccompDenied lists the calls that get EPERM whatever their arguments.
func seccompDenied() []uint32 {
	l := []uint32{
		unix.SYS_BPF, unix.SYS_PERF_EVENT_OPEN, unix.SYS_USERFAULTFD,
		unix.SYS_KEYCTL, unix.SYS_ADD_KEY, unix.SYS_REQUEST_KEY,
		unix.SYS_MOUNT, unix.SYS_UMOUNT2, unix.SYS_PIVOT_ROOT, unix.SYS_CHROOT,
		unix.SYS_OPEN_TREE, unix.SYS_MOVE_MOUNT, unix.SYS_FSOPEN, unix.SYS_FSCONFIG,
		unix.SYS_FSMOUNT, unix.SYS_FSPICK, unix.SYS_MOUNT_SETATTR,
		unix.SYS_UNSHARE, unix.SYS_SETNS,
		unix.SYS_IO_URING_SETUP, unix.SYS_IO_URING_ENTER, unix.SYS_IO_URING_REGISTER,
		unix.SYS_PROCESS_VM_READV, unix.SYS_PROCESS_VM_WRITEV, unix.SYS_PIDFD_GETFD,
		unix.SYS_KEXEC_LOAD, unix.SYS_KEXEC_FILE_LOAD,
		unix.SYS_INIT_MODULE, unix.SYS_FINIT_MODULE, unix.SYS_DELETE_MODULE,
		unix.SYS_SWAPON, unix.SYS_SWAPOFF, unix.SYS_REBOOT, unix.SYS_ACCT, unix.SYS_SYSLOG,
		unix.SYS_OPEN_BY_HANDLE_AT, unix.SYS_NAME_TO_HANDLE_AT, unix.SYS_VHANGUP,
		unix.SYS_QUOTACTL, unix.SYS_FANOTIFY_INIT, unix.SYS_LOOKUP_DCOOKIE,
	}
	return append(l, archDenied()...)
}

// cloneNewMask covers the CLONE_NEW* flags clone(2) accepts.
const cloneNewMask = unix.CLONE_NEWUSER | unix.CLONE_NEWPID | unix.CLONE_NEWNET | unix.CLONE_NEWNS |
	unix.CLONE_NEWUTS | unix.CLONE_NEWIPC | unix.CLONE_NEWCGROUP

const (
	retAllow  = unix.SECCOMP_RET_ALLOW
	retEPERM  = unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)
	retENOSYS = unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)
	retKill   = unix.SECCOMP_RET_KILL_PROCESS
)

// seccomp_data offsets (struct seccomp_data: nr, arch, instruction_pointer, args[6]).
const (
	offNr     = 0
	offArch   = 4
	offArg0Lo = 16 // little-endian: the low word of args[0] comes first
	offArg0Hi = 20
)

// bpfAsm assembles a classic BPF program with forward jumps to labels, so the filter reads
// as a list of rules rather than hand-counted offsets.
type bpfAsm struct {
	ins    []unix.SockFilter
	labels map[string]int
	fixups []bpfFixup
}

type bpfFixup struct {
	at     int
	jt, jf string
}

func (a *bpfAsm) load(off uint32) {
	a.ins = append(a.ins, unix.SockFilter{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: off})
}

func (a *bpfAsm) ret(v uint32) {
	a.ins = append(a.ins, unix.SockFilter{Code: unix.BPF_RET | unix.BPF_K, K: v})
}

// jump compares the accumulator with k (op is BPF_JEQ, BPF_JGE or BPF_JSET) and goes to
// label jt when true, jf when false; "" means the next instruction.
func (a *bpfAsm) jump(op uint16, k uint32, jt, jf string) {
	a.fixups = append(a.fixups, bpfFixup{at: len(a.ins), jt: jt, jf: jf})
	a.ins = append(a.ins, unix.SockFilter{Code: unix.BPF_JMP | op | unix.BPF_K, K: k})
}

func (a *bpfAsm) label(name string) {
	if a.labels == nil {
		a.labels = map[string]int{}
	}
	a.labels[name] = len(a.ins)
}

func (a *bpfAsm) assemble() ([]unix.SockFilter, error) {
	off := func(from int, label string) (uint8, error) {
		if label == "" {
			return 0, nil
		}
		to, ok := a.labels[label]
		d := to - from - 1
		if !ok || d < 0 || d > 255 {
			return 0, errors.New("seccomp: bad jump to " + label)
		}
		return uint8(d), nil
	}
	for _, f := range a.fixups {
		var err error
		if a.ins[f.at].Jt, err = off(f.at, f.jt); err != nil {
			return nil, err
		}
		if a.ins[f.at].Jf, err = off(f.at, f.jf); err != nil {
			return nil, err
		}
	}
	return a.ins, nil
}

// seccompFilter builds the program. denyInet and denyUnix add the socket rules.
func seccompFilter(denyInet, denyUnix bool) ([]unix.SockFilter, error) {
	if auditArch == 0 {
		return nil, errors.New("no seccomp rules for this architecture")
	}
	var a bpfAsm
	a.load(offArch)
	a.jump(unix.BPF_JEQ, auditArch, "arch-ok", "")
	a.ret(retKill)
	a.label("arch-ok")
	a.load(offNr)
	if x32Bit != 0 {
		a.jump(unix.BPF_JGE, x32Bit, "enosys", "")
	}
	for _, nr := range seccompDenied() {
		a.jump(unix.BPF_JEQ, nr, "eperm", "")
	}
	a.jump(unix.BPF_JEQ, unix.SYS_CLONE3, "enosys", "")
	a.jump(unix.BPF_JEQ, unix.SYS_CLONE, "clone", "")
	a.jump(unix.BPF_JEQ, unix.SYS_PTRACE, "ptrace", "")
	if denyInet || denyUnix {
		a.jump(unix.BPF_JEQ, unix.SYS_SOCKET, "socket", "")
	}
	a.ret(retAllow)

	a.label("clone")
	a.load(offArg0Lo)
	a.jump(unix.BPF_JSET, cloneNewMask, "eperm", "allow")

	a.label("ptrace")
	a.load(offArg0Hi)
	a.jump(unix.BPF_JEQ, 0, "", "eperm")
	a.load(offArg0Lo)
	a.jump(unix.BPF_JEQ, unix.PTRACE_TRACEME, "allow", "")
	a.jump(unix.BPF_JEQ, unix.PTRACE_DETACH, "allow", "eperm")

	if denyInet || denyUnix {
		a.label("socket")
		a.load(offArg0Lo)
		if denyInet {
			for _, af := range [...]uint32{unix.AF_INET, unix.AF_INET6, unix.AF_PACKET, unix.AF_NETLINK} {
				a.jump(unix.BPF_JEQ, af, "eperm", "")
			}
		}
		if denyUnix {
			a.jump(unix.BPF_JEQ, unix.AF_UNIX, "eperm", "")
		}
		a.ret(retAllow)
	}

	a.label("allow")
	a.ret(retAllow)
	a.label("eperm")
	a.ret(retEPERM)
	a.label("enosys")
	a.ret(retENOSYS)
	return a.assemble()
}

// installSeccomp loads the filter on the calling thread only (no TSYNC): the helper locks a
// thread for the command, and the command inherits the filter from it. no_new_privs must be
// set already.
func installSeccomp(prog []unix.SockFilter) error {
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	_, _, errno := unix.RawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, 0, uintptr(unsafe.Pointer(&fprog)))
	if errno != 0 {
		return errno
	}
	return nil
}
