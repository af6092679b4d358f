package plain

import (
	"strings"
	"testing"

	"github.com/kaizen-mlops/kaizen/assets"
	"github.com/kaizen-mlops/kaizen/internal/course"
)

// Every lesson of the built-in course reads as plain text: no control characters, no
// Markdown markers left for a screen reader to spell out, and every section a quiz can
// point to is found.
func TestBuiltInLessonsReadAsPlainText(t *testing.T) {
	cat, probs := course.LoadIndex(assets.Course(), "embedded")
	if len(probs) > 0 {
		t.Fatalf("built-in course index: %v", probs)
	}
	s := New(Options{Catalog: cat, Width: 80})
	n := 0
	for _, ch := range cat.Chapters {
		for _, l := range ch.Lessons {
			n++
			text := s.LessonText(l)
			all := strings.Join(text.Lines, "\n")
			checkPlain(t, all)
			for _, h := range l.Headings {
				if _, ok := text.Headings[h.Slug]; !ok {
					t.Errorf("%s: section %q (%s) is not announced", l.ID, h.Text, h.Slug)
				}
			}
			for i, line := range text.Lines {
				if inCode(text.Lines, i) {
					continue // code is read as it is
				}
				if strings.HasPrefix(line, "#") || strings.Contains(line, "**") || strings.HasPrefix(line, "```") {
					t.Errorf("%s line %d keeps Markdown: %q", l.ID, i+1, line)
				}
				if runeLen(line) > 80 {
					t.Errorf("%s line %d is %d wide: %q", l.ID, i+1, runeLen(line), line)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no lessons")
	}
}

// inCode reports whether line i is inside an announced code block (code keeps its width).
func inCode(lines []string, i int) bool {
	for j := i; j >= 0; j-- {
		switch {
		case strings.HasPrefix(strings.TrimSpace(lines[j]), "End of code block.") && j != i:
			return false
		case strings.HasPrefix(strings.TrimSpace(lines[j]), "Code block"):
			return true
		}
	}
	return false
}
