package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// chapterEntry is one line of the chapter screen: a lesson or an activity.
type chapterEntry struct {
	lesson *lessons.Lesson
	// activity entries (quiz, discussion, exercises, ...)
	label string
	info  string
	open  func() Screen // nil when not available
}

// Chapter lists a chapter's lessons with read marks, then its activities.
type Chapter struct {
	c       *Common
	ch      *lessons.Chapter
	keys    ListKeys
	cursor  int
	offset  int
	width   int
	height  int
	lessons map[string]store.LessonState
	entries []chapterEntry
}

var _ Screen = (*Chapter)(nil)

// NewChapter builds the chapter screen.
func NewChapter(c *Common, ch *lessons.Chapter) *Chapter {
	s := &Chapter{c: c, ch: ch, keys: NewListKeys(), lessons: map[string]store.LessonState{}}
	s.build()
	return s
}

func (s *Chapter) build() {
	s.entries = s.entries[:0]
	for _, l := range s.ch.Lessons {
		s.entries = append(s.entries, chapterEntry{lesson: l})
	}
	s.entries = append(s.entries, chapterActivities(s.c, s.ch)...)
}

// chapterActivities lists what a chapter offers besides lessons. Each activity shows
// "coming soon" until the course provides it.
func chapterActivities(c *Common, ch *lessons.Chapter) []chapterEntry {
	var out []chapterEntry
	quizEntry := chapterEntry{label: "Quiz", info: "coming soon"}
	if qz := c.Catalog.Quiz(ch.ID); qz != nil {
		quizEntry.info = count(len(qz.Questions), "question")
		quizEntry.open = func() Screen { return NewQuiz(c, ch) }
	}
	discussion := chapterEntry{label: "Discussion", info: "coming soon"}
	if len(ch.Prompts) > 0 {
		discussion.info = count(len(ch.Prompts), "prompt")
		discussion.open = func() Screen { return NewDiscussion(c, ch) }
	}
	out = append(out, quizEntry, discussion, exerciseEntry(c, ch))
	if ch.Appendix {
		// Appendices list only what they have; "coming soon" would promise a quiz.
		kept := out[:0]
		for _, e := range out {
			if e.open != nil {
				kept = append(kept, e)
			}
		}
		out = kept
	}
	return out
}

// exerciseEntry is the chapter's exercises line.
func exerciseEntry(c *Common, ch *lessons.Chapter) chapterEntry {
	exs := c.Catalog.ExercisesOf(ch.ID)
	if len(exs) == 0 {
		return chapterEntry{label: "Exercises", info: "coming soon"}
	}
	return chapterEntry{label: "Exercises", info: count(len(exs), "exercise"), open: func() Screen { return NewExerciseList(c, ch) }}
}

// Init loads progress.
func (s *Chapter) Init() tea.Cmd { return loadProgressCmd(s.c) }

// Title names the screen.
func (s *Chapter) Title() string { return s.ch.Label() + " " + s.ch.Title }

// Help lists the keys.
func (s *Chapter) Help() [][]key.Binding {
	return [][]key.Binding{{s.keys.Open, s.keys.Up, s.keys.Down}, {s.keys.Top, s.keys.Bottom}}
}

// SetSize sets the body size.
func (s *Chapter) SetSize(w, h int) { s.width, s.height = w, h }

// Update handles keys and loaded data.
func (s *Chapter) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case progressMsg:
		if msg.err == nil {
			s.lessons = msg.lessons
		}
	case refreshMsg:
		return s, loadProgressCmd(s.c)
	case catalogChangedMsg:
		s.build()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.keys.Up):
			s.cursor = max(s.cursor-1, 0)
		case key.Matches(msg, s.keys.Down):
			s.cursor = min(s.cursor+1, len(s.entries)-1)
		case key.Matches(msg, s.keys.Top):
			s.cursor = 0
		case key.Matches(msg, s.keys.Bottom):
			s.cursor = len(s.entries) - 1
		case key.Matches(msg, s.keys.Open):
			return s, s.open()
		}
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			s.cursor = max(s.cursor-1, 0)
		} else if msg.Button == tea.MouseWheelDown {
			s.cursor = min(s.cursor+1, len(s.entries)-1)
		}
	}
	return s, nil
}

func (s *Chapter) open() tea.Cmd {
	if s.cursor >= len(s.entries) {
		return nil
	}
	e := s.entries[s.cursor]
	if e.lesson != nil {
		return s.c.push(NewLesson(s.c, e.lesson))
	}
	if e.open == nil {
		return func() tea.Msg { return statusMsg(e.label + " for this chapter is coming soon.") }
	}
	return s.c.push(e.open())
}

// View draws the chapter.
func (s *Chapter) View() string {
	st := s.c.Styles
	var head strings.Builder
	head.WriteString(st.Subtitle.Render(s.ch.Label()) + "  " + st.Title.Render(s.ch.Title) + "\n")
	if s.height >= 14 {
		head.WriteString(st.Muted.Render(wrapText(s.ch.Summary, min(s.width, 100))) + "\n")
	}
	if s.height >= 24 && len(s.ch.Objectives) > 0 {
		head.WriteString("\n" + st.Text.Render("You will be able to:") + "\n")
		for i, o := range s.ch.Objectives {
			if i == 4 {
				head.WriteString(st.Muted.Render(fmt.Sprintf("  … and %d more", len(s.ch.Objectives)-4)) + "\n")
				break
			}
			head.WriteString(st.Muted.Render(truncate("  • "+o, listWidth(s.width))) + "\n")
		}
	}
	head.WriteString("\n")
	header := head.String()
	avail := s.height - lipgloss.Height(header)
	if avail < 3 {
		header = st.Title.Render(truncate(s.ch.Title, s.width)) + "\n"
		avail = s.height - 1
	}
	if len(s.ch.Lessons) == 0 {
		header += st.SoonLabel.Render("The lessons of this chapter are coming soon.") + "\n\n"
		avail -= 2
	}
	rows := make([]string, 0, len(s.entries))
	for i, e := range s.entries {
		rows = append(rows, s.row(i, e))
	}
	s.offset = listWindow(s.cursor, s.offset, max(avail, 1), len(rows))
	end := min(s.offset+max(avail, 1), len(rows))
	return header + strings.Join(rows[s.offset:end], "\n")
}

func (s *Chapter) row(i int, e chapterEntry) string {
	st := s.c.Styles
	marker := "  "
	if i == s.cursor {
		marker = st.Cursor.Render("▸ ")
	}
	w := listWidth(s.width) - 2
	if e.lesson != nil {
		state, seen := s.lessons[e.lesson.ID]
		mark := st.Muted.Render("○ ")
		switch {
		case state.Finished:
			mark = st.Good.Render("✓ ")
		case seen:
			mark = st.Accent.Render("◐ ")
		}
		right := fmt.Sprintf("%d min", e.lesson.Minutes)
		if seen && !state.Finished && state.Scroll > 0 {
			right = percent(state.Scroll) + " · " + right
		}
		titleW := w - 2 - len(right) - 2
		title := padRight(truncate(e.lesson.Title, titleW), titleW)
		ts := st.Text
		if i == s.cursor {
			ts = st.Title
		}
		return marker + mark + ts.Render(title) + "  " + st.Muted.Render(right)
	}
	label := "» " + e.label
	titleW := w - lipgloss.Width(e.info) - 2
	ts := st.Accent
	info := st.Muted.Render(e.info)
	if e.open == nil {
		ts = st.Muted
		info = st.SoonLabel.Render(e.info)
	}
	return marker + ts.Render(padRight(truncate(label, titleW), titleW)) + "  " + info
}
