// Package store keeps learner progress in one SQLite file: numbered migrations applied in
// one transaction, an append-only events table, and state tables that are projections of
// those events, written in the same transaction. It is the only package that speaks SQL.
//
// A file that is not a kaizen database, one written by a newer kaizen, or a corrupt one is
// refused with a clear error before anything is written to it.
package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// ApplicationID marks a SQLite file as kaizen's (PRAGMA application_id): "KZN1".
const ApplicationID = 0x4B5A4E31

//go:embed migrations/*.sql
var migrationFS embed.FS

// Typed errors callers map to messages and exit codes.
var (
	ErrNewer     = errors.New("database was written by a newer kaizen")
	ErrNotKaizen = errors.New("file is not a kaizen progress database")
	ErrCorrupt   = errors.New("database file is corrupt")
	ErrNoLearner = errors.New("no such learner")
	ErrReadOnly  = errors.New("progress cannot be saved")
)

// Store is an open progress database.
type Store struct {
	db            *sql.DB
	path          string
	courseID      string
	courseVersion string
	now           func() time.Time
}

// Options configure Open.
type Options struct {
	CourseID      string
	CourseVersion string
	// Now overrides the clock (tests).
	Now func() time.Time
}

// SchemaVersion is the number of migrations this binary knows.
func SchemaVersion() int {
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	return len(names)
}

// Open opens (creating if needed) the database at path. path ":memory:" opens a private
// in-memory database.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	dsn := "file::memory:?cache=private"
	if path != ":memory:" {
		if err := checkHeader(path); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("%w: cannot create %s: %v", ErrReadOnly, filepath.Dir(path), err)
		}
		dsn = "file:" + (&url.URL{Path: path}).EscapedPath()
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := sql.Open("sqlite", dsn+sep+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path == ":memory:" {
		db.SetMaxOpenConns(1) // every connection would be a different in-memory database
	}
	s := &Store{db: db, path: path, courseID: opt.CourseID, courseVersion: opt.CourseVersion, now: opt.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, classify(path, err)
	}
	return s, nil
}

// Path is the file the store lives in.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// SetCourse sets the course id and version recorded with new events.
func (s *Store) SetCourse(id, version string) { s.courseID, s.courseVersion = id, version }

// checkHeader refuses a file that is not a kaizen database or is newer, by reading its
// header only, so that nothing is ever written to such a file.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: cannot read %s: %v", ErrReadOnly, path, err)
	}
	defer f.Close()
	hdr := make([]byte, 100)
	n, err := io.ReadFull(f, hdr)
	if n == 0 && (err == io.EOF) {
		return nil // an empty file: SQLite initialises it
	}
	if err != nil {
		return fmt.Errorf("%s: %w (it is too short to be a SQLite database)", path, ErrNotKaizen)
	}
	if !bytes.Equal(hdr[:16], []byte("SQLite format 3\x00")) {
		return fmt.Errorf("%s: %w (it is not a SQLite database at all)", path, ErrNotKaizen)
	}
	appID := binary.BigEndian.Uint32(hdr[68:72])
	userVersion := int(binary.BigEndian.Uint32(hdr[60:64]))
	pageCount := binary.BigEndian.Uint32(hdr[28:32])
	switch {
	case appID == ApplicationID && userVersion > SchemaVersion():
		return fmt.Errorf("%s: %w (schema %d; this kaizen understands up to %d): upgrade kaizen, the file was left untouched", path, ErrNewer, userVersion, SchemaVersion())
	case appID != ApplicationID && pageCount > 1:
		return fmt.Errorf("%s: %w (it belongs to another program); the file was left untouched", path, ErrNotKaizen)
	}
	return nil
}

// classify turns driver errors about broken files into typed errors.
func classify(path string, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, ErrNewer), errors.Is(err, ErrNotKaizen), errors.Is(err, ErrCorrupt):
		return err
	case strings.Contains(msg, "malformed"), strings.Contains(msg, "corrupt"), strings.Contains(msg, "not a database"):
		return fmt.Errorf("%s: %w (%v); the file was left untouched: move it aside to start afresh", path, ErrCorrupt, err)
	case strings.Contains(msg, "readonly"), strings.Contains(msg, "read-only"), strings.Contains(msg, "unable to open"), strings.Contains(msg, "permission denied"):
		return fmt.Errorf("%w: %s: %v", ErrReadOnly, path, err)
	}
	return fmt.Errorf("open progress database %s: %w", path, err)
}

func (s *Store) migrate(ctx context.Context) error {
	// Integrity first: a corrupt file must be refused before the first write.
	var check string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&check); err != nil {
		return err
	}
	if check != "ok" {
		return fmt.Errorf("%s: %w (%s); the file was left untouched: move it aside to start afresh", s.path, ErrCorrupt, check)
	}
	var version, appID int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return err
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if version > len(names) {
		return fmt.Errorf("%s: %w (schema %d; this kaizen understands up to %d)", s.path, ErrNewer, version, len(names))
	}
	if version == len(names) {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Re-read inside the write lock: another process may have migrated meanwhile.
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	for i := version; i < len(names); i++ {
		body, err := migrationFS.ReadFile(names[i])
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", names[i], err)
		}
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(len(names))); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA application_id = "+strconv.Itoa(ApplicationID)); err != nil {
		return err
	}
	return tx.Commit()
}

// Learner is a person whose progress the store keeps.
type Learner struct {
	ID        int64
	Key       string
	Name      string
	StudentID string
	CreatedAt time.Time
}

// LocalLearnerKey is the key of the single learner of a personal install.
const LocalLearnerKey = "local"

// EnsureLearner returns the learner with this key, creating it if needed.
func (s *Store) EnsureLearner(ctx context.Context, key, name string) (Learner, error) {
	now := s.now().UnixMilli()
	_, err := s.db.ExecContext(ctx, `INSERT INTO learners(key, name, created_at) VALUES(?, ?, ?) ON CONFLICT(key) DO NOTHING`, key, name, now)
	if err != nil {
		return Learner{}, fmt.Errorf("create learner: %w", err)
	}
	return s.LearnerByKey(ctx, key)
}

// LearnerByKey looks a learner up.
func (s *Store) LearnerByKey(ctx context.Context, key string) (Learner, error) {
	var l Learner
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT id, key, name, student_id, created_at FROM learners WHERE key = ?`, key).
		Scan(&l.ID, &l.Key, &l.Name, &l.StudentID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("%w: %s", ErrNoLearner, key)
	}
	l.CreatedAt = time.UnixMilli(created)
	return l, err
}

// Event is one recorded learner action.
type Event struct {
	UID           string          `json:"uid"`
	At            time.Time       `json:"at"`
	Kind          string          `json:"kind"`
	Subject       string          `json:"subject"`
	Data          json.RawMessage `json:"data"`
	CourseID      string          `json:"course_id"`
	CourseVersion string          `json:"course_version"`
}

// Event kinds.
const (
	KindLessonOpened   = "lesson.opened"
	KindLessonScrolled = "lesson.scrolled"
	KindLessonTime     = "lesson.time"
	KindLessonFinished = "lesson.finished"
)

func newUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// write runs fn in one immediate transaction.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return classify(s.path, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return classify(s.path, err)
	}
	return nil
}

// record appends an event and applies it to the state tables, inside tx.
func (s *Store) record(ctx context.Context, tx *sql.Tx, learner int64, kind, subject string, data any) (Event, error) {
	raw := json.RawMessage("{}")
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return Event{}, err
		}
		raw = b
	}
	ev := Event{UID: newUID(), At: s.now(), Kind: kind, Subject: subject, Data: raw, CourseID: s.courseID, CourseVersion: s.courseVersion}
	if _, err := s.insertEvent(ctx, tx, learner, ev); err != nil {
		return ev, err
	}
	return ev, apply(ctx, tx, learner, ev)
}

// insertEvent stores ev unless an event with its uid exists; it reports whether it was new.
func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, learner int64, ev Event) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO events(uid, learner_id, at, kind, subject, data, course_id, course_version)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(uid) DO NOTHING`,
		ev.UID, learner, ev.At.UnixMilli(), ev.Kind, ev.Subject, string(ev.Data), ev.CourseID, ev.CourseVersion)
	if err != nil {
		return false, fmt.Errorf("record %s: %w", ev.Kind, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// apply updates the projections for one event. It must give the same state whatever order
// events of different kinds arrive in, so merged files converge.
func apply(ctx context.Context, tx *sql.Tx, learner int64, ev Event) error {
	at := ev.At.UnixMilli()
	var err error
	switch ev.Kind {
	case KindLessonOpened:
		_, err = tx.ExecContext(ctx, `INSERT INTO lesson_progress(learner_id, lesson_id, opened_at, last_at) VALUES(?, ?, ?, ?)
			ON CONFLICT(learner_id, lesson_id) DO UPDATE SET opened_at = min(opened_at, excluded.opened_at), last_at = max(last_at, excluded.last_at)`,
			learner, ev.Subject, at, at)
	case KindLessonScrolled:
		var d struct {
			Scroll float64 `json:"scroll"`
		}
		if err = json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO lesson_progress(learner_id, lesson_id, opened_at, last_at, scroll) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT(learner_id, lesson_id) DO UPDATE SET
			  scroll = CASE WHEN excluded.last_at >= last_at THEN excluded.scroll ELSE scroll END,
			  last_at = max(last_at, excluded.last_at)`,
			learner, ev.Subject, at, at, clamp01(d.Scroll))
	case KindLessonTime:
		var d struct {
			Seconds int64 `json:"seconds"`
		}
		if err = json.Unmarshal(ev.Data, &d); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO lesson_progress(learner_id, lesson_id, opened_at, last_at, seconds) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT(learner_id, lesson_id) DO UPDATE SET seconds = seconds + excluded.seconds, last_at = max(last_at, excluded.last_at)`,
			learner, ev.Subject, at, at, d.Seconds)
	case KindLessonFinished:
		_, err = tx.ExecContext(ctx, `INSERT INTO lesson_progress(learner_id, lesson_id, opened_at, last_at, finished_at) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT(learner_id, lesson_id) DO UPDATE SET finished_at = min(coalesce(finished_at, excluded.finished_at), excluded.finished_at), last_at = max(last_at, excluded.last_at)`,
			learner, ev.Subject, at, at, at)
	default:
		err = applyMore(ctx, tx, learner, ev)
	}
	return err
}

func clamp01(f float64) float64 {
	switch {
	case f < 0:
		return 0
	case f > 1:
		return 1
	}
	return f
}

// LessonState is a learner's progress in one lesson.
type LessonState struct {
	LessonID string
	OpenedAt time.Time
	LastAt   time.Time
	Finished bool
	Scroll   float64
	Seconds  int64
}

// OpenLesson records that a lesson was opened.
func (s *Store) OpenLesson(ctx context.Context, learner int64, lessonID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindLessonOpened, lessonID, nil)
		return err
	})
}

// SaveScroll records how far into a lesson the learner is (fraction 0..1).
func (s *Store) SaveScroll(ctx context.Context, learner int64, lessonID string, fraction float64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindLessonScrolled, lessonID, map[string]float64{"scroll": clamp01(fraction)})
		return err
	})
}

// AddLessonTime adds active reading time.
func (s *Store) AddLessonTime(ctx context.Context, learner int64, lessonID string, d time.Duration) error {
	secs := int64(d.Round(time.Second) / time.Second)
	if secs <= 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := s.record(ctx, tx, learner, KindLessonTime, lessonID, map[string]int64{"seconds": secs})
		return err
	})
}

// FinishLesson records that the learner reached the end of a lesson. Finishing twice
// records nothing new.
func (s *Store) FinishLesson(ctx context.Context, learner int64, lessonID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var done sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT finished_at FROM lesson_progress WHERE learner_id = ? AND lesson_id = ?`, learner, lessonID).Scan(&done)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if done.Valid {
			return nil
		}
		_, err = s.record(ctx, tx, learner, KindLessonFinished, lessonID, nil)
		return err
	})
}

// Lessons returns the learner's state for every lesson they have opened.
func (s *Store) Lessons(ctx context.Context, learner int64) (map[string]LessonState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT lesson_id, opened_at, last_at, finished_at, scroll, seconds FROM lesson_progress WHERE learner_id = ?`, learner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]LessonState{}
	for rows.Next() {
		var st LessonState
		var opened, last int64
		var fin sql.NullInt64
		if err := rows.Scan(&st.LessonID, &opened, &last, &fin, &st.Scroll, &st.Seconds); err != nil {
			return nil, err
		}
		st.OpenedAt, st.LastAt, st.Finished = time.UnixMilli(opened), time.UnixMilli(last), fin.Valid
		out[st.LessonID] = st
	}
	return out, rows.Err()
}

// LastLesson is the lesson the learner touched most recently ("continue where you left off").
func (s *Store) LastLesson(ctx context.Context, learner int64) (string, bool, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT lesson_id FROM lesson_progress WHERE learner_id = ? ORDER BY last_at DESC, rowid DESC LIMIT 1`, learner).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return id, err == nil, err
}

// Events returns a learner's events in time order (for export and tests).
func (s *Store) Events(ctx context.Context, learner int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT uid, at, kind, subject, data, course_id, course_version FROM events WHERE learner_id = ? ORDER BY at, id`, learner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var ev Event
		var at int64
		var data string
		if err := rows.Scan(&ev.UID, &at, &ev.Kind, &ev.Subject, &data, &ev.CourseID, &ev.CourseVersion); err != nil {
			return nil, err
		}
		ev.At = time.UnixMilli(at)
		ev.Data = json.RawMessage(data)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// Health describes the database for `kaizen doctor`.
type Health struct {
	Path          string
	SchemaVersion int
	JournalMode   string
	Integrity     string
	Learners      int
	Events        int
	SizeBytes     int64
}

// Health checks the database.
func (s *Store) Health(ctx context.Context) (Health, error) {
	h := Health{Path: s.path}
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&h.SchemaVersion); err != nil {
		return h, err
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&h.JournalMode); err != nil {
		return h, err
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&h.Integrity); err != nil {
		return h, err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM learners").Scan(&h.Learners); err != nil {
		return h, err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM events").Scan(&h.Events); err != nil {
		return h, err
	}
	if st, err := os.Stat(s.path); err == nil {
		h.SizeBytes = st.Size()
	}
	return h, nil
}
