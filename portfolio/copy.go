package portfolio

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Limits cap what is copied from one exercise workspace.
type Limits struct {
	MaxFileBytes  int64 // larger files are skipped
	MaxTotalBytes int64 // the rest is skipped once this many bytes are copied
	MaxFiles      int   // the rest is skipped once this many files are copied
}

// DefaultLimits are generous for scripts and small projects, and keep datasets, model files
// and virtual environments out.
var DefaultLimits = Limits{MaxFileBytes: 256 << 10, MaxTotalBytes: 2 << 20, MaxFiles: 100}

func (l Limits) orDefault() Limits {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultLimits.MaxTotalBytes
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultLimits.MaxFiles
	}
	return l
}

// Skipped is a workspace entry that was not copied, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// skipDirs are directories that hold tool output, never the learner's own work.
var skipDirs = map[string]bool{"__pycache__": true, "node_modules": true, "venv": true}

// ReadFiles reads the learner's files from a workspace directory for the portfolio:
// regular files only (symbolic links, devices and sockets are skipped and never followed),
// no hidden files or directories (.git, .kaizen, editor swap files), no tool output
// directories, within the size and count limits. Paths are slash-separated and relative to
// dir; the result is sorted by path.
func ReadFiles(dir string, lim Limits) (map[string][]byte, []Skipped, error) {
	lim = lim.orDefault()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	defer root.Close()
	out := map[string][]byte{}
	var skipped []Skipped
	var total int64
	skip := func(p, why string) { skipped = append(skipped, Skipped{Path: p, Reason: why}) }
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			skip(p, "unreadable")
			return nil
		}
		if p == "." {
			return nil
		}
		name := path.Base(p)
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // hidden: private by convention, not reported
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			skip(p, "symbolic link (not followed)")
			return nil
		case d.IsDir():
			if skipDirs[name] {
				skip(p+"/", "tool output")
				return fs.SkipDir
			}
			return nil
		case !d.Type().IsRegular():
			skip(p, "not a regular file")
			return nil
		}
		if len(out) >= lim.MaxFiles {
			skip(p, fmt.Sprintf("more than %d files", lim.MaxFiles))
			return nil
		}
		data, why, err := readRegular(root, p, lim.MaxFileBytes)
		if err != nil {
			skip(p, "unreadable")
			return nil
		}
		if why != "" {
			skip(p, why)
			return nil
		}
		if total+int64(len(data)) > lim.MaxTotalBytes {
			skip(p, fmt.Sprintf("over the %s total", sizeText(lim.MaxTotalBytes)))
			return nil
		}
		total += int64(len(data))
		out[p] = data
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Slice(skipped, func(i, j int) bool { return skipped[i].Path < skipped[j].Path })
	return out, skipped, nil
}

// readRegular reads a regular file, making sure that what was opened is the entry that was
// listed (not a symbolic link swapped in since), and at most max bytes.
func readRegular(root *os.Root, p string, max int64) ([]byte, string, error) {
	before, err := root.Lstat(p)
	if err != nil {
		return nil, "", err
	}
	if !before.Mode().IsRegular() {
		return nil, "not a regular file", nil
	}
	if before.Size() > max {
		return nil, fmt.Sprintf("larger than %s", sizeText(max)), nil
	}
	f, err := root.Open(p)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	after, err := f.Stat()
	if err != nil {
		return nil, "", err
	}
	if !os.SameFile(before, after) {
		return nil, "changed while copying", nil
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(data)) > max {
		return nil, fmt.Sprintf("larger than %s", sizeText(max)), nil
	}
	return data, "", nil
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
