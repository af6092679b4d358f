package casestudies

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// ErrRunOver is returned by Choose and Replay when the run has already ended.
var ErrRunOver = errors.New("casestudies: the run is over")

// ErrNoCase is returned by Choose for a zero State (use Start).
var ErrNoCase = errors.New("casestudies: state has no case (use Start)")

// InvalidChoiceError is returned by Choose and Replay for a key the current scene does not
// offer. Valid lists the keys that are offered, so a CLI can print them.
type InvalidChoiceError struct {
	Step  int    // 1-based number of the decision being made
	Scene string // id of the current scene
	Key   string // the key as given
	// Exists is true when the scene has the choice but its requires condition does not
	// hold in this state.
	Exists bool
	Valid  []string
}

func (e *InvalidChoiceError) Error() string {
	what := fmt.Sprintf("no choice %q", e.Key)
	if e.Exists {
		what = fmt.Sprintf("choice %q is not available now", e.Key)
	}
	if len(e.Valid) == 0 {
		return fmt.Sprintf("casestudies: step %d (scene %s): %s, and no choice is available", e.Step, e.Scene, what)
	}
	return fmt.Sprintf("casestudies: step %d (scene %s): %s; valid: %s", e.Step, e.Scene, what, strings.Join(e.Valid, ", "))
}

// State is a point in a run: the current scene, gauge values, flags and the decisions so
// far. It is an immutable value; the zero State belongs to no case.
type State struct {
	c      *Case
	scene  int // index of the current scene, -1 when the run is over
	ending int // index of the ending reached, -1 while running (or if none matched)
	gauges []float64
	flags  uint64
	steps  []Step
}

// Step records one decision and what it did.
type Step struct {
	Number   int // 1-based
	Scene    *Scene
	Choice   *Choice
	Deltas   []Delta  // gauges the choice touched, in gauge order
	FlagsSet []*Flag  // flags this step turned on (ones already set are left out)
	Notes    []string // notes of the conditionals that applied, in file order
	Next     *Scene   // nil when the step ended the run
	Ending   *Ending  // non-nil when the step ended the run
}

// Delta is the change of one gauge in a step.
type Delta struct {
	Gauge         *Gauge
	Before, After float64
	Requested     float64 // the sum of the effects, before clamping
}

// Change is the actual change after clamping (what "+5" should show).
func (d Delta) Change() float64 { return d.After - d.Before }

// Clamped reports whether the gauge hit its range so the change is smaller than requested.
func (d Delta) Clamped() bool { return d.Change() != d.Requested }

// GaugeValue pairs a gauge with its current value.
type GaugeValue struct {
	*Gauge
	Value float64
}

// Start returns the state before the first decision.
func Start(c *Case) State {
	g := make([]float64, len(c.Gauges))
	for i, gg := range c.Gauges {
		g[i] = gg.Start
	}
	return State{c: c, scene: c.start, ending: -1, gauges: g}
}

// Case returns the case the state belongs to (nil for the zero State).
func (s State) Case() *Case { return s.c }

// Over reports whether the run has finished (or the state is the zero State).
func (s State) Over() bool { return s.c == nil || s.scene < 0 }

// Scene returns the current scene; false when the run is over.
func (s State) Scene() (*Scene, bool) {
	if s.Over() {
		return nil, false
	}
	return s.c.Scenes[s.scene], true
}

// Ending returns the ending the run reached; false while the run goes on. (A finished run
// without an ending is only possible in a case that fails Validate.)
func (s State) Ending() (*Ending, bool) {
	if s.c == nil || s.ending < 0 {
		return nil, false
	}
	return s.c.Endings[s.ending], true
}

// Gauge returns a gauge's current value; false for an unknown id.
func (s State) Gauge(id string) (float64, bool) {
	if s.c == nil {
		return 0, false
	}
	i, ok := s.c.gaugeIx[id]
	if !ok {
		return 0, false
	}
	return s.gauges[i], true
}

// Gauges returns every gauge with its value, in file order.
func (s State) Gauges() []GaugeValue {
	if s.c == nil {
		return nil
	}
	out := make([]GaugeValue, len(s.c.Gauges))
	for i, g := range s.c.Gauges {
		out[i] = GaugeValue{g, s.gauges[i]}
	}
	return out
}

// Flag reports whether a flag is set.
func (s State) Flag(id string) bool {
	if s.c == nil {
		return false
	}
	bit, ok := s.c.flagIx[id]
	return ok && s.flags&(1<<bit) != 0
}

// Flags returns the flags that are set, in file order.
func (s State) Flags() []*Flag {
	if s.c == nil {
		return nil
	}
	var out []*Flag
	for i, f := range s.c.Flags {
		if s.flags&(1<<uint(i)) != 0 {
			out = append(out, f)
		}
	}
	return out
}

// Choices returns the choices offered now (those whose requires holds), in file order.
func (s State) Choices() []*Choice {
	sc, ok := s.Scene()
	if !ok {
		return nil
	}
	var out []*Choice
	for _, ch := range sc.Choices {
		if ch.requires.eval(s.gauges, s.flags) {
			out = append(out, ch)
		}
	}
	return out
}

// Timeline returns every step so far, oldest first.
func (s State) Timeline() []Step { return append([]Step(nil), s.steps...) }

// LastStep returns the most recent step (for "+5" style display of its deltas).
func (s State) LastStep() (Step, bool) {
	if len(s.steps) == 0 {
		return Step{}, false
	}
	return s.steps[len(s.steps)-1], true
}

// Keys returns the keys chosen so far: pass them to Replay to rebuild the state.
func (s State) Keys() []string {
	out := make([]string, len(s.steps))
	for i, st := range s.steps {
		out[i] = st.Choice.Key
	}
	return out
}

// Choose makes the decision with the given key (any case) and returns the new state and the
// step it took. s is not changed. An unknown or unavailable key gives an
// *InvalidChoiceError; a finished run gives ErrRunOver.
func Choose(s State, key string) (State, Step, error) {
	if s.c == nil {
		return s, Step{}, ErrNoCase
	}
	if s.scene < 0 {
		return s, Step{}, ErrRunOver
	}
	c := s.c
	sc := c.Scenes[s.scene]
	k := normKey(key)
	var ch *Choice
	exists := false
	var valid []string
	for _, cand := range sc.Choices {
		ok := cand.requires.eval(s.gauges, s.flags)
		if ok {
			valid = append(valid, cand.Key)
		}
		if cand.Key == k {
			exists = true
			if ok {
				ch = cand
			}
		}
	}
	if ch == nil {
		return s, Step{}, &InvalidChoiceError{Step: len(s.steps) + 1, Scene: sc.ID, Key: key, Exists: exists, Valid: valid}
	}

	n := len(c.Gauges)
	g := make([]float64, n)
	req := make([]float64, n)
	flags := c.apply(ch, s.gauges, s.flags, g, req)
	step := Step{Number: len(s.steps) + 1, Scene: sc, Choice: ch}
	for i, cd := range ch.cond {
		if ch.Conditional[i].Note != "" && cd.when.eval(s.gauges, s.flags) {
			step.Notes = append(step.Notes, ch.Conditional[i].Note)
		}
	}
	for i := range c.Gauges {
		if req[i] != 0 {
			step.Deltas = append(step.Deltas, Delta{Gauge: c.Gauges[i], Before: s.gauges[i], After: g[i], Requested: req[i]})
		}
	}
	for i, f := range c.Flags {
		bit := uint64(1) << uint(i)
		if flags&bit != 0 && s.flags&bit == 0 {
			step.FlagsSet = append(step.FlagsSet, f)
		}
	}
	next := State{c: c, scene: ch.next, ending: -1, gauges: g, flags: flags}
	if e, over := c.outcome(ch, g, flags); over {
		next.scene = -1
		next.ending = e
		if e >= 0 {
			step.Ending = c.Endings[e]
		}
	} else {
		step.Next = c.Scenes[ch.next]
	}
	// The three-index slice makes append copy, so states never share a backing array.
	next.steps = append(s.steps[:len(s.steps):len(s.steps)], step)
	return next, step, nil
}

// Replay plays keys from the start of c. On error it returns the steps and state reached
// before the failing key; the error is an *InvalidChoiceError or wraps ErrRunOver.
func Replay(c *Case, keys []string) ([]Step, State, error) {
	s := Start(c)
	steps := make([]Step, 0, len(keys))
	for i, k := range keys {
		if s.Over() {
			return steps, s, fmt.Errorf("key %d (%q): %w", i+1, k, ErrRunOver)
		}
		ns, st, err := Choose(s, k)
		if err != nil {
			return steps, s, err
		}
		s = ns
		steps = append(steps, st)
	}
	return steps, s, nil
}

// ParseKeys splits a written list of keys: "B,C,B", "b c b" or, with no separator at all,
// "BCB" (one letter per key). Keys come back upper case.
func ParseKeys(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	if len(fields) == 1 && len(fields[0]) > 1 {
		letters := true
		for _, r := range fields[0] {
			if r > unicode.MaxASCII || !unicode.IsLetter(r) {
				letters = false
			}
		}
		if letters {
			fields = strings.Split(fields[0], "")
		}
	}
	for i := range fields {
		fields[i] = normKey(fields[i])
	}
	return fields
}

func normKey(k string) string { return strings.ToUpper(strings.TrimSpace(k)) }

// apply computes the gauges after ch from (g, f) into out, the requested changes into req
// (both of len(c.Gauges)), and returns the new flags. Every condition reads the state before
// the choice; the value is clamped once, after all effects are summed.
func (c *Case) apply(ch *Choice, g []float64, f uint64, out, req []float64) uint64 {
	for i := range req {
		req[i] = 0
	}
	set := ch.set
	for _, e := range ch.eff {
		req[e.g] += e.v
	}
	for _, cd := range ch.cond {
		if cd.when.eval(g, f) {
			for _, e := range cd.eff {
				req[e.g] += e.v
			}
			set |= cd.set
		}
	}
	for i, gg := range c.Gauges {
		v := g[i] + req[i]
		if gg.Clamp {
			v = math.Max(gg.Min, math.Min(gg.Max, v))
		}
		out[i] = v
	}
	return f | set
}

// outcome reports whether the run is over after ch led to (g, f) and, if so, which ending
// (-1 when the run finished but no final ending matched). Early endings come first.
func (c *Case) outcome(ch *Choice, g []float64, f uint64) (ending int, over bool) {
	for _, e := range c.early {
		if c.Endings[e].when.eval(g, f) {
			return e, true
		}
	}
	if ch.next >= 0 {
		return -1, false
	}
	for _, e := range c.final {
		if c.Endings[e].when.eval(g, f) {
			return e, true
		}
	}
	return -1, true
}

// Debrief gathers what a finished run should discuss.
type Debrief struct {
	Ending   *Ending
	Prompts  []string // the ending's debrief prompts
	Lessons  []Lesson // one per decision, in order
	Chapters []string // chapters the run's choices relate to, in first-seen order
}

// Lesson is the teaching point of one decision.
type Lesson struct {
	Step   int
	Scene  *Scene
	Choice *Choice
	Taught string
}

// Debrief returns the debrief of a finished run; false while it goes on.
func (s State) Debrief() (Debrief, bool) {
	e, ok := s.Ending()
	if !ok || !s.Over() {
		return Debrief{}, false
	}
	d := Debrief{Ending: e, Prompts: append([]string(nil), e.Debrief...)}
	seen := map[string]bool{}
	for _, st := range s.steps {
		d.Lessons = append(d.Lessons, Lesson{Step: st.Number, Scene: st.Scene, Choice: st.Choice, Taught: st.Choice.Taught})
		for _, ch := range st.Choice.Chapters {
			if !seen[ch] {
				seen[ch] = true
				d.Chapters = append(d.Chapters, ch)
			}
		}
	}
	return d, true
}

// FormatNumber prints a gauge value without trailing zeros: 14, 13.5, -0.5.
func FormatNumber(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// FormatDelta prints a change with its sign: +5, -0.5, 0.
func FormatDelta(v float64) string {
	if v > 0 {
		return "+" + FormatNumber(v)
	}
	return FormatNumber(v)
}

func rangeText(g *Gauge) string {
	lo, hi := "(-inf", "+inf)"
	if !math.IsInf(g.Min, 0) {
		lo = "[" + FormatNumber(g.Min)
	}
	if !math.IsInf(g.Max, 0) {
		hi = FormatNumber(g.Max) + "]"
	}
	return lo + ", " + hi
}
