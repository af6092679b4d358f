package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// Defaults for the zero values of Spec. They follow what judges and playgrounds use for
// small programs (see docs/SANDBOX.md): generous for a script, small for a runaway.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultMemoryBytes  = 512 << 20
	DefaultMaxProcs     = 64
	DefaultMaxFileSize  = 32 << 20
	DefaultMaxOutput    = 1 << 20
	DefaultDiskBytes    = 64 << 20
	DefaultMaxOpenFiles = 256
)

// DefaultPath is the PATH a command gets unless Spec.Env sets one: system dirs only, so
// nothing from the user's shell set-up (pyenv shims, ~/bin) is picked up by accident.
const DefaultPath = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"

// systemDirs are bound read-only into the sandbox's root and granted read access by
// Landlock. Missing ones are skipped; on merged-/usr systems some are symlinks.
var systemDirs = [...]string{"/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc"}

// devNodes are the only devices a command sees.
var devNodes = [...]string{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"}

// normalize fills defaults and checks the spec. It returns a copy; the caller's slices and
// maps are not modified.
func normalize(s Spec) (Spec, error) {
	if len(s.Argv) == 0 || s.Argv[0] == "" {
		return s, errors.New("sandbox: empty Argv")
	}
	if s.Dir == "" {
		return s, errors.New("sandbox: Dir is required")
	}
	dir, err := filepath.Abs(s.Dir)
	if err != nil {
		return s, fmt.Errorf("sandbox: work dir: %w", err)
	}
	// Symlinks in the path are resolved once here, on the host side and before the command
	// exists, so every later bind and Landlock rule names the real directory.
	if dir, err = filepath.EvalSymlinks(dir); err != nil {
		return s, fmt.Errorf("sandbox: work dir: %w", err)
	}
	if fi, err := os.Stat(dir); err != nil {
		return s, fmt.Errorf("sandbox: work dir: %w", err)
	} else if !fi.IsDir() {
		return s, fmt.Errorf("sandbox: work dir %s is not a directory", dir)
	}
	if reservedPath(dir) {
		return s, fmt.Errorf("sandbox: work dir %s is a system directory", dir)
	}
	s.Dir = dir
	ro := make([]string, 0, len(s.ReadOnlyPaths))
	for _, p := range s.ReadOnlyPaths {
		if !filepath.IsAbs(p) {
			return s, fmt.Errorf("sandbox: read-only path %q is not absolute", p)
		}
		p = filepath.Clean(p)
		if _, err := os.Stat(p); err != nil {
			return s, fmt.Errorf("sandbox: read-only path: %w", err)
		}
		if p == "/" || strings.HasPrefix(p+"/", "/proc/") || strings.HasPrefix(p+"/", "/dev/") {
			return s, fmt.Errorf("sandbox: read-only path %s cannot be granted", p)
		}
		ro = append(ro, p)
	}
	s.ReadOnlyPaths = ro
	for k, v := range s.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") || strings.ContainsRune(v, 0) {
			return s, fmt.Errorf("sandbox: bad environment variable %q", k)
		}
	}
	if s.Timeout <= 0 {
		s.Timeout = DefaultTimeout
	}
	if s.CPUTime <= 0 {
		s.CPUTime = s.Timeout
	}
	if s.MemoryBytes <= 0 {
		s.MemoryBytes = DefaultMemoryBytes
	}
	if s.MaxProcs <= 0 {
		s.MaxProcs = DefaultMaxProcs
	}
	if s.MaxFileSize <= 0 {
		s.MaxFileSize = DefaultMaxFileSize
	}
	if s.MaxOutput <= 0 {
		s.MaxOutput = DefaultMaxOutput
	}
	if s.DiskBytes <= 0 {
		s.DiskBytes = DefaultDiskBytes
	}
	if s.MaxOpenFiles <= 0 {
		s.MaxOpenFiles = DefaultMaxOpenFiles
	}
	if s.Network != NetworkNone && s.Network != NetworkLoopback {
		return s, fmt.Errorf("sandbox: unknown network mode %d", s.Network)
	}
	return s, nil
}

// reservedPath reports whether dir is the root, a system dir itself, or under /proc, /dev or
// /sys: places a work dir cannot be mounted over without breaking the sandbox's own root.
func reservedPath(dir string) bool {
	if dir == "/" || slices.Contains(systemDirs[:], dir) {
		return true
	}
	for _, p := range [...]string{"/proc", "/dev", "/sys"} {
		if dir == p || strings.HasPrefix(dir, p+"/") {
			return true
		}
	}
	return false
}

// environ builds the command's complete environment: a few defaults that a script expects,
// overridden by Spec.Env. Nothing comes from the parent's environment, which may hold
// tokens and keys.
func environ(s Spec, tmp string) []string {
	m := map[string]string{
		"PATH":   DefaultPath,
		"HOME":   s.Dir,
		"TMPDIR": tmp,
		"LANG":   "C.UTF-8",
	}
	for k, v := range s.Env {
		m[k] = v
	}
	env := make([]string, 0, len(m))
	for k, v := range m {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// lookupEnv finds key in an environment list.
func lookupEnv(env []string, key string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// disabled reports whether the spec asks to leave out layer.
func (s Spec) disabled(layer string) bool { return slices.Contains(s.Disable, layer) }
