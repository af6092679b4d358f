package sandbox

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cgroup is a per-run control group with a memory and a pids limit: the only layer that
// bounds a fork bomb when the command's uid is exempt from RLIMIT_NPROC, and the only one that
// bounds the memory of the whole tree (RLIMIT_AS is per process; study findings F1, F2).
//
// The parent creates it (root, or a delegated cgroup v2) and opens its cgroup.procs; the
// helper writes the command's pid there while the command is still stopped before its first
// instruction. The helper itself stays outside, so its own Go runtime neither counts against
// the command's limits nor is killed by them. The kernel checks the write against the
// credentials that opened the file (Linux ≥ 5.16), which is the parent's.
type cgroup struct {
	v2    bool
	dirs  []string   // v1: one per controller (pids, memory); v2: one
	procs []*os.File // the dirs' cgroup.procs, open for writing
}

// newCgroup creates the run's cgroup, or says why it cannot.
func newCgroup(s Spec) (*cgroup, error) {
	self, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	mounts, err := cgroupMounts()
	if err != nil {
		return nil, err
	}
	name := "kaizen-sbx-" + randomHex(8)
	mem := strconv.FormatInt(s.MemoryBytes+s.DiskBytes, 10) // the tmpfs work area is memory too
	pids := strconv.Itoa(s.MaxProcs)
	cg := &cgroup{}
	if base, ok := cgroupDir(string(self), mounts, "", true); ok {
		cg.v2 = true
		if err := cg.createV2(base, name, mem, pids); err != nil {
			cg.remove()
			return nil, err
		}
		return cg, nil
	}
	for _, ctrl := range []string{"pids", "memory"} {
		base, ok := cgroupDir(string(self), mounts, ctrl, false)
		if !ok {
			cg.remove()
			return nil, fmt.Errorf("no %s controller mounted", ctrl)
		}
		dir := filepath.Join(base, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			cg.remove()
			return nil, err
		}
		cg.dirs = append(cg.dirs, dir)
		if ctrl == "pids" {
			err = writeFile(dir, "pids.max", pids)
		} else {
			err = writeFile(dir, "memory.limit_in_bytes", mem)
			// Swap accounting is optional; without it swap is not bounded (documented).
			_ = writeFile(dir, "memory.memsw.limit_in_bytes", mem)
		}
		if err == nil {
			err = cg.open(dir)
		}
		if err != nil {
			cg.remove()
			return nil, err
		}
	}
	return cg, nil
}

// createV2 needs a parent whose subtree already delegates pids and memory: enabling them
// ourselves fails whenever kaizen's own cgroup holds processes (the "no internal
// processes" rule), which is the usual case.
func (cg *cgroup) createV2(base, name, mem, pids string) error {
	sub, err := os.ReadFile(filepath.Join(base, "cgroup.subtree_control"))
	if err != nil {
		return err
	}
	have := strings.Fields(string(sub))
	if !slices.Contains(have, "pids") || !slices.Contains(have, "memory") {
		if err := writeFile(base, "cgroup.subtree_control", "+pids +memory"); err != nil {
			return fmt.Errorf("cgroup v2 %s does not delegate pids and memory: %w", base, err)
		}
	}
	dir := filepath.Join(base, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	cg.dirs = append(cg.dirs, dir)
	if err := writeFile(dir, "pids.max", pids); err != nil {
		return err
	}
	if err := writeFile(dir, "memory.max", mem); err != nil {
		return err
	}
	_ = writeFile(dir, "memory.swap.max", "0")
	return cg.open(dir)
}

func (cg *cgroup) open(dir string) error {
	f, err := os.OpenFile(filepath.Join(dir, "cgroup.procs"), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	cg.procs = append(cg.procs, f)
	return nil
}

// stats reads whether the memory limit killed something, whether a fork was refused, and
// the tree's peak memory.
func (cg *cgroup) stats() (oom, pidsMax bool, peak int64) {
	for _, dir := range cg.dirs {
		if n, ok := keyedValue(dir, "pids.events", "max"); ok && n > 0 {
			pidsMax = true
		}
		if cg.v2 {
			if n, ok := keyedValue(dir, "memory.events", "oom_kill"); ok && n > 0 {
				oom = true
			}
			peak = max(peak, readInt(dir, "memory.peak"))
		} else {
			if n, ok := keyedValue(dir, "memory.oom_control", "oom_kill"); ok && n > 0 {
				oom = true
			}
			peak = max(peak, readInt(dir, "memory.max_usage_in_bytes"))
		}
	}
	return oom, pidsMax, peak
}

// remove kills whatever is left in the cgroup (only possible when the run had no pid
// namespace) and removes it.
func (cg *cgroup) remove() {
	for _, f := range cg.procs {
		f.Close()
	}
	cg.procs = nil
	for _, dir := range cg.dirs {
		if cg.v2 {
			_ = writeFile(dir, "cgroup.kill", "1")
		}
		for try := 0; ; try++ {
			if b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs")); err == nil {
				for _, f := range strings.Fields(string(b)) {
					if pid, err := strconv.Atoi(f); err == nil {
						_ = syscall.Kill(pid, syscall.SIGKILL)
					}
				}
			}
			err := os.Remove(dir)
			if err == nil || errors.Is(err, os.ErrNotExist) || try == 50 {
				break
			}
			time.Sleep(2 * time.Millisecond) // killed tasks leave the cgroup once reaped
		}
	}
	cg.dirs = nil
}

// cgroupMount is one cgroup filesystem mount from /proc/self/mountinfo.
type cgroupMount struct {
	root, point string
	v2          bool
	controllers []string
}

func cgroupMounts() ([]cgroupMount, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []cgroupMount
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// id parent major:minor root point options [optional...] - fstype source superoptions
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		if !ok {
			continue
		}
		a, b := strings.Fields(pre), strings.Fields(post)
		if len(a) < 5 || len(b) < 3 || (b[0] != "cgroup" && b[0] != "cgroup2") {
			continue
		}
		m := cgroupMount{root: unescapeMount(a[3]), point: unescapeMount(a[4]), v2: b[0] == "cgroup2"}
		if !m.v2 {
			m.controllers = strings.Split(b[2], ",")
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// cgroupDir finds the directory of our own cgroup: for v2 (ctrl "") or for the v1 hierarchy
// that has ctrl.
func cgroupDir(self string, mounts []cgroupMount, ctrl string, v2 bool) (string, bool) {
	for _, line := range strings.Split(strings.TrimSpace(self), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if v2 != (parts[0] == "0" && parts[1] == "") {
			continue
		}
		if !v2 && !slices.Contains(strings.Split(parts[1], ","), ctrl) {
			continue
		}
		for _, m := range mounts {
			if m.v2 != v2 || (!v2 && !slices.Contains(m.controllers, ctrl)) {
				continue
			}
			rel, ok := strings.CutPrefix(parts[2], m.root)
			if !ok {
				continue
			}
			dir := filepath.Join(m.point, rel)
			if v2 {
				// A v2 mount without the controllers (hybrid hosts mount an empty one) is no use.
				c, err := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
				if err != nil || !slices.Contains(strings.Fields(string(c)), "pids") || !slices.Contains(strings.Fields(string(c)), "memory") {
					continue
				}
			}
			return dir, true
		}
	}
	return "", false
}

func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func writeFile(dir, name, value string) error {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(value)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func readInt(dir, name string) int64 {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

// keyedValue reads "key value" lines such as memory.events.
func keyedValue(dir, name, key string) (int64, bool) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok && k == key {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail on Linux
	return hex.EncodeToString(b)
}
