package tui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kaizen-mlops/kaizen/casestudies"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// casePhase is where a case-study run is.
type casePhase int

const (
	casePremise casePhase = iota
	casePlaying
	caseEnded
	caseRewind // choosing the decision to replay from
)

func (p casePhase) String() string {
	return [...]string{"premise", "playing", "ended", "rewind"}[p]
}

// CaseKeys are the case-study screen's keys.
type CaseKeys struct {
	Up      key.Binding
	Down    key.Binding
	Choose  key.Binding
	Scroll  key.Binding
	ScrollU key.Binding
	Rewind  key.Binding
	Again   key.Binding
}

// NewCaseKeys returns the case-study keys.
func NewCaseKeys() CaseKeys {
	return CaseKeys{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Choose:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter/a-f", "choose")),
		Scroll:  key.NewBinding(key.WithKeys("pgdown", "space"), key.WithHelp("space", "scroll text")),
		ScrollU: key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll back")),
		Rewind:  key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "what if: replay from a decision")),
		Again:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new run")),
	}
}

// CaseStudy plays a branching case study: the scene beside a dashboard of gauges, choices
// below, and at the end the ending, a debrief and the real company's story.
type CaseStudy struct {
	c      *Common
	cs     *casestudies.Case
	keys   CaseKeys
	phase  casePhase
	state  casestudies.State
	cursor int
	saved  bool // the current run's ending has been stored
	vp     viewport.Model
	width  int
	height int
	// text is the rendered Markdown of the current scene or ending, by width.
	textKey  renderKey
	text     string
	renderMD string
}

var _ Screen = (*CaseStudy)(nil)

// NewCaseStudy starts a case study at its premise.
func NewCaseStudy(c *Common, cs *casestudies.Case) *CaseStudy {
	s := &CaseStudy{c: c, cs: cs, keys: NewCaseKeys(), state: casestudies.Start(cs)}
	s.vp = viewport.New()
	s.vp.KeyMap = viewport.KeyMap{}
	return s
}

// Init renders the premise.
func (s *CaseStudy) Init() tea.Cmd { return s.renderCurrent() }

// Title names the screen.
func (s *CaseStudy) Title() string { return s.cs.Title }

// Help lists the keys of the phase.
func (s *CaseStudy) Help() [][]key.Binding {
	k := s.keys
	switch s.phase {
	case casePremise:
		return [][]key.Binding{{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "begin")), k.Scroll}}
	case caseEnded:
		return [][]key.Binding{{k.Rewind, k.Again, k.Scroll, k.ScrollU}}
	case caseRewind:
		return [][]key.Binding{{k.Choose, k.Up, k.Down}}
	}
	return [][]key.Binding{{k.Choose, k.Up, k.Down, k.Scroll}, {k.ScrollU}}
}

// SetSize sets the body size and re-renders text at the new width.
func (s *CaseStudy) SetSize(w, h int) {
	s.width, s.height = w, h
}

// wide reports whether the dashboard goes beside the text.
func (s *CaseStudy) wide() bool { return s.width >= 90 }

func (s *CaseStudy) textWidth() int {
	if s.wide() {
		return min(s.width-dashboardWidth-3, 90)
	}
	return min(s.width, 100)
}

const dashboardWidth = 40

// markdown is what the text pane shows in the current phase.
func (s *CaseStudy) markdown() string {
	switch s.phase {
	case casePremise:
		md := "# " + s.cs.Title + "\n\n" + s.cs.Premise
		if s.cs.Fiction != "" {
			md += "\n\n> " + strings.ReplaceAll(strings.TrimSpace(s.cs.Fiction), "\n", "\n> ")
		}
		return md
	case caseEnded, caseRewind:
		return s.endingMarkdown()
	}
	sc, _ := s.state.Scene()
	md := "## " + sc.Title + "\n\n" + sc.Text
	if st, ok := s.state.LastStep(); ok && len(st.Notes) > 0 {
		md = "> " + strings.Join(st.Notes, "\n>\n> ") + "\n\n" + md
	}
	return md
}

func (s *CaseStudy) endingMarkdown() string {
	var b strings.Builder
	e, _ := s.state.Ending()
	if e == nil {
		return "The run is over."
	}
	fmt.Fprintf(&b, "# Ending: %s\n\n%s\n\n", e.Title, e.Narrative)
	if d, ok := s.state.Debrief(); ok {
		b.WriteString("## Debrief: what each decision taught\n\n")
		for _, l := range d.Lessons {
			fmt.Fprintf(&b, "%d. **%s** — you chose *%s*. %s", l.Step, l.Scene.Title, l.Choice.Label, l.Taught)
			if len(l.Choice.Chapters) > 0 {
				fmt.Fprintf(&b, " (revisit: %s)", s.c.Catalog.ChapterLabels(l.Choice.Chapters))
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
	if r := s.cs.Real; r != nil {
		title := r.Title
		if title == "" {
			title = "What the real company faced"
		}
		fmt.Fprintf(&b, "\n---\n\n## %s\n\n", title)
		if r.Note != "" {
			fmt.Fprintf(&b, "*%s*\n\n", r.Note)
		}
		for _, f := range r.Facts {
			fmt.Fprintf(&b, "- %s", f.Text)
			if len(f.Sources) > 0 {
				fmt.Fprintf(&b, " (source: %s)", strings.Join(f.Sources, ", "))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// renderCurrent renders the current text off the UI path (cached by content and width).
func (s *CaseStudy) renderCurrent() tea.Cmd {
	if s.width == 0 {
		return nil
	}
	md := s.markdown()
	// The text is a scene with its outcome: keyed by its content (the cache may be shared).
	k := renderKey{id: fmt.Sprintf("case:%016x", fnvHash(md)), width: s.textWidth(), style: s.c.Styles.GlamourStyle}
	if k == s.textKey && md == s.renderMD {
		return nil
	}
	s.textKey, s.renderMD = k, md
	if text, ok := s.c.Cache.Get(k); ok {
		s.setText(text)
		return nil
	}
	return renderMarkdownCmd(s.c.Cache, k, func() (string, error) { return md, nil })
}

func (s *CaseStudy) setText(text string) {
	s.text = text
	s.vp.SetContent(text)
	s.vp.GotoTop()
}

// Update handles choices and navigation.
func (s *CaseStudy) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case renderedMsg:
		if msg.err == nil {
			if msg.key == s.textKey {
				s.setText(msg.text)
			}
		}
		return s, nil
	case resizedMsg, stylesChangedMsg:
		return s, s.renderCurrent()
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, cmd
	}
	return s, nil
}

func (s *CaseStudy) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	switch {
	case key.Matches(msg, k.Scroll):
		s.vp.PageDown()
		return nil
	case key.Matches(msg, k.ScrollU):
		s.vp.PageUp()
		return nil
	}
	switch s.phase {
	case casePremise:
		if msg.String() == "enter" {
			s.phase = casePlaying
			s.cursor = 0
			return s.renderCurrent()
		}
	case casePlaying:
		choices := s.state.Choices()
		switch {
		case key.Matches(msg, k.Up):
			s.cursor = max(s.cursor-1, 0)
		case key.Matches(msg, k.Down):
			s.cursor = min(s.cursor+1, len(choices)-1)
		case key.Matches(msg, k.Choose):
			if len(choices) > 0 {
				return s.choose(choices[s.cursor].Key)
			}
		default:
			if r := strings.ToUpper(msg.String()); len(r) == 1 {
				for _, ch := range choices {
					if ch.Key == r {
						return s.choose(r)
					}
				}
			}
		}
	case caseEnded:
		switch {
		case key.Matches(msg, k.Rewind):
			s.phase = caseRewind
			s.cursor = max(len(s.state.Timeline())-1, 0)
		case key.Matches(msg, k.Again):
			s.state = casestudies.Start(s.cs)
			s.phase, s.cursor, s.saved = casePlaying, 0, false
			return s.renderCurrent()
		}
	case caseRewind:
		steps := s.state.Timeline()
		switch {
		case key.Matches(msg, k.Up):
			s.cursor = max(s.cursor-1, 0)
		case key.Matches(msg, k.Down):
			s.cursor = min(s.cursor+1, len(steps)-1)
		case key.Matches(msg, k.Choose):
			// Replay the decisions before the chosen one; the finished run stays stored.
			keys := s.state.Keys()[:s.cursor]
			_, st, err := casestudies.Replay(s.cs, keys)
			if err != nil {
				return func() tea.Msg { return errMsg{err} }
			}
			s.state, s.phase, s.saved = st, casePlaying, false
			s.cursor = 0
			return tea.Batch(s.renderCurrent(), func() tea.Msg {
				return statusMsg(fmt.Sprintf("Replaying from decision %d. Your earlier run is kept.", len(keys)+1))
			})
		case msg.String() == "esc":
			s.phase = caseEnded
		}
	}
	return nil
}

// HandlesBack is true while choosing a decision to replay from (esc cancels that).
func (s *CaseStudy) HandlesBack() bool { return s.phase == caseRewind }

func (s *CaseStudy) choose(k string) tea.Cmd {
	next, _, err := casestudies.Choose(s.state, k)
	if err != nil {
		return func() tea.Msg { return errMsg{err} }
	}
	s.state = next
	s.cursor = 0
	if !s.state.Over() {
		return s.renderCurrent()
	}
	s.phase = caseEnded
	return tea.Batch(s.renderCurrent(), s.saveRun())
}

func (s *CaseStudy) saveRun() tea.Cmd {
	if s.saved {
		return nil
	}
	s.saved = true
	e, _ := s.state.Ending()
	data := store.CaseRunData{Choices: s.state.Keys(), Gauges: map[string]float64{}}
	if e != nil {
		data.Ending, data.Title = e.ID, e.Title
	}
	for _, g := range s.state.Gauges() {
		data.Gauges[g.ID] = g.Value
	}
	c, id := s.c, s.cs.ID
	return saveCmd(c, "case-study run", func(st *store.Store) error { return st.RecordCaseRun(c.Ctx, c.Learner, id, data) })
}

// View draws the text, the dashboard and the choices.
func (s *CaseStudy) View() string {
	st := s.c.Styles
	bottom := s.bottomView()
	bottomH := lipgloss.Height(bottom)
	dash := s.dashboard()
	var textH int
	if s.wide() {
		textH = max(s.height-bottomH-1, 3)
		s.vp.SetWidth(s.textWidth())
		s.vp.SetHeight(textH)
		text := s.textOrWait()
		left := lipgloss.NewStyle().Width(s.textWidth()).Height(textH).Render(text)
		right := lipgloss.NewStyle().Width(dashboardWidth).PaddingLeft(2).Render(dash)
		return lipgloss.JoinHorizontal(lipgloss.Top, left, " ", right) + "\n" + bottom
	}
	// Narrow: a compact gauge line on top, the text, then the choices.
	compact := s.compactGauges()
	textH = max(s.height-bottomH-lipgloss.Height(compact)-1, 2)
	s.vp.SetWidth(s.width)
	s.vp.SetHeight(textH)
	return compact + "\n" + lipgloss.NewStyle().Height(textH).MaxHeight(textH).Render(s.textOrWait()) + "\n" + st.Muted.Render("") + bottom
}

func (s *CaseStudy) textOrWait() string {
	if s.text == "" {
		return s.c.Styles.Muted.Render("…")
	}
	return s.vp.View()
}

// gaugeLine draws one gauge: a bar when it has a range, the value, and the last change
// with its sign (the sign and the word carry the meaning without colour).
func (s *CaseStudy) gaugeLine(g casestudies.GaugeValue, deltas map[string]casestudies.Delta, barW int) string {
	st := s.c.Styles
	label := g.Label
	if label == "" {
		label = g.ID
	}
	val := casestudies.FormatNumber(g.Value)
	if g.Unit != "" {
		val += " " + g.Unit
	}
	line := st.Text.Render(padRight(truncate(label, 13), 13)) + " "
	if g.Bounded() && barW > 0 {
		frac := (g.Value - g.Min) / (g.Max - g.Min)
		line += bar(st, int(math.Round(frac*100)), 100, barW) + " "
	}
	line += st.Title.Render(val)
	if d, ok := deltas[g.ID]; ok && d.Change() != 0 {
		good := d.Change() > 0
		if g.LowerIsBetter {
			good = !good
		}
		style := st.Bad
		if good {
			style = st.Good
		}
		line += " " + style.Render(casestudies.FormatDelta(d.Change()))
	}
	return truncate(line, dashboardWidth-2)
}

func (s *CaseStudy) lastDeltas() map[string]casestudies.Delta {
	out := map[string]casestudies.Delta{}
	if step, ok := s.state.LastStep(); ok {
		for _, d := range step.Deltas {
			out[d.Gauge.ID] = d
		}
	}
	return out
}

func (s *CaseStudy) dashboard() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(st.Subtitle.Render("Dashboard") + "\n")
	deltas := s.lastDeltas()
	for _, g := range s.state.Gauges() {
		b.WriteString(s.gaugeLine(g, deltas, 8) + "\n")
	}
	steps := s.state.Timeline()
	if len(steps) > 0 {
		b.WriteString("\n" + st.Subtitle.Render("Decisions") + "\n")
		for _, stp := range steps {
			b.WriteString(st.Muted.Render(fmt.Sprintf("%2d ", stp.Number)) + st.Text.Render(truncate(stp.Scene.Title, dashboardWidth-8)) + st.Accent.Render(" "+stp.Choice.Key) + "\n")
		}
	}
	return b.String()
}

func (s *CaseStudy) compactGauges() string {
	st := s.c.Styles
	deltas := s.lastDeltas()
	var parts []string
	for _, g := range s.state.Gauges() {
		label := g.Label
		if label == "" {
			label = g.ID
		}
		p := st.Muted.Render(truncate(label, 8)+" ") + st.Title.Render(casestudies.FormatNumber(g.Value))
		if d, ok := deltas[g.ID]; ok && d.Change() != 0 {
			p += st.Accent.Render("(" + casestudies.FormatDelta(d.Change()) + ")")
		}
		parts = append(parts, p)
	}
	return wrapText(strings.Join(parts, "  "), s.width)
}

func (s *CaseStudy) bottomView() string {
	st := s.c.Styles
	w := s.width
	switch s.phase {
	case casePremise:
		return st.Accent.Render("Press enter to begin.")
	case caseEnded:
		e, _ := s.state.Ending()
		title := "The run is over"
		if e != nil {
			title = "Ending: " + e.Title
		}
		return st.Title.Render(truncate(title, w)) + "\n" + st.Muted.Render("w replay from an earlier decision · n new run · space scroll the debrief")
	case caseRewind:
		var b strings.Builder
		b.WriteString(st.Text.Render("Replay from which decision? (your finished run is kept)") + "\n")
		steps := s.state.Timeline()
		from := max(0, s.cursor-3)
		to := min(len(steps), from+5)
		for i := from; i < to; i++ {
			marker := "  "
			if i == s.cursor {
				marker = st.Cursor.Render("▸ ")
			}
			b.WriteString(marker + st.Text.Render(truncate(fmt.Sprintf("%d. %s (you chose %s)", steps[i].Number, steps[i].Scene.Title, steps[i].Choice.Key), w-2)) + "\n")
		}
		return strings.TrimRight(b.String(), "\n")
	}
	var b strings.Builder
	for i, ch := range s.state.Choices() {
		marker := "  "
		ts := st.Text
		if i == s.cursor {
			marker, ts = st.Cursor.Render("▸ "), st.Title
		}
		b.WriteString(marker + st.Accent.Render(ch.Key+". ") + ts.Render(truncate(ch.Label, w-5)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
