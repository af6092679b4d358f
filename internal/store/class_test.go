package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type stepClock struct{ t time.Time }

func (c *stepClock) now() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

func openCourse(t *testing.T, course string) *Store {
	t.Helper()
	clock := &stepClock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "progress.db"), Options{CourseID: course, CourseVersion: "1", Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// studentWork gives a learner some of everything the gradebook counts.
func studentWork(t *testing.T, s *Store, learner int64, lessons int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < lessons; i++ {
		id := "l" + string(rune('1'+i))
		must(t, s.OpenLesson(ctx, learner, id))
		must(t, s.SaveScroll(ctx, learner, id, 0.5))
		must(t, s.FinishLesson(ctx, learner, id))
	}
	must(t, s.RecordAnswer(ctx, learner, "q1", AnswerData{ChapterID: "ch01", Correct: true, Score: 1, Source: "quiz"}))
	must(t, s.RecordAnswer(ctx, learner, "q2", AnswerData{ChapterID: "ch01", Correct: false, Score: 0, Source: "quiz"}))
	must(t, s.FinishQuiz(ctx, learner, "ch01", 1, 2, 0.5))
	if _, err := s.SaveAnswer(ctx, learner, "ch01", "d1", "Because deployment is the point."); err != nil {
		t.Fatal(err)
	}
	must(t, s.RecordExercise(ctx, learner, KindExerciseStarted, "ex1", map[string]string{"chapter": "ch01"}))
	must(t, s.RecordExercise(ctx, learner, KindExerciseHint, "ex1", map[string]string{"chapter": "ch01"}))
	must(t, s.RecordCheck(ctx, learner, "ex1", ExerciseCheckData{ChapterID: "ch01", Passed: true, Points: 8, MaxPoints: 10, Report: json.RawMessage(`{"results":[{"name":"runs","status":"pass","points":8,"max_points":10}]}`)}))
	must(t, s.RecordCaseRun(ctx, learner, "fanvoy", CaseRunData{Choices: []string{"a"}, Ending: "pivot"}))
	must(t, s.RecordCaseRun(ctx, learner, "fanvoy", CaseRunData{Choices: []string{"b"}, Ending: "pivot"}))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestClassRecordsSummariseEachLearnerSeparately(t *testing.T) {
	ctx := context.Background()
	s := openCourse(t, "c")
	if _, err := s.EnsureLearner(ctx, LocalLearnerKey, ""); err != nil { // idle: left out
		t.Fatal(err)
	}
	ada, _ := s.EnsureLearner(ctx, "ssh:SHA256:ada", "")
	bob, _ := s.EnsureLearner(ctx, "ssh:SHA256:bob", "")
	must(t, s.SetLearnerProfile(ctx, ada.ID, "Ada", "42"))
	studentWork(t, s, ada.ID, 2)
	must(t, s.RecordSession(ctx, bob.ID, "ssh"))

	recs, err := s.ClassRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want ada and bob: %+v", len(recs), recs)
	}
	a, b := recs[0], recs[1]
	if a.Name != "Ada" || a.StudentID != "42" || len(a.Lessons) != 2 {
		t.Errorf("ada = %+v", a)
	}
	if q := a.Quiz["ch01"]; q.Answered != 2 || q.Correct != 1 || q.Attempts != 1 || q.BestScore != 0.5 {
		t.Errorf("ada quiz = %+v", q)
	}
	if e := a.Exercises["ex1"]; !e.Passed || e.Hints != 1 || e.BestPoints != 8 || e.MaxPoints != 10 || e.Attempts != 1 {
		t.Errorf("ada exercise = %+v", e)
	}
	if a.Answers["ch01"] != 1 || len(a.Endings["fanvoy"]) != 1 {
		t.Errorf("ada answers %v endings %v", a.Answers, a.Endings)
	}
	if b.Events != 1 || b.LastSeen.IsZero() || len(b.Lessons) != 0 || len(b.Quiz) != 0 {
		t.Errorf("bob = %+v", b)
	}
	if err := s.SetLearnerProfile(ctx, 999, "x", ""); !errors.Is(err, ErrNoLearner) {
		t.Errorf("profile of a missing learner: %v", err)
	}
}

func exportBytes(t *testing.T, s *Store, learner int64, name, sid string) []byte {
	t.Helper()
	p, err := s.Export(context.Background(), learner, ExportLearner{Name: name, StudentID: sid}, ExportCourse{ID: "c", Version: "1"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	must(t, WriteExport(&buf, p))
	return buf.Bytes()
}

func tableCounts(t *testing.T, s *Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range []string{"learners", "events", "lesson_progress", "quiz_answers", "quiz_results", "cards", "journal", "journal_revisions", "exercise_state", "exercise_attempts", "case_runs"} {
		var n int
		if err := s.db.QueryRow("SELECT count(*) FROM " + tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tbl] = n
	}
	return out
}

func TestExportImportRoundTripIsIdempotent(t *testing.T) {
	ctx := context.Background()
	ann := openCourse(t, "c")
	annL, _ := ann.EnsureLearner(ctx, LocalLearnerKey, "")
	studentWork(t, ann, annL.ID, 3)
	ben := openCourse(t, "c")
	benL, _ := ben.EnsureLearner(ctx, LocalLearnerKey, "")
	studentWork(t, ben, benL.ID, 1)

	annFile := exportBytes(t, ann, annL.ID, "Ann", "7")
	// The export id is created once per install and reused.
	k1, _ := ann.ExportID(ctx, annL.ID)
	k2, _ := ann.ExportID(ctx, annL.ID)
	if k1 != k2 || !strings.HasPrefix(k1, ExportKeyPrefix) {
		t.Fatalf("export ids %q %q", k1, k2)
	}
	benFile := exportBytes(t, ben, benL.ID, "Ben", "8")

	inst := openCourse(t, "c")
	read := func(b []byte) *ExportPayload {
		p, err := ReadExport(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	res, err := inst.Import(ctx, "c", []*ExportPayload{read(annFile), read(benFile)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || !res[0].NewLearner || res[0].Added != res[0].Events || res[0].Added == 0 || res[1].LearnerID == res[0].LearnerID {
		t.Fatalf("first import: %+v", res)
	}
	after := tableCounts(t, inst)
	recs, _ := inst.ClassRecords(ctx)
	if len(recs) != 2 || recs[0].Name != "Ann" || len(recs[0].Lessons) != 3 || recs[1].Name != "Ben" || len(recs[1].Lessons) != 1 {
		t.Fatalf("records after import: %+v", recs)
	}
	// The projections match the student's own database.
	src, _ := ann.ClassRecords(ctx)
	if got, want := recs[0].Quiz["ch01"], src[0].Quiz["ch01"]; got != want {
		t.Errorf("quiz tally %+v, student had %+v", got, want)
	}
	if got, want := recs[0].Exercises["ex1"], src[0].Exercises["ex1"]; got != want {
		t.Errorf("exercise tally %+v, student had %+v", got, want)
	}

	// Twice: nothing changes.
	res, err = inst.Import(ctx, "c", []*ExportPayload{read(annFile), read(benFile)})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Added != 0 || res[1].Added != 0 || res[0].NewLearner {
		t.Fatalf("second import: %+v", res)
	}
	if again := tableCounts(t, inst); !equalCounts(again, after) {
		t.Fatalf("second import changed the database: %v -> %v", after, again)
	}

	// A later export of the same install adds only the new events, to the same learner.
	must(t, ann.FinishLesson(ctx, annL.ID, "l9"))
	res, err = inst.Import(ctx, "c", []*ExportPayload{read(exportBytes(t, ann, annL.ID, "", ""))})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Added != 1 || res[0].NewLearner || res[0].Name != "Ann" {
		t.Fatalf("incremental import: %+v", res[0])
	}
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

func TestImportRefusesDamagedEditedAndForeignFiles(t *testing.T) {
	ctx := context.Background()
	stu := openCourse(t, "c")
	l, _ := stu.EnsureLearner(ctx, LocalLearnerKey, "")
	studentWork(t, stu, l.ID, 1)
	good := exportBytes(t, stu, l.ID, "Ann", "7")

	cases := map[string][]byte{
		"truncated":      good[:len(good)/2],
		"edited payload": bytes.Replace(good, []byte(`"Ann"`), []byte(`"Amy"`), 1),
		"edited score":   bytes.Replace(good, []byte(`"points":8`), []byte(`"points":10`), 1),
		"not json":       []byte("hello"),
		"newer version":  bytes.Replace(good, []byte(`"version":1,"sha256"`), []byte(`"version":9,"sha256"`), 1),
		"empty":          nil,
	}
	for name, b := range cases {
		if name != "truncated" && name != "not json" && name != "empty" && bytes.Equal(b, good) {
			t.Fatalf("%s: the edit did not apply", name)
		}
		if _, err := ReadExport(bytes.NewReader(b)); !errors.Is(err, ErrBadExport) {
			t.Errorf("%s: err = %v, want ErrBadExport", name, err)
		}
	}

	inst := openCourse(t, "c")
	p, err := ReadExport(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Import(ctx, "other-course", []*ExportPayload{p}); !errors.Is(err, ErrOtherCourse) {
		t.Fatalf("other course: %v", err)
	}
	// A file whose checksum holds but whose event cannot be applied is refused as a whole:
	// the good file imported with it is rolled back too.
	bad, _ := ReadExport(bytes.NewReader(good))
	bad.Learner.Key = "export:other"
	for i := range bad.Events {
		if bad.Events[i].Kind == KindQuizAnswered {
			bad.Events[i].Data = json.RawMessage(`[1]`)
			bad.Events[i].UID += "x"
		}
	}
	if _, err := inst.Import(ctx, "c", []*ExportPayload{p, bad}); !errors.Is(err, ErrBadExport) {
		t.Fatalf("unappliable event: %v", err)
	}
	if n := tableCounts(t, inst); n["learners"] != 0 || n["events"] != 0 {
		t.Fatalf("a refused import left rows behind: %v", n)
	}
}
