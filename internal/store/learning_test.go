package store

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
)

// clock is a settable clock for store tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openClock(t *testing.T) (*Store, int64, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), Options{CourseID: "c", CourseVersion: "1", Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	l, err := s.EnsureLearner(context.Background(), LocalLearnerKey, "")
	if err != nil {
		t.Fatal(err)
	}
	return s, l.ID, clk
}

func TestAnswersScheduleCardsInTheSameTransaction(t *testing.T) {
	ctx := context.Background()
	s, l, clk := openClock(t)
	cases := []struct {
		q       string
		correct bool
		conf    string
		dueIn   time.Duration // at most
		dueMin  time.Duration // at least
	}{
		{"wrong", false, "sure", 10 * time.Minute, 10 * time.Minute},
		{"unsure", true, "unsure", 15 * time.Minute, 15 * time.Minute},
		{"right", true, "sure", 5 * 24 * time.Hour, 24 * time.Hour},
	}
	for _, tc := range cases {
		if err := s.RecordAnswer(ctx, l, tc.q, AnswerData{ChapterID: "ch01", Correct: tc.correct, Confidence: tc.conf, Source: "quiz"}); err != nil {
			t.Fatal(err)
		}
	}
	cards, err := s.Cards(ctx, l)
	if err != nil || len(cards) != 3 {
		t.Fatalf("cards = %v %v", cards, err)
	}
	for _, tc := range cases {
		for _, c := range cards {
			if c.QuestionID != tc.q {
				continue
			}
			in := c.Card.Due.Sub(clk.t)
			if in < tc.dueMin || in > tc.dueIn {
				t.Errorf("%s: due in %v, want %v..%v", tc.q, in, tc.dueMin, tc.dueIn)
			}
		}
	}
	if n, _ := s.DueCount(ctx, l, clk.t.Add(11*time.Minute)); n != 1 {
		t.Fatalf("due after 11 minutes = %d, want 1", n)
	}
	// A right answer in review moves the wrong card on.
	clk.t = clk.t.Add(11 * time.Minute)
	if err := s.RecordAnswer(ctx, l, "wrong", AnswerData{ChapterID: "ch01", Correct: true, Source: "review"}); err != nil {
		t.Fatal(err)
	}
	due, _ := s.DueCards(ctx, l, clk.t.Add(time.Hour), 0)
	for _, d := range due {
		if d.QuestionID == "wrong" {
			t.Fatalf("the reviewed card is still due within the hour: %+v", d.Card)
		}
	}
	stats, _ := s.QuizStatsByChapter(ctx, l)
	if st := stats["ch01"]; st.Answered != 4 || st.Correct != 3 || st.Questions != 3 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestJournalRevisionsDraftsRatingsAndPortfolio(t *testing.T) {
	ctx := context.Background()
	s, l, clk := openClock(t)
	if err := s.SaveDraft(ctx, l, "p1", "first try"); err != nil {
		t.Fatal(err)
	}
	j, _ := s.Journal(ctx, l)
	if j["p1"].Status != "draft" || j["p1"].Draft != "first try" {
		t.Fatalf("draft entry = %+v", j["p1"])
	}
	clk.t = clk.t.Add(time.Minute)
	rev, err := s.SaveAnswer(ctx, l, "ch01", "p1", "answer one")
	if err != nil || rev != 1 {
		t.Fatalf("rev %d %v", rev, err)
	}
	if err := s.RateAnswer(ctx, l, "p1", 1, map[string]int{"humility": 3}, "more evidence"); err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.Add(time.Minute)
	if rev, _ := s.SaveAnswer(ctx, l, "ch01", "p1", "answer two"); rev != 2 {
		t.Fatalf("second rev = %d", rev)
	}
	if err := s.SetJournalPortfolio(ctx, l, "p1", true); err != nil {
		t.Fatal(err)
	}
	j, _ = s.Journal(ctx, l)
	e := j["p1"]
	if e.Status != "answered" || e.Draft != "" || !e.Portfolio || len(e.Revisions) != 2 {
		t.Fatalf("entry = %+v", e)
	}
	if r := e.Revisions[0]; r.Body != "answer one" || r.Ratings["humility"] != 3 || r.Note != "more evidence" {
		t.Fatalf("revision 1 = %+v", r)
	}
	if latest, _ := e.Latest(); latest.Body != "answer two" {
		t.Fatalf("latest = %+v", latest)
	}
}

func TestExerciseAndCaseRunProjections(t *testing.T) {
	ctx := context.Background()
	s, l, _ := openClock(t)
	rep, _ := json.Marshal(map[string]any{"passed": false})
	steps := []func() error{
		func() error {
			return s.RecordExercise(ctx, l, KindExerciseStarted, "ex1", map[string]string{"chapter": "ch01"})
		},
		func() error {
			return s.RecordCheck(ctx, l, "ex1", ExerciseCheckData{ChapterID: "ch01", Points: 3, MaxPoints: 9, Report: rep})
		},
		func() error {
			return s.RecordExercise(ctx, l, KindExerciseHint, "ex1", map[string]any{"chapter": "ch01", "rung": 1})
		},
		func() error {
			return s.RecordCheck(ctx, l, "ex1", ExerciseCheckData{ChapterID: "ch01", Passed: true, Points: 9, MaxPoints: 9})
		},
		func() error {
			return s.RecordCheck(ctx, l, "ex1", ExerciseCheckData{ChapterID: "ch01", Points: 5, MaxPoints: 9})
		},
		func() error {
			return s.RecordExercise(ctx, l, KindExerciseSolution, "ex1", map[string]any{"chapter": "ch01", "gave_up": false})
		},
		func() error {
			return s.RecordCaseRun(ctx, l, "fanvoy", CaseRunData{Choices: []string{"B", "C"}, Ending: "acqui", Gauges: map[string]float64{"runway": 3}})
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	ex, _ := s.Exercises(ctx, l)
	e := ex["ex1"]
	if !e.Passed || e.Attempts != 3 || e.BestPoints != 9 || e.Hints != 1 || !e.Revealed || e.GaveUp || !e.Started {
		t.Fatalf("exercise state = %+v", e)
	}
	atts, _ := s.Attempts(ctx, l, "ex1")
	if len(atts) != 3 || atts[1].Passed != true {
		t.Fatalf("attempts = %+v", atts)
	}
	runs, _ := s.CaseRuns(ctx, l, "fanvoy")
	if len(runs) != 1 || runs[0].Data.Ending != "acqui" || runs[0].Data.Gauges["runway"] != 3 {
		t.Fatalf("runs = %+v", runs)
	}
}
