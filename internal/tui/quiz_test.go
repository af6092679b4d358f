package tui

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kaizen-mlops/kaizen/internal/course"
)

// quizCourse adds a quiz and discussion prompts to the test course.
func quizCommon(t *testing.T) *Common {
	c, _ := quizCommonClock(t)
	return c
}

func quizCommonClock(t *testing.T) (*Common, *testClock) {
	c, clock := testCommonClock(t)
	fsys := fstest.MapFS{}
	// Rebuild the test course with a quiz: copy the fixture and add files.
	base := testCourseFS()
	for k, v := range base {
		fsys[k] = v
	}
	fsys["chapters/01-one/quiz.yaml"] = &fstest.MapFile{Data: []byte(`questions:
  - id: q-single
    type: single
    prompt: Which layer comes first?
    options:
      - {id: a, text: Platform automation}
      - {id: b, text: DevOps}
      - {id: c, text: DataOps}
    answer: b
    explanation: Everything rests on DevOps.
    lesson: l1#section-b
  - id: q-number
    type: numeric
    prompt: How many layers are there?
    answer: 4
    tolerance: 0
    explanation: Four layers.
    lesson: l1
`)}
	fsys["chapters/01-one/discussion.yaml"] = &fstest.MapFile{Data: []byte(`prompts:
  - id: d-one
    traits: [humility, fairmindedness]
    prompt: Why might fourteen models and no deployments be a problem?
    guidance: A strong answer questions what progress means.
`)}
	cat, probs := course.Load(fsys, "test")
	if len(probs) > 0 {
		t.Fatalf("fixture: %v", probs)
	}
	c.Catalog = cat
	return c, clock
}

func TestQuizRightWrongSummaryAndDueReview(t *testing.T) {
	c := quizCommon(t)
	h := newHarness(t, c, 80, 24)
	ch, _ := c.Catalog.Chapter("ch01")
	h.send(pushMsg{NewQuiz(c, ch)})
	q := h.m.top().(*QuizRun)
	if q.phase != phaseAsking {
		t.Fatalf("phase = %v", q.phase)
	}
	golden(t, "quiz_question_80x24", h.screen())
	// Pick the option whose id is b (DevOps), wherever the shuffle put it.
	for i, id := range q.widget.order {
		if id == "b" {
			h.key(string(rune('1' + i)))
		}
	}
	h.key("enter")
	if q.phase != phaseFeedback || !q.result.Correct {
		t.Fatalf("want correct feedback, got %v %+v", q.phase, q.result)
	}
	if !strings.Contains(h.screen(), "✓ Correct") {
		t.Fatal(h.screen())
	}
	h.key("enter")
	// A numeric answer: refuse text, then answer wrong.
	h.key("x", "enter")
	if q.phase != phaseAsking || !strings.Contains(h.screen(), "Type a number") {
		t.Fatalf("non-number should be refused:\n%s", h.screen())
	}
	h.key("backspace", "5", "enter")
	if q.phase != phaseFeedback || q.result.Correct {
		t.Fatalf("5 should be wrong: %+v", q.result)
	}
	golden(t, "quiz_feedback_80x24", h.screen())
	h.key("enter")
	if q.phase != phaseSummary || !strings.Contains(h.screen(), "1 of 2 right") {
		t.Fatalf("summary:\n%s", h.screen())
	}
	stats, _ := c.Store.QuizStatsByChapter(c.Ctx, c.Learner)
	if stats["ch01"].Answered != 2 || stats["ch01"].Correct != 1 || stats["ch01"].Attempts != 1 {
		t.Fatalf("stats = %+v", stats["ch01"])
	}
	// The wrong answer is due at once (Again); the right one is not.
	due, _ := c.Store.DueCards(c.Ctx, c.Learner, c.Now().Add(20*60e9), 0)
	if len(due) != 1 || due[0].QuestionID != "q-number" {
		t.Fatalf("due = %+v", due)
	}
	// Retake asks again from the first question.
	h.key("r")
	if q.phase != phaseAsking || q.idx != 0 {
		t.Fatalf("retake: %v %d", q.phase, q.idx)
	}
}

func TestReviewAsksDueCardsAndEmptyState(t *testing.T) {
	c, clock := quizCommonClock(t)
	h := newHarness(t, c, 80, 24)
	h.send(pushMsg{NewReview(c)})
	if !strings.Contains(h.screen(), "Nothing to review") {
		t.Fatalf("empty review:\n%s", h.screen())
	}
	h.key("esc")
	ch, _ := c.Catalog.Chapter("ch01")
	h.send(pushMsg{NewQuiz(c, ch)})
	q := h.m.top().(*QuizRun)
	for i, id := range q.widget.order {
		if id == "a" { // wrong
			h.key(string(rune('1' + i)))
		}
	}
	h.key("enter", "enter", "4", "enter", "enter", "esc")
	// Cards answered wrong are due a few minutes later (the first learning step).
	clock.advance(11 * time.Minute)
	h.send(refreshMsg{})
	if !strings.Contains(h.screen(), "Review: 1 card due") {
		t.Fatalf("home should show the due count:\n%s", h.screen())
	}
	h.key("down", "enter")
	r, ok := h.m.top().(*QuizRun)
	if !ok || !r.review || len(r.items) != 1 || r.items[0].q.ID != "q-single" {
		t.Fatalf("review screen: %T %+v", h.m.top(), r)
	}
}
