package sandbox

import (
	"context"
	"os"
	"slices"
	"time"
)

// Capabilities is what this machine offers, found by trying: a probe run of `true` under
// every layer. Probe it once at start-up and keep it (kaizen doctor prints it, the TUI shows
// String, and Spec.Caps lets Run skip attempts that cannot work here).
type Capabilities struct {
	Level   Level    // the best level Run gives here (for NetworkNone)
	Layers  []string // the layers a run gets here
	Missing []string // the layers a run does not get, each "name: reason"
	Root    bool     // kaizen runs as root; commands then run as an unprivileged uid
	Err     string   // why the probe itself failed, if it did
}

// Has reports whether runs get layer here.
func (c Capabilities) Has(layer string) bool { return slices.Contains(c.Layers, layer) }

// Why says why layer is missing here ("" when it is present or unknown).
func (c Capabilities) Why(layer string) string {
	why, _ := missingLayer(c.Missing, layer)
	return why
}

// String is the summary line, e.g. "strict — namespaces, landlock, seccomp, cgroup".
func (c Capabilities) String() string { return describe(c.Level, c.Layers) }

// Probe finds the machine's capabilities by running `true` in a scratch dir under the full
// stack. It costs one sandboxed run (a few milliseconds plus the binary's start-up).
func Probe(ctx context.Context) Capabilities {
	caps := Capabilities{Root: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "kaizen-probe-")
	if err != nil {
		caps.Err = err.Error()
		return caps
	}
	defer os.RemoveAll(dir)
	res, err := Run(ctx, Spec{Argv: []string{"true"}, Dir: dir, Timeout: 10 * time.Second})
	if err != nil {
		caps.Err = err.Error()
	} else if res.ExitCode != 0 {
		caps.Err = "probe run: " + res.Reason
	}
	caps.Level, caps.Layers, caps.Missing = res.Level, res.Layers, res.Missing
	return caps
}
