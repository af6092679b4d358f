package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// SaveDraft keeps unsaved text of a discussion answer. Drafts are state, not events: they
// change on every pause in typing and only a save makes them part of the record.
func (s *Store) SaveDraft(ctx context.Context, learner int64, promptID, body string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO journal_drafts(learner_id, prompt_id, body, updated_at) VALUES(?, ?, ?, ?)
			ON CONFLICT(learner_id, prompt_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
			learner, promptID, body, s.now().UnixMilli())
		return err
	})
}

// DiscardDraft drops a draft.
func (s *Store) DiscardDraft(ctx context.Context, learner int64, promptID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM journal_drafts WHERE learner_id = ? AND prompt_id = ?`, learner, promptID)
		return err
	})
}

// SaveAnswer saves a new revision of a discussion answer and returns its number.
func (s *Store) SaveAnswer(ctx context.Context, learner int64, chapterID, promptID, body string) (int, error) {
	var rev int
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.record(ctx, tx, learner, KindJournalSaved, promptID, map[string]string{"chapter": chapterID, "body": body}); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT max(rev) FROM journal_revisions WHERE learner_id = ? AND prompt_id = ?`, learner, promptID).Scan(&rev)
	})
	return rev, err
}

// RateAnswer stores the learner's self-assessment of one revision: 1–4 per trait, and a
// note on what to improve.
func (s *Store) RateAnswer(ctx context.Context, learner int64, promptID string, rev int, ratings map[string]int, note string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindJournalRated, promptID, map[string]any{"rev": rev, "ratings": ratings, "note": note})
		return err
	})
}

// SetJournalPortfolio marks whether an answer may appear in the learner's portfolio.
func (s *Store) SetJournalPortfolio(ctx context.Context, learner int64, promptID string, include bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindJournalPortfolio, promptID, map[string]bool{"include": include})
		return err
	})
}

// Revision is one saved version of a discussion answer.
type Revision struct {
	Rev     int            `json:"rev"`
	Body    string         `json:"body"`
	SavedAt time.Time      `json:"saved_at"`
	Ratings map[string]int `json:"ratings"`
	Note    string         `json:"note"`
}

// JournalEntry is a learner's answer to one prompt.
type JournalEntry struct {
	PromptID  string     `json:"prompt"`
	ChapterID string     `json:"chapter"`
	Status    string     `json:"status"` // "draft" or "answered"
	Draft     string     `json:"draft,omitempty"`
	Portfolio bool       `json:"portfolio"`
	UpdatedAt time.Time  `json:"updated_at"`
	Revisions []Revision `json:"revisions"`
}

// Latest returns the newest saved revision, if any.
func (e JournalEntry) Latest() (Revision, bool) {
	if len(e.Revisions) == 0 {
		return Revision{}, false
	}
	return e.Revisions[len(e.Revisions)-1], true
}

// Journal returns every entry of a learner (answered or drafted), keyed by prompt id.
func (s *Store) Journal(ctx context.Context, learner int64) (map[string]*JournalEntry, error) {
	out := map[string]*JournalEntry{}
	rows, err := s.db.QueryContext(ctx, `SELECT prompt_id, chapter_id, portfolio, updated_at FROM journal WHERE learner_id = ?`, learner)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		e := &JournalEntry{Status: "answered"}
		var at int64
		if err := rows.Scan(&e.PromptID, &e.ChapterID, &e.Portfolio, &at); err != nil {
			rows.Close()
			return nil, err
		}
		e.UpdatedAt = time.UnixMilli(at)
		out[e.PromptID] = e
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT prompt_id, rev, body, saved_at, ratings, note FROM journal_revisions WHERE learner_id = ? ORDER BY prompt_id, rev`, learner)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var pid, ratings string
		var r Revision
		var at int64
		if err := rows.Scan(&pid, &r.Rev, &r.Body, &at, &ratings, &r.Note); err != nil {
			rows.Close()
			return nil, err
		}
		r.SavedAt = time.UnixMilli(at)
		_ = json.Unmarshal([]byte(ratings), &r.Ratings)
		if e, ok := out[pid]; ok {
			e.Revisions = append(e.Revisions, r)
		}
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT prompt_id, body, updated_at FROM journal_drafts WHERE learner_id = ?`, learner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var pid, body string
		var at int64
		if err := rows.Scan(&pid, &body, &at); err != nil {
			return nil, err
		}
		e, ok := out[pid]
		if !ok {
			e = &JournalEntry{PromptID: pid, Status: "draft", UpdatedAt: time.UnixMilli(at)}
			out[pid] = e
		}
		e.Draft = body
	}
	return out, rows.Err()
}

// Draft returns the unsaved draft of a prompt, if any.
func (s *Store) Draft(ctx context.Context, learner int64, promptID string) (string, bool, error) {
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM journal_drafts WHERE learner_id = ? AND prompt_id = ?`, learner, promptID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return body, err == nil, err
}
