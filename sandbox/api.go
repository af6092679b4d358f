package sandbox

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Network says what the sandboxed command may reach.
type Network int

const (
	// NetworkNone gives the command no network at all (the default).
	NetworkNone Network = iota
	// NetworkLoopback gives the command a private loopback interface (its own 127.0.0.1 in
	// a new network namespace), so a small server can be started and tested; nothing
	// outside the sandbox is reachable.
	NetworkLoopback
)

// String names the network mode as the docs and reports do.
func (n Network) String() string {
	switch n {
	case NetworkNone:
		return "none"
	case NetworkLoopback:
		return "loopback"
	}
	return fmt.Sprintf("Network(%d)", int(n))
}

// Level orders how strongly a run was isolated.
type Level int

const (
	// LevelNone: only a scrubbed environment, timeout and output cap.
	LevelNone Level = iota
	// LevelBasic: plus rlimits and a private work directory, no kernel isolation.
	LevelBasic
	// LevelStrict: plus namespaces (user, pid, net, mount) and Landlock or equivalent.
	LevelStrict
)

// String names the level as the TUI and `kaizen doctor` print it.
func (l Level) String() string {
	switch l {
	case LevelNone:
		return "none"
	case LevelBasic:
		return "basic"
	case LevelStrict:
		return "strict"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Spec describes one sandboxed run.
type Spec struct {
	Argv    []string          // command and arguments; Argv[0] is looked up in Path
	Dir     string            // work directory, readable and writable by the command
	Env     map[string]string // the whole environment: nothing is inherited
	Stdin   []byte            // optional standard input
	Timeout time.Duration     // wall-clock limit (default 10s)
	Network Network           // default NetworkNone
	// Limits; zero means the package default.
	CPUTime     time.Duration // RLIMIT_CPU
	MemoryBytes int64         // address space / cgroup memory
	MaxProcs    int           // processes
	MaxFileSize int64         // RLIMIT_FSIZE
	MaxOutput   int           // bytes of stdout+stderr kept
	DiskBytes   int64         // size-limited work area
	// MinLevel makes Run fail (without running anything) when the machine cannot give at
	// least this level of isolation.
	MinLevel Level
	// ReadOnlyPaths are extra host paths the command may read (e.g. tool directories).
	ReadOnlyPaths []string

	// MaxOpenFiles is RLIMIT_NOFILE (default 256).
	MaxOpenFiles int
	// Disable leaves out layers even where the machine has them: LayerNamespaces,
	// LayerLandlock, LayerSeccomp, LayerCgroup or LayerHelper (which also drops every layer
	// that needs the re-exec). It exists for tests, benchmarks and operators chasing a
	// problem; Result.Missing says "disabled" for each.
	Disable []string
	// Caps is an optional result of Probe. Run then skips the attempts Probe saw fail (each
	// failed attempt costs one more helper start-up) and reports Probe's reasons instead.
	Caps *Capabilities
}

// Result reports what happened, truthfully.
type Result struct {
	ExitCode  int    // -1 when killed by a signal
	Signal    string // e.g. "killed", "" when it exited
	Reason    string // the outcome in words: "exit status 1", "CPU time limit", "timed out"
	TimedOut  bool
	Truncated bool // output exceeded MaxOutput
	Stdout    []byte
	Stderr    []byte
	Wall      time.Duration
	CPU       time.Duration
	PeakRSS   int64    // bytes
	Level     Level    // the isolation level that was actually applied
	Layers    []string // the layers that were applied, e.g. "userns", "netns", "landlock"
	Missing   []string // layers that were wanted but missing, each with its reason
}

// Has reports whether layer was applied to the run.
func (r Result) Has(layer string) bool { return slices.Contains(r.Layers, layer) }

// Isolation describes the run's isolation in one line, e.g.
// "strict — namespaces, landlock, seccomp, cgroup".
func (r Result) Isolation() string { return describe(r.Level, r.Layers) }

// Layer names used in Result.Layers, Result.Missing and Spec.Disable. Missing entries read
// "name: reason".
const (
	LayerEnv           = "env"            // explicit environment, nothing inherited
	LayerTimeout       = "timeout"        // wall-clock limit
	LayerOutputCap     = "output-cap"     // stdout+stderr capped, run killed past the cap
	LayerTreeKill      = "tree-kill"      // every descendant dies with the run (pid namespace or subreaper sweep)
	LayerHelper        = "helper"         // the re-exec of the current binary that applies the kernel layers
	LayerRlimits       = "rlimits"        // CPU, address space, file size, open files, no core dumps
	LayerNproc         = "nproc"          // a process limit of the run's own (per-namespace RLIMIT_NPROC or cgroup pids)
	LayerUnprivUID     = "uid"            // root's runs execute as an unprivileged uid
	LayerUserNS        = "userns"         // user namespace
	LayerPidNS         = "pidns"          // pid namespace: host processes invisible, tree dies with its init
	LayerNetNS         = "netns"          // network namespace: nothing outside reachable
	LayerLoopback      = "loopback"       // NetworkLoopback: a private lo that is up
	LayerMountNS       = "mountns"        // a new root of read-only system dirs, $HOME and the host's /tmp absent
	LayerIPCNS         = "ipcns"          // System V IPC and POSIX queues of its own
	LayerUTSNS         = "utsns"          // hostname of its own
	LayerDiskQuota     = "disk-quota"     // work dir, /tmp and /dev/shm on one tmpfs of DiskBytes
	LayerPrivateTmp    = "private-tmp"    // a /tmp (TMPDIR) of its own
	LayerLandlock      = "landlock"       // filesystem access limited to system dirs (read) and the work areas
	LayerLandlockTCP   = "landlock-tcp"   // TCP bind/connect denied by Landlock
	LayerLandlockScope = "landlock-scope" // signals and abstract sockets cannot leave the sandbox
	LayerSeccomp       = "seccomp"        // dangerous system calls denied
	LayerCgroup        = "cgroup"         // memory and pids bounded for the whole tree
	// LayerNamespaces is only used in Spec.Disable: it stands for all namespace layers.
	LayerNamespaces = "namespaces"
)

// ErrInsufficientIsolation is returned (wrapped in an *IsolationError) when Spec.MinLevel
// cannot be met; nothing was run.
var ErrInsufficientIsolation = errors.New("sandbox: insufficient isolation")

// IsolationError says which level was required, which the machine could give, and why.
type IsolationError struct {
	Want, Got Level
	Missing   []string // the missing layers with their reasons
}

func (e *IsolationError) Error() string {
	msg := fmt.Sprintf("sandbox: isolation %s required, this machine gives %s", e.Want, e.Got)
	if len(e.Missing) > 0 {
		msg += " (missing " + strings.Join(e.Missing, "; ") + ")"
	}
	return msg
}

// Is makes errors.Is(err, ErrInsufficientIsolation) hold.
func (e *IsolationError) Is(target error) bool { return target == ErrInsufficientIsolation }
