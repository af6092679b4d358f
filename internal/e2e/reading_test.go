package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A learner opens the app, reads the first lesson to its end, quits, and finds it
// finished in `kaizen progress --json`.
func TestReadFirstLessonAndSeeProgress(t *testing.T) {
	home := t.TempDir()
	tm := start(t, home, 100, 30)
	tm.waitFor("Introduction to MLOps", 10*time.Second)
	tm.send("j")
	tm.send(keyEnter)
	tm.waitFor("You will be able to", 5*time.Second)
	tm.send(keyEnter)
	tm.waitFor("lesson 1/", 5*time.Second)
	tm.waitFor("In this lesson you will", 5*time.Second) // the rendered text, not just the frame
	tm.send("G")
	tm.waitFor("100%", 5*time.Second)
	tm.waitFor("Lesson finished", 5*time.Second)
	tm.send("q")
	tm.waitExit(5 * time.Second)

	out, errOut, code := runCLI(t, home, "progress", "--json")
	if code != 0 {
		t.Fatalf("progress exit %d: %s", code, errOut)
	}
	var rep struct {
		Chapters []struct {
			ID              string `json:"id"`
			LessonsFinished int    `json:"lessons_finished"`
			Lessons         []struct {
				ID       string `json:"id"`
				Finished bool   `json:"finished"`
				Seconds  int64  `json:"seconds"`
			} `json:"lessons"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("progress JSON: %v\n%s", err, out)
	}
	if rep.Chapters[0].ID != "ch01" || rep.Chapters[0].LessonsFinished != 1 || !rep.Chapters[0].Lessons[0].Finished {
		t.Fatalf("first lesson not finished: %s", out)
	}
}

func TestNoTTYPointsToReadAndProgress(t *testing.T) {
	_, errOut, code := runCLI(t, t.TempDir())
	if code != 1 || !strings.Contains(errOut, "kaizen read") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestReadPipedIsPlainText(t *testing.T) {
	out, errOut, code := runCLI(t, t.TempDir(), "read", "ch01-what-is-mlops")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "\x1b[") {
		t.Fatal("piped output has escape codes")
	}
	if !strings.Contains(out, "MLOps") {
		t.Fatalf("unexpected output: %.200s", out)
	}
	_, errOut, code = runCLI(t, t.TempDir(), "read", "no-such-lesson")
	if code != 1 || !strings.Contains(errOut, `"no-such-lesson"`) {
		t.Fatalf("unknown id: exit %d, %q", code, errOut)
	}
	_, _, code = runCLI(t, t.TempDir(), "read")
	if code != 2 {
		t.Fatalf("missing argument: exit %d, want 2", code)
	}
}

func TestTerminalTooSmallThenResize(t *testing.T) {
	tm := start(t, t.TempDir(), 30, 8)
	tm.waitFor("Terminal too small", 10*time.Second)
	tm.send("q")
	tm.waitExit(5 * time.Second)
}

// Killing kaizen with SIGKILL at any moment loses nothing already saved and leaves the
// database healthy.
func TestKillNineKeepsProgressAndTheDatabase(t *testing.T) {
	home := t.TempDir()
	tm := start(t, home, 100, 30)
	tm.waitFor("Introduction to MLOps", 10*time.Second)
	tm.send(keyEnter) // "Start: the first lesson"
	tm.waitFor("In this lesson you will", 5*time.Second)
	tm.send("G")
	tm.waitFor("Lesson finished", 5*time.Second)
	for i := 0; i < 20; i++ { // keep it busy while it dies
		tm.send("k")
	}
	if err := tm.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	tm.waitExit(5 * time.Second)
	out, errOut, code := runCLI(t, home, "progress", "--json")
	if code != 0 || !strings.Contains(out, `"finished": true`) {
		t.Fatalf("progress after kill -9: exit %d %s\n%.400s", code, errOut, out)
	}
	out, _, _ = runCLI(t, home, "doctor")
	if !strings.Contains(out, "✓ integrity") {
		t.Fatalf("doctor after kill -9:\n%s", out)
	}
}

// A returning learner's first frame is the finished home screen: it already says where they
// left off (the progress is read with the course, not a frame later), and it comes from the
// course index cache the first start wrote.
func TestReturningLearnersFirstFrameShowsWhereTheyLeftOff(t *testing.T) {
	home := t.TempDir()
	tm := start(t, home, 100, 30)
	tm.waitFor("Start: What is MLOps?", 10*time.Second)
	tm.send(keyEnter) // the first lesson
	tm.waitFor("lesson 1/", 5*time.Second)
	tm.send("q")
	tm.waitExit(5 * time.Second)
	if _, err := os.Stat(filepath.Join(home, "kaizen", "cache", "index-embedded.bin")); err != nil {
		t.Fatalf("the first start wrote no index cache: %v", err)
	}

	tm = start(t, home, 100, 30)
	tm.waitShown("Introduction to MLOps", 10*time.Second)
	first := tm.screen()
	if !strings.Contains(first, "Continue: What is MLOps?") || strings.Contains(first, "Start:") {
		t.Fatalf("the first frame does not say where the learner left off:\n%s", first)
	}
	tm.send("q")
	tm.waitExit(5 * time.Second)
}

// On a terminal, `kaizen exercise list` cuts long titles to its width instead of wrapping.
func TestExerciseListFitsTheTerminal(t *testing.T) {
	tm := start(t, t.TempDir(), 80, 60, "exercise", "list")
	tm.waitExit(10 * time.Second)
	screen := tm.screen()
	if !strings.Contains(screen, "ex12-influence-payouts") || !strings.Contains(screen, "…") {
		t.Fatalf("no cut titles:\n%s", screen)
	}
	for _, line := range strings.Split(screen, "\n") {
		// Every row starts with an exercise id (or is the header): a wrapped row would not.
		if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "ID ") && !strings.HasPrefix(line, "ex") {
			t.Fatalf("a row wrapped onto the next line: %q\n%s", line, screen)
		}
	}
}
