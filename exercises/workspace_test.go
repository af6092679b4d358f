//go:build unix

package exercises

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func workspaceExercise(t *testing.T) *Exercise {
	return testExercise(t, `id: ex-ws
title: t
chapter: ch01
language: bash
files: [answer.txt, run.sh]
`+hintsYAML+"checks:\n  - name: c\n    run: \"true\"\n", map[string]string{
		"starter/answer.txt":  "0\n",
		"starter/run.sh":      "#!/bin/bash\necho todo\n",
		"starter/lib/util.sh": "util\n",
		"solution/answer.txt": "42\n",
		"tests/t":             "x\n",
	})
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStartNeverOverwrites(t *testing.T) {
	ex := workspaceExercise(t)
	root := t.TempDir()
	dir, written, err := Start(ex, root)
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(root, "ex-ws") || len(written) != 3 {
		t.Fatalf("dir %s, written %v", dir, written)
	}
	if st, _ := os.Stat(filepath.Join(dir, "run.sh")); st.Mode().Perm()&0o100 == 0 {
		t.Errorf("a #! script should be executable: %v", st.Mode())
	}
	if err := os.WriteFile(filepath.Join(dir, "answer.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "lib/util.sh")); err != nil {
		t.Fatal(err)
	}
	_, written, err = Start(ex, root)
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "answer.txt")); got != "mine\n" {
		t.Errorf("Start overwrote the learner's work: %q", got)
	}
	if len(written) != 1 || written[0] != "lib/util.sh" {
		t.Errorf("restored %v, want the deleted lib/util.sh", written)
	}
}

func TestStartDoesNotWriteThroughLinks(t *testing.T) {
	ex := workspaceExercise(t)
	root := t.TempDir()
	outside := t.TempDir()
	dir := filepath.Join(root, "ex-ws")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "lib")); err != nil {
		t.Fatal(err)
	}
	_, _, err := Start(ex, root)
	if err == nil {
		t.Error("Start followed a planted link without complaint")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("Start wrote outside the workspace: %v", entries)
	}
}

func TestResetKeepsABackup(t *testing.T) {
	ex := workspaceExercise(t)
	root := t.TempDir()
	dir, _, err := Start(ex, root)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "answer.txt"), []byte("attempt 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	backup, err := Reset(ex, root, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, ".backup", "ex-ws-20260304-050607"); backup != want {
		t.Errorf("backup = %s, want %s", backup, want)
	}
	if got := readFile(t, filepath.Join(backup, "answer.txt")); got != "attempt 1\n" {
		t.Errorf("backup holds %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "answer.txt")); got != "0\n" {
		t.Errorf("workspace after reset holds %q", got)
	}
	second, err := Reset(ex, root, now)
	if err != nil || second != backup+"-2" {
		t.Errorf("second backup at the same second = %s, %v", second, err)
	}
	if b, err := Reset(ex, t.TempDir(), now); err != nil || b != "" {
		t.Errorf("reset without a workspace: %q, %v", b, err)
	}
}

func TestRevealSolution(t *testing.T) {
	ex := workspaceExercise(t)
	root := t.TempDir()
	dir, err := RevealSolution(ex, root)
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(root, ".solutions", "ex-ws") {
		t.Errorf("dir = %s", dir)
	}
	if got := readFile(t, filepath.Join(dir, "answer.txt")); got != "42\n" {
		t.Errorf("answer.txt = %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "run.sh")); !strings.Contains(got, "todo") {
		t.Errorf("an edited file the solution leaves alone comes from the starter: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "lib/util.sh")); err == nil {
		t.Error("files the learner does not edit are not part of the revealed solution")
	}
	files, err := SolutionFiles(ex)
	if err != nil || string(files["answer.txt"]) != "42\n" || string(files["lib/util.sh"]) != "util\n" || len(files) != 3 {
		t.Errorf("SolutionFiles = %v, %v", files, err)
	}
	if _, err := RevealSolution(ex, root); err != nil {
		t.Errorf("revealing twice: %v", err)
	}
}

func TestInvalidIDIsRefused(t *testing.T) {
	ex := workspaceExercise(t)
	ex.ID = "../escape"
	if _, _, err := Start(ex, t.TempDir()); err == nil {
		t.Error("Start accepted a path as id")
	}
	if _, err := Reset(ex, t.TempDir(), time.Now()); err == nil {
		t.Error("Reset accepted a path as id")
	}
	if _, err := RevealSolution(ex, t.TempDir()); err == nil {
		t.Error("RevealSolution accepted a path as id")
	}
}
