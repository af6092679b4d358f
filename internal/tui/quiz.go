package tui

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
	"github.com/kaizen-mlops/kaizen/quiz"
)

// quizPhase is where a quiz run is.
type quizPhase int

const (
	phaseLoading quizPhase = iota
	phaseAsking
	phaseFeedback
	phaseSummary
	phaseEmpty
)

func (p quizPhase) String() string {
	return [...]string{"loading", "asking", "feedback", "summary", "empty"}[p]
}

// quizItem is one question to ask, with the chapter it belongs to.
type quizItem struct {
	q         *quiz.Question
	chapterID string
}

// QuizRun asks questions one at a time with immediate feedback: a chapter's quiz, or the
// spaced review of due cards across chapters.
type QuizRun struct {
	c       *Common
	chapter *lessons.Chapter // nil for a review
	review  bool
	keys    QuestionKeys
	next    key.Binding
	retake  key.Binding
	scrollU key.Binding
	scrollD key.Binding
	leave   key.Binding

	items   []quizItem
	idx     int
	seed    int64
	widget  *answerWidget
	result  *quiz.Result
	shownAt time.Time
	phase   quizPhase
	correct int
	missed  []quizItem
	err     error
	backlog int     // due cards beyond this review session
	waiting *dueMsg // due cards that arrived before the catalog's questions

	vp     viewport.Model
	width  int
	height int
}

var _ Screen = (*QuizRun)(nil)

// NewQuiz starts a chapter's quiz.
func NewQuiz(c *Common, ch *lessons.Chapter) *QuizRun {
	s := newQuizRun(c)
	s.chapter = ch
	if qz := c.Catalog.Quiz(ch.ID); qz != nil {
		for _, q := range qz.Questions {
			s.items = append(s.items, quizItem{q, ch.ID})
		}
	}
	s.start()
	return s
}

// NewReview starts a review of the cards due now.
func NewReview(c *Common) *QuizRun {
	s := newQuizRun(c)
	s.review = true
	s.phase = phaseLoading
	return s
}

func newQuizRun(c *Common) *QuizRun {
	s := &QuizRun{c: c, keys: NewQuestionKeys()}
	s.next = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next"))
	s.retake = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retake"))
	s.scrollU = key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up"))
	s.scrollD = key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down"))
	s.leave = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the quiz"))
	s.vp = viewport.New()
	s.vp.KeyMap = viewport.KeyMap{}
	return s
}

// start begins an attempt: a fresh shuffle seed and the first question.
func (s *QuizRun) start() {
	s.seed = s.c.Now().UnixNano()
	s.idx, s.correct, s.missed = 0, 0, nil
	if len(s.items) == 0 {
		s.phase = phaseEmpty
		return
	}
	s.ask()
}

func (s *QuizRun) ask() {
	it := s.items[s.idx]
	s.widget = newAnswerWidget(it.q, s.seed+int64(s.idx))
	s.widget.setWidth(s.width)
	s.result = nil
	s.phase = phaseAsking
	s.shownAt = s.c.Now()
	s.vp.GotoTop()
}

// reviewBatch is how many due cards one review session asks, most overdue first; the rest
// wait for the next session (a large backlog stays quick to open and less daunting).
const reviewBatch = 50

// dueMsg carries the due cards for a review.
type dueMsg struct {
	cards []store.DueCard
	total int // all cards due, of which cards is the first batch
	err   error
}

// Init loads due cards for a review.
func (s *QuizRun) Init() tea.Cmd {
	if !s.review {
		return nil
	}
	c := s.c
	return func() tea.Msg {
		if c.Store == nil {
			return dueMsg{}
		}
		cards, err := c.Store.DueCards(c.Ctx, c.Learner, c.Now(), reviewBatch)
		if err != nil {
			return dueMsg{err: err}
		}
		total, err := c.Store.DueCount(c.Ctx, c.Learner, c.Now())
		return dueMsg{cards: cards, total: total, err: err}
	}
}

// Title names the screen.
func (s *QuizRun) Title() string {
	if s.review {
		return "Review"
	}
	return "Quiz · " + s.chapter.Label()
}

// Capturing is true while a text answer is being typed.
func (s *QuizRun) Capturing() bool {
	return s.phase == phaseAsking && s.widget != nil && s.widget.typing()
}

// Help lists the keys for the current phase.
func (s *QuizRun) Help() [][]key.Binding {
	k := s.keys
	switch s.phase {
	case phaseAsking:
		if s.widget.typing() {
			return [][]key.Binding{{k.Submit, k.Confidence, s.leave}, {s.scrollU, s.scrollD}}
		}
		if s.widget.q.Type == quiz.Order {
			return [][]key.Binding{{k.MoveDown, k.MoveUp, k.Submit, k.Confidence}, {k.Up, k.Down, s.scrollU, s.scrollD}}
		}
		return [][]key.Binding{{k.Toggle, k.Submit, k.Confidence}, {k.Up, k.Down, s.scrollU, s.scrollD}}
	case phaseFeedback:
		return [][]key.Binding{{s.next, k.Lesson}, {s.scrollU, s.scrollD}}
	case phaseSummary:
		return [][]key.Binding{{s.retake}}
	}
	return [][]key.Binding{{}}
}

// SetSize sets the body size.
func (s *QuizRun) SetSize(w, h int) {
	s.width, s.height = w, h
	s.vp.SetWidth(w)
	s.vp.SetHeight(max(h, 1))
	if s.widget != nil {
		s.widget.setWidth(w)
	}
}

// Update handles answers and navigation.
func (s *QuizRun) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case catalogChangedMsg:
		if s.waiting != nil {
			due := *s.waiting
			s.waiting = nil
			return s.Update(due)
		}
	case dueMsg:
		if msg.err != nil {
			s.err = msg.err
			s.phase = phaseEmpty
			return s, nil
		}
		if !s.c.Catalog.Completed() {
			// The questions arrive with the completed catalog, a moment after start-up.
			s.waiting = &msg
			return s, nil
		}
		for _, dc := range msg.cards {
			if q, ch, ok := s.c.Catalog.Question(dc.QuestionID); ok {
				s.items = append(s.items, quizItem{q, ch})
			}
		}
		s.items = quiz.Interleave(s.items, func(it quizItem) string { return it.chapterID })
		s.backlog = max(msg.total-len(msg.cards), 0)
		s.start()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.scrollU):
			s.vp.PageUp()
			return s, nil
		case key.Matches(msg, s.scrollD):
			s.vp.PageDown()
			return s, nil
		}
		if msg.String() == "esc" && s.Capturing() {
			// Typing an answer: esc still leaves the quiz (root passes it here).
			return s, s.c.pop()
		}
		switch s.phase {
		case phaseAsking:
			submit, cmd := s.widget.update(msg, s.keys)
			if submit {
				return s, s.submit()
			}
			return s, cmd
		case phaseFeedback:
			switch {
			case key.Matches(msg, s.next):
				s.idx++
				if s.idx >= len(s.items) {
					s.phase = phaseSummary
					s.vp.GotoTop()
					return s, s.finish()
				}
				s.ask()
			case key.Matches(msg, s.keys.Lesson):
				it := s.items[s.idx]
				if l, ok := s.c.Catalog.Lesson(it.q.LessonID); ok {
					return s, s.c.push(NewLessonAt(s.c, l, it.q.Section))
				}
			}
		case phaseSummary:
			if key.Matches(msg, s.retake) {
				if s.review {
					// A retake of a review asks what was missed this time.
					s.items = append([]quizItem(nil), s.missed...)
				}
				s.start()
			}
		}
	}
	return s, nil
}

func (s *QuizRun) submit() tea.Cmd {
	it := s.items[s.idx]
	resp, ok := s.widget.response()
	if !ok {
		return nil
	}
	res := quiz.Grade(it.q, resp)
	s.result = &res
	s.phase = phaseFeedback
	if res.Correct {
		s.correct++
	} else {
		s.missed = append(s.missed, it)
	}
	confidence := "sure"
	if s.widget.unsure {
		confidence = "unsure"
	}
	source := "quiz"
	if s.review {
		source = "review"
	}
	answer, _ := json.Marshal(s.widget.answerText(resp))
	data := store.AnswerData{
		ChapterID: it.chapterID, Answer: answer, Correct: res.Correct, Score: res.Score,
		Confidence: confidence, Seconds: s.c.Now().Sub(s.shownAt).Seconds(), Source: source,
	}
	c, qid := s.c, it.q.ID
	return saveCmd(c, "answer", func(st *store.Store) error { return st.RecordAnswer(c.Ctx, c.Learner, qid, data) })
}

func (s *QuizRun) finish() tea.Cmd {
	if s.review || s.chapter == nil {
		return nil
	}
	c, ch, correct, total := s.c, s.chapter.ID, s.correct, len(s.items)
	return saveCmd(c, "quiz result", func(st *store.Store) error {
		return st.FinishQuiz(c.Ctx, c.Learner, ch, correct, total, float64(correct)/float64(max(total, 1)))
	})
}

// View draws the current phase.
func (s *QuizRun) View() string {
	st := s.c.Styles
	w := min(s.width, 100)
	var b strings.Builder
	switch s.phase {
	case phaseLoading:
		return st.Muted.Render("Loading the cards due for review …")
	case phaseEmpty:
		switch {
		case s.err != nil:
			return st.Bad.Render("Could not load: " + s.err.Error())
		case s.review:
			return st.Title.Render("Nothing to review right now.") + "\n\n" + st.Muted.Render(wrapText("Questions you answer in chapter quizzes come back here when they are due, sooner for the ones you missed.", w))
		default:
			return st.SoonLabel.Render("This chapter's quiz is coming soon.")
		}
	case phaseSummary:
		return s.summaryView(w)
	}
	it := s.items[s.idx]
	head := fmt.Sprintf("Question %d of %d", s.idx+1, len(s.items))
	if s.review {
		if ch, ok := s.c.Catalog.Chapter(it.chapterID); ok {
			head += " · " + ch.Label()
		}
		if s.backlog > 0 {
			head += fmt.Sprintf(" · %d more due after this session", s.backlog)
		}
	}
	b.WriteString(st.Subtitle.Render(head) + st.Muted.Render("  "+string(it.q.Type)) + "\n\n")
	b.WriteString(st.Title.Render(wrapText(plainMarkdown(it.q.Prompt), w)) + "\n")
	if s.phase == phaseAsking {
		b.WriteString(st.Muted.Render(questionHint(it.q.Type)) + "\n\n")
	} else {
		b.WriteString("\n")
	}
	b.WriteString(s.widget.view(st, w, s.result))
	if s.phase == phaseFeedback {
		b.WriteString("\n" + s.feedbackView(it, w))
	}
	s.vp.SetContent(b.String())
	if s.phase == phaseFeedback && s.vp.TotalLineCount() > s.vp.Height() && s.vp.YOffset() == 0 {
		// Bring the verdict into view; the question is above it.
		s.vp.SetYOffset(max(s.vp.TotalLineCount()-s.vp.Height(), 0))
	}
	return s.vp.View()
}

func (s *QuizRun) feedbackView(it quizItem, w int) string {
	st := s.c.Styles
	res := s.result
	var b strings.Builder
	if res.Correct {
		b.WriteString(st.Good.Render("✓ Correct.") + "\n")
	} else {
		verdict := "✗ Not quite."
		if res.Score > 0 {
			verdict = fmt.Sprintf("✗ Partly right (%s).", percent(res.Score))
		}
		b.WriteString(st.Bad.Render(verdict) + " " + st.Text.Render("The answer: ") + st.Title.Render(wrapText(res.Answer, w-14)) + "\n")
	}
	b.WriteString("\n" + st.Text.Render(wrapText(plainMarkdown(res.Explanation), w)) + "\n")
	if l, ok := s.c.Catalog.Lesson(it.q.LessonID); ok {
		where := l.Title
		for _, h := range l.Headings {
			if h.Slug == it.q.Section {
				where += " › " + h.Text
			}
		}
		b.WriteString("\n" + st.Muted.Render("Read more: ") + st.Accent.Render(truncate(where, w-20)) + st.Muted.Render("  (L)") + "\n")
	}
	more := "enter for the next question"
	if s.idx == len(s.items)-1 {
		more = "enter to see your score"
	}
	b.WriteString("\n" + st.Muted.Render(more))
	return b.String()
}

func (s *QuizRun) summaryView(w int) string {
	st := s.c.Styles
	var b strings.Builder
	total := len(s.items)
	title := "Quiz complete"
	if s.review {
		title = "Review complete"
	}
	b.WriteString(st.Title.Render(title) + "\n\n")
	b.WriteString(fmt.Sprintf("%s %d of %d right (%s)\n\n", bar(st, s.correct, total, 20), s.correct, total, percent(float64(s.correct)/float64(max(total, 1)))))
	if len(s.missed) == 0 {
		b.WriteString(st.Good.Render("✓ Everything right.") + " " + st.Muted.Render("These questions will still come back for review, spaced further apart.") + "\n")
	} else {
		b.WriteString(st.Text.Render("To review (they come back sooner in Review):") + "\n")
		for _, it := range s.missed {
			b.WriteString(st.Bad.Render("  ✗ ") + st.Text.Render(truncate(plainMarkdown(firstLine(it.q.Prompt)), w-4)) + "\n")
		}
	}
	b.WriteString("\n" + st.Muted.Render("r retake · esc back"))
	s.vp.SetContent(b.String())
	return s.vp.View()
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// plainMarkdown turns short Markdown (prompts, explanations) into readable plain text:
// emphasis markers dropped, code kept in backticks, paragraphs kept.
func plainMarkdown(md string) string {
	r := strings.NewReplacer("**", "", "__", "")
	return strings.TrimSpace(r.Replace(md))
}
