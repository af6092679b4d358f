package sandbox

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"syscall"
	"time"
)

// owner, when set, is given every entry syncTree creates: the helper copies the work dir in
// as root and hands it to the command's unprivileged uid.
type owner struct {
	uid, gid int
	set      bool
}

// syncTree makes the tree under dst mirror the tree under src: directories, regular files
// (with their permission bits and modification times, which make relies on) and symlinks
// (as symlinks, never followed). Entries of dst that src lacks are removed. Other file types
// are skipped, hard links become copies, and setuid, setgid and sticky bits are dropped.
// Files whose size, mode and modification time already match are left alone, so syncing a
// tree back costs little when the command changed little.
//
// Both sides are os.Root, so neither a symlink the command planted nor one that was there
// before can make the copy read or write outside the two trees (study finding F10).
func syncTree(src, dst *os.Root, own owner) error {
	seen := map[string]bool{".": true}
	type dirAttr struct {
		name  string
		perm  fs.FileMode
		mtime time.Time
	}
	var dirs []dirAttr
	err := fs.WalkDir(src.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name == "." {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		perm := info.Mode().Perm()
		cur, curErr := dst.Lstat(name)
		switch {
		case d.IsDir():
			seen[name] = true
			if curErr == nil && !cur.IsDir() {
				if err := dst.RemoveAll(name); err != nil {
					return err
				}
				curErr = fs.ErrNotExist
			}
			if curErr != nil {
				// Owner-writable until its entries are in; the real mode is set on the way out.
				if err := dst.Mkdir(name, 0o700); err != nil {
					return err
				}
				if err := chown(dst, name, own); err != nil {
					return err
				}
			} else if err := dst.Chmod(name, cur.Mode().Perm()|0o700); err != nil {
				return err
			}
			dirs = append(dirs, dirAttr{name, perm, info.ModTime()})
		case info.Mode().IsRegular():
			seen[name] = true
			if curErr == nil && cur.Mode().IsRegular() && cur.Size() == info.Size() &&
				cur.Mode().Perm() == perm && cur.ModTime().Equal(info.ModTime()) {
				return nil
			}
			if curErr == nil && !cur.Mode().IsRegular() {
				if err := dst.RemoveAll(name); err != nil {
					return err
				}
			}
			if err := copyFile(src, dst, name, perm); err != nil {
				return err
			}
			if err := chown(dst, name, own); err != nil {
				return err
			}
			return dst.Chtimes(name, info.ModTime(), info.ModTime())
		case info.Mode()&fs.ModeSymlink != 0:
			seen[name] = true
			target, err := src.Readlink(name)
			if err != nil {
				return err
			}
			if curErr == nil && cur.Mode()&fs.ModeSymlink != 0 {
				if t, err := dst.Readlink(name); err == nil && t == target {
					return nil
				}
			}
			if curErr == nil {
				if err := dst.RemoveAll(name); err != nil {
					return err
				}
			}
			if err := dst.Symlink(target, name); err != nil {
				return err
			}
			return chown(dst, name, own)
		}
		return nil // devices, fifos, sockets: not part of a work dir
	})
	if err != nil {
		return err
	}
	// Remove what src no longer has. Collect first: removing while walking would confuse the
	// walk.
	var gone []string
	err = fs.WalkDir(dst.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !seen[name] {
			gone = append(gone, name)
			if d.IsDir() {
				return fs.SkipDir
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, name := range gone {
		if err := dst.RemoveAll(name); err != nil {
			return err
		}
	}
	// Directory modes and times last, deepest first, once nothing more is written into them.
	slices.Reverse(dirs)
	for _, d := range dirs {
		if err := dst.Chmod(d.name, d.perm); err != nil {
			return err
		}
		if err := dst.Chtimes(d.name, d.mtime, d.mtime); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst *os.Root, name string, perm fs.FileMode) error {
	in, err := src.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := dst.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return fmt.Errorf("%s: the work area is full: %w", path.Clean(name), err)
		}
		return err
	}
	return dst.Chmod(name, perm)
}

func chown(r *os.Root, name string, own owner) error {
	if !own.set {
		return nil
	}
	return r.Lchown(name, own.uid, own.gid)
}
