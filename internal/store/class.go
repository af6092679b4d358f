package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kaizen-mlops/kaizen/classroom"
)

// KindSessionOpened records that a learner logged in to a class server. It changes no
// state; it makes "last seen" true for a learner who has not done anything yet.
const KindSessionOpened = "session.opened"

// SetPool bounds the connections the store keeps open. A class server shares one store
// between hundreds of sessions: SQLite takes one writer at a time anyway, and every
// connection holds its own page cache, so a small pool keeps memory flat.
func (s *Store) SetPool(maxOpen int) {
	if s.path == ":memory:" || maxOpen < 1 {
		return
	}
	s.db.SetMaxOpenConns(maxOpen)
	s.db.SetMaxIdleConns(maxOpen)
}

// SetLearnerProfile sets a learner's display name and student id.
func (s *Store) SetLearnerProfile(ctx context.Context, learner int64, name, studentID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE learners SET name = ?, student_id = ? WHERE id = ?`, name, studentID, learner)
		if err != nil {
			return fmt.Errorf("set learner profile: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: id %d", ErrNoLearner, learner)
		}
		return nil
	})
}

// LearnerByID looks a learner up by id.
func (s *Store) LearnerByID(ctx context.Context, id int64) (Learner, error) {
	var l Learner
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT id, key, name, student_id, created_at FROM learners WHERE id = ?`, id).
		Scan(&l.ID, &l.Key, &l.Name, &l.StudentID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("%w: id %d", ErrNoLearner, id)
	}
	l.CreatedAt = time.UnixMilli(created)
	return l, err
}

// RecordSession records a class-server login (how: "ssh").
func (s *Store) RecordSession(ctx context.Context, learner int64, via string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindSessionOpened, via, nil)
		return err
	})
}

// ClassRecords summarises every learner of the database for the gradebook, in a handful of
// grouped queries (cheap enough to poll every few seconds for a class of hundreds). The
// "local" learner of a personal install is left out unless it has done something.
func (s *Store) ClassRecords(ctx context.Context) ([]classroom.Record, error) {
	// One read transaction: every query sees the same snapshot while sessions write.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	recs := map[int64]*classroom.Record{}
	var order []int64
	rows, err := tx.QueryContext(ctx, `SELECT l.id, l.key, l.name, l.student_id, coalesce(e.n, 0), coalesce(e.first, 0), coalesce(e.last, 0)
		FROM learners l LEFT JOIN (SELECT learner_id, count(*) AS n, min(at) AS first, max(at) AS last FROM events GROUP BY learner_id) e ON e.learner_id = l.id
		ORDER BY l.id`)
	if err != nil {
		return nil, fmt.Errorf("class learners: %w", err)
	}
	for rows.Next() {
		r := &classroom.Record{Quiz: map[string]classroom.QuizTally{}, Exercises: map[string]classroom.ExerciseTally{}, Answers: map[string]int{}, Endings: map[string][]string{}}
		var first, last int64
		if err := rows.Scan(&r.LearnerID, &r.Key, &r.Name, &r.StudentID, &r.Events, &first, &last); err != nil {
			rows.Close()
			return nil, err
		}
		if r.Key == LocalLearnerKey && r.Events == 0 {
			continue
		}
		if first > 0 {
			r.FirstSeen, r.LastSeen = time.UnixMilli(first), time.UnixMilli(last)
		}
		recs[r.LearnerID] = r
		order = append(order, r.LearnerID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Finished lessons.
	if err := s.scanEach(ctx, tx, `SELECT learner_id, lesson_id FROM lesson_progress WHERE finished_at IS NOT NULL ORDER BY learner_id, finished_at`,
		recs, func(rows *sql.Rows, learner func(int64) *classroom.Record) error {
			var id int64
			var lesson string
			if err := rows.Scan(&id, &lesson); err != nil {
				return err
			}
			r := learner(id)
			r.Lessons = append(r.Lessons, lesson)
			return nil
		}); err != nil {
		return nil, fmt.Errorf("class lessons: %w", err)
	}
	// Quiz answers per chapter.
	if err := s.scanEach(ctx, tx, `SELECT learner_id, chapter_id, count(*), coalesce(sum(correct), 0) FROM quiz_answers GROUP BY learner_id, chapter_id`,
		recs, func(rows *sql.Rows, learner func(int64) *classroom.Record) error {
			var id int64
			var ch string
			var t classroom.QuizTally
			if err := rows.Scan(&id, &ch, &t.Answered, &t.Correct); err != nil {
				return err
			}
			r := learner(id)
			r.Quiz[ch] = t
			return nil
		}); err != nil {
		return nil, fmt.Errorf("class quiz answers: %w", err)
	}
	// Finished quiz attempts per chapter.
	if err := s.scanEach(ctx, tx, `SELECT learner_id, chapter_id, count(*), max(CAST(correct AS REAL) / max(total, 1)) FROM quiz_results GROUP BY learner_id, chapter_id`,
		recs, func(rows *sql.Rows, learner func(int64) *classroom.Record) error {
			var id int64
			var ch string
			var n int
			var best float64
			if err := rows.Scan(&id, &ch, &n, &best); err != nil {
				return err
			}
			r := learner(id)
			t := r.Quiz[ch]
			t.Attempts, t.BestScore = n, best
			r.Quiz[ch] = t
			return nil
		}); err != nil {
		return nil, fmt.Errorf("class quiz results: %w", err)
	}
	// Exercises.
	if err := s.scanEach(ctx, tx, `SELECT learner_id, exercise_id, chapter_id, attempts, best_points, max_points, passed_at IS NOT NULL, hints, gave_up FROM exercise_state`,
		recs, func(rows *sql.Rows, learner func(int64) *classroom.Record) error {
			var id int64
			var ex string
			var t classroom.ExerciseTally
			if err := rows.Scan(&id, &ex, &t.ChapterID, &t.Attempts, &t.BestPoints, &t.MaxPoints, &t.Passed, &t.Hints, &t.GaveUp); err != nil {
				return err
			}
			r := learner(id)
			r.Exercises[ex] = t
			return nil
		}); err != nil {
		return nil, fmt.Errorf("class exercises: %w", err)
	}
	// Discussion answers (saved, not drafts) per chapter.
	if err := s.scanEach(ctx, tx, `SELECT learner_id, chapter_id, count(*) FROM journal GROUP BY learner_id, chapter_id`,
		recs, func(rows *sql.Rows, learner func(int64) *classroom.Record) error {
			var id int64
			var ch string
			var n int
			if err := rows.Scan(&id, &ch, &n); err != nil {
				return err
			}
			r := learner(id)
			r.Answers[ch] = n
			return nil
		}); err != nil {
		return nil, fmt.Errorf("class journal: %w", err)
	}
	// Case-study endings found.
	if err := s.scanEach(ctx, tx, `SELECT DISTINCT learner_id, case_id, ending FROM case_runs ORDER BY learner_id, case_id, ending`,
		recs, func(rows *sql.Rows, learner func(int64) *classroom.Record) error {
			var id int64
			var cs, ending string
			if err := rows.Scan(&id, &cs, &ending); err != nil {
				return err
			}
			r := learner(id)
			r.Endings[cs] = append(r.Endings[cs], ending)
			return nil
		}); err != nil {
		return nil, fmt.Errorf("class case runs: %w", err)
	}
	out := make([]classroom.Record, 0, len(order))
	for _, id := range order {
		out = append(out, *recs[id])
	}
	return out, nil
}

// scanEach runs a query whose first column is a learner id and hands each row to fn, with a
// lookup of the learner's record (a throwaway one for learners left out of recs).
func (s *Store) scanEach(ctx context.Context, tx *sql.Tx, q string, recs map[int64]*classroom.Record, fn func(rows *sql.Rows, learner func(int64) *classroom.Record) error) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	learner := func(id int64) *classroom.Record {
		if r, ok := recs[id]; ok {
			return r
		}
		return &classroom.Record{Quiz: map[string]classroom.QuizTally{}, Exercises: map[string]classroom.ExerciseTally{}, Answers: map[string]int{}, Endings: map[string][]string{}}
	}
	for rows.Next() {
		if err := fn(rows, learner); err != nil {
			return err
		}
	}
	return rows.Err()
}
