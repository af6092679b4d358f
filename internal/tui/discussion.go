package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// journalMsg carries the learner's journal.
type journalMsg struct {
	entries map[string]*store.JournalEntry
	err     error
}

func loadJournalCmd(c *Common) tea.Cmd {
	return func() tea.Msg {
		if c.Store == nil {
			return journalMsg{entries: map[string]*store.JournalEntry{}}
		}
		e, err := c.Store.Journal(c.Ctx, c.Learner)
		return journalMsg{e, err}
	}
}

// promptStatus describes a prompt's state in a few words.
func promptStatus(st *Styles, e *store.JournalEntry) string {
	switch {
	case e == nil:
		return st.Muted.Render("○ not started")
	case len(e.Revisions) > 0:
		s := st.Good.Render(fmt.Sprintf("✓ answered (%d rev.)", len(e.Revisions)))
		if e.Draft != "" {
			s += st.Warn.Render(" ✎")
		}
		if e.Portfolio {
			s += st.Accent.Render(" ★")
		}
		return s
	default:
		return st.Warn.Render("✎ draft")
	}
}

// Discussion lists a chapter's critical-thinking prompts with their status.
type Discussion struct {
	c       *Common
	ch      *lessons.Chapter
	keys    ListKeys
	cursor  int
	entries map[string]*store.JournalEntry
	width   int
	height  int
}

var _ Screen = (*Discussion)(nil)

// NewDiscussion builds the prompt list of a chapter.
func NewDiscussion(c *Common, ch *lessons.Chapter) *Discussion {
	return &Discussion{c: c, ch: ch, keys: NewListKeys(), entries: map[string]*store.JournalEntry{}}
}

// Init loads the journal.
func (s *Discussion) Init() tea.Cmd { return loadJournalCmd(s.c) }

// Title names the screen.
func (s *Discussion) Title() string { return "Discussion" }

// Help lists the keys.
func (s *Discussion) Help() [][]key.Binding {
	return [][]key.Binding{{s.keys.Open, s.keys.Up, s.keys.Down}, {s.keys.Top, s.keys.Bottom}}
}

// SetSize sets the body size.
func (s *Discussion) SetSize(w, h int) { s.width, s.height = w, h }

// Update handles keys.
func (s *Discussion) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case journalMsg:
		if msg.err != nil {
			return s, func() tea.Msg { return errMsg{msg.err} }
		}
		s.entries = msg.entries
	case refreshMsg:
		return s, loadJournalCmd(s.c)
	case tea.KeyPressMsg:
		if cursor, moved := s.keys.Move(msg, s.cursor, len(s.ch.Prompts)); moved {
			s.cursor = cursor
			return s, nil
		}
		switch {
		case key.Matches(msg, s.keys.Open):
			if len(s.ch.Prompts) > 0 {
				return s, s.c.push(NewPrompt(s.c, s.ch.Prompts[s.cursor]))
			}
		}
	}
	return s, nil
}

// View draws the list.
func (s *Discussion) View() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Critical thinking: "+s.ch.Title) + "\n")
	if s.height >= 14 {
		b.WriteString(st.Muted.Render(wrapText("Write your answer, then rate it against the intellectual traits the prompt exercises. Answers are kept with every revision.", min(s.width, 100))) + "\n")
	}
	b.WriteString("\n")
	for i, p := range s.ch.Prompts {
		marker := "  "
		ts := st.Text
		if i == s.cursor {
			marker, ts = st.Cursor.Render("▸ "), st.Title
		}
		status := promptStatus(st, s.entries[p.ID])
		statusW := 24
		textW := max(listWidth(s.width)-2-statusW-2, 10)
		b.WriteString(marker + ts.Render(padRight(truncate(fmt.Sprintf("%d. %s", i+1, plainMarkdown(firstLine(p.Prompt))), textW), textW)) + "  " + status + "\n")
	}
	return b.String()
}

// promptMode is what the prompt screen is doing.
type promptMode int

const (
	modeRead promptMode = iota
	modeEdit
	modeRate
)

func (m promptMode) String() string { return [...]string{"read", "edit", "rate"}[m] }

// PromptKeys are the prompt screen's keys.
type PromptKeys struct {
	Edit      key.Binding
	Save      key.Binding
	Leave     key.Binding
	Guidance  key.Binding
	Previous  key.Binding
	Portfolio key.Binding
	Up        key.Binding
	Down      key.Binding
	Lower     key.Binding
	Higher    key.Binding
	Done      key.Binding
}

// NewPromptKeys returns the prompt screen's keys.
func NewPromptKeys() PromptKeys {
	return PromptKeys{
		Edit:      key.NewBinding(key.WithKeys("e", "enter"), key.WithHelp("e", "write / revise")),
		Save:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Leave:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop editing (draft kept)")),
		Guidance:  key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "what a strong answer weighs")),
		Previous:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "previous revision")),
		Portfolio: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "include in portfolio")),
		Up:        key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous trait")),
		Down:      key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next trait")),
		Lower:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←/1-4", "rate")),
		Higher:    key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "rate higher")),
		Done:      key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save ratings")),
	}
}

// draftDelay is the pause in typing after which a draft is saved.
const draftDelay = 600 * time.Millisecond

// draftTickMsg fires after a pause in typing.
type draftTickMsg struct {
	prompt string
	seq    int
}

// savedAnswerMsg reports a saved revision.
type savedAnswerMsg struct {
	prompt string
	rev    int
	err    error
}

// Prompt shows one discussion prompt: read it, write an answer, rate it.
type Prompt struct {
	c     *Common
	p     *lessons.Prompt
	keys  PromptKeys
	mode  promptMode
	entry *store.JournalEntry

	editor   textarea.Model
	dirty    bool // editor text not yet saved as a draft
	seq      int
	lastSave string

	guidance bool
	showPrev bool

	rev     int // the revision being rated
	traits  []lessons.TraitInfo
	ratings map[lessons.Trait]int
	row     int // selected trait row; len(traits) is the note
	note    textinput.Model

	vp     viewport.Model
	width  int
	height int
}

var _ Screen = (*Prompt)(nil)

// NewPrompt builds the screen for one prompt.
func NewPrompt(c *Common, p *lessons.Prompt) *Prompt {
	s := &Prompt{c: c, p: p, keys: NewPromptKeys(), ratings: map[lessons.Trait]int{}}
	s.editor = textarea.New()
	s.editor.Placeholder = "Write your answer here. Argue from evidence; say what you are unsure of."
	s.editor.ShowLineNumbers = false
	s.editor.CharLimit = 0
	s.editor.MaxHeight = 0
	es := s.editor.Styles()
	es.Cursor.Blink = false // no animation: calmer, and nothing for a screen reader to re-read
	s.editor.SetStyles(es)
	s.note = textinput.New()
	s.note.SetStyles(steadyInput(s.note.Styles()))
	s.note.Placeholder = "optional: what would make this answer stronger?"
	s.note.CharLimit = 500
	for _, t := range lessons.Traits() {
		for _, want := range p.Traits {
			if t.Trait == want {
				s.traits = append(s.traits, t)
			}
		}
	}
	s.vp = viewport.New()
	s.vp.KeyMap = viewport.KeyMap{}
	return s
}

// Init loads the learner's answer and draft.
func (s *Prompt) Init() tea.Cmd { return loadJournalCmd(s.c) }

// Title names the screen.
func (s *Prompt) Title() string { return "Prompt" }

// Capturing is true while typing the answer or the note.
func (s *Prompt) Capturing() bool {
	return s.mode == modeEdit || (s.mode == modeRate && s.row == len(s.traits))
}

// HandlesBack is true while editing or rating: esc leaves that step, not the screen.
func (s *Prompt) HandlesBack() bool { return s.mode != modeRead }

// Help lists the keys of the current mode.
func (s *Prompt) Help() [][]key.Binding {
	k := s.keys
	switch s.mode {
	case modeEdit:
		return [][]key.Binding{{k.Save, k.Leave}}
	case modeRate:
		return [][]key.Binding{{k.Lower, k.Up, k.Down, k.Done}, {k.Higher}}
	}
	return [][]key.Binding{{k.Edit, k.Guidance, k.Previous, k.Portfolio}}
}

// SetSize sets the body size.
func (s *Prompt) SetSize(w, h int) {
	s.width, s.height = w, h
	s.editor.SetWidth(min(w, 100))
	s.editor.SetHeight(max(h-8, 3))
	s.note.SetWidth(max(min(w, 100)-4, 10))
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(h, 1))
}

// Update handles typing, saving and rating.
func (s *Prompt) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case journalMsg:
		if msg.err != nil {
			return s, func() tea.Msg { return errMsg{msg.err} }
		}
		s.entry = msg.entries[s.p.ID]
		return s, nil
	case draftTickMsg:
		if msg.prompt == s.p.ID && msg.seq == s.seq && s.dirty {
			return s, s.saveDraft()
		}
		return s, nil
	case savedAnswerMsg:
		if msg.err != nil {
			return s, func() tea.Msg { return errMsg{msg.err} }
		}
		s.rev = msg.rev
		s.mode = modeRate
		s.row = 0
		return s, tea.Batch(loadJournalCmd(s.c), func() tea.Msg {
			return statusMsg(fmt.Sprintf("✓ Saved as revision %d. Now rate it against the traits.", msg.rev))
		})
	case tea.KeyPressMsg:
		switch s.mode {
		case modeEdit:
			return s, s.updateEdit(msg)
		case modeRate:
			return s, s.updateRate(msg)
		}
		return s, s.updateRead(msg)
	case tea.PasteMsg:
		if s.mode == modeEdit {
			var cmd tea.Cmd
			s.editor, cmd = s.editor.Update(msg)
			return s, tea.Batch(cmd, s.changed())
		}
	}
	return s, nil
}

func (s *Prompt) updateRead(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	switch {
	case key.Matches(msg, k.Edit):
		s.mode = modeEdit
		text := ""
		if s.entry != nil {
			if s.entry.Draft != "" {
				text = s.entry.Draft
			} else if r, ok := s.entry.Latest(); ok {
				text = r.Body
			}
		}
		s.editor.SetValue(text)
		s.lastSave = text
		return s.editor.Focus()
	case key.Matches(msg, k.Guidance):
		s.guidance = !s.guidance
	case key.Matches(msg, k.Previous):
		s.showPrev = !s.showPrev
	case key.Matches(msg, k.Portfolio):
		if s.entry == nil || len(s.entry.Revisions) == 0 {
			return func() tea.Msg { return statusMsg("Save an answer first; then it can go in your portfolio.") }
		}
		include := !s.entry.Portfolio
		s.entry.Portfolio = include
		c, id := s.c, s.p.ID
		note := "✓ This answer will appear in your portfolio."
		if !include {
			note = "This answer will stay out of your portfolio."
		}
		return tea.Batch(saveCmd(c, "portfolio choice", func(st *store.Store) error { return st.SetJournalPortfolio(c.Ctx, c.Learner, id, include) }),
			func() tea.Msg { return statusMsg(note) })
	case msg.String() == "pgdown":
		s.vp.PageDown()
	case msg.String() == "pgup":
		s.vp.PageUp()
	}
	return nil
}

func (s *Prompt) updateEdit(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, s.keys.Save):
		body := strings.TrimSpace(s.editor.Value())
		if body == "" {
			return func() tea.Msg { return statusMsg("Write something first.") }
		}
		s.dirty = false
		s.editor.Blur()
		c, chID, id := s.c, s.p.ChapterID, s.p.ID
		return func() tea.Msg {
			if c.Store == nil {
				return savedAnswerMsg{prompt: id, rev: 1}
			}
			rev, err := c.Store.SaveAnswer(c.Ctx, c.Learner, chID, id, body)
			return savedAnswerMsg{prompt: id, rev: rev, err: err}
		}
	case key.Matches(msg, s.keys.Leave):
		s.mode = modeRead
		s.editor.Blur()
		return tea.Batch(s.saveDraft(), loadJournalCmd(s.c))
	}
	var cmd tea.Cmd
	s.editor, cmd = s.editor.Update(msg)
	return tea.Batch(cmd, s.changed())
}

// changed schedules a draft save after a pause in typing.
func (s *Prompt) changed() tea.Cmd {
	if s.editor.Value() == s.lastSave {
		return nil
	}
	s.dirty = true
	s.seq++
	seq, id := s.seq, s.p.ID
	delay := draftDelay
	if s.c.DraftDelay > 0 {
		delay = s.c.DraftDelay
	}
	return tea.Tick(delay, func(time.Time) tea.Msg { return draftTickMsg{prompt: id, seq: seq} })
}

func (s *Prompt) saveDraft() tea.Cmd {
	if !s.dirty {
		return nil
	}
	s.dirty = false
	body := s.editor.Value()
	s.lastSave = body
	c, id := s.c, s.p.ID
	return saveCmd(c, "draft", func(st *store.Store) error { return st.SaveDraft(c.Ctx, c.Learner, id, body) })
}

// Leave saves an unsaved draft, so nothing typed is lost on back or quit.
func (s *Prompt) Leave() tea.Cmd { return s.saveDraft() }

func (s *Prompt) updateRate(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	onNote := s.row == len(s.traits)
	switch {
	case key.Matches(msg, k.Done):
		ratings := map[string]int{}
		for t, r := range s.ratings {
			ratings[string(t)] = r
		}
		c, id, rev, note := s.c, s.p.ID, s.rev, strings.TrimSpace(s.note.Value())
		s.mode = modeRead
		s.note.Blur()
		return tea.Batch(
			saveCmd(c, "self-assessment", func(st *store.Store) error { return st.RateAnswer(c.Ctx, c.Learner, id, rev, ratings, note) }),
			loadJournalCmd(c),
			func() tea.Msg { return statusMsg("✓ Self-assessment saved.") },
		)
	case key.Matches(msg, k.Up):
		s.row = max(s.row-1, 0)
		s.note.Blur()
		return nil
	case key.Matches(msg, k.Down) || (msg.String() == "tab"):
		s.row = min(s.row+1, len(s.traits))
		if s.row == len(s.traits) {
			return s.note.Focus()
		}
		return nil
	case msg.String() == "esc":
		s.mode = modeRead
		s.note.Blur()
		return loadJournalCmd(s.c)
	}
	if onNote {
		var cmd tea.Cmd
		s.note, cmd = s.note.Update(msg)
		return cmd
	}
	t := s.traits[s.row].Trait
	switch k := msg.String(); {
	case k >= "1" && k <= "4" && len(k) == 1:
		s.ratings[t] = int(k[0] - '0')
		s.row = min(s.row+1, len(s.traits))
		if s.row == len(s.traits) {
			return s.note.Focus()
		}
	case key.Matches(msg, s.keys.Lower):
		s.ratings[t] = max(s.ratings[t]-1, 1)
	case key.Matches(msg, s.keys.Higher):
		s.ratings[t] = min(s.ratings[t]+1, 4)
	}
	return nil
}

// View draws the prompt and the current mode.
func (s *Prompt) View() string {
	st := s.c.Styles
	w := min(s.width, 100)
	var b strings.Builder
	var tags []string
	for _, t := range s.traits {
		tags = append(tags, t.Name)
	}
	b.WriteString(st.Subtitle.Render(truncate(strings.Join(tags, " · "), w)) + "\n\n")
	b.WriteString(st.Title.Render(wrapText(plainMarkdown(s.p.Prompt), w)) + "\n\n")
	switch s.mode {
	case modeEdit:
		b.WriteString(s.editor.View() + "\n")
		words := len(strings.Fields(s.editor.Value()))
		state := "draft saved"
		if s.dirty {
			state = "typing…"
		}
		b.WriteString(st.Muted.Render(fmt.Sprintf("%d words · %s · ctrl+s save · esc stop editing", words, state)))
		return b.String()
	case modeRate:
		b.WriteString(s.rateView(w))
		s.vp.SetContent(b.String())
		return s.vp.View()
	}
	if s.guidance {
		b.WriteString(st.Accent.Render("What a strong answer weighs") + "\n" + st.Text.Render(wrapText(plainMarkdown(s.p.Guidance), w)) + "\n\n")
	}
	switch {
	case s.entry == nil:
		b.WriteString(st.Muted.Render("You have not answered yet. Press e to write; w shows what a strong answer weighs."))
	default:
		if s.entry.Draft != "" {
			b.WriteString(st.Warn.Render("✎ You have an unsaved draft; e continues it.") + "\n\n")
		}
		if r, ok := s.entry.Latest(); ok {
			shown := r
			label := fmt.Sprintf("Your answer (revision %d of %d, %s)", r.Rev, len(s.entry.Revisions), r.SavedAt.Format("2 Jan 2006"))
			if s.showPrev && len(s.entry.Revisions) > 1 {
				shown = s.entry.Revisions[len(s.entry.Revisions)-2]
				label = fmt.Sprintf("Previous answer (revision %d of %d)", shown.Rev, len(s.entry.Revisions))
			} else if s.showPrev {
				label += " — there is no earlier revision"
			}
			b.WriteString(st.Accent.Render(label) + "\n" + st.Text.Render(wrapText(shown.Body, w)) + "\n")
			if len(shown.Ratings) > 0 {
				b.WriteString("\n" + st.Muted.Render("Self-assessment: "))
				var parts []string
				for _, t := range s.traits {
					if v, ok := shown.Ratings[string(t.Trait)]; ok {
						parts = append(parts, fmt.Sprintf("%s %d/4", t.Name, v))
					}
				}
				b.WriteString(st.Text.Render(wrapText(strings.Join(parts, " · "), w-18)) + "\n")
				if shown.Note != "" {
					b.WriteString(st.Muted.Render("To improve: ") + st.Text.Render(wrapText(shown.Note, w-12)) + "\n")
				}
			}
			if s.entry.Portfolio {
				b.WriteString(st.Accent.Render("★ in your portfolio") + "\n")
			}
		}
	}
	s.vp.SetContent(b.String())
	return s.vp.View()
}

func (s *Prompt) rateView(w int) string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(st.Accent.Render(fmt.Sprintf("Rate revision %d: 1 not yet · 2 beginning · 3 solid · 4 strong", s.rev)) + "\n\n")
	for i, t := range s.traits {
		marker := "  "
		if i == s.row {
			marker = st.Cursor.Render("▸ ")
		}
		v := s.ratings[t.Trait]
		dots := ""
		for n := 1; n <= 4; n++ {
			if n <= v {
				dots += "●"
			} else {
				dots += "○"
			}
		}
		val := "–"
		if v > 0 {
			val = fmt.Sprint(v)
		}
		b.WriteString(marker + st.Title.Render(padRight(t.Name, 28)) + st.Accent.Render(dots) + " " + st.Text.Render(val) + "\n")
		b.WriteString("    " + st.Muted.Render(truncate(t.Rubric, w-4)) + "\n")
	}
	marker := "  "
	if s.row == len(s.traits) {
		marker = st.Cursor.Render("▸ ")
	}
	b.WriteString("\n" + marker + st.Text.Render("Note: ") + s.note.View() + "\n\n")
	b.WriteString(st.Muted.Render("1–4 rates the selected trait · ↑/↓ move · ctrl+s save · esc skip"))
	return b.String()
}
