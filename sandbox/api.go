// Package sandbox runs one command under every isolation layer the machine offers (a scrubbed
// environment, a wall timeout that kills the whole process tree, capped output, rlimits, and on
// Linux user/pid/net/mount namespaces, Landlock and seccomp entered through a re-exec of the
// current binary) and reports truthfully which layers held. It knows nothing about exercises.
package sandbox

import "time"

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
}

// Result reports what happened, truthfully.
type Result struct {
	ExitCode  int           // -1 when killed by a signal
	Signal    string        // e.g. "killed", "" when it exited
	Reason    string        // the outcome in words: "exit status 1", "CPU time limit", "timed out"
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
