package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// ExerciseCheckData is the data of an exercise.checked event.
type ExerciseCheckData struct {
	ChapterID string          `json:"chapter"`
	Passed    bool            `json:"passed"`
	Points    float64         `json:"points"`
	MaxPoints float64         `json:"max_points"`
	Report    json.RawMessage `json:"report,omitempty"`
}

// CaseRunData is the data of a case.finished event.
type CaseRunData struct {
	Choices []string           `json:"choices"`
	Ending  string             `json:"ending"`
	Gauges  map[string]float64 `json:"gauges"`
	Title   string             `json:"ending_title,omitempty"`
}

func applyExercisesAndCases(ctx context.Context, tx *sql.Tx, learner int64, ev Event) error {
	at := ev.At.UnixMilli()
	var d struct {
		ChapterID string `json:"chapter"`
	}
	_ = json.Unmarshal(ev.Data, &d)
	upsert := func(set string, args ...any) error {
		all := append([]any{learner, ev.Subject, d.ChapterID, at}, args...)
		_, err := tx.ExecContext(ctx, `INSERT INTO exercise_state(learner_id, exercise_id, chapter_id, last_at) VALUES(?, ?, ?, ?)
			ON CONFLICT(learner_id, exercise_id) DO UPDATE SET last_at = max(last_at, excluded.last_at)`, all[:4]...)
		if err != nil || set == "" {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE exercise_state SET `+set+` WHERE learner_id = ? AND exercise_id = ?`, append(args, learner, ev.Subject)...)
		return err
	}
	switch ev.Kind {
	case KindExerciseStarted:
		return upsert(`started_at = coalesce(min(started_at, ?), ?)`, at, at)
	case KindExerciseHint:
		return upsert(`hints = hints + 1`)
	case KindExerciseReset:
		return upsert("")
	case KindExerciseSolution:
		var g struct {
			GaveUp bool `json:"gave_up"`
		}
		_ = json.Unmarshal(ev.Data, &g)
		return upsert(`revealed_at = coalesce(revealed_at, ?), gave_up = max(gave_up, ?)`, at, g.GaveUp)
	case KindExerciseChecked:
		var c ExerciseCheckData
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return err
		}
		report := string(c.Report)
		if report == "" {
			report = "{}"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO exercise_attempts(learner_id, event_uid, exercise_id, at, passed, points, max_points, report) VALUES(?, ?, ?, ?, ?, ?, ?, ?)`,
			learner, ev.UID, ev.Subject, at, c.Passed, c.Points, c.MaxPoints, report); err != nil {
			return err
		}
		var passedAt any
		if c.Passed {
			passedAt = at
		}
		// A pass is kept for good: a later failing check leaves passed_at as it was (SQL's
		// min() with a NULL would have erased it).
		return upsert(`attempts = attempts + 1, best_points = max(best_points, ?), max_points = ?,
			passed_at = CASE WHEN ? IS NULL THEN passed_at WHEN passed_at IS NULL THEN ? ELSE min(passed_at, ?) END`,
			c.Points, c.MaxPoints, passedAt, passedAt, passedAt)
	case KindCaseFinished:
		var c CaseRunData
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return err
		}
		choices, _ := json.Marshal(c.Choices)
		_, err := tx.ExecContext(ctx, `INSERT INTO case_runs(learner_id, event_uid, case_id, at, choices, ending, data) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			learner, ev.UID, ev.Subject, at, string(choices), c.Ending, string(ev.Data))
		return err
	case KindPortfolioLink:
		var l struct {
			Repo  string `json:"repo"`
			Video string `json:"video"`
		}
		if err := json.Unmarshal(ev.Data, &l); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO links(learner_id, subject, repo, video, at) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT(learner_id, subject) DO UPDATE SET repo = excluded.repo, video = excluded.video, at = excluded.at WHERE excluded.at >= links.at`,
			learner, ev.Subject, l.Repo, l.Video, at)
		return err
	}
	return nil
}

// RecordExercise records an exercise event (started, hint, reset, solution) with data.
func (s *Store) RecordExercise(ctx context.Context, learner int64, kind, exerciseID string, data any) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, kind, exerciseID, data)
		return err
	})
}

// RecordCheck records one exercise check.
func (s *Store) RecordCheck(ctx context.Context, learner int64, exerciseID string, d ExerciseCheckData) error {
	return s.RecordExercise(ctx, learner, KindExerciseChecked, exerciseID, d)
}

// ExerciseState is a learner's progress in one exercise.
type ExerciseState struct {
	ExerciseID string     `json:"id"`
	ChapterID  string     `json:"chapter"`
	Started    bool       `json:"started"`
	Attempts   int        `json:"attempts"`
	BestPoints float64    `json:"best_points"`
	MaxPoints  float64    `json:"max_points"`
	Passed     bool       `json:"passed"`
	PassedAt   *time.Time `json:"passed_at,omitempty"`
	Hints      int        `json:"hints"`
	Revealed   bool       `json:"solution_revealed"`
	GaveUp     bool       `json:"gave_up"`
	LastAt     time.Time  `json:"last_at"`
}

// Exercises returns the learner's state for every exercise touched.
func (s *Store) Exercises(ctx context.Context, learner int64) (map[string]ExerciseState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT exercise_id, chapter_id, started_at, attempts, best_points, max_points, passed_at, hints, revealed_at, gave_up, last_at FROM exercise_state WHERE learner_id = ?`, learner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]ExerciseState{}
	for rows.Next() {
		var e ExerciseState
		var started, passed, revealed sql.NullInt64
		var last int64
		if err := rows.Scan(&e.ExerciseID, &e.ChapterID, &started, &e.Attempts, &e.BestPoints, &e.MaxPoints, &passed, &e.Hints, &revealed, &e.GaveUp, &last); err != nil {
			return nil, err
		}
		e.Started, e.Revealed = started.Valid || e.Attempts > 0, revealed.Valid
		if passed.Valid {
			t := time.UnixMilli(passed.Int64)
			e.Passed, e.PassedAt = true, &t
		}
		e.LastAt = time.UnixMilli(last)
		out[e.ExerciseID] = e
	}
	return out, rows.Err()
}

// Attempt is one stored exercise check.
type Attempt struct {
	ExerciseID string          `json:"exercise"`
	At         time.Time       `json:"at"`
	Passed     bool            `json:"passed"`
	Points     float64         `json:"points"`
	MaxPoints  float64         `json:"max_points"`
	Report     json.RawMessage `json:"report"`
}

// Attempts lists a learner's checks of one exercise ("" for all), newest last.
func (s *Store) Attempts(ctx context.Context, learner int64, exerciseID string) ([]Attempt, error) {
	q := `SELECT exercise_id, at, passed, points, max_points, report FROM exercise_attempts WHERE learner_id = ?`
	args := []any{learner}
	if exerciseID != "" {
		q += ` AND exercise_id = ?`
		args = append(args, exerciseID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY at`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		var a Attempt
		var at int64
		var report string
		if err := rows.Scan(&a.ExerciseID, &at, &a.Passed, &a.Points, &a.MaxPoints, &report); err != nil {
			return nil, err
		}
		a.At, a.Report = time.UnixMilli(at), json.RawMessage(report)
		out = append(out, a)
	}
	return out, rows.Err()
}

// RecordCaseRun stores a finished case-study run.
func (s *Store) RecordCaseRun(ctx context.Context, learner int64, caseID string, d CaseRunData) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindCaseFinished, caseID, d)
		return err
	})
}

// CaseRun is one stored case-study run.
type CaseRun struct {
	CaseID string      `json:"case"`
	At     time.Time   `json:"at"`
	Data   CaseRunData `json:"run"`
}

// CaseRuns lists a learner's runs of a case ("" for all), oldest first.
func (s *Store) CaseRuns(ctx context.Context, learner int64, caseID string) ([]CaseRun, error) {
	q := `SELECT case_id, at, data FROM case_runs WHERE learner_id = ?`
	args := []any{learner}
	if caseID != "" {
		q += ` AND case_id = ?`
		args = append(args, caseID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY at`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseRun
	for rows.Next() {
		var r CaseRun
		var at int64
		var data string
		if err := rows.Scan(&r.CaseID, &at, &data); err != nil {
			return nil, err
		}
		r.At = time.UnixMilli(at)
		if err := json.Unmarshal([]byte(data), &r.Data); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Link is a portfolio link attached to an exercise or a case-study run.
type Link struct {
	Subject string `json:"subject"`
	Repo    string `json:"repo,omitempty"`
	Video   string `json:"video,omitempty"`
}

// SetLink stores portfolio links (validated by the caller).
func (s *Store) SetLink(ctx context.Context, learner int64, subject, repo, video string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindPortfolioLink, subject, map[string]string{"repo": repo, "video": video})
		return err
	})
}

// Links returns every link of a learner by subject.
func (s *Store) Links(ctx context.Context, learner int64) (map[string]Link, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT subject, repo, video FROM links WHERE learner_id = ?`, learner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Link{}
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.Subject, &l.Repo, &l.Video); err != nil {
			return nil, err
		}
		out[l.Subject] = l
	}
	return out, rows.Err()
}

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")
