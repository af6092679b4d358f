// Package sandbox runs one command under every isolation layer the machine offers and
// reports truthfully which layers held. It knows nothing about exercises.
//
// # Layers
//
// Everywhere: an explicit environment (nothing inherited, PATH set to system dirs), a
// wall-clock timeout, and a cap on stdout+stderr past which the run is killed.
//
// On Linux, Run re-executes the current binary (/proc/self/exe) as a helper that applies the
// kernel layers and then starts the command; every layer is tried and, when the machine
// lacks it, dropped with its reason in Result.Missing:
//
//   - user, pid, net, mount, ipc, uts and cgroup namespaces. The helper is pid 1 of the new
//     pid namespace, so the kernel kills every process of the run when it exits, detached
//     (setsid, nohup) grandchildren included. The command sees a new root built from
//     read-only binds of the system dirs (/usr, /etc, ...), a private /proc, a minimal /dev,
//     and one tmpfs of Spec.DiskBytes that holds its work dir, /tmp and /dev/shm; $HOME, the
//     progress database, the host's /tmp and /run do not exist there. The work dir is copied
//     in before and synced back after the run, so the disk the command can fill is bounded.
//     The network namespace has only lo: down for NetworkNone, up for NetworkLoopback.
//   - rlimits (CPU, address space, processes, file size, open files, no core dumps), set on
//     the command itself between its execve and its first instruction (it is started under
//     PTRACE_TRACEME, so it stops there), never on a Go process that keeps running.
//   - Landlock: read-only system dirs and extra read-only paths, read-write only the work
//     dir and the private tmp; TCP denied (ABI ≥ 4); signals and abstract sockets scoped
//     (ABI ≥ 6).
//   - seccomp: a deny-list of the calls that widen the kernel's attack surface or escape
//     the other layers (ptrace, bpf, keyctl, mount, namespaces, io_uring, ...), and, where
//     there is no network namespace, socket(AF_INET/AF_INET6/AF_PACKET/AF_NETLINK).
//   - a cgroup (memory and pids for the whole tree) where kaizen may create one (root, or a
//     delegated cgroup v2).
//   - when kaizen runs as root, the command runs as uid/gid 65534, so rlimits hold.
//
// Landlock and seccomp are applied to one dedicated thread of the helper, which then forks
// the command; the helper's other threads (its thread-group leader among them) stay outside
// the Landlock domain, so the command can neither signal nor inspect them.
//
// Without user namespaces (and not root) the helper still applies rlimits, Landlock and
// seccomp, and sweeps the run's orphans as their subreaper; without the helper only the
// portable layers remain. Result.Level says which of LevelStrict, LevelBasic and LevelNone
// a run got; Spec.MinLevel refuses to run below a level. Probe runs one trivial command to
// learn what the machine offers, for `kaizen doctor` and the TUI's isolation line, and its
// result can be passed back in Spec.Caps so that Run skips attempts known to fail.
// docs/SANDBOX.md has the details, the costs and the attacks each layer stops.
//
// # Wiring
//
// A program that calls Run must call Init first thing in main, before flag parsing, logging
// or anything that starts goroutines or writes files:
//
//	func main() {
//		sandbox.Init() // returns at once unless this process is a sandbox helper
//		os.Exit(cli.Main())
//	}
//
// Init recognises the helper by its argv[1], which only Run passes (learner code never runs
// the parent; a learner who runs the binary with that argument only gets a helper with the
// learner's own rights). In every other process it returns after one string comparison.
// Package init functions of the binary still run in the helper, so their cost is paid on
// every Run: keep them cheap. Tests of a package that calls Run do the same in TestMain.
//
// A binary whose main does not call Init cannot serve as its own helper: re-executed, it
// runs its ordinary code. Run notices (the helper never answers; it waits up to 5 s), runs
// the command with the portable layers only and reports LayerHelper missing. A Run inside
// such a stray re-execution sees KAIZEN_SANDBOX_HELPER=1 in its environment and does not
// re-execute once more, so a test binary without Init in TestMain does not recurse, but it
// does run its tests a second time: call Init there.
//
// # Reading the work dir afterwards
//
// The command may leave symlinks (to ~/.ssh, say) in its work dir. Read results with
// os.Root (os.OpenRoot(spec.Dir)), which refuses to follow links out of the dir.
package sandbox
