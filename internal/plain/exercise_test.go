package plain

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An exercise through accessible mode: the task read out, a check with one line per
// check, a hint, a cancelled reset, a fix, a passing check, the solution; and the store
// records it all as the full-screen app does.
func TestExerciseCheckHintAndSolution(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lv := e.live(func(s *Session) error { return s.Run() })
	lv.send(option(t, lv.expect("h for help."), "Chapter 1"))
	chapter := lv.expect("h for help.")
	mustContain(t, chapter, "Exercises: 1 automation exercise, 0 passed.")
	lv.send(option(t, chapter, "Exercises"))
	list := lv.expect("h for help.")
	mustContain(t, list, "Heading level 1: Automation exercises: Getting started", "1. Say hello. In bash. New.")
	lv.send("1")
	ex := lv.expect("h for help.")
	dir := filepath.Join(e.workspace, "ex-hello")
	mustContain(t, ex, "Heading level 1: Exercise: Say hello", "Write a script that greets.",
		"Edit hello.sh in "+dir+", with any editor.", "Status: Started.", "1. Hear the task.", "2. Check your work now.",
		"3. Watch: check every time you save", "4. Get a hint: hint 1 of 3, a nudge.", "Give up and hear the reference solution.")
	if _, err := os.Stat(filepath.Join(dir, "hello.sh")); err != nil {
		t.Fatal("starter not copied:", err)
	}
	lv.send("1")
	mustContain(t, lv.expect("h for help."), "Heading level 1: Say hello", "Make hello.sh print hello.")
	lv.send("c")
	rep := lv.expect("h for help.")
	mustContain(t, rep, "Checking 2 criteria in the sandbox.",
		"Fail: hello.sh prints hello, 0 of 1 point. hello.sh must print hello.",
		"Pass: hello.sh exits with status 0, 1 of 1 point.",
		"Not yet: 1 of 2 points.", "Isolation: ", "Last check: not yet, 1 of 2 points.")
	lv.send(option(t, rep, "Get a hint"))
	hint := lv.expect("h for help.")
	mustContain(t, hint, "Hint 1 of 3, a nudge:\nLook at what hello.sh prints now.", "Status: Not passed yet, 1 attempt. 1 of 3 hints seen.",
		"Get a hint: hint 2 of 3, the concept.", "Hear the hints you have seen.")
	lv.send(option(t, hint, "Reset to the starter files"))
	lv.expect("Anything else keeps your files.")
	lv.send("no")
	mustContain(t, lv.expect("h for help."), "Nothing changed.")
	if err := os.WriteFile(filepath.Join(dir, "hello.sh"), []byte("echo hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lv.send("c")
	rep = lv.expect("h for help.")
	mustContain(t, rep, "Pass: hello.sh prints hello, 1 of 1 point.", "All checks pass: 2 of 2 points. The reference solution is unlocked",
		"Status: Passed.", "Hear the reference solution.")
	lv.send(option(t, rep, "Hear the reference solution"))
	mustContain(t, lv.expect("h for help."), "The reference solution, 1 file:", "File hello.sh:\n#!/bin/bash\necho hello\nEnd of file hello.sh.",
		"The solution's files are also in ")
	lv.send("b")
	mustContain(t, lv.expect("h for help."), "1. Say hello. In bash. Passed.")
	lv.end()
	st, _ := e.st.Exercises(ctx, e.learner)
	if s := st["ex-hello"]; !s.Passed || s.Attempts != 2 || s.Hints != 1 || !s.Revealed || s.GaveUp {
		t.Fatalf("stored state = %+v", s)
	}
}

// Watch checks at once and again on every save, until enter.
func TestExerciseWatch(t *testing.T) {
	e := newEnv(t)
	lv := e.live(func(s *Session) error {
		ex, _ := s.cat.Exercise("ex-hello")
		if err := s.exercise(ex); !errors.Is(err, ErrQuit) {
			return err
		}
		return nil
	})
	lv.send(option(t, lv.expect("h for help."), "Watch"))
	mustContain(t, lv.expect("Still watching. Press enter to stop."), "Press enter to stop watching.", "Not yet: 1 of 2 points.")
	// Give the watcher time to start, then save a fix.
	time.Sleep(200 * time.Millisecond)
	if err := os.WriteFile(filepath.Join(e.workspace, "ex-hello", "hello.sh"), []byte("echo hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustContain(t, lv.expect("Still watching. Press enter to stop."), "All checks pass: 2 of 2 points.")
	lv.send("")
	out := lv.expect("h for help.")
	mustContain(t, out, "Watch off.", "Status: Passed.")
	if strings.Count(out, "Checked at") != 0 {
		t.Fatalf("a check reported after the watch stopped:\n%s", out)
	}
	lv.end()
}
