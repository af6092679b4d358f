package tui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/classroom"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// LearnerDetail is the instructor's drill-down into one learner: quiz accuracy by chapter,
// every exercise attempt with its check results, discussion answers and case endings.
type LearnerDetail struct {
	c       *Common
	row     classroom.Row
	course  classroom.Course
	keys    ReaderKeys
	refresh key.Binding
	vp      viewport.Model
	data    *learnerData
	err     error
	width   int
	height  int
}

var _ Screen = (*LearnerDetail)(nil)

type learnerData struct {
	journal   map[string]*store.JournalEntry
	attempts  []store.Attempt
	exercises map[string]store.ExerciseState
	cases     []store.CaseRun
}

type learnerDataMsg struct {
	learner int64
	data    *learnerData
	err     error
}

// NewLearnerDetail builds the drill-down for one gradebook row.
func NewLearnerDetail(c *Common, row classroom.Row, course classroom.Course) *LearnerDetail {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{}
	vp.MouseWheelEnabled = true
	return &LearnerDetail{c: c, row: row, course: course, keys: NewReaderKeys(), vp: vp,
		refresh: key.NewBinding(key.WithKeys("R", "ctrl+r"), key.WithHelp("R", "reload"))}
}

// Init loads the learner's work.
func (s *LearnerDetail) Init() tea.Cmd {
	c, id := s.c, s.row.LearnerID
	return func() tea.Msg {
		d := &learnerData{}
		var err error
		if d.journal, err = c.Store.Journal(c.Ctx, id); err != nil {
			return learnerDataMsg{learner: id, err: err}
		}
		if d.attempts, err = c.Store.Attempts(c.Ctx, id, ""); err != nil {
			return learnerDataMsg{learner: id, err: err}
		}
		if d.exercises, err = c.Store.Exercises(c.Ctx, id); err != nil {
			return learnerDataMsg{learner: id, err: err}
		}
		d.cases, err = c.Store.CaseRuns(c.Ctx, id, "")
		return learnerDataMsg{learner: id, data: d, err: err}
	}
}

// Title names the screen.
func (s *LearnerDetail) Title() string { return s.row.DisplayName() }

// Help lists the keys.
func (s *LearnerDetail) Help() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{{k.Down, k.Up, k.PageDown, k.PageUp}, {k.Top, k.Bottom, s.refresh}}
}

// SetSize sets the body size.
func (s *LearnerDetail) SetSize(w, h int) {
	s.width, s.height = w, h
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(h, 1))
	s.build()
}

// Update scrolls and takes loaded data.
func (s *LearnerDetail) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case learnerDataMsg:
		if msg.learner != s.row.LearnerID {
			return s, nil
		}
		s.data, s.err = msg.data, msg.err
		s.build()
	case stylesChangedMsg:
		s.build()
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case k.scroll(&s.vp, msg):
		case key.Matches(msg, s.refresh):
			return s, s.Init()
		}
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return s, cmd
	}
	return s, nil
}

// checkReport is the part of an exercise check report the drill-down shows.
type checkReport struct {
	Results []struct {
		Name      string  `json:"name"`
		Status    string  `json:"status"`
		Reason    string  `json:"reason"`
		Points    float64 `json:"points"`
		MaxPoints float64 `json:"max_points"`
	} `json:"results"`
	Isolation string `json:"isolation"`
}

// build renders the learner's record into the viewport (in Update, never in View).
func (s *LearnerDetail) build() {
	if s.width <= 0 {
		return
	}
	st := s.c.Styles
	w := min(s.width, 100)
	r := s.row
	var b strings.Builder
	line := func(text string) { b.WriteString(text + "\n") }
	section := func(title string) { line("\n" + st.Subtitle.Render(title)) }

	line(st.Title.Render(truncate(r.DisplayName(), w)))
	who := []string{}
	if r.StudentID != "" {
		who = append(who, "student "+r.StudentID)
	}
	who = append(who, r.Key)
	if r.LastSeen != nil {
		who = append(who, "last seen "+r.LastSeen.In(s.c.Now().Location()).Format("2006-01-02 15:04"))
	}
	line(st.Muted.Render(wrapText(strings.Join(who, " · "), w)))
	line(fmt.Sprintf("%s %d/%d   %s %d/%d   %s %d/%d   %s %d/%d",
		st.Muted.Render("lessons"), r.Lessons.Done, r.Lessons.Total,
		st.Muted.Render("exercises passed"), r.Exercises.Passed, r.Exercises.Total,
		st.Muted.Render("answers"), r.Discussion.Done, r.Discussion.Total,
		st.Muted.Render("endings"), r.Endings.Done, r.Endings.Total))

	section("Quizzes")
	if r.QuizAnswered == 0 {
		line(st.Muted.Render("No answers yet."))
	}
	titles := map[string]string{}
	for _, ch := range s.course.Chapters {
		titles[ch.ID] = ch.Title
	}
	for _, q := range r.Quiz {
		if q.Answered == 0 {
			continue
		}
		best := ""
		if q.Attempts > 0 {
			best = fmt.Sprintf(" · best attempt %s of %d", percent(q.BestScore), q.Attempts)
		}
		line(fmt.Sprintf("%3s %-28s %5s  %s", q.Number, truncate(titles[q.Chapter], 28), percent(q.Accuracy),
			st.Muted.Render(fmt.Sprintf("%d/%d answers right%s", q.Correct, q.Answered, best))))
	}

	if s.err != nil {
		section("Work")
		line(st.Bad.Render("cannot load: " + s.err.Error()))
	} else if s.data == nil {
		section("Work")
		line(st.Muted.Render("Loading…"))
	} else {
		s.buildWork(&b, w)
	}
	s.vp.SetContent(strings.TrimRight(b.String(), "\n"))
}

func (s *LearnerDetail) buildWork(b *strings.Builder, w int) {
	st := s.c.Styles
	d := s.data
	line := func(text string) { b.WriteString(text + "\n") }
	section := func(title string) { line("\n" + st.Subtitle.Render(title)) }

	section("Exercises")
	if len(d.exercises) == 0 {
		line(st.Muted.Render("None started."))
	}
	ids := make([]string, 0, len(d.exercises))
	for id := range d.exercises {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	byEx := map[string][]store.Attempt{}
	for _, a := range d.attempts {
		byEx[a.ExerciseID] = append(byEx[a.ExerciseID], a)
	}
	for _, id := range ids {
		e := d.exercises[id]
		mark := st.Muted.Render("○")
		if e.Passed {
			mark = st.Good.Render("✓")
		} else if e.Attempts > 0 {
			mark = st.Bad.Render("✗")
		}
		extra := fmt.Sprintf("%g/%g pts · %d attempt(s) · %d hint(s)", e.BestPoints, e.MaxPoints, e.Attempts, e.Hints)
		if e.GaveUp {
			extra += " · gave up"
		} else if e.Revealed {
			extra += " · saw the solution"
		}
		line(mark + " " + st.Text.Render(id) + "  " + st.Muted.Render(extra))
		for _, a := range byEx[id] {
			am := st.Bad.Render("✗")
			if a.Passed {
				am = st.Good.Render("✓")
			}
			line("    " + am + " " + st.Muted.Render(a.At.In(s.c.Now().Location()).Format("Jan 2 15:04")) + fmt.Sprintf("  %g/%g", a.Points, a.MaxPoints))
			var rep checkReport
			if json.Unmarshal(a.Report, &rep) == nil {
				for _, res := range rep.Results {
					rm := st.Good.Render("✓")
					switch res.Status {
					case "fail":
						rm = st.Bad.Render("✗")
					case "error":
						rm = st.Warn.Render("!")
					}
					text := res.Name
					if res.Reason != "" && res.Status != "pass" {
						text += ": " + res.Reason
					}
					line("        " + rm + " " + truncate(oneLineText(text), max(w-10, 10)))
				}
			}
		}
	}

	section("Discussion answers")
	pids := make([]string, 0, len(d.journal))
	for id, e := range d.journal {
		if len(e.Revisions) > 0 {
			pids = append(pids, id)
		}
	}
	sort.Slice(pids, func(i, j int) bool {
		a, b := d.journal[pids[i]], d.journal[pids[j]]
		if a.ChapterID != b.ChapterID {
			return a.ChapterID < b.ChapterID
		}
		return a.PromptID < b.PromptID
	})
	if len(pids) == 0 {
		line(st.Muted.Render("None saved."))
	}
	for _, id := range pids {
		e := d.journal[id]
		latest, _ := e.Latest()
		prompt := id
		if p, ok := s.c.Catalog.Prompt(id); ok {
			prompt = p.Prompt
		}
		line(st.Accent.Render(wrapText(oneLineText(prompt), w)))
		meta := fmt.Sprintf("revision %d · %s", latest.Rev, latest.SavedAt.In(s.c.Now().Location()).Format("Jan 2 15:04"))
		if len(latest.Ratings) > 0 {
			traits := make([]string, 0, len(latest.Ratings))
			for t, v := range latest.Ratings {
				traits = append(traits, fmt.Sprintf("%s %d/4", t, v))
			}
			sort.Strings(traits)
			meta += " · self-rated " + strings.Join(traits, ", ")
		}
		line(st.Muted.Render(wrapText(meta, w)))
		line(st.Text.Render(wrapText(latest.Body, w)))
		if latest.Note != "" {
			line(st.Muted.Render(wrapText("to improve: "+latest.Note, w)))
		}
		line("")
	}

	section("Case studies")
	if len(d.cases) == 0 {
		line(st.Muted.Render("No runs."))
	}
	endings := map[string]map[string]int{}
	for _, run := range d.cases {
		if endings[run.CaseID] == nil {
			endings[run.CaseID] = map[string]int{}
		}
		endings[run.CaseID][run.Data.Ending]++
	}
	for _, cs := range s.course.Cases {
		found := endings[cs.ID]
		if len(found) == 0 {
			continue
		}
		names := make([]string, 0, len(found))
		for e, n := range found {
			names = append(names, fmt.Sprintf("%s ×%d", e, n))
		}
		sort.Strings(names)
		line(fmt.Sprintf("%s  %s", st.Text.Render(cs.Title), st.Muted.Render(fmt.Sprintf("%d/%d endings: %s", len(found), cs.Endings, strings.Join(names, ", ")))))
	}
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// View draws the record.
func (s *LearnerDetail) View() string { return s.vp.View() }
