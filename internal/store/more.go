package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kaizen-mlops/kaizen/quiz"
)

// Event kinds beyond lessons.
const (
	KindQuizAnswered     = "quiz.answered"
	KindQuizFinished     = "quiz.finished"
	KindJournalSaved     = "journal.saved"
	KindJournalRated     = "journal.rated"
	KindJournalPortfolio = "journal.portfolio"
	KindExerciseStarted  = "exercise.started"
	KindExerciseChecked  = "exercise.checked"
	KindExerciseHint     = "exercise.hint"
	KindExerciseReset    = "exercise.reset"
	KindExerciseSolution = "exercise.solution"
	KindCaseFinished     = "case.finished"
	KindPortfolioLink    = "portfolio.link"
)

// AnswerData is the data of a quiz.answered event.
type AnswerData struct {
	ChapterID  string          `json:"chapter"`
	Answer     json.RawMessage `json:"answer,omitempty"`
	Correct    bool            `json:"correct"`
	Score      float64         `json:"score"`
	Confidence string          `json:"confidence,omitempty"` // "sure", "unsure" or ""
	Seconds    float64         `json:"seconds"`
	Source     string          `json:"source"` // "quiz" or "review"
}

// applyMore applies event kinds added after the foundation. Unknown kinds (from a newer
// kaizen, merged in by import) are kept in the log but change no state.
func applyMore(ctx context.Context, tx *sql.Tx, learner int64, ev Event) error {
	at := ev.At.UnixMilli()
	switch ev.Kind {
	case KindQuizAnswered:
		var d AnswerData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return fmt.Errorf("%s data: %w", ev.Kind, err)
		}
		if d.Source == "" {
			d.Source = "quiz"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO quiz_answers(learner_id, event_uid, question_id, chapter_id, at, correct, score, confidence, seconds, source)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, learner, ev.UID, ev.Subject, d.ChapterID, at, d.Correct, d.Score, d.Confidence, d.Seconds, d.Source); err != nil {
			return err
		}
		return scheduleCard(ctx, tx, learner, ev.Subject, d.ChapterID, quiz.RatingFor(d.Correct, d.Confidence == "unsure"), ev.At)
	case KindQuizFinished:
		var d struct {
			Correct int     `json:"correct"`
			Total   int     `json:"total"`
			Score   float64 `json:"score"`
		}
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO quiz_results(learner_id, event_uid, chapter_id, at, correct, total, score) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			learner, ev.UID, ev.Subject, at, d.Correct, d.Total, d.Score)
		return err
	case KindJournalSaved:
		var d struct {
			ChapterID string `json:"chapter"`
			Body      string `json:"body"`
		}
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		var rev int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(rev), 0) + 1 FROM journal_revisions WHERE learner_id = ? AND prompt_id = ?`, learner, ev.Subject).Scan(&rev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO journal_revisions(learner_id, prompt_id, rev, event_uid, body, saved_at) VALUES(?, ?, ?, ?, ?, ?)`,
			learner, ev.Subject, rev, ev.UID, d.Body, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO journal(learner_id, prompt_id, chapter_id, revisions, updated_at) VALUES(?, ?, ?, 1, ?)
			ON CONFLICT(learner_id, prompt_id) DO UPDATE SET revisions = revisions + 1, updated_at = max(updated_at, excluded.updated_at)`,
			learner, ev.Subject, d.ChapterID, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM journal_drafts WHERE learner_id = ? AND prompt_id = ? AND updated_at <= ?`, learner, ev.Subject, at)
		return err
	case KindJournalRated:
		var d struct {
			Rev     int            `json:"rev"`
			Ratings map[string]int `json:"ratings"`
			Note    string         `json:"note"`
		}
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		ratings, _ := json.Marshal(d.Ratings)
		_, err := tx.ExecContext(ctx, `UPDATE journal_revisions SET ratings = ?, note = ? WHERE learner_id = ? AND prompt_id = ? AND rev = ?`,
			string(ratings), d.Note, learner, ev.Subject, d.Rev)
		return err
	case KindJournalPortfolio:
		var d struct {
			Include bool `json:"include"`
		}
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE journal SET portfolio = ? WHERE learner_id = ? AND prompt_id = ?`, d.Include, learner, ev.Subject)
		return err
	}
	return applyExercisesAndCases(ctx, tx, learner, ev)
}

// reviewScheduler is FSRS-6 with its default parameters and 0.9 retention, and one
// learning step of 10 minutes instead of Anki's two (1m, 10m): a question answered in a quiz
// has just been retrieved once, so a right answer goes straight to a review interval of
// days, while a wrong one comes back in 10 minutes (an unsure right one in 15).
func reviewScheduler() quiz.Scheduler {
	s := quiz.NewScheduler()
	s.LearningSteps = []time.Duration{10 * time.Minute}
	return s
}

// scheduleCard moves a question's review card with one rating.
func scheduleCard(ctx context.Context, tx *sql.Tx, learner int64, questionID, chapterID string, rating quiz.Rating, at time.Time) error {
	var raw string
	card := quiz.Card{}
	err := tx.QueryRowContext(ctx, `SELECT state FROM cards WHERE learner_id = ? AND question_id = ?`, learner, questionID).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal([]byte(raw), &card); err != nil {
			return fmt.Errorf("card %s: %w", questionID, err)
		}
	}
	next, _ := reviewScheduler().Schedule(card, rating, at)
	b, err := json.Marshal(next)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO cards(learner_id, question_id, chapter_id, state, due) VALUES(?, ?, ?, ?, ?)
		ON CONFLICT(learner_id, question_id) DO UPDATE SET state = excluded.state, due = excluded.due`,
		learner, questionID, chapterID, string(b), next.Due.UnixMilli())
	return err
}

// RecordAnswer stores a quiz or review answer and updates its review card, in one
// transaction.
func (s *Store) RecordAnswer(ctx context.Context, learner int64, questionID string, d AnswerData) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindQuizAnswered, questionID, d)
		return err
	})
}

// FinishQuiz records a finished quiz attempt.
func (s *Store) FinishQuiz(ctx context.Context, learner int64, chapterID string, correct, total int, score float64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindQuizFinished, chapterID, map[string]any{"correct": correct, "total": total, "score": score})
		return err
	})
}

// DueCard is a review card with its question.
type DueCard struct {
	QuestionID string
	ChapterID  string
	Card       quiz.Card
}

// DueCards lists cards due at now, most overdue first (limit 0: all).
func (s *Store) DueCards(ctx context.Context, learner int64, now time.Time, limit int) ([]DueCard, error) {
	q := `SELECT question_id, chapter_id, state FROM cards WHERE learner_id = ? AND due <= ? ORDER BY due, question_id`
	args := []any{learner, now.UnixMilli()}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	return s.cards(ctx, q, args...)
}

// Cards lists every card of a learner.
func (s *Store) Cards(ctx context.Context, learner int64) ([]DueCard, error) {
	return s.cards(ctx, `SELECT question_id, chapter_id, state FROM cards WHERE learner_id = ? ORDER BY due, question_id`, learner)
}

func (s *Store) cards(ctx context.Context, q string, args ...any) ([]DueCard, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DueCard
	for rows.Next() {
		var c DueCard
		var raw string
		if err := rows.Scan(&c.QuestionID, &c.ChapterID, &raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &c.Card); err != nil {
			return nil, fmt.Errorf("card %s: %w", c.QuestionID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DueCount counts cards due at now.
func (s *Store) DueCount(ctx context.Context, learner int64, now time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cards WHERE learner_id = ? AND due <= ?`, learner, now.UnixMilli()).Scan(&n)
	return n, err
}

// QuizStats summarises a learner's answers in one chapter.
type QuizStats struct {
	ChapterID string  `json:"chapter"`
	Answered  int     `json:"answered"`
	Correct   int     `json:"correct"`
	Attempts  int     `json:"attempts"`
	BestScore float64 `json:"best_score"` // fraction 0..1 of the best finished attempt
	LastScore float64 `json:"last_score"`
	Questions int     `json:"questions_seen"` // distinct questions answered
}

// QuizStatsByChapter returns answer statistics per chapter.
func (s *Store) QuizStatsByChapter(ctx context.Context, learner int64) (map[string]QuizStats, error) {
	out := map[string]QuizStats{}
	rows, err := s.db.QueryContext(ctx, `SELECT chapter_id, count(*), coalesce(sum(correct), 0), count(DISTINCT question_id) FROM quiz_answers WHERE learner_id = ? GROUP BY chapter_id`, learner)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var st QuizStats
		if err := rows.Scan(&st.ChapterID, &st.Answered, &st.Correct, &st.Questions); err != nil {
			rows.Close()
			return nil, err
		}
		out[st.ChapterID] = st
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT chapter_id, count(*), max(CAST(correct AS REAL) / max(total, 1)),
		(SELECT CAST(r2.correct AS REAL) / max(r2.total, 1) FROM quiz_results r2 WHERE r2.learner_id = r.learner_id AND r2.chapter_id = r.chapter_id ORDER BY r2.at DESC LIMIT 1)
		FROM quiz_results r WHERE learner_id = ? GROUP BY chapter_id`, learner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ch string
		var attempts int
		var best, last float64
		if err := rows.Scan(&ch, &attempts, &best, &last); err != nil {
			return nil, err
		}
		st := out[ch]
		st.ChapterID, st.Attempts, st.BestScore, st.LastScore = ch, attempts, best, last
		out[ch] = st
	}
	return out, rows.Err()
}

// Answer is one stored answer (for charts and reports).
type Answer struct {
	QuestionID string
	ChapterID  string
	At         time.Time
	Correct    bool
	Score      float64
	Confidence string
	Source     string
}

// Answers lists a learner's answers in time order.
func (s *Store) Answers(ctx context.Context, learner int64) ([]Answer, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT question_id, chapter_id, at, correct, score, confidence, source FROM quiz_answers WHERE learner_id = ? ORDER BY at, id`, learner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		var at int64
		if err := rows.Scan(&a.QuestionID, &a.ChapterID, &at, &a.Correct, &a.Score, &a.Confidence, &a.Source); err != nil {
			return nil, err
		}
		a.At = time.UnixMilli(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
