package store

import (
	"context"
	"time"
)

// EventTimes returns the times of a learner's events at or after since (the zero time: all),
// oldest first. The progress screen, `kaizen progress` and the portfolio turn them into
// active days, streaks and a heatmap; only the time column is read, so this stays cheap for
// a long history.
func (s *Store) EventTimes(ctx context.Context, learner int64, since time.Time) ([]time.Time, error) {
	var from int64
	if !since.IsZero() {
		from = since.UnixMilli()
	}
	rows, err := s.db.QueryContext(ctx, `SELECT at FROM events WHERE learner_id = ? AND at >= ? ORDER BY at`, learner, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, time.UnixMilli(at))
	}
	return out, rows.Err()
}
