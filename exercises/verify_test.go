package exercises

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// answerExercise has one check that the fake runner decides by reading answer.txt.
func answerExercise(t *testing.T, id, starter, solution string) *Exercise {
	return testExercise(t, `id: `+id+`
title: t
chapter: ch01
language: bash
files: [answer.txt]
`+hintsYAML+"checks:\n  - name: the answer is 42\n    run: check-answer\n", map[string]string{
		"starter/answer.txt": starter, "solution/answer.txt": solution, "tests/t": "x\n",
	})
}

// answerRunner passes when answer.txt holds 42, fails otherwise; failSeed makes the run with
// that seed fail, as a flaky check would; errFor makes runs of that exercise error.
type answerRunner struct {
	failSeed uint64
	errFor   string
	active   atomic.Int32
	peak     atomic.Int32
}

func (r *answerRunner) Run(_ context.Context, spec sandbox.Spec) (sandbox.Result, error) {
	n := r.active.Add(1)
	defer r.active.Add(-1)
	for {
		p := r.peak.Load()
		if n <= p || r.peak.CompareAndSwap(p, n) {
			break
		}
	}
	time.Sleep(20 * time.Millisecond)
	if spec.Env["KAIZEN_EXERCISE"] == r.errFor {
		return sandbox.Result{}, errors.New("sandbox unavailable")
	}
	b, _ := os.ReadFile(filepath.Join(spec.Dir, "answer.txt"))
	code := 1
	if strings.TrimSpace(string(b)) == "42" {
		code = 0
	}
	if r.failSeed != 0 && spec.Env["KAIZEN_SEED"] == strconv.FormatUint(r.failSeed, 10) {
		code = 1
	}
	return sandbox.Result{ExitCode: code}, nil
}

func TestVerifyCourse(t *testing.T) {
	good := answerExercise(t, "ex-good", "0\n", "42\n")
	lazy := answerExercise(t, "ex-lazy", "42\n", "42\n")
	flaky := answerExercise(t, "ex-flaky", "0\n", "42\n")
	broken := answerExercise(t, "ex-broken", "0\n", "42\n")
	r := &answerRunner{failSeed: seedFor(7, "ex-flaky", 2), errFor: "ex-broken"}
	vs := VerifyCourse(context.Background(), []*Exercise{good, lazy, flaky, broken},
		VerifyOptions{Check: Options{Runner: r, TempDir: t.TempDir(), Seed: 7}, Parallel: 2})
	if len(vs) != 4 {
		t.Fatalf("%d rows", len(vs))
	}
	if !vs[0].OK() || vs[0].Starter == nil || vs[0].Starter.Passed || len(vs[0].Solutions) != DefaultSolutionRuns {
		t.Errorf("good exercise: %+v", vs[0])
	}
	for _, s := range vs[0].Solutions {
		if s == nil || !s.Passed {
			t.Errorf("good solution run: %+v", s)
		}
	}
	want := map[int]string{
		1: "the starter passes every check",
		2: "solution run 2 (seed " + strconv.FormatUint(seedFor(7, "ex-flaky", 2), 10) + "): fail",
		3: `starter (seed `,
	}
	for i, w := range want {
		if vs[i].OK() || !strings.Contains(strings.Join(vs[i].Problems, "\n"), w) {
			t.Errorf("%s: problems %q, want one containing %q", vs[i].Exercise, vs[i].Problems, w)
		}
	}
	if !strings.Contains(strings.Join(vs[3].Problems, "\n"), "the sandbox could not run this check: sandbox unavailable") {
		t.Errorf("broken: %q", vs[3].Problems)
	}
	if vs.OK() {
		t.Error("the course verified despite bad exercises")
	}
	if p := r.peak.Load(); p > 2 {
		t.Errorf("%d checks ran at once, limit 2", p)
	}
	var b strings.Builder
	if err := vs.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	table := b.String()
	for _, s := range []string{"EXERCISE", "ex-good", "0/1 pts", "3/3 passed", "ok", "ex-lazy", "1/1 pts PASSES", "FAIL: the starter passes", "2/3 passed"} {
		if !strings.Contains(table, s) {
			t.Errorf("table lacks %q:\n%s", s, table)
		}
	}
	if seedFor(7, "a", 1) == seedFor(7, "a", 2) || seedFor(7, "a", 1) != seedFor(7, "a", 1) {
		t.Error("seeds must differ per run and repeat per input")
	}
}

func TestVerifyCourseCancelled(t *testing.T) {
	ex := answerExercise(t, "ex-good", "0\n", "42\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	vs := VerifyCourse(ctx, []*Exercise{ex}, VerifyOptions{Check: Options{Runner: &answerRunner{}, TempDir: t.TempDir()}})
	if len(vs) != 1 || vs.OK() {
		t.Errorf("a cancelled verification cannot succeed: %+v", vs[0])
	}
}
