package casestudies

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/kaizen-mlops/kaizen/internal/diag"
)

// Options tune ValidateWith.
type Options struct {
	// Chapters lists the course's chapter ids. When set, every chapter a scene or choice
	// names must be one of them; when nil, chapter ids are only checked for form.
	Chapters []string
	// MaxStates bounds the exploration (0 means DefaultMaxStates).
	MaxStates int
}

// Validate explores every path of a parsed case and reports graph problems: scenes or
// endings no path reaches, choices never offered, states where the path neither ends nor
// continues, loops, and unclamped gauges leaving their range. Each problem names an example
// path (choice keys from the start) where it helps.
func Validate(c *Case) diag.List { return ValidateWith(c, Options{}) }

// ValidateWith is Validate with options.
func ValidateWith(c *Case, o Options) diag.List {
	var l diag.List
	if c == nil {
		return l
	}
	f := c.File
	if o.Chapters != nil {
		known := map[string]bool{}
		for _, id := range o.Chapters {
			known[id] = true
		}
		check := func(what string, ids []string, lines []int) {
			for i, id := range ids {
				if !known[id] {
					l.Add(f, lines[i], "%s: unknown chapter %q (known: %s)", what, id, strings.Join(o.Chapters, ", "))
				}
			}
		}
		for _, s := range c.Scenes {
			check("scene "+s.ID, s.Chapters, s.chapterLines)
			for _, ch := range s.Choices {
				check(fmt.Sprintf("scene %s choice %s", s.ID, ch.Key), ch.Chapters, ch.chapterLines)
			}
		}
	}

	// Scenes that no choice names can never be reached, whatever the gauges do.
	targeted := make([]bool, len(c.Scenes))
	targeted[c.start] = true
	for _, s := range c.Scenes {
		for _, ch := range s.Choices {
			if ch.next >= 0 {
				targeted[ch.next] = true
			}
		}
	}

	max := o.MaxStates
	if max <= 0 {
		max = DefaultMaxStates
	}
	x := newExplorer(c, max)
	root := x.run()
	if x.truncated {
		l.Add(f, c.Line, "exploration stopped after %d states; the checks below are incomplete (do gauges grow without limit in a loop?)", max)
	}
	if x.tooLong != nil {
		l.Add(f, c.Line, "a path is longer than %d decisions and was cut (example path starts: %s)", maxDepth, pathText(x.tooLong[:min(20, len(x.tooLong))]))
	}
	for i, s := range c.Scenes {
		switch {
		case !targeted[i]:
			l.Add(f, s.Line, "scene %s is unreachable: it is not the start and no choice has next: %s", s.ID, s.ID)
		case !x.sceneSeen[i] && !x.truncated:
			l.Add(f, s.Line, "scene %s is unreachable: every path ends before any choice leading here is made", s.ID)
		}
		if x.sceneSeen[i] && !x.truncated {
			for ci, ch := range s.Choices {
				if !x.choiceSeen[i][ci] {
					l.Add(f, ch.Line, "scene %s choice %s is never offered: requires %q never holds", s.ID, ch.Key, ch.Requires)
					continue
				}
				for k, cd := range ch.Conditional {
					if !x.condSeen[ch][k] {
						l.Add(f, cd.Line, "scene %s choice %s: conditional if %q never holds when the choice is made, so its effects never apply", s.ID, ch.Key, cd.If)
					}
				}
			}
		}
		if p, ok := x.dead[i]; ok {
			l.Add(f, s.Line, "scene %s: no choice is offered, so the path neither ends nor continues (example path: %s)", s.ID, pathText(p))
		}
		if p, ok := x.loops[i]; ok {
			l.Add(f, s.Line, "scene %s: a path comes back to the same state and can loop forever (example path: %s, back to %s)", s.ID, pathText(p), s.ID)
		}
	}
	for _, s := range c.Scenes {
		for _, ch := range s.Choices {
			if p, ok := x.noEnding[ch]; ok {
				l.Add(f, ch.Line, "scene %s choice %s finishes the run but no final ending matches, so the path neither ends nor continues (example path: %s); add a final ending without when as a fallback", s.ID, ch.Key, pathText(p))
			}
		}
	}
	keys := make([]int, 0, len(x.outOfRange))
	for k := range x.outOfRange {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		ev := x.outOfRange[k]
		g := c.Gauges[k/2]
		side, bound := "below its min", g.Min
		if k%2 == 1 {
			side, bound = "above its max", g.Max
		}
		l.Add(f, g.Line, "gauge %s can reach %s, %s %s, and clamp is false (example path: %s); set clamp: true, widen the range or end the run with an early ending on %s",
			g.ID, FormatNumber(ev.value), side, FormatNumber(bound), pathText(ev.path), g.ID)
	}
	if root >= 0 && !x.truncated && x.tooLong == nil {
		for e, end := range c.Endings {
			if x.ends[int(root)*x.ne+e].paths == 0 {
				l.Add(f, end.Line, "ending %s is never reached by any path", end.ID)
			}
		}
	}
	l.Sort()
	return l
}

// Lint parses a case and, if it parses, validates it: everything `kaizen course lint`
// reports for one case file.
func Lint(file string, data []byte, o Options) diag.List {
	c, l := Parse(file, data)
	if c == nil {
		return l
	}
	return ValidateWith(c, o)
}

// LintAll loads every casestudies/*/case.yaml under root in fsys and validates each one, and
// reports ids used twice across the cases. It returns the cases that parsed. Clashes with
// ids outside the case studies (lessons, questions…) are the course linter's job: see IDs.
func LintAll(fsys fs.FS, root string, o Options) ([]*Case, diag.List) {
	cases, l := LoadAll(fsys, root)
	seen := map[string]string{} // id -> "file:line"
	for _, c := range cases {
		l = append(l, ValidateWith(c, o)...)
		for _, id := range c.IDs() {
			where := fmt.Sprintf("%s:%d", c.File, id.Line)
			if prev, dup := seen[id.ID]; dup {
				l.Add(c.File, id.Line, "%s id %q already used at %s", id.Kind, id.ID, prev)
				continue
			}
			seen[id.ID] = where
		}
	}
	l.Sort()
	return cases, l
}
