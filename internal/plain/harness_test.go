package plain

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// testCourseFS is a small fixed course with everything accessible mode reads: lessons
// long enough to page, a quiz with all six question types, a two-question quiz,
// discussion prompts, a glossary and a case study.
func testCourseFS() fstest.MapFS {
	long := strings.Repeat("This paragraph is here so that the lesson needs several parts to reach its end. ", 4)
	lesson := func(id, title string, n int) string {
		var b strings.Builder
		b.WriteString("---\nid: " + id + "\ntitle: " + title + "\nminutes: 7\nobjectives:\n  - Read to the end\n---\n# " + title + "\n\n")
		for i := 0; i < n; i++ {
			b.WriteString("## Section " + string(rune('A'+i)) + "\n\n" + long + "\n\n")
		}
		b.WriteString("```bash\nmake test\n```\n\n| Tool | Purpose |\n|---|---|\n| make | builds |\n")
		return b.String()
	}
	return fstest.MapFS{
		"course.yaml":                  {Data: []byte("id: demo\ntitle: Demo Course\nversion: 1.0.0\ndescription: A tiny course for tests.\nchapters:\n  - 01-one\n  - 02-two\n  - 03-three\n")},
		"chapters/01-one/chapter.yaml": {Data: []byte("id: ch01\nnumber: 1\ntitle: Getting started\nsummary: The first steps.\nminutes: 20\nobjectives:\n  - Start\n")},
		"chapters/01-one/01-a.md":      {Data: []byte(lesson("l1", "First lesson", 6))},
		"chapters/01-one/02-b.md":      {Data: []byte(lesson("l2", "Second lesson", 1))},
		"chapters/01-one/quiz.yaml": {Data: []byte(`questions:
  - id: q-single
    type: single
    prompt: Which layer is the **foundation**?
    options:
      - {id: a, text: Platform automation}
      - {id: b, text: DevOps}
      - {id: c, text: DataOps}
    answer: b
    explanation: Everything rests on CI/CD.
    lesson: l1#section-b
  - id: q-multi
    type: multi
    prompt: Which are quarters of the rule of 25%?
    options:
      - {id: devops, text: DevOps}
      - {id: data, text: Data}
      - {id: gpu, text: GPU hardware}
    answer: [devops, data]
    explanation: DevOps and data are two of the quarters.
    lesson: l1
  - id: q-tf
    type: truefalse
    prompt: A model that lives only in a notebook is in production.
    answer: false
    explanation: Production means serving real traffic.
    lesson: l1
  - id: q-num
    type: numeric
    prompt: How many milliseconds is 0.25 seconds?
    answer: 250
    tolerance: 0.5
    unit: ms
    explanation: 0.25 s times 1000.
    lesson: l1
  - id: q-text
    type: text
    prompt: Where must GitHub Actions workflow files live?
    answer: [".github/workflows", ".github/workflows/"]
    explanation: GitHub reads workflows from that directory.
    lesson: l2
  - id: q-order
    type: order
    prompt: Order the layers from the bottom up.
    options:
      - {id: mlops, text: MLOps}
      - {id: devops, text: DevOps}
      - {id: dataops, text: DataOps}
    answer: [devops, dataops, mlops]
    explanation: Each layer rests on the one below.
    lesson: l1
`)},
		"chapters/01-one/discussion.yaml": {Data: []byte(`prompts:
  - id: d-shelf
    traits: [humility, integrity]
    prompt: Your team trained fourteen models and none serves users. What counts as progress? Say why.
    guidance: A strong answer admits the yardstick may be wrong.
  - id: d-other
    traits: [empathy]
    prompt: Argue the other side.
    guidance: Restate it charitably.
`)},
		"chapters/01-one/exercises/01-hello/exercise.yaml": {Data: []byte(`id: ex-hello
title: Say hello
chapter: ch01
summary: Write a script that greets.
language: bash
tools: [bash]
files: [hello.sh]
hints:
  nudge: Look at what hello.sh prints now.
  concept: echo prints its arguments.
  partial: "Use: echo hello"
checks:
  - name: hello.sh prints hello
    run: bash hello.sh
    stdout:
      matches: '^hello'
    fail: hello.sh must print hello.
  - name: hello.sh exits with status 0
    run: bash hello.sh
`)},
		"chapters/01-one/exercises/01-hello/README.md":         {Data: []byte("# Say hello\n\nMake `hello.sh` print **hello**.\n")},
		"chapters/01-one/exercises/01-hello/starter/hello.sh":  {Data: []byte("#!/bin/bash\necho bye\n")},
		"chapters/01-one/exercises/01-hello/solution/hello.sh": {Data: []byte("#!/bin/bash\necho hello\n")},
		"chapters/01-one/exercises/01-hello/tests/README":      {Data: []byte("No hidden files: the checks are in exercise.yaml.\n")},
		"chapters/02-two/chapter.yaml":                         {Data: []byte("id: ch02\nnumber: 2\ntitle: Second steps\nsummary: More.\n")},
		"chapters/02-two/01-c.md":                              {Data: []byte(lesson("l3", "Third lesson", 1))},
		"chapters/02-two/quiz.yaml": {Data: []byte(`questions:
  - id: q2-single
    type: single
    prompt: What does CI stand for?
    options:
      - {id: a, text: Continuous integration}
      - {id: b, text: Constant inspection}
    answer: a
    explanation: CI is continuous integration.
    lesson: l3
  - id: q2-tf
    type: truefalse
    prompt: Drift never happens to a good model.
    answer: false
    explanation: The world changes under every model.
    lesson: l3
`)},
		"chapters/03-three/chapter.yaml": {Data: []byte("id: ch03\nnumber: 3\ntitle: Not written yet\nsummary: Later.\n")},
		"glossary.yaml": {Data: []byte(`terms:
  - term: Data drift
    definition: A change in the inputs a model sees in production.
    chapter: ch01
  - term: Concept drift
    definition: A change in the relation between inputs and the target.
    chapter: ch02
  - term: Model registry
    definition: A store of model versions with their lineage.
`)},
		"casestudies/mini/case.yaml": {Data: []byte(`id: mini
title: Mini Startup
summary: A tiny case for tests.
premise: You run a **tiny** startup.
fiction: Everything here is fictional.
start: s1
gauges:
  - {id: cash, label: Cash, unit: months, meaning: Months of money left., start: 3, min: 0, clamp: false}
  - {id: q, label: Quality, meaning: How good the model is., start: 50, min: 0, max: 100}
  - {id: debt, label: Debt, meaning: Shortcuts to repay., start: 10, min: 0, max: 100, better: lower}
scenes:
  - id: s1
    title: First call
    text: The founders want a model by Friday.
    choices:
      - {key: A, label: Automate the pipeline, taught: Automation pays back., chapters: [ch01], effects: {q: +20, cash: -1}, next: s2}
      - {key: B, label: Hack it together, taught: Hacks cost later., chapters: [ch01], effects: {debt: +5}, next: s2}
  - id: s2
    title: Second call
    text: Users arrive.
    choices:
      - {key: A, label: Monitor it, taught: Watch what you ship., chapters: [ch01], effects: {q: +10}, next: end}
      - {key: B, label: Burn money, taught: Runway is finite., chapters: [ch01], effects: {cash: -5}, next: end}
endings:
  - {id: broke, title: Broke, early: true, when: cash <= 0, narrative: The money ran out., debrief: ["What would you cut first?"]}
  - {id: good, title: Good Ending, when: q >= 80, narrative: The model works., debrief: ["What made it work?"]}
  - {id: fallback, title: Fallback, narrative: "You made it, barely.", debrief: ["What next?"]}
real:
  title: What the real company faced
  company: Nobody
  facts:
    - {text: A fact., sources: ["https://example.com/"]}
`)},
	}
}

func testCourse(t testing.TB) *course.Catalog {
	t.Helper()
	c, probs := course.Load(testCourseFS(), "test")
	if len(probs) > 0 {
		t.Fatalf("fixture course: %v", probs)
	}
	return c
}

// clock is the one clock a test's session and store share.
type clock struct {
	mu sync.Mutex
	t  time.Time
	// step advances the clock on every reading, so time passes between answers.
	step time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a course, a store and a clock that several sessions share. Its sessions wrap
// and page only at very long lengths, so tests read whole sentences; tests of paging set
// page.
type env struct {
	t       *testing.T
	cat     *course.Catalog
	st      *store.Store
	learner int64
	clock   *clock
	width   int
	page    int
	// workspace holds exercise workspaces.
	workspace string
	// remote and askName are Options.Remote and Options.AskName (a session over SSH).
	remote, askName bool
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	cl := &clock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	st, err := store.Open(ctx, ":memory:", store.Options{CourseID: "demo", CourseVersion: "1.0.0", Now: cl.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l, err := st.EnsureLearner(ctx, store.LocalLearnerKey, "")
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, cat: testCourse(t), st: st, learner: l.ID, clock: cl, width: 1000, page: 1000, workspace: t.TempDir()}
}

func (e *env) session(in io.Reader, out io.Writer) *Session {
	return New(Options{Ctx: context.Background(), Catalog: e.cat, Store: e.st, Learner: e.learner, Now: e.clock.now,
		In: in, Out: out, Width: e.width, PageLines: e.page, Workspace: e.workspace, Remote: e.remote, AskName: e.askName})
}

// run feeds lines to a new session's home menu and returns everything it said. Input ends
// after the last line, so every run ends (and a run that would loop forever fails).
func (e *env) run(lines ...string) string {
	e.t.Helper()
	return e.runWith(func(s *Session) error { return s.Run() }, lines...)
}

func (e *env) runWith(start func(*Session) error, lines ...string) string {
	e.t.Helper()
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	if len(lines) == 0 {
		in = strings.NewReader("")
	}
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- start(e.session(in, &out)) }()
	select {
	case err := <-done:
		if err != nil {
			e.t.Fatalf("session: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		e.t.Fatalf("session did not end when its input did; output so far:\n%s", out.String())
	}
	got := out.String()
	checkPlain(e.t, got)
	return got
}

// checkPlain fails on anything a screen reader would stumble on: escape sequences and
// other control characters.
func checkPlain(t *testing.T, out string) {
	t.Helper()
	for i, r := range out {
		if r == '\n' || r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Fatalf("control character %q at byte %d in accessible output:\n%s", r, i, out)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// live drives a session line by line, reading what it says before answering, as a person
// with a screen reader would.
type live struct {
	t    *testing.T
	in   *io.PipeWriter
	out  *syncBuffer
	seen int
	done chan error
}

func (e *env) live(start func(*Session) error) *live {
	e.t.Helper()
	r, w := io.Pipe()
	lv := &live{t: e.t, in: w, out: &syncBuffer{}, done: make(chan error, 1)}
	s := e.session(r, lv.out)
	go func() { lv.done <- start(s) }()
	e.t.Cleanup(func() { w.Close() })
	return lv
}

// expect waits until the session says text, and returns what it said since the last
// expect, up to and including the text.
func (lv *live) expect(text string) string {
	lv.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		all := lv.out.String()
		if i := strings.Index(all[lv.seen:], text); i >= 0 {
			chunk := all[lv.seen : lv.seen+i+len(text)]
			lv.seen += i + len(text)
			return chunk
		}
		time.Sleep(2 * time.Millisecond)
	}
	lv.t.Fatalf("timed out waiting for %q; said since the last answer:\n%s", text, lv.out.String()[lv.seen:])
	return ""
}

func (lv *live) send(lines ...string) {
	lv.t.Helper()
	for _, l := range lines {
		if _, err := io.WriteString(lv.in, l+"\n"); err != nil {
			lv.t.Fatalf("send %q: %v", l, err)
		}
	}
}

// end closes input and waits for the session to finish.
func (lv *live) end() string {
	lv.t.Helper()
	lv.in.Close()
	select {
	case err := <-lv.done:
		if err != nil {
			lv.t.Fatalf("session: %v", err)
		}
	case <-time.After(10 * time.Second):
		lv.t.Fatalf("session did not end at end of input:\n%s", lv.out.String())
	}
	all := lv.out.String()
	checkPlain(lv.t, all)
	return all[lv.seen:]
}

var optionLine = regexp.MustCompile(`(?m)^(\d+)\. (.+)$`)

// option finds the number a listed option is read with.
func option(t *testing.T, said, text string) string {
	t.Helper()
	for _, m := range optionLine.FindAllStringSubmatch(said, -1) {
		if strings.HasPrefix(m[2], text) {
			return m[1]
		}
	}
	t.Fatalf("option %q not read out in:\n%s", text, said)
	return ""
}
