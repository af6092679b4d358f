package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// stage is where the helper assembles the command's root. Mounting a tmpfs there hides the
// host's /tmp inside the new mount namespace, so every bind source is opened before (bind
// mounts then name them as /proc/self/fd/N, which stays valid however the paths are covered).
const stage = "/tmp"

// nsFS is the command's filesystem in the helper's mount namespace.
type nsFS struct {
	host *os.Root // the host's work dir, opened before anything was mounted over its path
	work *os.Root // the work dir on the tmpfs the command writes to
	proc bool     // a private /proc is mounted
}

// bindSource is one host path to bind into the new root.
type bindSource struct {
	path string
	fd   int    // O_PATH descriptor, or -1 for a symlink
	link string // the symlink's target (merged-/usr systems: /bin -> usr/bin)
	dir  bool
}

func openSource(p string) (bindSource, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return bindSource{}, err
	}
	if fi.Mode()&os.ModeSymlink != 0 && slices.Contains(systemDirs[:], p) {
		link, err := os.Readlink(p)
		return bindSource{path: p, fd: -1, link: link}, err
	}
	fd, err := unix.Open(p, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return bindSource{}, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return bindSource{}, err
	}
	return bindSource{path: p, fd: fd, dir: st.Mode&unix.S_IFMT == unix.S_IFDIR}, nil
}

// buildRoot gives the command its own root: read-only binds of the system dirs and of the
// extra read-only paths, a private /proc, a /dev of five device nodes, and one tmpfs of
// DiskBytes holding the work dir (at its host path), /tmp and /dev/shm. Everything else of the
// host ($HOME, the progress database, /run with its sockets, /var) is simply absent. The work
// dir's content is copied in; the caller syncs it back after the run. It runs in the helper
// before any command exists, with the mount namespace's capabilities.
func buildRoot(cfg *helperConfig, rep *report) (*nsFS, error) {
	// Mounts made from here on must not propagate back to the host.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return nil, fmt.Errorf("make / private: %w", err)
	}
	var sources []bindSource
	defer func() {
		for _, s := range sources {
			if s.fd >= 0 {
				unix.Close(s.fd)
			}
		}
	}()
	for _, p := range systemDirs {
		s, err := openSource(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("open %s: %w", p, err)
		}
		sources = append(sources, s)
	}
	nSys := len(sources)
	for _, p := range devNodes {
		s, err := openSource(p)
		if err != nil {
			continue // a missing device node is not worth failing the run for
		}
		sources = append(sources, s)
	}
	nDev := len(sources)
	for _, p := range cfg.ReadOnly {
		s, err := openSource(p)
		if err != nil {
			return nil, fmt.Errorf("read-only path: %w", err)
		}
		sources = append(sources, s)
	}
	host, err := os.OpenRoot(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("open work dir: %w", err)
	}
	fsys := &nsFS{host: host}
	hostInfo, err := host.Stat(".")
	if err != nil {
		return nil, err
	}

	r := stage
	if err := unix.Mount("tmpfs", r, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size=1m,nr_inodes=4096,mode=755"); err != nil {
		return nil, fmt.Errorf("mount root tmpfs: %w", err)
	}
	for _, s := range sources[:nSys] {
		if s.fd < 0 {
			if err := os.Symlink(s.link, r+s.path); err != nil {
				return nil, err
			}
			continue
		}
		if err := bindAt(s, r+s.path, true); err != nil {
			return nil, err
		}
	}

	if err := os.Mkdir(r+"/proc", 0o555); err != nil {
		return nil, err
	}
	// Fails where the host's /proc is partly covered (containers mask some of its files);
	// then the command simply has no /proc, which is safe.
	if err := unix.Mount("proc", r+"/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		rep.miss("proc", "mount a private /proc: "+err.Error())
	} else {
		fsys.proc = true
	}

	if err := os.Mkdir(r+"/dev", 0o755); err != nil {
		return nil, err
	}
	if err := unix.Mount("tmpfs", r+"/dev", "tmpfs", unix.MS_NOSUID|unix.MS_NOEXEC, "size=64k,nr_inodes=64,mode=755"); err != nil {
		return nil, fmt.Errorf("mount /dev: %w", err)
	}
	for _, s := range sources[nSys:nDev] {
		if err := bindAt(s, r+s.path, false); err != nil {
			return nil, err
		}
	}
	for name, target := range map[string]string{"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"} {
		if err := os.Symlink(target, r+"/dev/"+name); err != nil {
			return nil, err
		}
	}
	if err := os.Mkdir(r+"/dev/shm", 0o755); err != nil {
		return nil, err
	}

	// The work area: one tmpfs for the work dir, /tmp and /dev/shm, so DiskBytes bounds all
	// the command can write (study finding F9). It is staged at /.sbx and bound into place.
	w := r + "/.sbx"
	if err := os.Mkdir(w, 0o700); err != nil {
		return nil, err
	}
	uid, gid := cfg.UID, cfg.GID
	if uid < 0 {
		uid, gid = os.Getuid(), os.Getgid()
	}
	inodes := max(cfg.DiskBytes/4096, 4096)
	opts := fmt.Sprintf("size=%d,nr_inodes=%d,mode=755,uid=%d,gid=%d", cfg.DiskBytes, inodes, uid, gid)
	if err := unix.Mount("tmpfs", w, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, opts); err != nil {
		return nil, fmt.Errorf("mount work tmpfs: %w", err)
	}
	for name, mode := range map[string]os.FileMode{"work": hostInfo.Mode().Perm() | 0o700, "tmp": 0o777 | os.ModeSticky, "shm": 0o777 | os.ModeSticky} {
		if err := os.Mkdir(w+"/"+name, 0o700); err != nil {
			return nil, err
		}
		// Mkdir applies the umask; Chmod sets the mode exactly.
		if err := os.Chmod(w+"/"+name, mode); err != nil {
			return nil, err
		}
		if err := os.Lchown(w+"/"+name, uid, gid); err != nil {
			return nil, err
		}
	}
	if err := os.Mkdir(r+"/tmp", 0o755); err != nil {
		return nil, err
	}
	if err := bindPath(w+"/tmp", r+"/tmp"); err != nil {
		return nil, err
	}
	if err := bindPath(w+"/shm", r+"/dev/shm"); err != nil {
		return nil, err
	}
	// The work dir and the extra read-only paths at their host paths, parents before
	// children (a read-only path may sit inside another).
	type point struct {
		path string
		src  *bindSource
	}
	points := []point{{path: cfg.Dir}}
	for i := range sources[nDev:] {
		points = append(points, point{path: sources[nDev+i].path, src: &sources[nDev+i]})
	}
	slices.SortStableFunc(points, func(a, b point) int { return strings.Count(a.path, "/") - strings.Count(b.path, "/") })
	for _, p := range points {
		if p.src != nil {
			if err := bindAt(*p.src, r+p.path, true); err != nil {
				return nil, err
			}
			continue
		}
		if err := os.MkdirAll(r+p.path, 0o755); err != nil {
			return nil, fmt.Errorf("work dir mount point: %w", err)
		}
		if err := bindPath(w+"/work", r+p.path); err != nil {
			return nil, err
		}
	}
	if fsys.work, err = os.OpenRoot(r + cfg.Dir); err != nil {
		return nil, err
	}
	if err := unix.Unmount(w, unix.MNT_DETACH); err != nil {
		return nil, fmt.Errorf("unmount staging: %w", err)
	}
	if err := os.Remove(w); err != nil {
		return nil, err
	}
	own := owner{}
	if cfg.UID >= 0 {
		own = owner{uid: uid, gid: gid, set: true}
	}
	if err := syncTree(fsys.host, fsys.work, own); err != nil {
		return nil, &workDirError{err}
	}

	// The root's own directory tree is read-only; the binds under it keep their own flags.
	if err := setReadOnly(r, false); err != nil {
		return nil, err
	}
	if err := pivot(r); err != nil {
		return nil, err
	}
	rep.add(LayerMountNS, LayerDiskQuota, LayerPrivateTmp)
	return fsys, nil
}

// workDirError is a failure to copy the work dir in: a property of the run (too large for
// DiskBytes, say), not of the mount namespace, so a weaker sandbox would fail the same way
// and Run must not fall back to one.
type workDirError struct{ err error }

func (e *workDirError) Error() string { return "copy the work dir in: " + e.err.Error() }
func (e *workDirError) Unwrap() error { return e.err }

// bindAt mounts a source at target (creating the mount point) and, when ro, makes it and
// every mount below it read-only, nosuid and nodev.
func bindAt(s bindSource, target string, ro bool) error {
	if s.dir {
		if err := os.MkdirAll(target, 0o755); err != nil {
			return err
		}
	} else if err := touch(target); err != nil {
		return err
	}
	if err := bindPath("/proc/self/fd/"+strconv.Itoa(s.fd), target); err != nil {
		return fmt.Errorf("bind %s: %w", s.path, err)
	}
	if ro {
		return setReadOnly(target, true)
	}
	return nil
}

func bindPath(src, target string) error {
	if err := unix.Mount(src, target, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind %s on %s: %w", src, target, err)
	}
	return nil
}

func touch(p string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// setReadOnly makes the mount at target read-only, nosuid and nodev (recursive: and every
// mount under it). mount_setattr (Linux ≥ 5.12) does it in one call for a whole tree; older
// kernels get a remount of the top mount that keeps its locked flags, without which a
// remount inside a user namespace is refused.
func setReadOnly(target string, recursive bool) error {
	flags := uint(0)
	if recursive {
		flags = unix.AT_RECURSIVE
	}
	attr := unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY | unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV}
	err := unix.MountSetattr(unix.AT_FDCWD, target, flags, &attr)
	if !errors.Is(err, unix.ENOSYS) {
		if err != nil {
			return fmt.Errorf("make %s read-only: %w", target, err)
		}
		return nil
	}
	var st unix.Statfs_t
	if err := unix.Statfs(target, &st); err != nil {
		return err
	}
	keep := uintptr(0)
	for _, f := range [][2]uintptr{{unix.ST_NOEXEC, unix.MS_NOEXEC}, {unix.ST_NOATIME, unix.MS_NOATIME},
		{unix.ST_NODIRATIME, unix.MS_NODIRATIME}, {unix.ST_RELATIME, unix.MS_RELATIME}} {
		if uintptr(st.Flags)&f[0] != 0 {
			keep |= f[1]
		}
	}
	err = unix.Mount("", target, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV|keep, "")
	if err != nil {
		return fmt.Errorf("remount %s read-only: %w", target, err)
	}
	return nil
}

// pivot makes dir the root and drops the old one, so no path leads back to the host.
func pivot(dir string) error {
	if err := unix.Chdir(dir); err != nil {
		return err
	}
	// pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves the
	// new root alone (pivot_root(2), "NOTES").
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detach the old root: %w", err)
	}
	return unix.Chdir("/")
}

// loopbackUp brings lo up in the helper's network namespace: its own 127.0.0.1, routed
// nowhere else.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}
