//go:build unix

package exercises

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

func check(t *testing.T, ex *Exercise, ws string, opts Options) *Report {
	t.Helper()
	if opts.Runner == nil {
		opts.Runner = execRunner{}
	}
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	rep, err := Check(context.Background(), ex, ws, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

const kindsSpec = `id: ex-kinds
title: Every kind of check
chapter: ch01
language: bash
files: [answer.txt, out.json, ci.yml]
` + hintsYAML + `checks:
  - name: exit 0 passes
    run: "true"
  - name: exit 1 fails
    run: exit 3
  - name: nonzero wanted
    run: "true"
    exit: nonzero
  - name: any exit
    run: exit 7
    exit: any
  - name: exact exit
    run: exit 2
    exit: 2
  - name: stdout contains
    run: cat answer.txt
    stdout: {contains: "42", matches: '^\d+\s*$'}
  - name: stdout equals wrong
    run: cat answer.txt
    stdout: {equals: "43"}
  - name: stderr matches
    run: echo oops >&2
    stderr: {matches: '^oops'}
  - name: output in order
    run: echo first; echo second >&2
    output: {in_order: [first, second]}
  - name: stdin reaches the command
    run: cat
    stdin: piped
    stdout: {equals: piped}
  - name: env reaches the command
    run: echo "$GREETING $KAIZEN_SEED $KAIZEN_EXERCISE $HOME"
    env: {GREETING: hi}
    stdout: {matches: '^hi 77 ex-kinds /'}
  - name: file exists and contains
    files: [{path: answer.txt, contains: "42"}]
  - name: file made by the command
    run: echo made > made.txt
    files: [{path: made.txt, equals: made}, {path: answer.txt}]
  - name: file must not exist
    files: [{path: answer.txt, exists: false}]
  - name: missing file
    files: [{path: nope.txt}]
  - name: json from stdout
    run: 'echo "{\"psi\": 0.2281, \"status\": \"moderate\", \"alerts\": [1, 2]}"'
    json:
      - {path: psi, equals: 0.228, tolerance: 0.001}
      - {path: status, equals: moderate}
      - {path: "alerts[*]", all: true, max: 2}
  - name: json wrong value
    run: 'echo "{\"psi\": 0.5}"'
    json: [{path: psi, equals: 0.228, tolerance: 0.001}]
  - name: json not json
    run: echo not json
    json: [{path: psi}]
  - name: json from a file
    json: [{file: out.json, path: "a.b", equals: [1, 2]}]
  - name: yaml from a file
    yaml:
      - {file: ci.yml, path: "on", includes: [push, pull_request]}
      - {file: ci.yml, path: "jobs.*.steps[*].run", in_order: [install, test]}
  - name: yaml fails with the author's message
    yaml: [{file: ci.yml, path: "jobs.*.runs-on", exists: true}]
    fail: Give the job a runs-on.
  - name: slow command
    run: sleep 5
    timeout: 1s
  - name: points count
    run: "true"
    points: 3
`

func TestCheckKinds(t *testing.T) {
	ex := testExercise(t, kindsSpec, map[string]string{
		"starter/answer.txt": "0\n", "starter/out.json": "{}\n", "starter/ci.yml": "\n",
		"solution/answer.txt": "42\n", "tests/keep.txt": "x\n",
	})
	ws := workspace(t, map[string]string{
		"answer.txt": "42\n",
		"out.json":   `{"a": {"b": [1, 2]}}`,
		"ci.yml":     "on: [push, pull_request]\njobs:\n  build:\n    steps:\n      - run: make install\n      - run: make test\n",
	})
	rep := check(t, ex, ws, Options{Seed: 77})
	expect(t, rep, "exit 0 passes", Pass, "")
	expect(t, rep, "exit 1 fails", Fail, "`exit 3` failed with exit status 3")
	expect(t, rep, "nonzero wanted", Fail, "succeeded (exit status 0), but it must fail here")
	expect(t, rep, "any exit", Pass, "")
	expect(t, rep, "exact exit", Pass, "")
	expect(t, rep, "stdout contains", Pass, "")
	expect(t, rep, "stdout equals wrong", Fail, `the output (stdout) is "42", expected "43"`)
	expect(t, rep, "stderr matches", Pass, "")
	expect(t, rep, "output in order", Pass, "")
	expect(t, rep, "stdin reaches the command", Pass, "")
	expect(t, rep, "env reaches the command", Pass, "")
	expect(t, rep, "file exists and contains", Pass, "")
	expect(t, rep, "file made by the command", Pass, "")
	expect(t, rep, "file must not exist", Fail, "`answer.txt` should not exist")
	expect(t, rep, "missing file", Fail, "`nope.txt` does not exist")
	expect(t, rep, "json from stdout", Pass, "")
	expect(t, rep, "json wrong value", Fail, "`psi` is 0.5, expected 0.228 (± 0.001)")
	expect(t, rep, "json not json", Fail, "the output (stdout) is not valid JSON")
	expect(t, rep, "json from a file", Pass, "")
	expect(t, rep, "yaml from a file", Pass, "")
	expect(t, rep, "yaml fails with the author's message", Fail, "Give the job a runs-on.")
	if r := byName(rep)["yaml fails with the author's message"]; !strings.Contains(r.Detail, "`jobs.*.runs-on` is missing") {
		t.Errorf("detail = %q", r.Detail)
	}
	expect(t, rep, "slow command", Fail, "`sleep 5` did not finish within 1s")
	if r := byName(rep)["points count"]; r.Points != 3 || r.MaxPoints != 3 {
		t.Errorf("points = %d/%d", r.Points, r.MaxPoints)
	}
	if rep.Passed || rep.MaxPoints != len(ex.Checks)+2 || rep.Seed != 77 || rep.Runs == 0 {
		t.Errorf("report: passed %v, points %d/%d, seed %d, runs %d", rep.Passed, rep.Points, rep.MaxPoints, rep.Seed, rep.Runs)
	}
	if rep.Isolation != "none" || len(rep.Layers) == 0 || len(rep.Missing) == 0 {
		t.Errorf("isolation %s layers %v missing %v", rep.Isolation, rep.Layers, rep.Missing)
	}
	if r := byName(rep)["exit 1 fails"]; r.Output != "" && r.Status == Pass {
		t.Errorf("a pass carries output")
	}
}

const oneCheckSpec = `id: ex-one
title: One check
chapter: ch01
language: bash
files: [answer.txt]
` + hintsYAML

func TestCheckDoesNotFollowPlantedLinks(t *testing.T) {
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "id_ed25519")
	if err := os.WriteFile(secret, []byte("PRIVATE-KEY-MATERIAL\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ex := testExercise(t, oneCheckSpec+`checks:
  - name: reads what it was given
    run: cat leak hard dirlink/id_ed25519 2>&1; ls -a
    exit: any
    stdout: {not_contains: PRIVATE-KEY}
  - name: a link made during the run is not read back
    run: ln -s `+secret+` out.txt
    files: [{path: out.txt, contains: PRIVATE}]
`, map[string]string{"starter/answer.txt": "0\n", "solution/answer.txt": "1\n", "tests/t.txt": "x\n"})
	ws := workspace(t, map[string]string{"answer.txt": "1\n"})
	if err := os.Symlink(secret, filepath.Join(ws, "leak")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secretDir, filepath.Join(ws, "dirlink")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(secret, filepath.Join(ws, "hard")); err != nil {
		t.Skipf("cannot make a hard link here: %v", err)
	}
	rep := check(t, ex, ws, Options{})
	expect(t, rep, "reads what it was given", Pass, "")
	expect(t, rep, "a link made during the run is not read back", Fail, "`out.txt` is a symbolic link, which checks do not follow")
	for _, r := range rep.Results {
		if strings.Contains(r.Reason+r.Detail+r.Output, "PRIVATE") {
			t.Errorf("secret leaked into %+v", r)
		}
	}
	want := []string{"dirlink: symbolic link (not followed)", "hard: hard link (not followed)", "leak: symbolic link (not followed)"}
	if strings.Join(rep.Skipped, "|") != strings.Join(want, "|") {
		t.Errorf("skipped = %q, want %q", rep.Skipped, want)
	}
}

func TestCheckRestoresProtectedFilesAndIgnoresLearnerKaizenDir(t *testing.T) {
	ex := testExercise(t, oneCheckSpec+`checks:
  - name: the provided tool is the original
    run: bash tool.sh
    stdout: {equals: original}
  - name: the hidden tests are the exercise's
    run: cat .kaizen/tests/check.txt
    stdout: {equals: real}
  - name: a new learner file is kept
    files: [{path: helper.sh, contains: mine}]
`, map[string]string{"starter/answer.txt": "0\n", "starter/tool.sh": "echo original\n", "solution/answer.txt": "1\n",
		"tests/check.txt": "real\n"})
	ws := workspace(t, map[string]string{"answer.txt": "1\n", "tool.sh": "echo hacked\n", ".kaizen/tests/check.txt": "forged\n",
		"helper.sh": "mine\n", ".git/config": "x", "__pycache__/x.pyc": "x"})
	rep := check(t, ex, ws, Options{})
	if !rep.Passed {
		t.Errorf("report: %+v", rep.Results)
	}
}

func TestCheckScrubsHiddenContent(t *testing.T) {
	ex := testExercise(t, oneCheckSpec+`generate: tests/gen.sh
checks:
  - name: prints a fixture
    run: 'cat .kaizen/tests/fixture.txt; echo "generated: $(cat .kaizen/gen/made.txt)"; exit 1'
  - name: script says a hidden line
    script: tests/check.sh
`, map[string]string{
		"starter/answer.txt": "0\n", "solution/answer.txt": "1\n",
		"tests/fixture.txt": "short\nthe expected answer is 1234567\nprint(\"also in the starter\")\n",
		"starter/helper.py": "print(\"also in the starter\")\n",
		"tests/gen.sh":      "echo \"seeded secret $KAIZEN_SEED xyz\" > \"$KAIZEN_GEN/made.txt\"\n",
		"tests/check.sh":    `printf '%s\n' '{"name": "probe", "status": "fail", "message": "got it: the expected answer is 1234567!"}' > "$KAIZEN_RESULTS"` + "\n",
	})
	ws := workspace(t, map[string]string{"answer.txt": "1\n"})
	rep := check(t, ex, ws, Options{Seed: 5})
	r := byName(rep)["prints a fixture"]
	if strings.Contains(r.Output, "1234567") || strings.Contains(r.Output, "seeded secret") {
		t.Errorf("hidden content in output: %q", r.Output)
	}
	if !strings.Contains(r.Output, "short") || !strings.Contains(r.Output, "[hidden]") || !strings.Contains(r.Output, "also in the starter") {
		t.Errorf("output = %q (short lines and lines the starter shows stay, long hidden lines become [hidden])", r.Output)
	}
	expect(t, rep, "probe", Fail, "got it: [hidden]!")
}

func TestScrubber(t *testing.T) {
	s := newScrubber()
	s.addLines([]byte("  alpha beta gamma  \nx\n{\"ts\": 1, \"status\": 500}\n{\"ts\": 1, \"status\": 500, \"more\": 1}\n"))
	cases := map[string]string{
		"nothing to hide":                     "nothing to hide",
		"line: alpha beta gamma":              "line: [hidden]",
		"xalpha beta gamma":                   "xalpha beta gamma", // not at a word boundary
		`{"ts": 1, "status": 500, "more": 1}`: "[hidden]",
		`bad {"ts": 1, "status": 500} ok`:     "bad [hidden] ok",
		"x":                                   "x",
	}
	for in, want := range cases {
		if got := s.scrub(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckSeedIsDeterministic(t *testing.T) {
	ex := testExercise(t, oneCheckSpec+`generate: tests/gen.py
checks:
  - name: the answer matches the fixture
    run: diff -q answer.txt .kaizen/gen/want.txt
`, map[string]string{
		"starter/answer.txt": "0\n", "solution/answer.txt": "1\n",
		"tests/gen.py": "import os, random\nr = random.Random(int(os.environ['KAIZEN_SEED']))\n" +
			"open(os.path.join(os.environ['KAIZEN_GEN'], 'want.txt'), 'w').write(str(r.randint(0, 10**9)) + '\\n')\n",
	})
	requireTools(t, "python3")
	ws := workspace(t, map[string]string{"answer.txt": "123\n"})
	a := check(t, ex, ws, Options{Seed: 1})
	b := check(t, ex, ws, Options{Seed: 1})
	if a.Passed || a.Results[0].Reason != b.Results[0].Reason || a.Results[0].Status != b.Results[0].Status {
		t.Errorf("same seed, different reports: %+v vs %+v", a.Results, b.Results)
	}
}

func TestCheckWorkspaceTooLarge(t *testing.T) {
	ex := testExercise(t, oneCheckSpec+"checks:\n  - name: c\n    run: \"true\"\n",
		map[string]string{"starter/answer.txt": "0\n", "solution/answer.txt": "1\n", "tests/t": "x\n"})
	ws := workspace(t, map[string]string{"answer.txt": "1\n", "big.bin": strings.Repeat("x", 4096)})
	rep := check(t, ex, ws, Options{MaxWorkspaceBytes: 1024})
	expect(t, rep, "c", Error, "the workspace holds more than 1 KiB")
	rep = check(t, ex, ws, Options{MaxWorkspaceFiles: 1})
	expect(t, rep, "c", Error, "more than 1 files")
}

func TestCheckGeneratorFailure(t *testing.T) {
	ex := testExercise(t, oneCheckSpec+"generate: tests/gen.sh\nchecks:\n  - name: c\n    run: \"true\"\n",
		map[string]string{"starter/answer.txt": "0\n", "solution/answer.txt": "1\n", "tests/gen.sh": "echo 'hidden generator detail line' >&2; exit 4\n"})
	rep := check(t, ex, workspace(t, map[string]string{"answer.txt": "1"}), Options{})
	expect(t, rep, "c", Error, "fixture generator failed")
	if r := rep.Results[0]; strings.Contains(r.Reason, "hidden generator detail") || !strings.Contains(r.Reason, "(exit status 4)") ||
		!strings.Contains(r.Output, "hidden generator detail line") {
		t.Errorf("the reason stays generic and the output (scrubbed like any) goes to Output: %+v", r)
	}
}

func TestCheckMissingTool(t *testing.T) {
	ex := testExercise(t, oneCheckSpec+"checks:\n  - name: c\n    run: \"true\"\n",
		map[string]string{"starter/answer.txt": "0\n", "solution/answer.txt": "1\n", "tests/t": "x\n"})
	rep := check(t, ex, workspace(t, map[string]string{"answer.txt": "1"}), Options{Path: t.TempDir()})
	expect(t, rep, "c", Error, "this exercise needs bash, which is not installed")
}

func TestScriptResults(t *testing.T) {
	cases := []struct {
		name    string
		script  string
		results []Result // Name, Status, Reason substring, MaxPoints
	}{
		{"exercism shape", `{"tests": [{"name": "a", "status": "pass"}, {"name": "b", "status": "fail", "message": "nope", "points": 3}]}`,
			[]Result{{Name: "a", Status: Pass, MaxPoints: 2}, {Name: "b", Status: Fail, Reason: "nope", MaxPoints: 3}}},
		{"json lines", "{\"name\": \"a\", \"status\": \"pass\"}\n{\"name\": \"\", \"status\": \"error\", \"message\": \"broke\"}\n",
			[]Result{{Name: "a", Status: Pass, MaxPoints: 2}, {Name: "s #2", Status: Error, Reason: "broke", MaxPoints: 2}}},
		{"script gave up", `{"status": "error", "message": "could not start"}`,
			[]Result{{Name: "s", Status: Error, Reason: "could not start", MaxPoints: 2}}},
		{"bad status", `{"tests": [{"name": "a", "status": "ok"}]}`,
			[]Result{{Name: "s", Status: Error, Reason: `status "ok" is not pass, fail or error`, MaxPoints: 2}}},
		{"not json", "hello",
			[]Result{{Name: "s", Status: Error, Reason: "results are not valid", MaxPoints: 2}}},
		{"no tests", `{"tests": []}`,
			[]Result{{Name: "s", Status: Error, Reason: "reported no tests", MaxPoints: 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex := testExercise(t, oneCheckSpec+"checks:\n  - name: s\n    script: tests/s.sh\n    points: 2\n", map[string]string{
				"starter/answer.txt": "0\n", "solution/answer.txt": "1\n",
				"tests/s.sh": "cat > \"$KAIZEN_RESULTS\" <<'EOF'\n" + tc.script + "\nEOF\n",
			})
			rep := check(t, ex, workspace(t, map[string]string{"answer.txt": "1"}), Options{})
			if len(rep.Results) != len(tc.results) {
				t.Fatalf("results = %+v", rep.Results)
			}
			for i, want := range tc.results {
				got := rep.Results[i]
				if got.Name != want.Name || got.Status != want.Status || !strings.Contains(got.Reason, want.Reason) || got.MaxPoints != want.MaxPoints || got.Check != "s" {
					t.Errorf("result %d = %+v, want %+v", i, got, want)
				}
			}
		})
	}
	t.Run("no results file", func(t *testing.T) {
		ex := testExercise(t, oneCheckSpec+"checks:\n  - name: s\n    script: tests/s.py\n", map[string]string{
			"starter/answer.txt": "0\n", "solution/answer.txt": "1\n", "tests/s.py": "raise SystemExit(3)\n",
		})
		requireTools(t, "python3")
		rep := check(t, ex, workspace(t, map[string]string{"answer.txt": "1"}), Options{})
		expect(t, rep, "s", Error, "the check script wrote no results (exit status 3")
	})
}

// fakeRunner answers from a function and records the specs it saw.
type fakeRunner struct {
	mu    sync.Mutex
	specs []sandbox.Spec
	fn    func(sandbox.Spec) (sandbox.Result, error)
}

func (f *fakeRunner) Run(_ context.Context, spec sandbox.Spec) (sandbox.Result, error) {
	f.mu.Lock()
	f.specs = append(f.specs, spec)
	f.mu.Unlock()
	return f.fn(spec)
}

func TestCheckSpecsAndIsolation(t *testing.T) {
	ex := testExercise(t, oneCheckSpec+"network: loopback\ntimeout: 7s\nchecks:\n  - name: a\n    run: serve\n  - name: b\n    run: serve\n    timeout: 2s\n  - name: c\n    run: broken\n",
		map[string]string{"starter/answer.txt": "0\n", "solution/answer.txt": "1\n", "tests/t": "x\n"})
	n := 0
	f := &fakeRunner{fn: func(s sandbox.Spec) (sandbox.Result, error) {
		n++
		switch n {
		case 1:
			return sandbox.Result{Level: sandbox.LevelStrict, Layers: []string{"userns", "netns", "landlock"}}, nil
		case 2:
			return sandbox.Result{Level: sandbox.LevelBasic, Layers: []string{"landlock", "rlimits"}, Missing: []string{"userns: denied"}}, nil
		}
		return sandbox.Result{}, errors.New("helper crashed")
	}}
	rep := check(t, ex, workspace(t, map[string]string{"answer.txt": "1"}), Options{Runner: f, Seed: 9, Port: 18181, MinLevel: sandbox.LevelBasic})
	expect(t, rep, "a", Pass, "")
	expect(t, rep, "b", Pass, "")
	expect(t, rep, "c", Error, "the sandbox could not run this check: helper crashed")
	if rep.Level != sandbox.LevelBasic || strings.Join(rep.Layers, ",") != "landlock" || strings.Join(rep.Missing, ",") != "userns: denied" || rep.Runs != 2 {
		t.Errorf("isolation: level %v layers %v missing %v runs %d", rep.Level, rep.Layers, rep.Missing, rep.Runs)
	}
	s := f.specs[0]
	if s.Env["PORT"] != "18181" || s.Env["KAIZEN_SEED"] != "9" || s.Env["PATH"] != DefaultPath || s.Env["HOME"] != "" ||
		s.Network != sandbox.NetworkLoopback || s.Timeout != 7*time.Second || s.MinLevel != sandbox.LevelBasic ||
		s.Argv[0] != "bash" || s.Argv[2] != "serve" || len(s.Env) < 8 {
		t.Errorf("spec = %+v", s)
	}
	if f.specs[1].Timeout != 2*time.Second || f.specs[0].Dir == f.specs[1].Dir {
		t.Errorf("each check gets its own timeout and directory: %v %v", f.specs[1].Timeout, f.specs[1].Dir)
	}
	if _, err := os.Stat(f.specs[0].Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("work directory left behind: %v", err)
	}
}

func TestCheckCancelled(t *testing.T) {
	ex := testExercise(t, oneCheckSpec+"checks:\n  - name: a\n    run: x\n",
		map[string]string{"starter/answer.txt": "0\n", "solution/answer.txt": "1\n", "tests/t": "x\n"})
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakeRunner{fn: func(sandbox.Spec) (sandbox.Result, error) { cancel(); return sandbox.Result{}, context.Canceled }}
	if _, err := Check(ctx, ex, workspace(t, map[string]string{"answer.txt": "1"}), Options{Runner: f, TempDir: t.TempDir()}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if _, err := Check(context.Background(), ex, filepath.Join(t.TempDir(), "missing"), Options{Runner: f}); err == nil {
		t.Error("a missing workspace is an error")
	}
	if _, err := Check(context.Background(), ex, t.TempDir(), Options{}); err == nil {
		t.Error("no runner is an error")
	}
}

func TestCheckYAMLToJSON(t *testing.T) {
	ex := testExercise(t, `id: ex-y2j
title: t
chapter: ch01
language: bash
files: [ci.yml]
yaml_to_json: [ci.yml, missing.yml]
`+hintsYAML+`checks:
  - name: json copy
    run: cat .kaizen/json/ci.yml.json
    json: [{path: "on", equals: [push]}]
`, map[string]string{"starter/ci.yml": "name: x\n", "solution/ci.yml": "on: [push]\n", "tests/t": "x\n"})
	rep := check(t, ex, workspace(t, map[string]string{"ci.yml": "on: [push]\n"}), Options{})
	if !rep.Passed {
		t.Errorf("results %+v", rep.Results)
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("line\n", 1000)
	got := excerpt([]byte(long), []byte("the end\n"))
	if len(got) > excerptBytes+10 || !strings.HasPrefix(got, "…\n") || !strings.HasSuffix(got, "the end") {
		t.Errorf("excerpt = %d bytes, %.20q…%q", len(got), got, got[len(got)-10:])
	}
	if got := excerpt([]byte("a\n"), nil); got != "a" {
		t.Errorf("excerpt = %q", got)
	}
	_ = fmt.Sprint()
}
