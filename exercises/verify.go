package exercises

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// DefaultSolutionRuns is how many times VerifyCourse runs each reference solution, each with
// its own seed, to catch flaky or seed-dependent checks.
const DefaultSolutionRuns = 3

// VerifyOptions configure VerifyCourse.
type VerifyOptions struct {
	Check        Options // Runner, TempDir, Path...; Seed is the base seed
	SolutionRuns int     // default DefaultSolutionRuns
	Parallel     int     // concurrent checks (default GOMAXPROCS)
}

// Verification is what VerifyCourse found for one exercise.
type Verification struct {
	Exercise  string        `json:"exercise"`
	Dir       string        `json:"dir"`
	Starter   *Report       `json:"starter,omitempty"`   // the starter, checked once
	Solutions []*Report     `json:"solutions,omitempty"` // the reference solution, checked SolutionRuns times
	Problems  []string      `json:"problems,omitempty"`  // what is wrong; empty when OK
	Wall      time.Duration `json:"wall_ns"`             // from its first run starting to its last ending
}

// OK reports whether the starter fails, and every run of the solution passes.
func (v *Verification) OK() bool { return len(v.Problems) == 0 }

// Verifications is the table VerifyCourse returns, one row per exercise, in course order.
type Verifications []*Verification

// OK reports whether every exercise verified.
func (vs Verifications) OK() bool {
	for _, v := range vs {
		if !v.OK() {
			return false
		}
	}
	return true
}

// WriteTable writes one aligned row per exercise: id, starter outcome, solution passes, wall
// time, and the first problem.
func (vs Verifications) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EXERCISE\tSTARTER\tSOLUTION\tTIME\tRESULT")
	for _, v := range vs {
		starter := "-"
		if v.Starter != nil {
			starter = fmt.Sprintf("%d/%d pts", v.Starter.Points, v.Starter.MaxPoints)
			if v.Starter.Passed {
				starter += " PASSES"
			}
		}
		passes := 0
		for _, s := range v.Solutions {
			if s != nil && s.Passed {
				passes++
			}
		}
		result := "ok"
		if len(v.Problems) > 0 {
			result = "FAIL: " + v.Problems[0]
			if n := len(v.Problems) - 1; n > 0 {
				result += fmt.Sprintf(" (+%d more)", n)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d passed\t%s\t%s\n", v.Exercise, starter, passes, len(v.Solutions),
			v.Wall.Round(10*time.Millisecond), result)
	}
	return tw.Flush()
}

// seedFor derives a reproducible seed per exercise and run from the base seed.
func seedFor(base uint64, id string, run int) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s/%d", base, id, run)
	return h.Sum64() >> 1 // keep it positive in languages with signed integers
}

// VerifyCourse checks, for every exercise, that the starter fails at least one check (with no
// check in error) and that the reference solution passes every check SolutionRuns times, each
// with a different seed. Checks run in parallel, at most Parallel at a time. A cancelled context
// stops it early; the rows already done are returned.
func VerifyCourse(ctx context.Context, exs []*Exercise, opts VerifyOptions) Verifications {
	if opts.SolutionRuns <= 0 {
		opts.SolutionRuns = DefaultSolutionRuns
	}
	if opts.Parallel <= 0 {
		opts.Parallel = runtime.GOMAXPROCS(0)
	}
	out := make(Verifications, len(exs))
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	// Slots are taken here, in course order, so exercises run in the order they are listed
	// and an exercise's time (Wall) counts its own runs, not the wait for others.
	for i, ex := range exs {
		v := &Verification{Exercise: ex.ID, Dir: ex.Dir, Solutions: make([]*Report, opts.SolutionRuns)}
		out[i] = v
		var started time.Time
		var exWG sync.WaitGroup
		for run := 0; run <= opts.SolutionRuns; run++ {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				mu.Lock()
				v.Problems = append(v.Problems, "cancelled")
				mu.Unlock()
				continue
			}
			if started.IsZero() {
				started = time.Now()
			}
			wg.Add(1)
			exWG.Add(1)
			go func() {
				defer wg.Done()
				defer exWG.Done()
				defer func() { <-sem }()
				withSolution := run > 0
				rep, err := verifyOnce(ctx, ex, withSolution, seedFor(opts.Check.Seed, ex.ID, run), opts.Check)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					v.Problems = append(v.Problems, fmt.Sprintf("%s: %v", label(run), err))
					return
				}
				if withSolution {
					v.Solutions[run-1] = rep
				} else {
					v.Starter = rep
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			exWG.Wait()
			mu.Lock()
			defer mu.Unlock()
			if !started.IsZero() {
				v.Wall = time.Since(started)
			}
			v.Problems = append(v.Problems, judge(v)...)
		}()
	}
	wg.Wait()
	return out
}

func label(run int) string {
	if run == 0 {
		return "starter"
	}
	return fmt.Sprintf("solution run %d", run)
}

// judge lists what is wrong with an exercise's verification.
func judge(v *Verification) []string {
	var probs []string
	if s := v.Starter; s != nil {
		if s.Passed {
			probs = append(probs, "the starter passes every check: learners have nothing to do")
		}
		for _, r := range s.Results {
			if r.Status == Error {
				probs = append(probs, fmt.Sprintf("starter (seed %d): check %q errored: %s", s.Seed, r.Name, oneLine(r.Reason)))
			}
		}
	}
	for i, s := range v.Solutions {
		if s == nil || s.Passed {
			continue
		}
		for _, r := range s.Results {
			if r.Status != Pass {
				probs = append(probs, fmt.Sprintf("solution run %d (seed %d): %s %q: %s", i+1, s.Seed, r.Status, r.Name, oneLine(r.Reason)))
			}
		}
	}
	return probs
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return shorten(s, 160)
}

// verifyOnce materialises the starter (or the solution) in a temporary workspace and checks it.
func verifyOnce(ctx context.Context, ex *Exercise, withSolution bool, seed uint64, opts Options) (*Report, error) {
	ws, err := os.MkdirTemp(opts.TempDir, "kaizen-verify-")
	if err != nil {
		return nil, err
	}
	defer removeAll(ws)
	dir := filepath.Join(ws, ex.ID)
	if err := materialize(ex, dir, withSolution); err != nil {
		return nil, fmt.Errorf("write workspace: %w", err)
	}
	opts.Seed = seed
	return Check(ctx, ex, dir, opts)
}
