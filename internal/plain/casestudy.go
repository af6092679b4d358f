package plain

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/kaizen-mlops/kaizen/casestudies"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// caseStudy plays a branching case study: the premise, then one decision at a time with
// the gauges read out and the choices numbered, and at the end the ending, the debrief
// and what the real company faced, with a replay from any decision.
func (s *Session) caseStudy(cs *casestudies.Case) error {
	s.Heading(1, "Case study: "+cs.Title)
	s.sayMarkdown(cs.Premise)
	if cs.Fiction != "" {
		s.Say("Note: " + strings.TrimSpace(cs.Fiction))
	}
	if len(cs.Gauges) > 0 {
		s.Say("The gauges you will watch:")
		for _, g := range cs.Gauges {
			line := "- " + gaugeName(g)
			if g.Meaning != "" {
				line += ": " + strings.TrimSpace(g.Meaning)
			}
			s.Lines(wrap(line, s.width, "", "  "))
		}
	}
	for {
		line, err := s.ReadLine("Press enter to begin, or b to go back.")
		if err != nil {
			return err
		}
		switch w := word(line); {
		case w == "" || w == "begin" || w == "start":
			return s.playCase(cs, casestudies.Start(cs))
		case isBack(w):
			return nil
		case isQuit(w):
			return ErrQuit
		case isHelp(w):
			s.Say("Help. Each decision is a numbered list of choices: type a number to choose. Gauges are read out after every decision with how much they changed. At the end you hear the ending, a debrief of each decision, and what the real company faced.")
		default:
			s.Sayf("%s is not a command here.", quoted(line))
		}
	}
}

func gaugeName(g *casestudies.Gauge) string {
	if g.Label != "" {
		return g.Label
	}
	return g.ID
}

// gaugeText reads one gauge with its last change: "Runway 12 months, down 2 (worse)".
func gaugeText(g casestudies.GaugeValue, deltas map[string]casestudies.Delta) string {
	out := gaugeName(g.Gauge) + " " + casestudies.FormatNumber(g.Value)
	switch {
	case g.Unit == "%":
		out += "%"
	case g.Unit != "":
		out += " " + g.Unit
	}
	if g.Bounded() && g.Min == 0 && g.Unit == "" {
		out += " of " + casestudies.FormatNumber(g.Max)
	}
	if d, ok := deltas[g.ID]; ok && d.Change() != 0 {
		c := d.Change()
		dir := "up"
		if c < 0 {
			dir = "down"
		}
		good := c > 0
		if g.LowerIsBetter {
			good = !good
		}
		verdict := "worse"
		if good {
			verdict = "better"
		}
		out += fmt.Sprintf(", %s %s (%s)", dir, casestudies.FormatNumber(math.Abs(c)), verdict)
	}
	return out
}

func lastDeltas(state casestudies.State) map[string]casestudies.Delta {
	out := map[string]casestudies.Delta{}
	if step, ok := state.LastStep(); ok {
		for _, d := range step.Deltas {
			out[d.Gauge.ID] = d
		}
	}
	return out
}

func (s *Session) sayDashboard(state casestudies.State) {
	deltas := lastDeltas(state)
	s.Say("Dashboard:")
	for _, g := range state.Gauges() {
		s.Lines(wrap("- "+gaugeText(g, deltas)+".", s.width, "", "  "))
	}
}

func (s *Session) sayTimeline(state casestudies.State) {
	steps := state.Timeline()
	if len(steps) == 0 {
		s.Say("You have not made a decision yet.")
		return
	}
	s.Say("Your decisions so far:")
	for _, st := range steps {
		s.Lines(wrap(fmt.Sprintf("%d. %s: %s", st.Number, sentenceless(st.Scene.Title), sentence(s.markdownLine(st.Choice.Label))), s.width, "", "   "))
	}
}

// playCase plays from state until the learner leaves.
func (s *Session) playCase(cs *casestudies.Case, state casestudies.State) error {
	for {
		if state.Over() {
			next, err := s.caseEnded(cs, state)
			if err != nil || next == nil {
				return err
			}
			state = *next
			continue
		}
		next, err := s.decide(state)
		if err != nil || next == nil {
			return err
		}
		state = *next
	}
}

// decide reads a scene and takes one decision. It returns nil when the learner leaves.
func (s *Session) decide(state casestudies.State) (*casestudies.State, error) {
	sc, _ := state.Scene()
	choices := state.Choices()
	number := len(state.Timeline()) + 1
	prompt := fmt.Sprintf("Type the number of your choice, 1 to %d, or h for help.", len(choices))
	say := func() {
		s.Heading(2, fmt.Sprintf("Decision %d: %s", number, sc.Title))
		if st, ok := state.LastStep(); ok {
			for _, n := range st.Notes {
				s.Lines(wrap("What happened: "+s.markdownLine(n), s.width, "", ""))
			}
		}
		s.sayMarkdown(sc.Text)
		s.Blank()
		s.sayDashboard(state)
		s.Blank()
		s.Say("Your choices:")
		for i, ch := range choices {
			s.Lines(wrap(fmt.Sprintf("%d. %s", i+1, s.markdownLine(ch.Label)), s.width, "", "   "))
		}
		s.Say(prompt)
	}
	say()
	for {
		line, err := s.ReadLine("")
		if err != nil {
			return nil, err
		}
		w := word(line)
		switch {
		case isBack(w):
			s.Say("You left the run before an ending; unfinished runs are not kept.")
			return nil, nil
		case isQuit(w):
			return nil, ErrQuit
		case isHelp(w):
			s.Say("Help. Type a choice's number to decide. Type d to hear the dashboard, r to hear this decision again, t for your decisions so far, b to leave the run, or q to save and quit.")
			continue
		case w == "d" || w == "dashboard":
			s.sayDashboard(state)
			s.Say(prompt)
			continue
		case w == "r" || w == "repeat":
			say()
			continue
		case w == "t" || w == "timeline":
			s.sayTimeline(state)
			s.Say(prompt)
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(w, "#"))
		switch {
		case err != nil:
			s.Sayf("%s is not one of the choices. Type a number from 1 to %d.", quoted(line), len(choices))
			continue
		case n < 1 || n > len(choices):
			s.Sayf("There is no choice %d. Type a number from 1 to %d.", n, len(choices))
			continue
		}
		ch := choices[n-1]
		next, _, err := casestudies.Choose(state, ch.Key)
		if err != nil {
			s.Sayf("That choice cannot be taken: %v", err)
			continue
		}
		s.Blank()
		s.Say("You chose: " + sentence(s.markdownLine(ch.Label)))
		return &next, nil
	}
}

// caseEnded stores the finished run, reads the ending and offers a replay or a new run.
// It returns the state to play on, or nil when the learner goes back.
func (s *Session) caseEnded(cs *casestudies.Case, state casestudies.State) (*casestudies.State, error) {
	e, _ := state.Ending()
	data := store.CaseRunData{Choices: state.Keys(), Gauges: map[string]float64{}}
	if e != nil {
		data.Ending, data.Title = e.ID, e.Title
	}
	for _, g := range state.Gauges() {
		data.Gauges[g.ID] = g.Value
	}
	s.save("case-study run", func(st *store.Store) error { return st.RecordCaseRun(s.ctx, s.learner, cs.ID, data) })

	hear := func() error {
		s.Blank()
		s.sayDashboard(state)
		return s.Page(RenderMarkdown(s.endingMarkdown(cs, state), s.width, s.linkTitle).Lines)
	}
	if err := hear(); err != nil {
		return nil, err
	}
	var next *casestudies.State
	title := "The run is over"
	if e != nil {
		title = "Ending: " + e.Title
	}
	err := s.Menu(Menu{
		Title: title,
		Level: 2,
		Intro: func() { s.Say("This run is saved.") },
		Items: func() []Item {
			return []Item{
				{Label: "Replay from an earlier decision; this run stays saved.", Run: func() error {
					st, err := s.chooseReplay(cs, state)
					if err != nil || st == nil {
						return err
					}
					next = st
					return ErrBack
				}},
				{Label: "Start a new run.", Run: func() error {
					st := casestudies.Start(cs)
					next = &st
					return ErrBack
				}},
				{Label: "Hear the ending, the debrief and what the real company faced again.", Run: hear},
			}
		},
	})
	return next, err
}

// chooseReplay asks which decision to replay from; nil when the learner goes back.
func (s *Session) chooseReplay(cs *casestudies.Case, state casestudies.State) (*casestudies.State, error) {
	steps := state.Timeline()
	var chosen *casestudies.State
	err := s.Menu(Menu{
		Title: "Replay from which decision?",
		Level: 2,
		Intro: func() {
			s.Say("Your finished run is kept. The decisions before the one you pick are made again as you made them.")
		},
		Items: func() []Item {
			var items []Item
			for i, st := range steps {
				i, st := i, st
				items = append(items, Item{Label: fmt.Sprintf("%s: you chose %s", sentenceless(st.Scene.Title), sentence(s.markdownLine(st.Choice.Label))), Run: func() error {
					_, replay, err := casestudies.Replay(cs, state.Keys()[:i])
					if err != nil {
						s.Sayf("Could not replay: %v", err)
						return nil
					}
					s.Sayf("Replaying from decision %d. Your earlier run is kept.", i+1)
					chosen = &replay
					return ErrBack
				}})
			}
			return items
		},
	})
	return chosen, err
}

// endingMarkdown is the ending, the debrief and the real company's story, as the
// full-screen app shows them.
func (s *Session) endingMarkdown(cs *casestudies.Case, state casestudies.State) string {
	var b strings.Builder
	e, _ := state.Ending()
	if e == nil {
		return "The run is over."
	}
	fmt.Fprintf(&b, "# Ending: %s\n\n%s\n\n", e.Title, e.Narrative)
	if d, ok := state.Debrief(); ok {
		b.WriteString("## Debrief: what each decision taught\n\n")
		for _, l := range d.Lessons {
			fmt.Fprintf(&b, "%d. %s: you chose %s %s", l.Step, sentenceless(l.Scene.Title), sentence(l.Choice.Label), oneLine(l.Taught))
			if len(l.Choice.Chapters) > 0 {
				fmt.Fprintf(&b, " (revisit: %s)", s.cat.ChapterLabels(l.Choice.Chapters))
			}
			b.WriteString("\n")
		}
		if len(d.Prompts) > 0 {
			b.WriteString("\n## Think it over\n\n")
			for _, p := range d.Prompts {
				fmt.Fprintf(&b, "- %s\n", p)
			}
		}
	}
	if r := cs.Real; r != nil {
		title := r.Title
		if title == "" {
			title = "What the real company faced"
		}
		fmt.Fprintf(&b, "\n## %s\n\n", title)
		if r.Note != "" {
			fmt.Fprintf(&b, "%s\n\n", strings.TrimSpace(r.Note))
		}
		for _, f := range r.Facts {
			fmt.Fprintf(&b, "- %s", strings.TrimSpace(f.Text))
			if len(f.Sources) > 0 {
				fmt.Fprintf(&b, " (source: %s)", strings.Join(f.Sources, ", "))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// oneLine joins the lines of a text, so it fits in one list item.
func oneLine(t string) string { return strings.Join(strings.Fields(t), " ") }
