package sandbox_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// TestUnprivileged runs the attack suite again as uid 65534 when the tests run as root, so the
// unprivileged path (a user namespace of the user's own uid, no cgroup) is exercised in CI.
func TestUnprivileged(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the tests already run unprivileged")
	}
	t.Parallel()
	dir, err := os.MkdirTemp("", "kaizen-unpriv-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "sandbox.test")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o700)
	os.Chown(tmp, 65534, 65534)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-test.run", "^(TestAttack|TestLayersHold|TestMinLevel|TestRun|TestProbe)", "-test.v", "-test.count=1")
	cmd.Env = []string{"PATH=" + sandbox.DefaultPath, "TMPDIR=" + tmp, "HOME=" + tmp}
	cmd.Dir = tmp
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	var summary []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "--- ") || strings.Contains(line, "isolation:") || strings.Contains(line, "forks succeeded") {
			summary = append(summary, line)
		}
	}
	if err != nil {
		t.Fatalf("the suite failed as uid 65534: %v\n%s", err, out)
	}
	t.Logf("as uid 65534:\n%s", strings.Join(summary, "\n"))
}

// TestNoPtrace runs a few tests under strace, which holds the ptrace slot the helper needs to
// stop the command before its first instruction: the helper must fall back to the limits it
// can carry itself and say so.
func TestNoPtrace(t *testing.T) {
	if os.Getenv("SBX_UNDER_STRACE") != "" {
		t.Skip("already under strace")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, strace, "-f", "-qq", "-e", "trace=none", "-o", "/dev/null", "--", os.Args[0],
		"-test.run", "^(TestRunExitAndOutput|TestAttackCPUBurn|TestAttackDetachedChildren|TestNoPtraceReport)$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "SBX_UNDER_STRACE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("under strace: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestNoPtraceReport") {
		t.Fatalf("the report check did not run:\n%s", out)
	}
}

func TestNoPtraceReport(t *testing.T) {
	if os.Getenv("SBX_UNDER_STRACE") == "" {
		t.Skip("run by TestNoPtrace")
	}
	res := run(t, spec(t, "true"))
	why, ok := "", false
	for _, m := range res.Missing {
		if w, found := strings.CutPrefix(m, sandbox.LayerRlimits+": "); found {
			why, ok = w, true
		}
	}
	if !ok || res.Has(sandbox.LayerRlimits) || !strings.Contains(why, "ptrace") {
		t.Errorf("rlimits should be reported missing because of ptrace: %s", dump(res))
	}
	// Without ptrace, namespaces, Landlock and seccomp nothing of the basic level is left:
	// the helper itself must refuse, before the command runs.
	s := spec(t, "touch", "ran")
	s.MinLevel = sandbox.LevelBasic
	s.Disable = []string{sandbox.LayerNamespaces, sandbox.LayerLandlock, sandbox.LayerSeccomp}
	res, err := sandbox.Run(context.Background(), s)
	if !errors.Is(err, sandbox.ErrInsufficientIsolation) {
		t.Errorf("want a refusal, got %v: %s", err, dump(res))
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "ran")); err == nil {
		t.Error("the command ran")
	}
}

// A work dir larger than DiskBytes is an error of the run, not a reason to fall back to a
// sandbox without the size limit.
func TestWorkDirTooLarge(t *testing.T) {
	t.Parallel()
	need(t, sandbox.LayerDiskQuota)
	s := spec(t, "touch", "ran")
	writeFile(t, filepath.Join(s.Dir, "big"), strings.Repeat("x", 2<<20), 0o644)
	s.DiskBytes = 1 << 20
	res, err := sandbox.Run(context.Background(), s)
	if err == nil || !strings.Contains(err.Error(), "full") {
		t.Errorf("want an error about the full work area, got %v: %s", err, dump(res))
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "ran")); err == nil {
		t.Error("the command ran")
	}
}

// Inside its own root the command may list directories from / down.
func TestListRoot(t *testing.T) {
	t.Parallel()
	need(t, sandbox.LayerMountNS)
	res := run(t, sh(t, "ls / && ls /dev"))
	if res.ExitCode != 0 || !strings.Contains(string(res.Stdout), "usr") || !strings.Contains(string(res.Stdout), "null") {
		t.Errorf("%s", dump(res))
	}
	for _, absent := range []string{"home", "root", "run", "var", "sys"} {
		if strings.Contains(" "+strings.ReplaceAll(string(res.Stdout), "\n", " ")+" ", " "+absent+" ") {
			t.Errorf("/%s is visible: %s", absent, res.Stdout)
		}
	}
}

// A binary whose main does not call Init runs its ordinary code when re-executed as the
// helper; the marker in its environment keeps Run in there from re-executing it again (a test
// binary would otherwise run its tests recursively).
func TestHelperNotWired(t *testing.T) {
	t.Setenv("KAIZEN_SANDBOX_HELPER", "1")
	res := run(t, spec(t, "true"))
	why, ok := "", false
	for _, m := range res.Missing {
		if w, found := strings.CutPrefix(m, sandbox.LayerHelper+": "); found {
			why, ok = w, true
		}
	}
	if !ok || !strings.Contains(why, "sandbox.Init") || res.Level != sandbox.LevelNone || res.ExitCode != 0 {
		t.Errorf("%s", dump(res))
	}
	s := spec(t, "true")
	s.MinLevel = sandbox.LevelBasic
	if _, err := sandbox.Run(context.Background(), s); err == nil {
		t.Error("MinLevel was not enforced without the helper")
	}
}
