package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/internal/store"
)

// portfolioFixture writes a small course and a home whose learner passed one exercise,
// with its workspace, and answered a quiz question.
func portfolioFixture(t *testing.T) (courseDir, home string) {
	t.Helper()
	courseDir, home = t.TempDir(), t.TempDir()
	files := map[string]string{
		"course.yaml":                  "id: demo\ntitle: Demo Course\nversion: 1.0.0\ndescription: A tiny course.\nchapters:\n  - 01-one\n",
		"chapters/01-one/chapter.yaml": "id: ch01\nnumber: 1\ntitle: Getting started\nsummary: The first steps.\nminutes: 20\nobjectives:\n  - Start\n",
		"chapters/01-one/01-a.md":      "---\nid: l1\ntitle: First lesson\nminutes: 5\nobjectives:\n  - Read\n---\n# First lesson\n\nText.\n",
		"chapters/01-one/quiz.yaml":    "questions:\n  - id: q1\n    type: single\n    prompt: Which?\n    options:\n      - {id: a, text: A}\n      - {id: b, text: B}\n    answer: b\n    explanation: B.\n    lesson: l1\n",
	}
	for name, body := range files {
		p := filepath.Join(courseDir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(home, "progress.db"), store.Options{CourseID: "demo", CourseVersion: "1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l, err := st.EnsureLearner(ctx, store.LocalLearnerKey, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishLesson(ctx, l.ID, "l1"); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordAnswer(ctx, l.ID, "q1", store.AnswerData{ChapterID: "ch01", Correct: true, Source: "quiz"}); err != nil {
		t.Fatal(err)
	}
	report := json.RawMessage(`{"results":[{"name":"It runs","status":"pass","points":1,"max_points":1}]}`)
	if err := st.RecordCheck(ctx, l.ID, "ex-demo", store.ExerciseCheckData{ChapterID: "ch01", Passed: true, Points: 1, MaxPoints: 1, Report: report}); err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(home, "workspace", "ex-demo")
	os.MkdirAll(ws, 0o755)
	os.WriteFile(filepath.Join(ws, "run.sh"), []byte("#!/bin/sh\necho ok\n"), 0o644)
	return courseDir, home
}

func TestPortfolioLinkAndExport(t *testing.T) {
	courseDir, home := portfolioFixture(t)
	cmd := func(args ...string) (string, string, int) {
		return run(t, home, append([]string{"--course", courseDir}, args...)...)
	}
	cases := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"link", []string{"portfolio", "link", "ex-demo", "--repo", " https://github.com/ada/demo "}, 0, "repository  https://github.com/ada/demo", ""},
		{"link keeps the other", []string{"portfolio", "link", "ex-demo", "--video", "https://youtu.be/x1"}, 0, "video       https://youtu.be/x1", ""},
		{"show links", []string{"portfolio", "link", "ex-demo"}, 0, "repository  https://github.com/ada/demo", ""},
		{"http refused", []string{"portfolio", "link", "ex-demo", "--repo", "http://github.com/ada/demo"}, 2, "", "only https"},
		{"credentials refused", []string{"portfolio", "link", "ex-demo", "--video", "https://me:pw@youtu.be/x"}, 2, "", "user name or password"},
		{"unknown id", []string{"portfolio", "link", "nope", "--repo", "https://github.com/a/b"}, 1, "", `no exercise or case study with id "nope"`},
		{"no id", []string{"portfolio", "link"}, 2, "", "takes 1 argument"},
		{"bad format", []string{"portfolio", "--format", "pdf"}, 2, "", "--format must be md, html or both"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := cmd(tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if tc.inStdout != "" && !strings.Contains(out, tc.inStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.inStdout, out)
			}
			if tc.inStderr != "" && !strings.Contains(errOut, tc.inStderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.inStderr, errOut)
			}
		})
	}

	dir := filepath.Join(t.TempDir(), "pf")
	out, errOut, code := cmd("portfolio", "--out", dir, "--name", "Ada")
	if code != 0 {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "Wrote "+dir) || !strings.Contains(out, "1 solution file(s)") {
		t.Errorf("report:\n%s", out)
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	for _, want := range []string{"# Ada · MLOps portfolio", "### ex-demo", "[Repository](https://github.com/ada/demo)", "(exercises/ex-demo/run.sh)", "| It runs | ✓ pass | 1/1 |"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q:\n%s", want, readme)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := cmd("portfolio", "--out", dir); code != 1 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("second export: %d %s", code, errOut)
	}
	out, errOut, code = cmd("portfolio", "--out", dir, "--force", "--format", "md", "--json")
	if code != 0 {
		t.Fatalf("forced export: %d %s", code, errOut)
	}
	var res struct {
		Written []string `json:"written"`
		Removed []string `json:"removed"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Removed) != 1 || res.Removed[0] != "index.html" {
		t.Fatalf("forced export JSON: %v\n%s", err, out)
	}
}

func TestProgressJSONHasStreakAndActivity(t *testing.T) {
	courseDir, home := portfolioFixture(t)
	out, errOut, code := run(t, home, "--course", courseDir, "progress", "--json")
	if code != 0 {
		t.Fatalf("progress: %d %s", code, errOut)
	}
	var rep ProgressReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	today := time.Now().Format(time.DateOnly)
	if rep.Streak.Current != 1 || !rep.Streak.ActiveToday || rep.Streak.LastActive != today {
		t.Errorf("streak = %+v", rep.Streak)
	}
	if rep.Activity.To != today || len(rep.Activity.Days) != 1 || rep.Activity.Days[0].Events < 3 {
		t.Errorf("activity = %+v", rep.Activity)
	}
	if len(rep.QuizWeekly) != progressQuizWeeks || rep.QuizWeekly[len(rep.QuizWeekly)-1].Correct != 1 {
		t.Errorf("quiz weekly = %+v", rep.QuizWeekly)
	}
	ch := rep.Chapters[0]
	if ch.Exercises.Passed != 1 || ch.LessonsFinished != 1 || rep.Totals.ExercisesPassed != 1 {
		t.Errorf("chapter = %+v totals = %+v", ch, rep.Totals)
	}
	// The fields that were there before are still there.
	var raw map[string]any
	json.Unmarshal([]byte(out), &raw)
	for _, k := range []string{"course", "learner", "chapters", "case_studies", "totals", "streak", "activity", "quiz_weekly"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("progress JSON lacks %q", k)
		}
	}
	text, _, code := run(t, home, "--course", courseDir, "progress")
	if code != 0 || !strings.Contains(text, "Streak: 1 day(s) (best 1), today done.") || !strings.Contains(text, "less · ░ ▒ ▓ █ more") || !strings.Contains(text, "EXERCISES") {
		t.Fatalf("progress text:\n%s", text)
	}
}
