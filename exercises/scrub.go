package exercises

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Hidden lines shorter than this are not scrubbed: they are too common ("}", "pass", "0.5") to
// give anything away, and scrubbing them would mangle ordinary feedback.
const (
	minScrubLen   = 8
	scrubKeyLen   = minScrubLen
	maxScrubBytes = 64 << 20
	maxScrubLine  = 4096
	hiddenMarker  = "[hidden]"
)

// scrubber removes every line of the hidden test files from text shown to the learner.
type scrubber struct {
	byLen   map[int]map[string]struct{} // hidden lines by length
	lengths []int                       // the lengths present, longest first
}

func newScrubber() *scrubber { return &scrubber{byLen: map[int]map[string]struct{}{}} }

// addLines records the lines of one hidden file.
func (s *scrubber) addLines(data []byte) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if len(line) < minScrubLen || len(line) > maxScrubLine {
			continue
		}
		set := s.byLen[len(line)]
		if set == nil {
			set = map[string]struct{}{}
			s.byLen[len(line)] = set
			s.lengths = append(s.lengths, len(line))
		}
		set[line] = struct{}{}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(s.lengths)))
}

// forget drops the lines of a file the learner can see anyway (starter files, the README):
// they give nothing away, and scrubbing them would mangle feedback that quotes the learner's
// own code.
func (s *scrubber) forget(data []byte) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if set := s.byLen[len(line)]; set != nil {
			delete(set, line)
		}
	}
}

// forgetVisible forgets the lines of the exercise's README and starter files.
func (s *scrubber) forgetVisible(ex *Exercise) {
	if len(s.lengths) == 0 {
		return
	}
	if b, err := fs.ReadFile(ex.FS, path.Join(ex.Dir, ReadmeFile)); err == nil {
		s.forget(b)
	}
	_ = fs.WalkDir(ex.FS, path.Join(ex.Dir, StarterDir), func(name string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if b, err := fs.ReadFile(ex.FS, name); err == nil {
				s.forget(b)
			}
		}
		return nil
	})
}

// addTree records every regular file under dir (relative to root), without following links.
func (s *scrubber) addTree(root *os.Root, dir string) {
	budget := int64(maxScrubBytes)
	_ = fs.WalkDir(root.FS(), dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() || budget <= 0 {
			return nil
		}
		data, err := readWorkFile(root, name, budget)
		if err != nil {
			return nil
		}
		budget -= int64(len(data))
		s.addLines(data)
		return nil
	})
}

// scrub replaces each occurrence of a hidden line, starting at a word boundary, with [hidden].
// It tries every length of hidden line at every boundary, longest first, so its cost grows with
// the text and the number of distinct line lengths, not with the number of hidden lines.
func (s *scrubber) scrub(text string) string {
	if s == nil || len(s.lengths) == 0 || len(text) < minScrubLen {
		return text
	}
	var b strings.Builder
	last := 0
	for i := 0; i+minScrubLen <= len(text); {
		if i > 0 && isWordByte(text[i-1]) {
			i++
			continue
		}
		hit := 0
		for _, n := range s.lengths {
			if i+n > len(text) {
				continue
			}
			if _, ok := s.byLen[n][text[i:i+n]]; ok {
				hit = n
				break
			}
		}
		if hit == 0 {
			i++
			continue
		}
		b.WriteString(text[last:i])
		b.WriteString(hiddenMarker)
		i += hit
		last = i
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// hiddenDirs are the work-directory folders whose content never reaches the learner.
var hiddenDirs = []string{HiddenTestsDir, GenDir}

func (s *scrubber) addHidden(root *os.Root) {
	for _, d := range hiddenDirs {
		if _, err := root.Lstat(path.Clean(d)); err == nil {
			s.addTree(root, d)
		}
	}
}
