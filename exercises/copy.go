package exercises

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Limits on the learner's workspace that a check copies.
const (
	DefaultMaxWorkspaceBytes = 8 << 20
	DefaultMaxWorkspaceFiles = 2000
	maxTreeDepth             = 32
	// limits when copying a prepared work directory (it holds generated fixtures too)
	maxWorkBytes = 512 << 20
	maxWorkFiles = 20000
)

// ignoredNames are never copied from a workspace and never trigger a watch: version control,
// virtual environments, caches and editor droppings.
var ignoredNames = []string{".git", ".hg", ".svn", ".venv", "venv", "__pycache__", ".pytest_cache",
	".mypy_cache", ".ruff_cache", "node_modules", ".DS_Store", ".idea", ".vscode"}

// ignored reports whether a file or directory name is skipped everywhere.
func ignored(name string) bool {
	if slices.Contains(ignoredNames, name) {
		return true
	}
	return strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swo") ||
		strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".pyc") || strings.HasPrefix(name, ".#") ||
		strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___") ||
		name == "4913" // vim's write probe
}

// TooLargeError says a workspace exceeded the copy limits.
type TooLargeError struct {
	Bytes, MaxBytes int64
	Files, MaxFiles int
}

func (e *TooLargeError) Error() string {
	if e.MaxFiles > 0 && e.Files > e.MaxFiles {
		return fmt.Sprintf("the workspace holds more than %d files", e.MaxFiles)
	}
	return fmt.Sprintf("the workspace holds more than %s", humanBytes(e.MaxBytes))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

type copyOptions struct {
	maxBytes   int64
	maxFiles   int
	skipHidden bool // skip a top-level .kaizen
}

// copyTree copies the regular files and directories under src into dst (created if needed). It
// never follows a symbolic link, never copies a file with more than one hard link, a device, a
// socket or a pipe, and stops with a *TooLargeError past the limits. It returns what it skipped,
// as "path: why", sorted.
func copyTree(src, dst string, o copyOptions) ([]string, error) {
	sr, err := os.OpenRoot(src)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	dr, err := os.OpenRoot(dst)
	if err != nil {
		return nil, err
	}
	defer dr.Close()
	c := &copier{src: sr, dst: dr, o: o}
	if err := c.dir(".", 0); err != nil {
		return c.skipped, err
	}
	sort.Strings(c.skipped)
	return c.skipped, nil
}

type copier struct {
	src, dst *os.Root
	o        copyOptions
	bytes    int64
	files    int
	skipped  []string
}

func (c *copier) tooLarge() error {
	return &TooLargeError{Bytes: c.bytes, MaxBytes: c.o.maxBytes, Files: c.files, MaxFiles: c.o.maxFiles}
}

func (c *copier) dir(rel string, depth int) error {
	if depth > maxTreeDepth {
		c.skipped = append(c.skipped, rel+": nested too deeply")
		return nil
	}
	f, err := c.src.Open(rel)
	if err != nil {
		return err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := path.Join(rel, e.Name())
		if ignored(e.Name()) || (depth == 0 && c.o.skipHidden && e.Name() == HiddenDir) {
			continue
		}
		info, err := c.src.Lstat(name)
		if err != nil {
			continue // vanished
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			c.skipped = append(c.skipped, name+": symbolic link (not followed)")
		case info.IsDir():
			c.files++
			if c.o.maxFiles > 0 && c.files > c.o.maxFiles {
				return c.tooLarge()
			}
			if err := c.dst.Mkdir(name, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return err
			}
			if err := c.dir(name, depth+1); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			if linkCount(info) > 1 {
				c.skipped = append(c.skipped, name+": hard link (not followed)")
				continue
			}
			c.files++
			if c.o.maxFiles > 0 && c.files > c.o.maxFiles {
				return c.tooLarge()
			}
			if err := c.file(name, info); err != nil {
				return err
			}
		default:
			c.skipped = append(c.skipped, name+": not a regular file")
		}
	}
	return nil
}

func (c *copier) file(name string, info fs.FileInfo) error {
	in, err := c.src.OpenFile(name, os.O_RDONLY|openNoBlock, 0)
	if err != nil {
		return nil // vanished or unreadable: not ours to report
	}
	defer in.Close()
	got, err := in.Stat()
	if err != nil || !got.Mode().IsRegular() || !os.SameFile(got, info) || linkCount(got) > 1 {
		c.skipped = append(c.skipped, name+": changed while copying (not followed)")
		return nil
	}
	limit := c.o.maxBytes - c.bytes
	if c.o.maxBytes <= 0 {
		limit = 1 << 62
	}
	out, err := c.dst.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode(info.Mode(), nil))
	if err != nil {
		return err
	}
	n, err := io.Copy(out, io.LimitReader(in, limit+1))
	c.bytes += n
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if c.o.maxBytes > 0 && c.bytes > c.o.maxBytes {
		return c.tooLarge()
	}
	return nil
}

// fileMode is 0755 for executables and scripts with a #! line, else 0644.
func fileMode(m fs.FileMode, content []byte) fs.FileMode {
	if m&0o111 != 0 || bytes.HasPrefix(content, []byte("#!")) {
		return 0o755
	}
	return 0o644
}

// writeFS copies the files under srcDir in fsys into the directory of dst, under prefix. With
// overwrite false, any existing entry (even a link) is left alone; with overwrite true, it is
// replaced. keep, when set, filters by path relative to srcDir. It returns the files written.
func writeFS(fsys fs.FS, srcDir string, dst *os.Root, prefix string, overwrite bool, keep func(rel string) bool) ([]string, error) {
	var written []string
	err := fs.WalkDir(fsys, srcDir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(name, srcDir), "/")
		if rel == "" {
			if prefix != "" {
				return dst.MkdirAll(prefix, 0o755)
			}
			return nil
		}
		if keep != nil && !d.IsDir() && !keep(rel) {
			return nil
		}
		target := path.Join(prefix, rel)
		if d.IsDir() {
			if overwrite {
				if st, err := dst.Lstat(target); err == nil && !st.IsDir() {
					if err := dst.Remove(target); err != nil {
						return err
					}
				}
			}
			return dst.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil // lint reports links in exercise trees
		}
		if st, err := dst.Lstat(target); err == nil {
			if !overwrite {
				return nil
			}
			if st.IsDir() {
				err = dst.RemoveAll(target)
			} else {
				err = dst.Remove(target)
			}
			if err != nil {
				return err
			}
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := dst.MkdirAll(path.Dir(target), 0o755); err != nil {
			return err
		}
		f, err := dst.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode(info.Mode(), data))
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		written = append(written, target)
		return nil
	})
	return written, err
}

// readWorkFile reads a regular file from a work directory without following links, up to max
// bytes. A missing file gives fs.ErrNotExist.
func readWorkFile(root *os.Root, name string, max int64) ([]byte, error) {
	info, err := root.Lstat(name)
	if err != nil {
		return nil, err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return nil, errors.New("is a symbolic link, which checks do not follow")
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("is not a regular file")
	}
	f, err := root.OpenFile(name, os.O_RDONLY|openNoBlock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	got, err := f.Stat()
	if err != nil || !os.SameFile(got, info) || linkCount(got) > 1 {
		return nil, errors.New("changed while reading, or is a hard link")
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("is larger than %s", humanBytes(max))
	}
	return data, nil
}

// removeAll removes a temporary tree even when sandboxed code left directories without write
// permission.
func removeAll(dir string) {
	if os.RemoveAll(dir) == nil {
		return
	}
	_ = fs.WalkDir(os.DirFS(dir), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(filepath.Join(dir, filepath.FromSlash(name)), 0o755)
		}
		return nil
	})
	_ = os.RemoveAll(dir)
}
