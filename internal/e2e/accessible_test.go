package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// accessibleCourse writes a small course to dir: a short lesson, a quiz of true-or-false
// questions (their order is fixed, so piped answers are known in advance), a glossary and
// a two-decision case study. It is independent of the built-in course's content.
func accessibleCourse(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"course.yaml":                  "id: a11y\ntitle: Accessible Course\nversion: 1.0.0\ndescription: A course for accessible mode.\nchapters:\n  - 01-one\n",
		"chapters/01-one/chapter.yaml": "id: ch01\nnumber: 1\ntitle: Getting started\nsummary: The first steps.\n",
		"chapters/01-one/01-a.md": "---\nid: l1\ntitle: First lesson\nminutes: 3\n---\n# First lesson\n\n" +
			"## Why automate\n\nAutomation makes a release **boring**.\n\n```bash\nmake test\n```\n\n- one\n- two\n",
		"chapters/01-one/quiz.yaml": `questions:
  - id: q-tf
    type: truefalse
    prompt: A model in a notebook is in production.
    answer: false
    explanation: Production means serving real traffic.
    lesson: l1
`,
		"glossary.yaml": "terms:\n  - term: Data drift\n    definition: A change in the inputs a model sees.\n    chapter: ch01\n",
		"casestudies/mini/case.yaml": `id: mini
title: Mini Startup
summary: A tiny case.
premise: You run a tiny startup.
fiction: Fictional.
start: s1
gauges:
  - {id: cash, label: Runway, unit: months, meaning: Money left., start: 12, min: 0, clamp: false}
scenes:
  - id: s1
    title: First call
    text: Pick one.
    choices:
      - {key: A, label: Spend, taught: Spending costs runway., chapters: [ch01], effects: {cash: -2}, next: s2}
      - {key: B, label: Save, taught: Saving buys time., chapters: [ch01], next: s2}
  - id: s2
    title: Second call
    text: Pick again.
    choices:
      - {key: A, label: Ship, taught: Shipping teaches., chapters: [ch01], next: end}
endings:
  - {id: out, title: Out of money, early: true, when: cash <= 0, narrative: Gone., debrief: ["Why?"]}
  - {id: done, title: Shipped, narrative: It shipped., debrief: ["What next?"]}
real:
  title: What the real company faced
  company: Nobody
  facts:
    - {text: A fact., sources: ["https://example.com/"]}
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runPiped runs kaizen with stdin from a pipe (no terminal anywhere), in a dumb terminal
// environment with NO_COLOR, as a screen reader user's script or a braille display's
// line mode might.
func runPiped(t *testing.T, home string, env []string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(append(baseEnv(home), "TERM=dumb", "NO_COLOR=1"), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("kaizen %v did not end when its input did:\n%s", args, out.String())
	}
	return out.String(), errb.String(), code
}

// noEscapes fails on any control character but newline: a screen reader must read only text.
func noEscapes(t *testing.T, out string) {
	t.Helper()
	for i, r := range out {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Fatalf("control character %q at byte %d of accessible output:\n%s", r, i, out)
		}
	}
}

func wantAll(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Fatalf("missing %q in:\n%s", w, out)
		}
	}
}

// The real binary in accessible mode with piped input and no terminal: read a lesson to
// its end, take the quiz, quit by end of input; progress is on disk afterwards.
func TestAccessibleModeWithPipedInput(t *testing.T) {
	home := t.TempDir()
	course := accessibleCourse(t)
	input := strings.Join([]string{
		"seven", // refused, with a sentence
		"2",     // Chapter 1
		"1",     // the lesson: one part, so it ends at once
		"b",
		"2", // the quiz
		"2", // false
		"",  // sure
		"",  // next: the score
		"",  // back to the chapter
	}, "\n") + "\n"
	out, errOut, code := runPiped(t, home, nil, input, "--accessible", "--course", course)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	noEscapes(t, out)
	wantAll(t, out,
		"kaizen, accessible mode. Accessible Course.",
		"Heading level 1: Home: Accessible Course",
		`"seven" is not a choice here.`,
		"Heading level 1: Chapter 1: Getting started",
		"Heading level 2: Why automate",
		"Automation makes a release boring.",
		"Code block, bash:\nmake test\nEnd of code block.",
		"List, 2 items:",
		"End of lesson. Lesson finished: First lesson.",
		"Question 1 of 1. True or false.",
		"Correct.",
		"Quiz complete. 1 of 1 right (100%).",
		"End of input. Your progress is saved. Goodbye.")
	if errOut != "" {
		t.Fatalf("stderr: %s", errOut)
	}

	// The progress is in the database the full-screen app and the other commands read.
	js, errOut, code := runCLI(t, home, "progress", "--json", "--course", course)
	if code != 0 {
		t.Fatalf("progress: exit %d: %s", code, errOut)
	}
	var rep struct {
		Chapters []struct {
			LessonsFinished int `json:"lessons_finished"`
			Quiz            struct {
				Answered int `json:"answered"`
				Correct  int `json:"correct"`
			} `json:"quiz"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("progress JSON: %v\n%s", err, js)
	}
	if len(rep.Chapters) != 1 || rep.Chapters[0].LessonsFinished != 1 || rep.Chapters[0].Quiz.Answered != 1 || rep.Chapters[0].Quiz.Correct != 1 {
		t.Fatalf("progress after accessible mode: %s", js)
	}

	// Next time, home offers to continue, and the progress read-out says what was done.
	out, _, code = runPiped(t, home, nil, "p\nq\n", "--accessible", "--course", course)
	if code != 0 {
		t.Fatal("second run failed")
	}
	noEscapes(t, out)
	wantAll(t, out, "1. Continue: First lesson. Chapter 1.", "Lessons: 1 of 1 finished",
		"- Chapter 1, Getting started: 1 of 1 lesson finished; quiz answers 100% right of",
		"Your progress is saved. Goodbye.")
}

// KAIZEN_ACCESSIBLE=1 turns the mode on without the flag, for every command that would
// open the full-screen app: kaizen, kaizen quiz, kaizen review, kaizen case play.
func TestAccessibleModeFromEnvironmentAndStartCommands(t *testing.T) {
	home := t.TempDir()
	course := accessibleCourse(t)
	env := []string{"KAIZEN_ACCESSIBLE=1"}

	out, errOut, code := runPiped(t, home, env, "", "--course", course)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	noEscapes(t, out)
	wantAll(t, out, "Heading level 1: Home: Accessible Course", "End of input. Your progress is saved. Goodbye.")

	out, _, code = runPiped(t, home, env, "1\nu\n\n\n", "quiz", "ch01", "--course", course)
	noEscapes(t, out)
	wantAll(t, out, "Heading level 1: Quiz: Chapter 1, Getting started", "Not quite. The answer: False.", "You answered true.",
		"Quiz complete. 0 of 1 right (0%).", "Heading level 1: Chapter 1: Getting started")
	if code != 0 {
		t.Fatalf("quiz: exit %d", code)
	}

	// The missed question is due 10 minutes later; kaizen review asks it.
	out, _, code = runPiped(t, home, append(env, "KAIZEN_CLOCK_OFFSET=15m"), "2\n\n\n\n", "review", "--course", course)
	noEscapes(t, out)
	wantAll(t, out, "Heading level 1: Review", "Question 1 of 1, Chapter 1. True or false.", "Correct.", "Review complete. 1 of 1 right (100%).")
	if code != 0 {
		t.Fatalf("review: exit %d", code)
	}

	out, _, code = runPiped(t, home, env, "\n1\n1\n", "case", "play", "mini", "--course", course)
	noEscapes(t, out)
	wantAll(t, out, "Heading level 1: Case study: Mini Startup", "- Runway 12 months.", "1. Spend",
		"- Runway 10 months, down 2 (worse).", "Heading level 1: Ending: Shipped", "Debrief", "What the real company faced",
		"This run is saved.")
	if code != 0 {
		t.Fatalf("case play: exit %d", code)
	}
	js, _, _ := runCLI(t, home, "case", "list", "--json", "--course", course)
	if !strings.Contains(js, `"endings_found": [`) || !strings.Contains(js, `"done"`) {
		t.Fatalf("case run not stored: %s", js)
	}
}
