package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Progress files: `kaizen export` writes a learner's events to one file and `kaizen class
// import` merges such files into an instructor's database. The file is JSON:
//
//	{"format": "kaizen-progress", "version": 1, "sha256": "<hex>", "payload": {...}}
//
// where sha256 is the SHA-256 of the payload's bytes exactly as they appear in the file, so a
// damaged or hand-edited file is refused as a whole. The checksum guards against accidents,
// not against a learner who rewrites the file on purpose: it is not a signature.
const (
	ExportFormat  = "kaizen-progress"
	ExportVersion = 1
	// KindExportID is the event holding the install's export id (its subject).
	KindExportID = "export.id"
	// ExportKeyPrefix starts the learner key an exported learner is imported under.
	ExportKeyPrefix = "export:"
	// MaxExportBytes bounds the size of a progress file ReadExport accepts.
	MaxExportBytes = 256 << 20
)

// Typed errors of progress files.
var (
	ErrBadExport   = errors.New("not a valid kaizen progress file")
	ErrOtherCourse = errors.New("progress file is for another course")
)

// ExportCourse names the course a file's events belong to.
type ExportCourse struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// ExportLearner says who a file belongs to.
type ExportLearner struct {
	Key       string `json:"key"` // "export:<id of the install>"
	Name      string `json:"name"`
	StudentID string `json:"student_id"`
}

// ExportPayload is the checksummed content of a progress file.
type ExportPayload struct {
	Format    string        `json:"format"`
	Version   int           `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
	Course    ExportCourse  `json:"course"`
	Learner   ExportLearner `json:"learner"`
	Events    []Event       `json:"events"`
}

type exportEnvelope struct {
	Format  string          `json:"format"`
	Version int             `json:"version"`
	SHA256  string          `json:"sha256"`
	Payload json.RawMessage `json:"payload"`
}

// ExportID returns the install's export learner key ("export:<random id>"), creating it on
// first use. It is kept as an event of the local learner, so it survives like progress does.
func (s *Store) ExportID(ctx context.Context, learner int64) (string, error) {
	var id string
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT subject FROM events WHERE learner_id = ? AND kind = ? ORDER BY at, id LIMIT 1`, learner, KindExportID).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		id = hex.EncodeToString(b[:])
		_, err = s.record(ctx, tx, learner, KindExportID, id, nil)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("export id: %w", err)
	}
	return ExportKeyPrefix + id, nil
}

// Export collects a learner's events of one course into a payload.
func (s *Store) Export(ctx context.Context, learner int64, who ExportLearner, course ExportCourse) (*ExportPayload, error) {
	if who.Key == "" {
		k, err := s.ExportID(ctx, learner)
		if err != nil {
			return nil, err
		}
		who.Key = k
	}
	all, err := s.Events(ctx, learner)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	p := &ExportPayload{Format: ExportFormat, Version: ExportVersion, CreatedAt: s.now().UTC().Truncate(time.Millisecond), Course: course, Learner: who, Events: []Event{}}
	for _, ev := range all {
		if ev.CourseID == course.ID || ev.Kind == KindExportID {
			ev.At = ev.At.UTC()
			p.Events = append(p.Events, ev)
		}
	}
	return p, nil
}

// WriteExport writes a payload as a progress file.
func WriteExport(w io.Writer, p *ExportPayload) error {
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	env := exportEnvelope{Format: ExportFormat, Version: ExportVersion, SHA256: hex.EncodeToString(sum[:]), Payload: body}
	out, err := json.Marshal(env)
	if err != nil {
		return err
	}
	out = append(out, '\n')
	_, err = w.Write(out)
	return err
}

func badExport(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadExport, fmt.Sprintf(format, args...))
}

// ReadExport reads and verifies a progress file completely: format, version, checksum and
// every event. Nothing is written anywhere; a file with any problem is refused.
func ReadExport(r io.Reader) (*ExportPayload, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxExportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxExportBytes {
		return nil, badExport("larger than %d MB", MaxExportBytes>>20)
	}
	var env exportEnvelope
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return nil, badExport("it is not JSON of the expected shape (%v); was it cut short or edited?", err)
	}
	if dec.More() {
		return nil, badExport("there is data after the end of the file's JSON")
	}
	if env.Format != ExportFormat {
		return nil, badExport("format %q, want %q", env.Format, ExportFormat)
	}
	if env.Version > ExportVersion {
		return nil, badExport("version %d was written by a newer kaizen (this one reads up to %d): upgrade kaizen", env.Version, ExportVersion)
	}
	if env.Version < 1 {
		return nil, badExport("version %d is not a version", env.Version)
	}
	sum := sha256.Sum256(env.Payload)
	if want := strings.ToLower(env.SHA256); want != hex.EncodeToString(sum[:]) {
		return nil, badExport("the checksum does not match its content: the file was damaged or edited after export")
	}
	var p ExportPayload
	dec = json.NewDecoder(bytes.NewReader(env.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, badExport("payload: %v", err)
	}
	if p.Format != env.Format || p.Version != env.Version {
		return nil, badExport("payload format %q version %d differs from the envelope's", p.Format, p.Version)
	}
	if p.Course.ID == "" {
		return nil, badExport("no course id")
	}
	if !strings.HasPrefix(p.Learner.Key, ExportKeyPrefix) || len(p.Learner.Key) == len(ExportKeyPrefix) || len(p.Learner.Key) > 100 {
		return nil, badExport("learner key %q, want %s<id>", p.Learner.Key, ExportKeyPrefix)
	}
	seen := make(map[string]bool, len(p.Events))
	for i, ev := range p.Events {
		where := fmt.Sprintf("event %d", i+1)
		switch {
		case ev.UID == "" || len(ev.UID) > 64:
			return nil, badExport("%s: bad uid %q", where, ev.UID)
		case seen[ev.UID]:
			return nil, badExport("%s: uid %s appears twice", where, ev.UID)
		case ev.At.IsZero() || ev.At.Year() < 2000 || ev.At.After(p.CreatedAt.Add(24*time.Hour)):
			return nil, badExport("%s: time %s is impossible", where, ev.At)
		case ev.Kind == "" || len(ev.Kind) > 64:
			return nil, badExport("%s: no kind", where)
		case len(ev.Subject) > 500:
			return nil, badExport("%s: subject too long", where)
		case ev.CourseID != p.Course.ID && ev.Kind != KindExportID:
			return nil, badExport("%s: course %q inside a file for course %q", where, ev.CourseID, p.Course.ID)
		}
		if len(ev.Data) == 0 {
			p.Events[i].Data = json.RawMessage("{}")
		} else if !json.Valid(ev.Data) {
			return nil, badExport("%s: data is not JSON", where)
		}
		seen[ev.UID] = true
	}
	return &p, nil
}

// ImportResult says what importing one file changed.
type ImportResult struct {
	LearnerID  int64
	LearnerKey string
	Name       string
	StudentID  string
	NewLearner bool
	Events     int // events in the file
	Added      int // events new to this database
}

// Import merges verified progress files into the database in one transaction: a learner per
// export key (created if new; name and student id updated when the file has them), each
// event inserted unless its uid is already there, and projections applied only for the new
// events, in time order. Importing the same file twice changes nothing. Files for a course
// other than courseID are refused before anything is written.
func (s *Store) Import(ctx context.Context, courseID string, files []*ExportPayload) ([]ImportResult, error) {
	for _, p := range files {
		if p.Course.ID != courseID {
			return nil, fmt.Errorf("%w: the file is for course %q (learner %q), this course is %q", ErrOtherCourse, p.Course.ID, p.Learner.Name, courseID)
		}
	}
	results := make([]ImportResult, len(files))
	err := s.write(ctx, func(tx *sql.Tx) error {
		for i, p := range files {
			res := &results[i]
			res.LearnerKey, res.Name, res.StudentID, res.Events = p.Learner.Key, p.Learner.Name, p.Learner.StudentID, len(p.Events)
			ins, err := tx.ExecContext(ctx, `INSERT INTO learners(key, name, student_id, created_at) VALUES(?, ?, ?, ?) ON CONFLICT(key) DO NOTHING`,
				p.Learner.Key, p.Learner.Name, p.Learner.StudentID, s.now().UnixMilli())
			if err != nil {
				return fmt.Errorf("import learner: %w", err)
			}
			n, _ := ins.RowsAffected()
			res.NewLearner = n == 1
			var name, sid string
			if err := tx.QueryRowContext(ctx, `SELECT id, name, student_id FROM learners WHERE key = ?`, p.Learner.Key).Scan(&res.LearnerID, &name, &sid); err != nil {
				return err
			}
			newName, newSID := name, sid
			if p.Learner.Name != "" {
				newName = p.Learner.Name
			}
			if p.Learner.StudentID != "" {
				newSID = p.Learner.StudentID
			}
			if newName != name || newSID != sid {
				if _, err := tx.ExecContext(ctx, `UPDATE learners SET name = ?, student_id = ? WHERE id = ?`, newName, newSID, res.LearnerID); err != nil {
					return err
				}
			}
			res.Name, res.StudentID = newName, newSID
			events := append([]Event(nil), p.Events...)
			sort.SliceStable(events, func(a, b int) bool { return events[a].At.Before(events[b].At) })
			for _, ev := range events {
				added, err := s.insertEvent(ctx, tx, res.LearnerID, ev)
				if err != nil {
					return err
				}
				if !added {
					continue
				}
				if err := apply(ctx, tx, res.LearnerID, ev); err != nil {
					return fmt.Errorf("%w: event %s (%s %s): %v", ErrBadExport, ev.UID, ev.Kind, ev.Subject, err)
				}
				res.Added++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}
