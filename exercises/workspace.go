package exercises

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"
)

// Directories kept next to the workspaces, under the workspace root.
const (
	backupDir    = ".backup"
	solutionsDir = ".solutions"
)

// WorkspaceDir is where the learner's copy of an exercise lives: <root>/<id>, where root is
// typically $KAIZEN_HOME/workspace.
func WorkspaceDir(root, id string) string { return filepath.Join(root, id) }

func validID(ex *Exercise) error {
	if ex == nil || ex.FS == nil {
		return errors.New("exercises: no exercise")
	}
	if !idPattern.MatchString(ex.ID) {
		return fmt.Errorf("exercises: invalid exercise id %q", ex.ID)
	}
	return nil
}

// Start copies the starter files into <root>/<id>/ and returns that directory and the files it
// wrote. It never overwrites: a file (or link) already there is the learner's and is left alone,
// so calling Start again only restores files the learner deleted.
func Start(ex *Exercise, root string) (string, []string, error) {
	if err := validID(ex); err != nil {
		return "", nil, err
	}
	dir := WorkspaceDir(root, ex.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, fmt.Errorf("create workspace: %w", err)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return "", nil, fmt.Errorf("open workspace: %w", err)
	}
	defer r.Close()
	written, err := writeFS(ex.FS, path.Join(ex.Dir, StarterDir), r, "", false, nil)
	if err != nil {
		return dir, written, fmt.Errorf("copy starter files: %w", err)
	}
	return dir, written, nil
}

// Reset moves the learner's workspace to <root>/.backup/<id>-<time>/ and starts the exercise
// afresh. It returns the backup directory ("" when there was no workspace to keep).
func Reset(ex *Exercise, root string, now time.Time) (string, error) {
	if err := validID(ex); err != nil {
		return "", err
	}
	dir := WorkspaceDir(root, ex.ID)
	backup := ""
	if _, err := os.Lstat(dir); err == nil {
		if err := os.MkdirAll(filepath.Join(root, backupDir), 0o755); err != nil {
			return "", fmt.Errorf("create backup directory: %w", err)
		}
		stamp := now.UTC().Format("20060102-150405")
		for i := 1; ; i++ {
			name := ex.ID + "-" + stamp
			if i > 1 {
				name = fmt.Sprintf("%s-%d", name, i)
			}
			backup = filepath.Join(root, backupDir, name)
			if _, err := os.Lstat(backup); errors.Is(err, fs.ErrNotExist) {
				break
			}
			if i > 1000 {
				return "", errors.New("too many backups with the same time stamp")
			}
		}
		if err := os.Rename(dir, backup); err != nil {
			return "", fmt.Errorf("back up workspace: %w", err)
		}
	}
	if _, _, err := Start(ex, root); err != nil {
		return backup, err
	}
	return backup, nil
}

// SolutionFiles returns the reference solution as the learner's workspace would hold it: the
// starter with solution/ laid over it, keyed by slash-separated path.
func SolutionFiles(ex *Exercise) (map[string][]byte, error) {
	if err := validID(ex); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, sub := range []string{StarterDir, SolutionDir} {
		base := path.Join(ex.Dir, sub)
		err := fs.WalkDir(ex.FS, base, func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !d.Type().IsRegular() {
				return err
			}
			b, err := fs.ReadFile(ex.FS, name)
			if err != nil {
				return err
			}
			out[name[len(base)+1:]] = b
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RevealSolution writes the reference solution's edited files (solution/ laid over the starter's
// copies of Files) to <root>/.solutions/<id>/, replacing an earlier copy, and returns that
// directory. The caller decides when the learner may see it (after a pass or a give-up) and
// records the event.
func RevealSolution(ex *Exercise, root string) (string, error) {
	if err := validID(ex); err != nil {
		return "", err
	}
	dir := filepath.Join(root, solutionsDir, ex.ID)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return "", err
	}
	defer r.Close()
	if _, err := writeFS(ex.FS, path.Join(ex.Dir, SolutionDir), r, "", true, nil); err != nil {
		return dir, err
	}
	// the edited files the solution leaves as they start
	_, err = writeFS(ex.FS, path.Join(ex.Dir, StarterDir), r, "", false, func(rel string) bool {
		return slices.Contains(ex.Files, rel)
	})
	return dir, err
}

// materialize writes the starter, optionally with the solution laid over it, into dir.
func materialize(ex *Exercise, dir string, withSolution bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := writeFS(ex.FS, path.Join(ex.Dir, StarterDir), r, "", true, nil); err != nil {
		return err
	}
	if withSolution {
		if _, err := writeFS(ex.FS, path.Join(ex.Dir, SolutionDir), r, "", true, nil); err != nil {
			return err
		}
	}
	return nil
}
