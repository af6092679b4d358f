package portfolio

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/activity"
)

var update = flag.Bool("update", false, "rewrite golden files")

var fixtureNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// fixtureWorkspace writes a learner's workspace for one exercise, with the things the copy
// rules must leave out.
func fixtureWorkspace(t *testing.T, root string) string {
	t.Helper()
	ws := filepath.Join(root, "ex01-makefile")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(ws, "tools"), 0o755))
	must(os.MkdirAll(filepath.Join(ws, "__pycache__"), 0o755))
	must(os.MkdirAll(filepath.Join(ws, ".kaizen"), 0o755))
	must(os.WriteFile(filepath.Join(ws, "Makefile"), []byte(".PHONY: all test\nall: test\ntest:\n\tpython3 -m unittest -v\n"), 0o644))
	must(os.WriteFile(filepath.Join(ws, "test_hello.py"), []byte("import unittest\n"), 0o644))
	must(os.WriteFile(filepath.Join(ws, "tools", "lint.py"), []byte("print('ok')\n"), 0o644))
	must(os.WriteFile(filepath.Join(ws, ".env"), []byte("TOKEN=secret\n"), 0o600))
	must(os.WriteFile(filepath.Join(ws, ".kaizen", "seed"), []byte("42\n"), 0o644))
	must(os.WriteFile(filepath.Join(ws, "__pycache__", "x.pyc"), []byte("bytecode"), 0o644))
	must(os.WriteFile(filepath.Join(ws, "model.bin"), bytes.Repeat([]byte{1}, 300<<10), 0o644))
	secret := filepath.Join(root, "outside-secret.txt")
	must(os.WriteFile(secret, []byte("private\n"), 0o600))
	must(os.Symlink(secret, filepath.Join(ws, "notes.txt")))
	return ws
}

// fixtureModel is a learner half-way through a small course.
func fixtureModel(t *testing.T) *Model {
	t.Helper()
	ws := fixtureWorkspace(t, t.TempDir())
	today := activity.DayOf(fixtureNow)
	at := func(daysAgo, hour int) time.Time {
		return fixtureNow.AddDate(0, 0, -daysAgo).Truncate(24 * time.Hour).Add(time.Duration(hour) * time.Hour)
	}
	m := &Model{
		Course:  Course{ID: "demo", Title: "Demo Course", Version: "1.0.0"},
		Learner: "Ada Lovelace",
		Now:     fixtureNow,
		Chapters: []Chapter{
			{ID: "ch01", Number: "1", Title: "Getting started", Lessons: 2, LessonsDone: 2, Seconds: 1500, Questions: 4, QuestionsSeen: 4, Answered: 5, Correct: 4, Exercises: 2, ExercisesPassed: 1, Prompts: 2, PromptsAnswered: 1, Due: 1},
			{ID: "ch02", Number: "2", Title: "Monitoring | drift", Lessons: 3, LessonsDone: 1, Seconds: 4000, Questions: 3, Exercises: 1, ExercisesPassed: 1, Prompts: 1},
			{ID: "ch03", Number: "3", Title: "Not written yet"},
		},
		Exercises: []Exercise{
			{
				ID: "ex01-makefile", ChapterID: "ch01", Title: "A Makefile that installs, lints and tests", Language: "make", Known: true,
				Summary: "Give a small Python project the make targets every CI system can call.",
				Started: true, Passed: true, PassedAt: at(1, 15), Attempts: 3, Points: 6, MaxPoints: 6,
				Checks: []Check{
					{Name: "The Makefile has install, lint, test and all targets", Status: "pass", Points: 2, MaxPoints: 2},
					{Name: "make test fails when a test fails", Status: "pass", Points: 3, MaxPoints: 3},
					{Name: "make all runs in order", Status: "pass", Points: 1, MaxPoints: 1},
				},
				Links:     Links{Repo: "https://github.com/ada/mlops-makefile", Video: "https://www.youtube.com/watch?v=abc123&t=4s"},
				Workspace: ws,
			},
			{ID: "ex02-ci", ChapterID: "ch01", Title: "A CI workflow", Language: "bash", Known: true, Started: true, Attempts: 2},
			{ID: "ex03-drift", ChapterID: "ch02", Title: "A drift check", Language: "python3", Known: true, Summary: "Compare two samples.", Passed: true, PassedAt: at(0, 9), Attempts: 1,
				Links: Links{Repo: "javascript:alert(1)"}, Workspace: filepath.Join(t.TempDir(), "gone")},
		},
		Cases: []Case{
			{ID: "fanvoy", Title: "Fanvoy: growth at any cost", Summary: "A social app chases growth.", Endings: 4,
				Links: Links{Repo: "https://github.com/ada/fanvoy-notes"},
				Runs: []Run{
					{At: at(3, 20), Ending: "sold", EndingTitle: "Acquired", Decisions: []Decision{{Scene: "Launch", Choice: "Ship now", Taught: "Speed has a cost"}, {Scene: "Scale", Choice: "Buy GPUs"}}},
					{At: at(2, 20), Ending: "audit", EndingTitle: "The audit", Decisions: []Decision{{Scene: "Launch", Choice: "Add monitoring first"}}},
					{At: at(1, 20), Ending: "sold", EndingTitle: "Acquired", Decisions: []Decision{{Scene: "Launch", Choice: "Ship now"}, {Scene: "Scale", Choice: "Rent GPUs"}}},
				}},
			{ID: "unplayed", Title: "Never played", Endings: 2},
		},
		Essays: []Essay{
			{PromptID: "ch01-d-shelf", ChapterID: "ch01", Prompt: "Your team trained fourteen models and none serves users. What would you measure on Monday?",
				Traits: []string{"Intellectual humility", "Intellectual integrity"}, Body: "We counted experiments, not outcomes.\n\nOn Monday I would track *models in production*.", SavedAt: at(4, 11), Revisions: 2},
		},
		Activity: activity.Counts{today: 3, today - 1: 5, today - 2: 1, today - 10: 2, today - 40: 7},
		Answers: []activity.Sample{
			{At: at(0, 9), OK: true}, {At: at(1, 9), OK: true}, {At: at(1, 10), OK: false},
			{At: at(10, 9), OK: true}, {At: at(10, 9), OK: true},
		},
		DueCards: 1, Cards: 9,
	}
	return m
}
