package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLevelAndDescribe(t *testing.T) {
	strict := []string{LayerEnv, LayerUserNS, LayerPidNS, LayerNetNS, LayerMountNS, LayerRlimits, LayerLandlock, LayerSeccomp, LayerCgroup}
	if l := levelOf(strict); l != LevelStrict {
		t.Errorf("got %v", l)
	}
	if got := describe(LevelStrict, strict); got != "strict — namespaces, landlock, seccomp, cgroup" {
		t.Errorf("got %q", got)
	}
	basic := []string{LayerEnv, LayerRlimits, LayerLandlock, LayerSeccomp}
	if l := levelOf(basic); l != LevelBasic {
		t.Errorf("got %v", l)
	}
	if got := describe(levelOf(basic), basic); got != "basic — rlimits, landlock, seccomp" {
		t.Errorf("got %q", got)
	}
	// Namespaces without a user namespace or another uid are not strict: the command would
	// be root on the host.
	if l := levelOf([]string{LayerPidNS, LayerNetNS, LayerMountNS, LayerRlimits}); l != LevelBasic {
		t.Errorf("got %v", l)
	}
	if l := levelOf([]string{LayerEnv, LayerTimeout, LayerOutputCap}); l != LevelNone {
		t.Errorf("got %v", l)
	}
	if got := describe(LevelNone, nil); got != "none — environment, timeout and output cap only" {
		t.Errorf("got %q", got)
	}
}

func TestReportKeepsFirstReason(t *testing.T) {
	var r report
	r.miss(LayerUserNS, "first")
	r.miss(LayerUserNS, "second")
	r.add(LayerPidNS, LayerPidNS)
	if len(r.missing) != 1 || r.missing[0] != "userns: first" || len(r.layers) != 1 {
		t.Errorf("%+v", r)
	}
	if why, ok := missingLayer(r.missing, LayerUserNS); !ok || why != "first" {
		t.Errorf("%q %v", why, ok)
	}
}

func TestEnviron(t *testing.T) {
	env := environ(Spec{Dir: "/w", Env: map[string]string{"PATH": "/x", "A": "b"}}, "/t")
	want := []string{"A=b", "HOME=/w", "LANG=C.UTF-8", "PATH=/x", "TMPDIR=/t"}
	if strings.Join(env, " ") != strings.Join(want, " ") {
		t.Errorf("got %q", env)
	}
	if lookupEnv(env, "PATH") != "/x" || lookupEnv(env, "NOPE") != "" {
		t.Error("lookupEnv")
	}
}

func TestNormalizeDefaults(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(dir, link)
	s, err := normalize(Spec{Argv: []string{"x"}, Dir: link})
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir != dir || s.Timeout != DefaultTimeout || s.CPUTime != DefaultTimeout || s.MemoryBytes != DefaultMemoryBytes ||
		s.MaxProcs != DefaultMaxProcs || s.MaxFileSize != DefaultMaxFileSize || s.MaxOutput != DefaultMaxOutput ||
		s.DiskBytes != DefaultDiskBytes || s.MaxOpenFiles != DefaultMaxOpenFiles {
		t.Errorf("%+v", s)
	}
	for _, d := range []string{"/", "/usr", "/proc/1", "/dev", "/sys/fs"} {
		if !reservedPath(d) {
			t.Errorf("%s is not reserved", d)
		}
	}
}

func TestLookPath(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tool"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "data"), []byte(""), 0o644)
	if p, err := lookPath("tool", "/nonexistent:"+dir, "/"); err != nil || p != filepath.Join(dir, "tool") {
		t.Errorf("%q %v", p, err)
	}
	if _, err := lookPath("data", dir, "/"); err == nil {
		t.Error("found a non-executable")
	}
	if p, err := lookPath("./tool", "", dir); err != nil || p != filepath.Join(dir, "tool") {
		t.Errorf("%q %v", p, err)
	}
}

// TestSyncTreeNoFollow: neither a link in the source nor one already in the destination
// leads the copy outside the two trees.
func TestSyncTreeNoFollow(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	os.WriteFile(secret, []byte("SECRET"), 0o644)
	victim := filepath.Join(outside, "victim")
	os.WriteFile(victim, []byte("intact"), 0o644)

	srcDir, dstDir := t.TempDir(), t.TempDir()
	os.Symlink(secret, filepath.Join(srcDir, "leak"))
	os.WriteFile(filepath.Join(srcDir, "victim"), []byte("overwritten"), 0o644)
	os.Mkdir(filepath.Join(srcDir, "d"), 0o500)
	os.WriteFile(filepath.Join(srcDir, "setuid"), []byte("x"), 0o4755)
	// The destination already holds a link where the source has a regular file, and a
	// directory link where the source has a directory.
	os.Symlink(victim, filepath.Join(dstDir, "victim"))
	os.Symlink(outside, filepath.Join(dstDir, "d"))
	os.WriteFile(filepath.Join(dstDir, "stale"), []byte("old"), 0o644)
	os.Chmod(filepath.Join(srcDir, "setuid"), 0o4755)

	src, _ := os.OpenRoot(srcDir)
	dst, _ := os.OpenRoot(dstDir)
	defer src.Close()
	defer dst.Close()
	if err := syncTree(src, dst, owner{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "intact" {
		t.Errorf("wrote through a link: %q", b)
	}
	if l, err := os.Readlink(filepath.Join(dstDir, "leak")); err != nil || l != secret {
		t.Errorf("leak: %q %v (want the link itself)", l, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dstDir, "victim")); string(b) != "overwritten" {
		t.Errorf("victim: %q", b)
	}
	if fi, err := os.Lstat(filepath.Join(dstDir, "d")); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o500 {
		t.Errorf("d: %v %v", fi, err)
	}
	if fi, _ := os.Stat(filepath.Join(dstDir, "setuid")); fi == nil || fi.Mode()&os.ModeSetuid != 0 {
		t.Errorf("setuid bit kept: %v", fi)
	}
	if _, err := os.Stat(filepath.Join(dstDir, "stale")); !os.IsNotExist(err) {
		t.Errorf("stale: %v", err)
	}
	if _, err := os.Stat(filepath.Join(outside, "leak")); !os.IsNotExist(err) {
		t.Error("wrote outside through the directory link")
	}
}
