package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// idleCap bounds how much of a pause between keys counts as reading time.
const idleCap = 2 * time.Minute

// scrollSaveEvery is how often, at most, the scroll position is saved while reading.
const scrollSaveEvery = 20 * time.Second

// Lesson reads one lesson: glamour-rendered Markdown in a viewport.
type Lesson struct {
	c           *Common
	lesson      *lessons.Lesson
	chapter     *lessons.Chapter
	index       int // position in its chapter, 0-based
	keys        ReaderKeys
	vp          viewport.Model
	width       int
	height      int
	want        renderKey // the rendering this screen wants for its size and style
	shown       renderKey // the rendering the viewport holds
	content     bool      // the viewport holds a rendering
	pendingFrac float64   // position to keep when a new rendering arrives
	renderErr   error

	stateLoaded bool
	restore     float64 // scroll fraction to restore once rendered
	restored    bool
	finished    bool

	anchor string // section slug to show first, instead of the saved position

	lastActive time.Time
	active     time.Duration
	savedAt    time.Time
	savedFrac  float64
}

var _ Screen = (*Lesson)(nil)

// lessonStateMsg carries the stored state of one lesson.
type lessonStateMsg struct {
	id    string
	state store.LessonState
	err   error
}

// NewLesson builds the reader for a lesson.
func NewLesson(c *Common, l *lessons.Lesson) *Lesson {
	s := &Lesson{c: c, lesson: l, keys: NewReaderKeys(), lastActive: c.Now(), savedAt: c.Now()}
	s.vp = viewport.New()
	s.vp.MouseWheelEnabled = true
	s.vp.MouseWheelDelta = 3
	s.vp.KeyMap = viewport.KeyMap{} // keys are handled here, from ReaderKeys
	if ch, ok := c.Catalog.Chapter(l.ChapterID); ok {
		s.chapter = ch
		for i, x := range ch.Lessons {
			if x.ID == l.ID {
				s.index = i
			}
		}
	}
	return s
}

// NewLessonAt opens a lesson at a section (a heading slug; "" for the saved position).
func NewLessonAt(c *Common, l *lessons.Lesson, section string) *Lesson {
	s := NewLesson(c, l)
	s.anchor = section
	return s
}

// Init records the opening, loads the saved position and renders.
func (s *Lesson) Init() tea.Cmd {
	c, id := s.c, s.lesson.ID
	load := func() tea.Msg {
		if c.Store == nil {
			return lessonStateMsg{id: id}
		}
		ls, err := c.Store.Lessons(c.Ctx, c.Learner)
		return lessonStateMsg{id: id, state: ls[id], err: err}
	}
	open := saveCmd(c, "lesson opened", func(st *store.Store) error { return st.OpenLesson(c.Ctx, c.Learner, id) })
	// Load the saved position before recording the opening, so a first visit reads as new.
	return tea.Batch(tea.Sequence(load, open), s.ensureRendered())
}

// Title names the screen.
func (s *Lesson) Title() string { return s.lesson.Title }

// Help lists the keys.
func (s *Lesson) Help() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{{k.Down, k.PageDown, k.Next, k.Prev}, {k.Up, k.PageUp, k.HalfDown, k.HalfUp, k.Top, k.Bottom}}
}

// SetSize sets the body size and re-renders at the new width when it changed.
func (s *Lesson) SetSize(w, h int) {
	s.width, s.height = w, h
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(h-1, 1))
}

func (s *Lesson) currentKey() renderKey {
	return renderKey{id: s.lesson.ID, width: readingWidth(max(s.width, 20), s.c.ReadingWidth), style: s.c.Styles.GlamourStyle}
}

// ensureRendered shows the cached rendering for the current size or asks for one. The
// old rendering stays on screen until the new one arrives.
func (s *Lesson) ensureRendered() tea.Cmd {
	if s.width == 0 {
		return nil
	}
	k := s.currentKey()
	if k == s.want {
		return nil
	}
	s.pendingFrac = s.fraction()
	s.want = k
	if text, ok := s.c.Cache.Get(k); ok {
		s.setContent(text)
		return tea.Batch(s.checkFinished(), s.prerenderNext())
	}
	return renderLessonCmd(s.c.Cache, s.lesson, k)
}

// setContent puts the rendering for s.want in the viewport and restores the position.
func (s *Lesson) setContent(text string) {
	s.content = true
	s.shown = s.want
	s.vp.SetContent(s.center(text))
	frac := s.pendingFrac
	if s.anchor != "" {
		if line, ok := s.anchorLine(text); ok {
			s.anchor, s.restored = "", true
			s.vp.SetYOffset(line)
			return
		}
	}
	if s.stateLoaded && !s.restored {
		s.restored = true
		frac = s.restore
	}
	s.scrollTo(frac)
}

// anchorLine finds the rendered line of the heading with the anchor's slug.
func (s *Lesson) anchorLine(rendered string) (int, bool) {
	var text string
	for _, h := range s.lesson.Headings {
		if h.Slug == s.anchor {
			text = h.Text
		}
	}
	if text == "" {
		return 0, false
	}
	for i, line := range strings.Split(ansi.Strip(rendered), "\n") {
		if strings.Contains(line, text) {
			return i, true
		}
	}
	return 0, false
}

func (s *Lesson) scrollTo(frac float64) {
	s.vp.SetYOffset(int(frac*float64(max(s.vp.TotalLineCount()-s.vp.Height(), 0)) + 0.5))
}

// center indents the rendering when the terminal is wider than the reading width.
func (s *Lesson) center(text string) string {
	pad := (s.width - readingWidth(s.width, s.c.ReadingWidth)) / 2
	if pad <= 0 {
		return text
	}
	indent := strings.Repeat(" ", pad)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = indent + l
		}
	}
	return strings.Join(lines, "\n")
}

// fraction is how far through the lesson the view is, 0..1.
func (s *Lesson) fraction() float64 {
	if !s.content {
		if s.stateLoaded && !s.restored {
			return s.restore
		}
		return s.pendingFrac
	}
	total := s.vp.TotalLineCount() - s.vp.Height()
	if total <= 0 {
		return 1
	}
	return float64(s.vp.YOffset()) / float64(total)
}

// prerenderNext renders the next lesson in the background so `n` shows it at once.
func (s *Lesson) prerenderNext() tea.Cmd {
	_, next := s.c.Catalog.Neighbours(s.lesson.ID)
	if next == nil {
		return nil
	}
	k := s.currentKey()
	k.id = next.ID
	if _, ok := s.c.Cache.Get(k); ok {
		return nil
	}
	return renderLessonCmd(s.c.Cache, next, k)
}

// Update handles keys, renderings and loaded state.
func (s *Lesson) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case renderedMsg:
		if msg.err != nil {
			if msg.key == s.want {
				s.renderErr = msg.err
			}
			return s, nil
		}
		if msg.key == s.want && s.shown != s.want {
			s.setContent(msg.text)
			return s, tea.Batch(s.checkFinished(), s.prerenderNext())
		}
		return s, nil
	case lessonStateMsg:
		if msg.id != s.lesson.ID {
			return s, nil
		}
		s.stateLoaded = true
		s.finished = msg.state.Finished
		s.restore = msg.state.Scroll
		s.savedFrac = msg.state.Scroll
		if s.content && !s.restored {
			s.restored = true
			s.scrollTo(s.restore)
		}
		return s, s.checkFinished()
	case stylesChangedMsg:
		return s, s.ensureRendered()
	case resizedMsg:
		return s, s.ensureRendered()
	case tea.KeyPressMsg:
		s.touch()
		k := s.keys
		switch {
		case k.scroll(&s.vp, msg):
		case key.Matches(msg, k.Next):
			_, next := s.c.Catalog.Neighbours(s.lesson.ID)
			if next == nil {
				return s, func() tea.Msg { return statusMsg("This is the last lesson of the course.") }
			}
			return s, s.c.replace(NewLesson(s.c, next))
		case key.Matches(msg, k.Prev):
			prev, _ := s.c.Catalog.Neighbours(s.lesson.ID)
			if prev == nil {
				return s, func() tea.Msg { return statusMsg("This is the first lesson of the course.") }
			}
			return s, s.c.replace(NewLesson(s.c, prev))
		default:
			return s, nil
		}
		return s, tea.Batch(s.checkFinished(), s.maybeSaveScroll())
	case tea.MouseWheelMsg:
		s.touch()
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, tea.Batch(cmd, s.checkFinished(), s.maybeSaveScroll())
	}
	return s, nil
}

// touch counts the time since the last key as reading time, up to idleCap.
func (s *Lesson) touch() {
	now := s.c.Now()
	if gap := now.Sub(s.lastActive); gap > 0 && gap < idleCap {
		s.active += gap
	}
	s.lastActive = now
}

func (s *Lesson) checkFinished() tea.Cmd {
	if s.finished || !s.content || !s.stateLoaded || !s.vp.AtBottom() {
		return nil
	}
	s.finished = true
	c, id := s.c, s.lesson.ID
	return tea.Batch(
		saveCmd(c, "lesson finished", func(st *store.Store) error { return st.FinishLesson(c.Ctx, c.Learner, id) }),
		func() tea.Msg { return statusMsg("✓ Lesson finished: " + s.lesson.Title) },
	)
}

func (s *Lesson) maybeSaveScroll() tea.Cmd {
	if s.c.Now().Sub(s.savedAt) < scrollSaveEvery {
		return nil
	}
	return s.saveScroll()
}

func (s *Lesson) saveScroll() tea.Cmd {
	if !s.content {
		return nil
	}
	frac := s.fraction()
	if frac == s.savedFrac {
		return nil
	}
	s.savedFrac, s.savedAt = frac, s.c.Now()
	c, id := s.c, s.lesson.ID
	return saveCmd(c, "scroll position", func(st *store.Store) error { return st.SaveScroll(c.Ctx, c.Learner, id, frac) })
}

// Leave saves the scroll position and the reading time.
func (s *Lesson) Leave() tea.Cmd {
	s.touch()
	c, id, spent := s.c, s.lesson.ID, s.active
	s.active = 0
	return tea.Sequence(s.saveScroll(), saveCmd(c, "reading time", func(st *store.Store) error { return st.AddLessonTime(c.Ctx, c.Learner, id, spent) }))
}

// View draws the lesson and its progress line.
func (s *Lesson) View() string {
	st := s.c.Styles
	var body string
	switch {
	case s.renderErr != nil:
		body = st.Bad.Render("Could not render this lesson: " + s.renderErr.Error())
	case !s.content:
		body = st.Muted.Render("Rendering " + s.lesson.Title + " …")
	default:
		body = s.vp.View()
	}
	body = lipgloss.NewStyle().Height(max(s.height-1, 1)).MaxHeight(max(s.height-1, 1)).Render(body)
	return body + "\n" + s.statusLine()
}

func (s *Lesson) statusLine() string {
	st := s.c.Styles
	total := 1
	label := ""
	if s.chapter != nil {
		total = len(s.chapter.Lessons)
		label = s.chapter.Label() + " · "
	}
	pos := fmt.Sprintf("lesson %d/%d · %s", s.index+1, total, percent(s.fraction()))
	mark := ""
	if s.finished {
		mark = st.Good.Render(" ✓")
	}
	left := st.Accent.Render(pos) + mark
	right := st.Muted.Render(truncate(label+s.lesson.Title, max(s.width-lipgloss.Width(left)-2, 0)))
	gap := max(s.width-lipgloss.Width(left)-lipgloss.Width(right), 1)
	return left + strings.Repeat(" ", gap) + right
}
