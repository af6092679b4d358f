// Package diag holds the problem type every course linter reports: a file, a line and a
// message, printed as "file:line: message" so editors and terminals can jump to it.
package diag

import (
	"fmt"
	"sort"
)

// Problem is one thing wrong with a course file.
type Problem struct {
	File    string // path relative to the course root, slash-separated
	Line    int    // 1-based; 0 when the problem concerns the whole file
	Message string
}

// String formats the problem as "file:line: message" (or "file: message" without a line).
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Message)
}

// List collects problems.
type List []Problem

// Add appends a problem with a formatted message.
func (l *List) Add(file string, line int, format string, args ...any) {
	*l = append(*l, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// Sort orders problems by file, then line, then message, so reports are stable.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Message < l[j].Message
	})
}
