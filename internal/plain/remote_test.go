package plain

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Over SSH the learner cannot open the workspace's files: they hear a file and write it by
// typing or pasting it, and no server path is said.
func TestRemoteExerciseHearWriteAndCheck(t *testing.T) {
	e := newEnv(t)
	e.remote = true
	lv := e.live(exerciseUntilEnd("ex-hello"))
	ex := lv.expect("h for help.")
	mustContain(t, ex, "Your file: hello.sh. Hear a file to listen to it; write a file to type or paste a new version of it.",
		"Hear a file, line by line with line numbers.", "Write a file: type or paste all of it, then a line with only a period.",
		"Check your work now.")
	for _, bad := range []string{e.workspace, "Watch:", "with any editor"} {
		if strings.Contains(ex, bad) {
			t.Errorf("a remote session says %q:\n%s", bad, ex)
		}
	}
	lv.send(option(t, ex, "Hear a file"))
	heard := lv.expect("h for help.")
	mustContain(t, heard, "File hello.sh, ", "1: ", "End of file hello.sh.")

	lv.send(option(t, heard, "Write a file"))
	lv.expect("End with a line holding only a period.")
	lv.send("#!/bin/bash", "\techo hello", "..", ".")
	wrote := lv.expect("h for help.")
	mustContain(t, wrote, "Wrote 3 lines to hello.sh.")
	data, err := os.ReadFile(filepath.Join(e.workspace, "ex-hello", "hello.sh"))
	if err != nil || string(data) != "#!/bin/bash\n\techo hello\n.\n" {
		t.Fatalf("hello.sh = %q, %v", data, err)
	}
	lv.send(option(t, wrote, "Hear a file"))
	mustContain(t, lv.expect("h for help."), "File hello.sh, 3 lines:", "2: [tab]echo hello", "3: .")

	// A text that ends with the input (the connection dropped) writes nothing.
	lv.send(option(t, wrote, "Write a file"))
	lv.expect("End with a line holding only a period.")
	lv.send("echo half a file")
	lv.end()
	data, _ = os.ReadFile(filepath.Join(e.workspace, "ex-hello", "hello.sh"))
	if string(data) != "#!/bin/bash\n\techo hello\n.\n" {
		t.Fatalf("an unfinished text was written: %q", data)
	}
}

func TestRemoteWriteAndCheckPass(t *testing.T) {
	e := newEnv(t)
	e.remote = true
	lv := e.live(exerciseUntilEnd("ex-hello"))
	ex := lv.expect("h for help.")
	lv.send(option(t, ex, "Write a file"))
	lv.expect("only a period.")
	lv.send("echo hello", ".")
	lv.expect("Wrote 1 line to hello.sh.")
	lv.expect("h for help.")
	lv.send("c")
	rep := lv.expect("h for help.")
	mustContain(t, rep, "All checks pass: 2 of 2 points.")
	lv.send(option(t, rep, "Reset to the starter files"))
	lv.expect("Anything else keeps your files.")
	lv.send("yes")
	reset := lv.expect("h for help.")
	mustContain(t, reset, "Fresh starter files are in place. Your previous work is kept in a backup.")
	lv.send(option(t, reset, "Hear the reference solution"))
	sol := lv.expect("h for help.")
	if strings.Contains(sol, e.workspace) || strings.Contains(sol, "also in") {
		t.Fatalf("the solution names a server path:\n%s", sol)
	}
	lv.end()
}

// exerciseUntilEnd opens an exercise, as its chapter's menu would, until input ends.
func exerciseUntilEnd(id string) func(*Session) error {
	return func(s *Session) error {
		ex, _ := s.cat.Exercise(id)
		if err := s.exercise(ex); !errors.Is(err, ErrQuit) {
			return err
		}
		return nil
	}
}

// A new student of an open class is asked once for a name, which must be a real one.
func TestAskNameFirst(t *testing.T) {
	e := newEnv(t)
	e.askName = true
	out := e.run("", "   ", "Grace  Hopper", "q")
	mustContain(t, out, "What name should your instructor see?", "Sorry: please type a name.", "Thank you, Grace Hopper.", "Heading level 1: Home: Demo Course")
	l, err := e.st.LearnerByID(context.Background(), e.learner)
	if err != nil || l.Name != "Grace Hopper" {
		t.Fatalf("learner = %+v, %v", l, err)
	}
}

// q at the name prompt leaves, as everywhere; it is not taken for a name.
func TestAskNameQuits(t *testing.T) {
	e := newEnv(t)
	e.askName = true
	out := e.run("q")
	mustContain(t, out, "(q quits)", "Goodbye.")
	if strings.Contains(out, "Thank you") {
		t.Fatalf("q was taken for a name:\n%s", out)
	}
	if l, _ := e.st.LearnerByID(context.Background(), e.learner); l.Name != "" {
		t.Fatalf("name = %q", l.Name)
	}
}

// A line that never ends cannot fill memory: it is cut at MaxLineBytes and the session goes on.
func TestReadLineIsBounded(t *testing.T) {
	long := strings.Repeat("x", 3*MaxLineBytes)
	r := bufio.NewReaderSize(strings.NewReader(long+"\nnext\n"), 4096)
	first, err := readLine(r)
	if err != nil || len(first) != MaxLineBytes || strings.Trim(first, "x") != "" {
		t.Fatalf("first line: %d bytes, %v", len(first), err)
	}
	if second, err := readLine(r); err != nil || second != "next\n" {
		t.Fatalf("second line = %q, %v", second, err)
	}
	if last, err := readLine(r); last != "" || err != io.EOF {
		t.Fatalf("after the end: %q, %v", last, err)
	}
}
