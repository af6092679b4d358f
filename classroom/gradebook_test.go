package classroom

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func testCourse() Course {
	return Course{
		ID: "demo", Title: "Demo Course", Version: "1.0.0",
		Chapters: []Chapter{
			{ID: "ch01", Number: "1", Title: "Start", Lessons: []string{"l1", "l2", "l3"}, Questions: 4, Prompts: 2},
			{ID: "ch02", Number: "2", Title: "Later", Lessons: []string{"l4"}},
		},
		Cases:     []Case{{ID: "fanvoy", Title: "Fanvoy", Endings: 3}},
		Exercises: []Exercise{{ID: "ex1", ChapterID: "ch01", Title: "Makefile", Points: 10}},
	}
}

func testRecords() []Record {
	seen := now.Add(-time.Hour)
	return []Record{
		{
			LearnerID: 2, Key: "ssh:SHA256:bob", Name: "Bob", StudentID: "10",
			Lessons: []string{"l1", "gone-lesson"},
			Quiz:    map[string]QuizTally{"ch01": {Answered: 4, Correct: 1}},
			Exercises: map[string]ExerciseTally{
				"ex1": {ChapterID: "ch01", Attempts: 3, BestPoints: 4, MaxPoints: 10, Hints: 2},
				"ex2": {ChapterID: "ch02", Attempts: 1, BestPoints: 5, MaxPoints: 5, Passed: true},
			},
			Answers:  map[string]int{"ch01": 1},
			Endings:  map[string][]string{"fanvoy": {"pivot", "pivot", "shutdown"}},
			LastSeen: seen, FirstSeen: seen,
		},
		{
			LearnerID: 1, Key: "ssh:SHA256:ada", Name: "Ada", StudentID: "9",
			Lessons:   []string{"l1", "l2", "l3", "l4"},
			Quiz:      map[string]QuizTally{"ch01": {Answered: 5, Correct: 4, Attempts: 1, BestScore: 0.75}},
			Exercises: map[string]ExerciseTally{"ex1": {ChapterID: "ch01", Attempts: 1, BestPoints: 10, MaxPoints: 10, Passed: true}},
			Answers:   map[string]int{"ch01": 5}, // more than the prompts: capped
			Endings:   map[string][]string{},
			LastSeen:  now, FirstSeen: seen,
		},
		{LearnerID: 3, Key: "export:abc", StudentID: "2"},
	}
}

func TestBuild(t *testing.T) {
	gb := Build(testCourse(), testRecords(), now)
	var ids []string
	for _, it := range gb.Items {
		ids = append(ids, it.ID+"="+num(it.Points))
	}
	if got, want := strings.Join(ids, " "), "lessons=4 quiz:ch01=10 exercise:ex1=10 exercise:ex2=5 discussion=2 case:fanvoy=3"; got != want {
		t.Fatalf("items\n got %s\nwant %s", got, want)
	}
	if len(gb.Rows) != 3 || gb.Rows[0].Name != "Ada" || gb.Rows[1].Name != "Bob" || gb.Rows[2].DisplayName() != "student 2" {
		t.Fatalf("rows not sorted by name: %+v", gb.Rows)
	}
	ada, bob, nobody := gb.Rows[0], gb.Rows[1], gb.Rows[2]
	tests := []struct {
		name      string
		got, want any
	}{
		{"ada lessons", ada.Lessons, Count{4, 4}},
		{"ada quiz accuracy", ada.QuizAccuracy, 0.8},
		{"ada quiz grade", ada.Grades["quiz:ch01"], 8.0},
		{"ada discussion capped", ada.Discussion, Count{2, 2}},
		{"ada exercises", ada.Exercises, ExerciseSummary{Passed: 1, Started: 1, Total: 2, Attempts: 1}},
		{"ada total", ada.Total, 4 + 8 + 10 + 0 + 2 + 0.0},
		{"bob lessons ignore unknown ids", bob.Lessons, Count{1, 4}},
		{"bob quiz grade", bob.Grades["quiz:ch01"], 2.5},
		{"bob exercise points", bob.Grades["exercise:ex1"], 4.0},
		{"bob extra exercise", bob.Grades["exercise:ex2"], 5.0},
		{"bob hints", bob.Exercises.Hints, 2},
		{"bob endings are distinct", bob.Endings, Count{2, 3}},
		{"bob total", bob.Total, 1 + 2.5 + 4 + 5 + 1 + 2.0},
		{"possible", bob.Possible, 34.0},
		{"nobody", nobody.Total, 0.0},
		{"nobody never seen", nobody.LastSeen == nil, true},
		{"per-chapter quiz entries", len(ada.Quiz), 1},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestSortRows(t *testing.T) {
	gb := Build(testCourse(), testRecords(), now)
	order := func() string {
		var n []string
		for _, r := range gb.Rows {
			n = append(n, r.DisplayName())
		}
		return strings.Join(n, ",")
	}
	tests := []struct {
		by   SortKey
		desc bool
		want string
	}{
		{SortName, false, "Ada,Bob,student 2"},
		{SortName, true, "student 2,Bob,Ada"},
		{SortStudentID, false, "student 2,Ada,Bob"}, // 2 < 9 < 10, numerically
		{SortLessons, true, "Ada,Bob,student 2"},
		{SortQuiz, false, "student 2,Bob,Ada"},
		{SortExercises, true, "Ada,Bob,student 2"}, // same passes: fewer hints first
		{SortEndings, true, "Bob,Ada,student 2"},
		{SortLastSeen, true, "Ada,Bob,student 2"},
		{SortTotal, true, "Ada,Bob,student 2"},
	}
	for _, tc := range tests {
		SortRows(gb.Rows, tc.by, tc.desc)
		if got := order(); got != tc.want {
			t.Errorf("sort by %v desc=%v: %s, want %s", tc.by, tc.desc, got, tc.want)
		}
	}
	if len(SortKeys()) != int(sortKeys) || SortTotal.String() != "total" {
		t.Error("sort keys")
	}
}

func TestWriteCSVForAnLMS(t *testing.T) {
	recs := testRecords()
	recs[0].Name = "=HYPERLINK(\"x\")"
	gb := Build(testCourse(), recs, now)
	var buf bytes.Buffer
	if err := Write(&buf, gb, "csv"); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lessons finished (lessons)", "Quiz 1: Start (quiz:ch01)", "Exercise: Makefile (exercise:ex1)", "Exercise: ex2 (exercise:ex2)", "Discussion answers (discussion)", "Case study: Fanvoy (case:fanvoy)"},
		{"Points Possible", "", "", "", "", "4", "10", "10", "5", "2", "3"},
		{"'=HYPERLINK(\"x\")", "", "10", "ssh:SHA256:bob", "", "1", "2.5", "4", "5", "1", "2"},
		{"Ada", "", "9", "ssh:SHA256:ada", "", "4", "8", "10", "0", "2", "0"},
		{"student 2", "", "2", "export:abc", "", "0", "0", "0", "0", "0", "0"},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows:\n%v", len(rows), rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
}

func TestWriteOtherFormats(t *testing.T) {
	recs := testRecords()
	recs[1].Name = "<script>alert(1)</script> | Ada"
	gb := Build(testCourse(), recs, now)
	out := func(format string) string {
		var buf bytes.Buffer
		if err := Write(&buf, gb, format); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}

	table := out("table")
	for _, want := range []string{"NAME", "STUDENT ID", "Q1", "LAST SEEN", "4/4", "80%", "25%", "never", "3 learner(s)"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(strings.Split(table, "\n")[0], "\t") {
		t.Error("table header has tabs")
	}

	var decoded struct {
		FormatVersion int `json:"format_version"`
		Course        struct {
			ID string `json:"id"`
		} `json:"course"`
		Items    []Item `json:"items"`
		Learners []struct {
			Learner string             `json:"learner"`
			Grades  map[string]float64 `json:"grades"`
			Quiz    []ChapterQuiz      `json:"quiz"`
		} `json:"learners"`
	}
	if err := json.Unmarshal([]byte(out("json")), &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded.FormatVersion != 1 || decoded.Course.ID != "demo" || len(decoded.Items) != 6 || len(decoded.Learners) != 3 || decoded.Learners[1].Grades["quiz:ch01"] != 2.5 {
		t.Errorf("json = %+v", decoded)
	}

	md := out("md")
	if !strings.Contains(md, `&lt;script&gt;alert(1)&lt;/script&gt; \| Ada`) || !strings.Contains(md, "| --- | --- | ---: |") {
		t.Errorf("markdown:\n%s", md)
	}

	page := out("html")
	for _, bad := range []string{"<script>", "http://", "https://", "<link", "@import", "src="} {
		if strings.Contains(page, bad) {
			t.Errorf("html contains %q: it must be standalone and escaped", bad)
		}
	}
	for _, want := range []string{"<!doctype html>", "<style>", "&lt;script&gt;", "Q1", "width: 100%"} {
		if !strings.Contains(page, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	if err := Write(&bytes.Buffer{}, gb, "pdf"); err == nil || !strings.Contains(err.Error(), "table, csv, json, md, html") {
		t.Errorf("unknown format: %v", err)
	}
}
