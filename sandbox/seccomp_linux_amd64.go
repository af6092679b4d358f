package sandbox

import "golang.org/x/sys/unix"

const (
	auditArch = unix.AUDIT_ARCH_X86_64
	// x32Bit marks x32-ABI system call numbers on x86-64; the filter refuses them.
	x32Bit = 0x40000000
)

func archDenied() []uint32 { return []uint32{unix.SYS_IOPL, unix.SYS_IOPERM, unix.SYS_USELIB} }
