package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "progress.db")
	s, err := Open(context.Background(), path, Options{CourseID: "c", CourseVersion: "1"})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestMigrationsAndLearner(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	l, err := s.EnsureLearner(ctx, LocalLearnerKey, "")
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.EnsureLearner(ctx, LocalLearnerKey, "other")
	if err != nil || again.ID != l.ID {
		t.Fatalf("EnsureLearner not idempotent: %v %v %v", l, again, err)
	}
	h, err := s.Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h.SchemaVersion != SchemaVersion() || h.JournalMode != "wal" || h.Integrity != "ok" {
		t.Fatalf("health = %+v", h)
	}
	s.Close()
	// Reopening an up-to-date file applies nothing and keeps the data.
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.LearnerByKey(ctx, LocalLearnerKey); err != nil {
		t.Fatal(err)
	}
}

func TestLessonEventsAndProjection(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.EnsureLearner(ctx, LocalLearnerKey, "")
	steps := []func() error{
		func() error { return s.OpenLesson(ctx, l.ID, "a") },
		func() error { return s.SaveScroll(ctx, l.ID, "a", 0.4) },
		func() error { return s.AddLessonTime(ctx, l.ID, "a", 90*time.Second) },
		func() error { return s.FinishLesson(ctx, l.ID, "a") },
		func() error { return s.FinishLesson(ctx, l.ID, "a") },     // no second event
		func() error { return s.AddLessonTime(ctx, l.ID, "a", 0) }, // nothing to record
		func() error { return s.OpenLesson(ctx, l.ID, "b") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	ls, err := s.Lessons(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := ls["a"]
	if !a.Finished || a.Scroll != 0.4 || a.Seconds != 90 {
		t.Fatalf("lesson a = %+v", a)
	}
	if ls["b"].Finished {
		t.Fatal("b should not be finished")
	}
	evs, _ := s.Events(ctx, l.ID)
	kinds := []string{}
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
		if e.CourseID != "c" || e.CourseVersion != "1" || e.UID == "" {
			t.Fatalf("event missing course or uid: %+v", e)
		}
	}
	want := []string{KindLessonOpened, KindLessonScrolled, KindLessonTime, KindLessonFinished, KindLessonOpened}
	if len(kinds) != len(want) {
		t.Fatalf("events = %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("events = %v, want %v", kinds, want)
		}
	}
	last, ok, err := s.LastLesson(ctx, l.ID)
	if err != nil || !ok || last != "b" {
		t.Fatalf("last = %q %v %v", last, ok, err)
	}
}

func TestScrollIsClamped(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	l, _ := s.EnsureLearner(ctx, LocalLearnerKey, "")
	for _, tc := range []struct{ in, want float64 }{{-1, 0}, {2, 1}, {0.25, 0.25}} {
		if err := s.SaveScroll(ctx, l.ID, "x", tc.in); err != nil {
			t.Fatal(err)
		}
		ls, _ := s.Lessons(ctx, l.ID)
		if got := ls["x"].Scroll; got != tc.want {
			t.Errorf("scroll %v stored as %v, want %v", tc.in, got, tc.want)
		}
	}
}

// refusal cases: each file must be refused with the right error and left byte-for-byte.
func TestRefusesForeignNewerAndCorruptFiles(t *testing.T) {
	ctx := context.Background()
	// A kaizen database from a "newer" kaizen: bump user_version past what we know.
	newer := func(t *testing.T) []byte {
		_, path := openTemp(t)
		s, _ := Open(ctx, path, Options{})
		s.db.Exec("PRAGMA user_version = 999")
		s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		s.Close()
		b, _ := os.ReadFile(path)
		return b
	}
	foreign := func(t *testing.T) []byte {
		path := filepath.Join(t.TempDir(), "other.db")
		s, err := Open(ctx, ":memory:", Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		// Build a plain SQLite file with another app's table using the driver directly.
		db, err := openRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		db.Exec("CREATE TABLE notes(x TEXT)")
		db.Exec("INSERT INTO notes VALUES('hello')")
		db.Close()
		b, _ := os.ReadFile(path)
		return b
	}
	corrupt := func(t *testing.T) []byte {
		_, path := openTemp(t)
		s, _ := Open(ctx, path, Options{})
		l, _ := s.EnsureLearner(ctx, LocalLearnerKey, "")
		for i := 0; i < 200; i++ {
			s.OpenLesson(ctx, l.ID, "lesson-with-a-longish-identifier-"+string(rune('a'+i%26)))
		}
		s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		s.Close()
		b, _ := os.ReadFile(path)
		// Smash the pages after the first, keeping the header valid.
		for i := 4096 + 100; i < len(b) && i < 4096*4; i++ {
			b[i] = 0xA5
		}
		return b
	}
	cases := []struct {
		name string
		make func(t *testing.T) []byte
		want error
	}{
		{"not sqlite", func(t *testing.T) []byte {
			return []byte("this is my shopping list, not a database\n" + string(bytes.Repeat([]byte("x"), 200)))
		}, ErrNotKaizen},
		{"too short", func(t *testing.T) []byte { return []byte("SQLite") }, ErrNotKaizen},
		{"foreign sqlite", foreign, ErrNotKaizen},
		{"newer kaizen", newer, ErrNewer},
		{"corrupt pages", corrupt, ErrCorrupt},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			content := tc.make(t)
			path := filepath.Join(t.TempDir(), "progress.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(ctx, path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded, want refusal")
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, content) {
				t.Fatal("file was modified")
			}
		})
	}
}

func TestTwoConnectionsWriteAtOnce(t *testing.T) {
	ctx := context.Background()
	_, path := openTemp(t)
	a, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	la, _ := a.EnsureLearner(ctx, LocalLearnerKey, "")
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for _, s := range []*Store{a, b} {
		wg.Add(1)
		go func(s *Store) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if err := s.AddLessonTime(ctx, la.ID, "shared", time.Second); err != nil {
					errs <- err
				}
			}
		}(s)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	ls, _ := a.Lessons(ctx, la.ID)
	if ls["shared"].Seconds != 100 {
		t.Fatalf("seconds = %d, want 100 (lost writes)", ls["shared"].Seconds)
	}
}

func TestReadOnlyDirectoryIsReported(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	_, err := Open(context.Background(), filepath.Join(dir, "sub", "progress.db"), Options{})
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("err = %v, want ErrReadOnly", err)
	}
}

func BenchmarkFinishLesson(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "p.db"), Options{CourseID: "c", CourseVersion: "1"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	l, _ := s.EnsureLearner(ctx, LocalLearnerKey, "")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.SaveScroll(ctx, l.ID, "lesson", float64(i%100)/100); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLessons(b *testing.B) {
	ctx := context.Background()
	s, _ := Open(ctx, filepath.Join(b.TempDir(), "p.db"), Options{})
	defer s.Close()
	l, _ := s.EnsureLearner(ctx, LocalLearnerKey, "")
	for i := 0; i < 60; i++ {
		s.OpenLesson(ctx, l.ID, "lesson-"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Lessons(ctx, l.ID); err != nil {
			b.Fatal(err)
		}
	}
}
