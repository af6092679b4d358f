//go:build unix

package exercises

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// defaultCourse loads the default course from disk and fails on any lint problem.
func defaultCourse(t *testing.T) []*Exercise {
	t.Helper()
	exs, probs := LoadCourse(os.DirFS("../assets/course"))
	for _, p := range probs {
		t.Errorf("lint: %s", p)
	}
	if len(exs) < 4 {
		t.Fatalf("found %d exercises, want at least 4", len(exs))
	}
	return exs
}

func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if !onPath(tool, DefaultPath) {
			if _, err := exec.LookPath(tool); err != nil {
				t.Skipf("%s is not installed", tool)
			}
		}
	}
}

// sampleExercises are the exercises the package's own tests verify end to end: between them
// they cover make, bash, python3, YAML assertions, check scripts and seeded fixtures. Every
// exercise of the course is verified in the sandbox by `kaizen course test`, which CI runs;
// doing all of them here too would double the suite's time for no new coverage.
var sampleExercises = []string{"ex01-makefile-scaffold", "ex01-ci-workflow", "ex06-log-monitor", "ex06-drift-psi"}

func sample(exs []*Exercise, ids ...string) []*Exercise {
	return slices.DeleteFunc(exs, func(ex *Exercise) bool { return !slices.Contains(ids, ex.ID) })
}

// TestDefaultCourseExercises lints every exercise of the default course and runs the sample
// through a plain exec runner: the starter must fail, the solution must pass three times.
func TestDefaultCourseExercises(t *testing.T) {
	requireTools(t, "bash", "python3", "make")
	opts := VerifyOptions{Check: Options{Runner: execRunner{}, TempDir: t.TempDir(), Seed: 42}}
	if raceEnabled {
		opts.SolutionRuns = 1 // the race detector slows the Go side; flakiness is caught without it
	}
	verifyDefaultCourse(t, sample(defaultCourse(t), sampleExercises...), opts)
}

// TestDefaultCourseExercisesInSandbox does the same through sandbox.Run, with every layer the
// machine offers (one solution run per exercise, to keep it quick).
func TestDefaultCourseExercisesInSandbox(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs every exercise in the sandbox")
	}
	requireTools(t, "bash", "python3", "make")
	exs := sample(defaultCourse(t), sampleExercises...)
	if raceEnabled {
		// Under -race each sandbox run re-executes a race-instrumented binary; the two
		// exercises with the fewest commands still cover make, python3, YAML and scripts.
		exs = sample(exs, "ex01-ci-workflow", "ex06-log-monitor")
	}
	verifyDefaultCourse(t, exs, VerifyOptions{
		Check:        Options{Runner: RunnerFunc(sandbox.Run), TempDir: t.TempDir(), Seed: 4242},
		SolutionRuns: 1,
		// One sandbox run at a time: this test is about the exercises inside the sandbox;
		// concurrent sandbox.Run calls are the sandbox package's own tests' business.
		Parallel: 1,
	})
}

func verifyDefaultCourse(t *testing.T, exs []*Exercise, opts VerifyOptions) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	vs := VerifyCourse(ctx, exs, opts)
	var b strings.Builder
	_ = vs.WriteTable(&b)
	t.Logf("\n%s", b.String())
	for _, v := range vs {
		for _, p := range v.Problems {
			t.Errorf("%s: %s", v.Exercise, p)
		}
		if testing.Verbose() && v.Starter != nil {
			for _, r := range v.Starter.Results {
				t.Logf("%s starter: %-5s %s: %s", v.Exercise, r.Status, r.Name, firstLine(r.Reason))
			}
			t.Logf("%s isolation: %s %v missing %v", v.Exercise, v.Starter.Isolation, v.Starter.Layers, v.Starter.Missing)
		}
	}
}
