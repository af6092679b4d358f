package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kaizen-mlops/kaizen/classroom"
)

// DefaultClassPoll is how often the instructor dashboard rereads the store.
const DefaultClassPoll = 3 * time.Second

// ClassKeys are the instructor dashboard's keys.
type ClassKeys struct {
	ListKeys
	Sort    key.Binding
	Reverse key.Binding
	Refresh key.Binding
}

// NewClassKeys returns the dashboard's keys.
func NewClassKeys() ClassKeys {
	return ClassKeys{
		ListKeys: NewListKeys(),
		Sort:     key.NewBinding(key.WithKeys("s", "tab"), key.WithHelp("s", "sort by next column")),
		Reverse:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reverse order")),
		Refresh:  key.NewBinding(key.WithKeys("R", "ctrl+r"), key.WithHelp("R", "reload now")),
	}
}

// ClassDashboard is the instructor's view of a class: one row per learner, sortable, kept
// live by rereading the store every few seconds (a class server writes to the same file).
type ClassDashboard struct {
	c       *Common
	course  classroom.Course
	poll    time.Duration
	keys    ClassKeys
	gb      classroom.Gradebook
	sortBy  classroom.SortKey
	desc    bool
	cursor  int
	offset  int
	width   int
	height  int
	loaded  bool
	err     error
	updated time.Time
	gen     int // generation of the polling chain; a reload starts a new one
}

var _ Screen = (*ClassDashboard)(nil)

// classDataMsg delivers a freshly built gradebook.
type classDataMsg struct {
	gb  classroom.Gradebook
	err error
	gen int
}

// classTickMsg asks for the next poll of one polling chain.
type classTickMsg struct{ gen int }

// NewClassDashboard builds the dashboard; poll <= 0 means DefaultClassPoll.
func NewClassDashboard(c *Common, poll time.Duration) *ClassDashboard {
	if poll <= 0 {
		poll = DefaultClassPoll
	}
	return &ClassDashboard{c: c, course: classroom.CourseFromCatalog(c.Catalog), poll: poll, keys: NewClassKeys()}
}

// NewClassApp builds the root model of `kaizen class`: the dashboard is the first screen
// (there is no learner home behind it).
func NewClassApp(c *Common, opts Options, poll time.Duration) *Model {
	opts.Start = nil
	m := New(c, opts)
	m.stack = []Screen{NewClassDashboard(c, poll)}
	if c.Width > 0 && c.Height > 0 {
		m.resize()
	}
	return m
}

// Init loads the class.
func (s *ClassDashboard) Init() tea.Cmd { return s.loadCmd() }

func (s *ClassDashboard) loadCmd() tea.Cmd {
	c, course, gen := s.c, s.course, s.gen
	return func() tea.Msg {
		recs, err := c.Store.ClassRecords(c.Ctx)
		if err != nil {
			return classDataMsg{err: err, gen: gen}
		}
		return classDataMsg{gb: classroom.Build(course, recs, c.Now()), gen: gen}
	}
}

func (s *ClassDashboard) tickCmd() tea.Cmd {
	gen := s.gen
	return tea.Tick(s.poll, func(time.Time) tea.Msg { return classTickMsg{gen} })
}

// Title names the screen.
func (s *ClassDashboard) Title() string { return "Class" }

// Help lists the keys.
func (s *ClassDashboard) Help() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{{k.Open, k.Up, k.Down, k.Sort, k.Reverse}, {k.Top, k.Bottom, k.Refresh}}
}

// SetSize sets the body size.
func (s *ClassDashboard) SetSize(w, h int) { s.width, s.height = w, h }

func (s *ClassDashboard) selectedKey() string {
	if s.cursor >= 0 && s.cursor < len(s.gb.Rows) {
		return s.gb.Rows[s.cursor].Key
	}
	return ""
}

func (s *ClassDashboard) resort() {
	keep := s.selectedKey()
	classroom.SortRows(s.gb.Rows, s.sortBy, s.desc)
	for i, r := range s.gb.Rows {
		if r.Key == keep {
			s.cursor = i
			return
		}
	}
	s.cursor = min(s.cursor, max(len(s.gb.Rows)-1, 0))
}

// Update handles data, polling and keys.
func (s *ClassDashboard) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case classDataMsg:
		if msg.gen != s.gen {
			return s, nil
		}
		s.loaded, s.err = true, msg.err
		if msg.err == nil {
			keep := s.selectedKey()
			s.gb = msg.gb
			s.updated = s.c.Now()
			classroom.SortRows(s.gb.Rows, s.sortBy, s.desc)
			for i, r := range s.gb.Rows {
				if r.Key == keep {
					s.cursor = i
				}
			}
			s.cursor = min(s.cursor, max(len(s.gb.Rows)-1, 0))
		}
		return s, s.tickCmd()
	case classTickMsg:
		if msg.gen != s.gen {
			return s, nil
		}
		return s, s.loadCmd()
	case refreshMsg:
		// Back from a learner: the ticks that arrived meanwhile went to that screen.
		s.gen++
		return s, s.loadCmd()
	case tea.KeyPressMsg:
		k := s.keys
		n := len(s.gb.Rows)
		switch {
		case key.Matches(msg, k.Up):
			s.cursor = max(s.cursor-1, 0)
		case key.Matches(msg, k.Down):
			s.cursor = max(min(s.cursor+1, n-1), 0)
		case key.Matches(msg, k.Top):
			s.cursor = 0
		case key.Matches(msg, k.Bottom):
			s.cursor = max(n-1, 0)
		case key.Matches(msg, k.Sort):
			s.sortBy = (s.sortBy + 1) % classroom.SortKey(len(classroom.SortKeys()))
			// Numbers read best largest first; names and ids A to Z.
			s.desc = s.sortBy != classroom.SortName && s.sortBy != classroom.SortStudentID
			s.resort()
		case key.Matches(msg, k.Reverse):
			s.desc = !s.desc
			s.resort()
		case key.Matches(msg, k.Refresh):
			s.gen++
			return s, s.loadCmd()
		case key.Matches(msg, k.Open):
			if s.cursor < n {
				return s, s.c.push(NewLearnerDetail(s.c, s.gb.Rows[s.cursor], s.course))
			}
		}
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			s.cursor = max(s.cursor-1, 0)
		} else if msg.Button == tea.MouseWheelDown {
			s.cursor = max(min(s.cursor+1, len(s.gb.Rows)-1), 0)
		}
	}
	return s, nil
}

// dashColumn is one column of the class table.
type dashColumn struct {
	title string
	width int
	sort  classroom.SortKey
	cell  func(r classroom.Row) string
}

func (s *ClassDashboard) columns(now time.Time) []dashColumn {
	return []dashColumn{
		{"Student ID", 11, classroom.SortStudentID, func(r classroom.Row) string { return r.StudentID }},
		{"Lessons", 8, classroom.SortLessons, func(r classroom.Row) string { return fmt.Sprintf("%d/%d", r.Lessons.Done, r.Lessons.Total) }},
		{"Quiz", 5, classroom.SortQuiz, func(r classroom.Row) string {
			if r.QuizAnswered == 0 {
				return "–"
			}
			return percent(r.QuizAccuracy)
		}},
		{"Exercises", 10, classroom.SortExercises, func(r classroom.Row) string {
			out := fmt.Sprintf("%d/%d", r.Exercises.Passed, r.Exercises.Total)
			if r.Exercises.Hints > 0 {
				out += fmt.Sprintf(" h%d", r.Exercises.Hints)
			}
			return out
		}},
		{"Journal", 8, classroom.SortDiscussion, func(r classroom.Row) string { return fmt.Sprintf("%d/%d", r.Discussion.Done, r.Discussion.Total) }},
		{"Endings", 8, classroom.SortEndings, func(r classroom.Row) string { return fmt.Sprintf("%d/%d", r.Endings.Done, r.Endings.Total) }},
		{"Seen", 8, classroom.SortLastSeen, func(r classroom.Row) string { return ago(r.LastSeen, now) }},
		{"Total", 6, classroom.SortTotal, func(r classroom.Row) string {
			if r.Possible == 0 {
				return "–"
			}
			return percent(r.Total / r.Possible)
		}},
	}
}

// ago says how long ago t was, briefly.
func ago(t *time.Time, now time.Time) string {
	if t == nil {
		return "never"
	}
	d := now.Sub(*t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}

// View draws the class table.
func (s *ClassDashboard) View() string {
	st := s.c.Styles
	if !s.loaded {
		return st.Muted.Render("Loading the class…")
	}
	now := s.c.Now()
	var head strings.Builder
	head.WriteString(st.Title.Render(truncate(s.gb.Course.Title, s.width)) + "\n")
	order := "▲"
	if s.desc {
		order = "▼"
	}
	info := fmt.Sprintf("%d learner(s) · sorted by %s %s · updated %s, every %s", len(s.gb.Rows), s.sortBy, order, s.updated.Format("15:04:05"), s.poll)
	head.WriteString(st.Muted.Render(truncate(info, s.width)) + "\n")
	if s.err != nil {
		head.WriteString(st.Bad.Render(truncate("cannot read the class: "+s.err.Error(), s.width)) + "\n")
	}
	head.WriteString("\n")
	if len(s.gb.Rows) == 0 {
		return head.String() + st.Text.Render(wrapText("No learners yet. Students appear here when they log in to `kaizen serve` on this data directory, or when you `kaizen class import` their progress files.", min(s.width, 80)))
	}

	// Fit columns: the name takes what is left; columns drop from the right when narrow.
	cols := s.columns(now)
	const gap = 2
	nameMin := 12
	used := func(cs []dashColumn) int {
		n := 2 + nameMin // cursor marker and the name
		for _, c := range cs {
			n += gap + c.width
		}
		return n
	}
	for len(cols) > 1 && used(cols) > s.width {
		cols = cols[:len(cols)-1]
	}
	nameW := s.width - used(cols) + nameMin
	nameW = min(nameW, 32)

	title := func(text string, w int, key classroom.SortKey) string {
		if key == s.sortBy {
			text += order
		}
		return padLeft(truncate(text, w), w)
	}
	var hdr strings.Builder
	nameTitle := "Name"
	if s.sortBy == classroom.SortName {
		nameTitle += order
	}
	hdr.WriteString("  " + padRight(nameTitle, nameW))
	for _, c := range cols {
		hdr.WriteString(strings.Repeat(" ", gap) + title(c.title, c.width, c.sort))
	}
	head.WriteString(st.Subtitle.Render(hdr.String()) + "\n")

	avail := max(s.height-lipgloss.Height(head.String())+1, 1)
	s.offset = listWindow(s.cursor, s.offset, avail, len(s.gb.Rows))
	end := min(s.offset+avail, len(s.gb.Rows))
	lines := make([]string, 0, end-s.offset)
	for i := s.offset; i < end; i++ {
		r := s.gb.Rows[i]
		var b strings.Builder
		b.WriteString(padRight(truncate(r.DisplayName(), nameW), nameW))
		for _, c := range cols {
			b.WriteString(strings.Repeat(" ", gap) + padLeft(truncate(c.cell(r), c.width), c.width))
		}
		if i == s.cursor {
			lines = append(lines, st.Cursor.Render("▸ ")+st.Selected.Render(b.String()))
		} else {
			lines = append(lines, "  "+st.Text.Render(b.String()))
		}
	}
	return head.String() + strings.Join(lines, "\n")
}

// padLeft right-aligns s in width cells.
func padLeft(s string, width int) string {
	w := lipgloss.Width(s)
	if w >= width {
		return s
	}
	return strings.Repeat(" ", width-w) + s
}
