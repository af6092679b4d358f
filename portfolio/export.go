package portfolio

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// ExportOptions say what to write and where.
type ExportOptions struct {
	Dir      string // the output directory; nothing is written outside it
	Markdown bool   // README.md (and activity.svg, which it shows)
	HTML     bool   // index.html
	// Force allows a non-empty directory. Even then only files kaizen wrote before (listed
	// in its manifest) are replaced or removed; any other file in the way is an error.
	Force  bool
	Limits Limits // per exercise; zero fields take DefaultLimits
}

// ExportResult reports what an export did.
type ExportResult struct {
	Dir     string    `json:"dir"`
	Written []string  `json:"written"` // slash paths relative to Dir, sorted
	Removed []string  `json:"removed"` // files of an earlier export no longer produced
	Skipped []Skipped `json:"skipped"` // solution files not copied (path starts with exercises/<id>/)
	// Missing lists passed exercises whose workspace could not be read.
	Missing []string `json:"missing"`
}

// NotEmptyError refuses a directory that already holds files.
type NotEmptyError struct{ Dir string }

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("%s is not empty: choose an empty or new directory, or pass --force to replace the files kaizen wrote there before", e.Dir)
}

// ConflictError refuses to replace files kaizen did not write.
type ConflictError struct {
	Dir   string
	Paths []string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s already holds %s, which kaizen did not write; move them away or choose another directory", e.Dir, strings.Join(e.Paths, ", "))
}

// manifest lists the files an export wrote, so a later --force export replaces only those.
type manifest struct {
	Generator string   `json:"generator"`
	Files     []string `json:"files"`
}

// safeExerciseID reports whether id can name a directory of the export: 1 to 100 lower-case
// letters, digits and dashes, not starting with a dash. (A regexp with {0,99} would be
// compiled at every start of kaizen into a large program.)
func safeExerciseID(id string) bool {
	if id == "" || len(id) > 100 || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Export writes the portfolio into opt.Dir: README.md, activity.svg and index.html as asked,
// the learner's files of every passed exercise under exercises/<id>/, and a manifest
// (.kaizen-portfolio.json) of everything written. An existing non-empty directory is refused
// unless opt.Force; then the files of the earlier export are replaced and those no longer
// produced are removed, while every other file is left alone (or, if one is in the way, the
// export is refused before anything is written).
func Export(m *Model, opt ExportOptions) (*ExportResult, error) {
	if !opt.Markdown && !opt.HTML {
		return nil, errors.New("nothing to export: choose Markdown, HTML or both")
	}
	dir, err := filepath.Abs(opt.Dir)
	if err != nil {
		return nil, err
	}
	res := &ExportResult{Dir: dir, Written: []string{}, Removed: []string{}, Skipped: []Skipped{}, Missing: []string{}}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	if len(entries) > 0 && !opt.Force {
		return nil, &NotEmptyError{Dir: dir}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	old, err := readManifest(root)
	if err != nil {
		return nil, err
	}

	// Plan every file in memory first, so that a conflict stops the export before any write.
	mm := *m
	mm.Exercises = slices.Clone(m.Exercises)
	plan := map[string][]byte{}
	for i := range mm.Exercises {
		e := &mm.Exercises[i]
		e.Files = nil
		if !e.Passed {
			continue
		}
		if !safeExerciseID(e.ID) || e.Workspace == "" {
			res.Missing = append(res.Missing, e.ID)
			continue
		}
		files, skipped, err := ReadFiles(e.Workspace, opt.Limits)
		if err != nil {
			res.Missing = append(res.Missing, e.ID)
			continue
		}
		for _, s := range skipped {
			res.Skipped = append(res.Skipped, Skipped{Path: exerciseDir(e.ID) + "/" + s.Path, Reason: s.Reason})
		}
		for p, data := range files {
			plan[exerciseDir(e.ID)+"/"+p] = data
			e.Files = append(e.Files, File{Path: p, Size: int64(len(data))})
		}
		sort.Slice(e.Files, func(a, b int) bool { return e.Files[a].Path < e.Files[b].Path })
	}
	if opt.Markdown {
		plan[ActivitySVG] = []byte(ActivityChart(mm.Heatmap(mm.HeatmapWeeks())) + "\n")
		plan[ReadmeFile] = []byte(Markdown(&mm, MarkdownOptions{ActivityImage: ActivitySVG}))
	}
	if opt.HTML {
		page, err := HTML(&mm)
		if err != nil {
			return nil, err
		}
		plan[HTMLFile] = page
	}
	names := make([]string, 0, len(plan))
	for p := range plan {
		names = append(names, p)
	}
	sort.Strings(names)

	ours := map[string]bool{}
	for _, p := range old.Files {
		ours[p] = true
	}
	var conflicts []string
	for _, p := range names {
		if ours[p] {
			continue
		}
		if _, err := root.Lstat(filepath.FromSlash(p)); err == nil {
			conflicts = append(conflicts, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			// A parent in the way (a file where a directory should be), or unreadable.
			conflicts = append(conflicts, p)
		}
	}
	if len(conflicts) > 0 {
		return nil, &ConflictError{Dir: dir, Paths: conflicts}
	}

	// The manifest lists old and new files while writing, so an interrupted export can be
	// redone with --force; it lists only the new ones at the end.
	union := append(slices.Clone(old.Files), names...)
	slices.Sort(union)
	union = slices.Compact(union)
	if err := writeManifest(root, union); err != nil {
		return nil, err
	}
	for _, p := range old.Files {
		if _, again := plan[p]; again || !localPath(p) {
			continue
		}
		if err := root.Remove(filepath.FromSlash(p)); err == nil {
			res.Removed = append(res.Removed, p)
			removeEmptyParents(root, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove %s: %w", p, err)
		}
	}
	for _, p := range names {
		if err := writeFile(root, p, plan[p]); err != nil {
			return nil, err
		}
		res.Written = append(res.Written, p)
	}
	if err := writeManifest(root, names); err != nil {
		return nil, err
	}
	sort.Strings(res.Missing)
	return res, nil
}

// localPath reports whether a manifest entry is a plain relative path (an edited manifest
// must not make kaizen remove files elsewhere; os.Root enforces it as well).
func localPath(p string) bool {
	return p != "" && filepath.IsLocal(filepath.FromSlash(p)) && p != ManifestFile
}

func readManifest(root *os.Root) (manifest, error) {
	var m manifest
	data, err := root.ReadFile(ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("read %s: %w", ManifestFile, err)
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Generator != "kaizen" {
		return manifest{}, fmt.Errorf("%s exists but is not a kaizen manifest; move it away or choose another directory", ManifestFile)
	}
	var files []string
	for _, p := range m.Files {
		if localPath(p) {
			files = append(files, path.Clean(p))
		}
	}
	m.Files = files
	return m, nil
}

func writeManifest(root *os.Root, files []string) error {
	data, err := json.MarshalIndent(manifest{Generator: "kaizen", Files: files}, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(root, ManifestFile, append(data, '\n'))
}

// writeFile writes one file inside root, replacing a symbolic link rather than writing
// through it.
func writeFile(root *os.Root, p string, data []byte) error {
	name := filepath.FromSlash(p)
	if dir := filepath.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", path.Dir(p), err)
		}
	}
	if fi, err := root.Lstat(name); err == nil && !fi.Mode().IsRegular() {
		if err := root.Remove(name); err != nil {
			return fmt.Errorf("replace %s: %w", p, err)
		}
	}
	if err := root.WriteFile(name, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// removeEmptyParents removes the directories above p that are now empty.
func removeEmptyParents(root *os.Root, p string) {
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		if root.Remove(filepath.FromSlash(d)) != nil {
			return
		}
	}
}
