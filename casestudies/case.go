// Package casestudies loads, checks, plays and measures branching case studies: short
// interactive stories in which the learner makes a run of decisions for a fictional company
// and watches a handful of gauges (cash runway, users, model quality…) and flags move.
//
// A case lives in a course at casestudies/SLUG/case.yaml; docs/authoring/case-studies.md
// describes the format. The package is pure Go with no terminal or storage dependency and
// no package-level mutable state, so the TUI, the CLI and the course linter can share it:
//
//   - [Parse] and [Load] read a case and report format and reference problems as a
//     [diag.List] with file and line; [Validate] explores every path and reports graph
//     problems (unreachable scenes and endings, dead ends, loops, gauges leaving their range).
//   - [Start], [Choose] and [Replay] play a case deterministically. A [State] is an immutable
//     value: Choose returns a new one and never changes its argument.
//   - [Explore] counts the complete paths that lead to each ending and finds the shortest.
//
// Choices are addressed by their key, a capital letter unique within the scene ("A", "B",
// …), matched without regard to case. A saved run is just its list of keys.
package casestudies

import (
	"math"
	"sort"
)

// End is the value of a choice's next that finishes the run; the final endings are then
// checked in file order.
const End = "end"

// Case is one parsed case study. Treat it as read-only: the player and explorer share it.
type Case struct {
	File    string // the file name given to Parse, used in problems
	Line    int    // line of the id field
	ID      string // unique across the course, like every id
	Title   string
	Summary string // one or two sentences for menus
	Premise string // Markdown shown before the first scene
	Fiction string // the disclaimer that separates the story from the real company
	Minutes int    // estimated playing time
	Start   string // id of the first scene
	Gauges  []*Gauge
	Flags   []*Flag
	Scenes  []*Scene
	Endings []*Ending // file order; early and final endings are each checked in this order
	Real    *Real     // what the real company faced: sourced facts, no fiction

	gaugeIx  map[string]int
	flagIx   map[string]uint
	sceneIx  map[string]int
	endingIx map[string]int
	start    int
	early    []int // indices into Endings
	final    []int
}

// Gauge is a number the story tracks, such as cash runway in months.
type Gauge struct {
	ID      string // identifier used in effects and conditions: [a-z][a-z0-9_]*
	Label   string // short display name
	Unit    string // optional display unit, e.g. "months"
	Meaning string // one sentence: what the number stands for
	Start   float64
	// Min and Max bound the gauge; -Inf and +Inf when the file leaves them out.
	Min, Max float64
	// Clamp keeps the value inside [Min, Max] after every choice (the default). With Clamp
	// false the range is a promise that Validate checks on every path.
	Clamp bool
	// LowerIsBetter is a display hint (technical debt): a rise is bad news.
	LowerIsBetter bool
	Line          int
}

// Bounded reports whether the gauge has both a minimum and a maximum (so it can be drawn as
// a bar).
func (g *Gauge) Bounded() bool { return !math.IsInf(g.Min, 0) && !math.IsInf(g.Max, 0) }

// Flag is a yes/no fact about the run that choices set and conditions read. Flags start
// unset and, once set, stay set.
type Flag struct {
	ID      string // identifier used in set_flags and conditions: [a-z][a-z0-9_]*
	Meaning string
	Line    int
}

// Scene is one decision point.
type Scene struct {
	ID       string
	Title    string
	Text     string   // Markdown, second person
	Chapters []string // optional extra chapter ids for the whole scene
	Choices  []*Choice
	Line     int
	index    int

	chapterLines []int
}

// AllChapters returns the scene's chapters followed by its choices' chapters, without
// repeats, in first-seen order.
func (s *Scene) AllChapters() []string {
	var out []string
	seen := map[string]bool{}
	add := func(ids []string) {
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	add(s.Chapters)
	for _, c := range s.Choices {
		add(c.Chapters)
	}
	return out
}

// Choice is one option in a scene.
type Choice struct {
	Key         string   // "A", "B", …: unique in the scene, stable once published
	Label       string   // one line
	Taught      string   // the teaching point, shown in the debrief
	Chapters    []string // chapter ids the choice relates to
	Requires    string   // optional condition; the choice is offered only when it holds
	Effects     []Effect // applied every time
	Conditional []Conditional
	SetFlags    []string
	Next        string // a scene id or End
	Line        int
	NextLine    int

	chapterLines []int

	requires *expr
	eff      []geff
	cond     []ccond
	set      uint64
	next     int // scene index, -1 for End
}

// Effect changes one gauge by Amount.
type Effect struct {
	Gauge  string
	Amount float64
	Line   int
}

// Conditional holds effects and flags that apply only when If holds. Every condition of a
// choice is evaluated against the state before the choice, so the order of effects never
// matters.
type Conditional struct {
	If       string
	Effects  []Effect
	SetFlags []string
	Note     string // optional Markdown shown when it applies ("MegaSocial found your scrapers")
	Line     int
}

type geff struct {
	g int
	v float64
}

type ccond struct {
	when *expr
	eff  []geff
	set  uint64
}

// Ending is one way a run can finish.
type Ending struct {
	ID    string
	Title string
	// Early endings are checked after every choice (an "out of runway" ending); final endings
	// only when a choice's next is End. Both kinds are checked in file order, first match wins.
	Early     bool
	When      string // condition; empty means always (a fallback final ending)
	Narrative string // Markdown
	Debrief   []string
	Line      int

	when  *expr
	index int
}

// Real is the "what the real company faced" section: facts only, each with sources.
type Real struct {
	Title   string
	Company string
	Note    string // optional: how to read the facts (reported, alleged…)
	Facts   []Fact
	Line    int
}

// Fact is one sourced statement about the real company.
type Fact struct {
	Text    string
	Sources []string // URLs
	Line    int
}

// IDRef is an id a case defines, for course-wide uniqueness checks.
type IDRef struct {
	ID   string
	Kind string // "case", "scene" or "ending"
	Line int
}

// IDs lists the course-level ids the case defines (the case, its scenes and endings).
func (c *Case) IDs() []IDRef {
	out := []IDRef{{c.ID, "case", c.Line}}
	for _, s := range c.Scenes {
		out = append(out, IDRef{s.ID, "scene", s.Line})
	}
	for _, e := range c.Endings {
		out = append(out, IDRef{e.ID, "ending", e.Line})
	}
	return out
}

// Chapters returns every chapter id the case refers to, sorted.
func (c *Case) Chapters() []string {
	seen := map[string]bool{}
	for _, s := range c.Scenes {
		for _, id := range s.AllChapters() {
			seen[id] = true
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Scene returns the scene with the given id.
func (c *Case) Scene(id string) (*Scene, bool) {
	i, ok := c.sceneIx[id]
	if !ok {
		return nil, false
	}
	return c.Scenes[i], true
}

// Ending returns the ending with the given id.
func (c *Case) Ending(id string) (*Ending, bool) {
	i, ok := c.endingIx[id]
	if !ok {
		return nil, false
	}
	return c.Endings[i], true
}

// Gauge returns the gauge with the given id.
func (c *Case) Gauge(id string) (*Gauge, bool) {
	i, ok := c.gaugeIx[id]
	if !ok {
		return nil, false
	}
	return c.Gauges[i], true
}

// Choice returns the choice with the given key (any case) in the scene.
func (s *Scene) Choice(key string) (*Choice, bool) {
	k := normKey(key)
	for _, ch := range s.Choices {
		if ch.Key == k {
			return ch, true
		}
	}
	return nil, false
}
