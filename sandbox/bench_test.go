//go:build unix

package sandbox_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// The benchmarks compare a bare exec of each command with sandbox.Run under the full stack
// and under reduced stacks, to price each layer. docs/SANDBOX.md records the figures.
var benchCommands = []struct {
	name string
	argv []string
}{
	{"true", []string{"true"}},
	{"bash", []string{"bash", "-c", "true"}},
	{"python3", []string{"python3", "-c", "pass"}},
}

func BenchmarkBare(b *testing.B) {
	for _, c := range benchCommands {
		b.Run(c.name, func(b *testing.B) {
			path, err := lookSystemPath(c.argv[0])
			if err != nil {
				b.Skip(err)
			}
			dir := b.TempDir()
			for b.Loop() {
				cmd := exec.Command(path, c.argv[1:]...)
				cmd.Dir = dir
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRun(b *testing.B) {
	stacks := []struct {
		name    string
		disable []string
	}{
		{"full", nil},
		{"no-cgroup", []string{sandbox.LayerCgroup}},
		{"no-namespaces", []string{sandbox.LayerNamespaces, sandbox.LayerCgroup}},
		{"rlimits-only", []string{sandbox.LayerNamespaces, sandbox.LayerCgroup, sandbox.LayerLandlock, sandbox.LayerSeccomp}},
		{"no-helper", []string{sandbox.LayerHelper}},
	}
	for _, c := range benchCommands {
		for _, st := range stacks {
			b.Run(c.name+"/"+st.name, func(b *testing.B) {
				dir := b.TempDir()
				spec := sandbox.Spec{Argv: c.argv, Dir: dir, Disable: st.disable}
				for b.Loop() {
					res, err := sandbox.Run(context.Background(), spec)
					if err != nil || res.ExitCode != 0 {
						b.Fatalf("%v %s %s", err, res.Reason, res.Stderr)
					}
				}
			})
		}
	}
}

// TestOverheadMatrix measures the same matrix as the benchmarks, but interleaved (every
// round runs each configuration once, in a shuffled order) and reported as medians, which is
// what a shared, noisy 2-vCPU machine needs for usable figures. Opt in with SBX_BENCH=1
// (SBX_BENCH_N rounds, default 60); docs/SANDBOX.md records its output.
func TestOverheadMatrix(t *testing.T) {
	if os.Getenv("SBX_BENCH") == "" {
		t.Skip("set SBX_BENCH=1 to measure")
	}
	n, _ := strconv.Atoi(os.Getenv("SBX_BENCH_N"))
	if n <= 0 {
		n = 60
	}
	type cfg struct {
		name    string
		disable []string
		bare    bool
	}
	cfgs := []cfg{
		{name: "bare exec", bare: true},
		{name: "no helper", disable: []string{sandbox.LayerHelper}},
		{name: "helper+rlimits", disable: []string{sandbox.LayerNamespaces, sandbox.LayerCgroup, sandbox.LayerLandlock, sandbox.LayerSeccomp}},
		{name: "+landlock+seccomp", disable: []string{sandbox.LayerNamespaces, sandbox.LayerCgroup}},
		{name: "+namespaces (no cgroup)", disable: []string{sandbox.LayerCgroup}},
		{name: "full", disable: nil},
	}
	dir := t.TempDir()
	for _, c := range benchCommands {
		times := make([][]time.Duration, len(cfgs))
		cpus := make([][]time.Duration, len(cfgs))
		path, err := lookSystemPath(c.argv[0])
		if err != nil {
			t.Skip(err)
		}
		order := rand.Perm(len(cfgs))
		for range n {
			rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			for _, i := range order {
				cpu0 := cpuUsed()
				start := time.Now()
				if cfgs[i].bare {
					cmd := exec.Command(path, c.argv[1:]...)
					cmd.Dir = dir
					if err := cmd.Run(); err != nil {
						t.Fatal(err)
					}
				} else {
					res, err := sandbox.Run(context.Background(), sandbox.Spec{Argv: c.argv, Dir: dir, Disable: cfgs[i].disable})
					if err != nil || res.ExitCode != 0 {
						t.Fatalf("%s: %v %s %s", cfgs[i].name, err, res.Reason, res.Stderr)
					}
				}
				times[i] = append(times[i], time.Since(start))
				cpus[i] = append(cpus[i], cpuUsed()-cpu0)
			}
		}
		base, baseCPU := median(times[0]), median(cpus[0])
		for i, c2 := range cfgs {
			m, mc := median(times[i]), median(cpus[i])
			t.Logf("%-8s %-24s wall %6.2f ms (+%5.2f)   cpu %6.2f ms (+%5.2f)", c.name, c2.name, ms(m), ms(m-base), ms(mc), ms(mc-baseCPU))
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("load average: %s", load)
}

// cpuUsed is the CPU time of this process and of its reaped children (the helpers, and
// through them the commands), user and system.
func cpuUsed() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	sum := func(r syscall.Rusage) time.Duration {
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	return sum(self) + sum(kids)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// lookSystemPath finds a command in the sandbox's default PATH, so the bare runs start the
// same binary as the sandboxed ones (not, say, a pyenv shim from the developer's PATH).
func lookSystemPath(name string) (string, error) {
	for _, d := range filepath.SplitList(sandbox.DefaultPath) {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 && !fi.IsDir() {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}
