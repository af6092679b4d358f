package exercises

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// baseSpec is a valid exercise.yaml; line numbers in the tests below refer to it.
const baseSpec = `id: ex-test
title: A test exercise
chapter: ch01
language: bash
tools: [bash, grep]
files: [answer.txt]
hints:
  nudge: look at answer.txt
  concept: grep -x matches whole lines
  partial: the answer is a number
checks:
  - name: the answer is 42
    run: grep -qx 42 answer.txt
`

// exerciseFS builds a course with one valid exercise at chapters/01-x/exercises/01-test,
// then applies edits (path relative to the exercise dir -> content; "" deletes).
func exerciseFS(spec string, edits map[string]string) fstest.MapFS {
	const dir = "chapters/01-x/exercises/01-test/"
	m := fstest.MapFS{
		"chapters/01-x/chapter.yaml":      {Data: []byte("id: ch01\ntitle: X\n")},
		dir + "exercise.yaml":             {Data: []byte(spec)},
		dir + "README.md":                 {Data: []byte("# Test\n\nWrite 42 into answer.txt.\n")},
		dir + "starter/answer.txt":        {Data: []byte("0\n")},
		dir + "solution/answer.txt":       {Data: []byte("42\n")},
		dir + "tests/check.sh":            {Data: []byte("echo '{\"tests\": []}' > \"$KAIZEN_RESULTS\"\n")},
		dir + "tests/fixtures/secret.txt": {Data: []byte("the hidden fixture line\n")},
	}
	for k, v := range edits {
		if v == "" {
			delete(m, dir+k)
			continue
		}
		m[dir+k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

const exDir = "chapters/01-x/exercises/01-test"

func TestLoadValid(t *testing.T) {
	ex, probs := Load(exerciseFS(baseSpec, nil), exDir)
	if len(probs) > 0 {
		t.Fatalf("unexpected problems: %v", probs)
	}
	if ex.ID != "ex-test" || ex.Chapter != "ch01" || ex.Language != "bash" || ex.Line != 1 {
		t.Errorf("parsed %+v", ex)
	}
	if ex.Timeout != DefaultTimeout || ex.Network != sandbox.NetworkNone {
		t.Errorf("defaults: timeout %v network %v", ex.Timeout, ex.Network)
	}
	if got := strings.Join(ex.Tools, ","); got != "bash,grep" {
		t.Errorf("tools = %s", got)
	}
	if len(ex.Checks) != 1 || ex.Checks[0].Run == "" || ex.Checks[0].Points != 1 || ex.Checks[0].Line != 12 {
		t.Errorf("checks = %+v", ex.Checks)
	}
	if h := ex.Hints.Ladder(); len(h) != 3 || h[0] != "look at answer.txt" {
		t.Errorf("hints = %v", h)
	}
	if ex.Checks[0].Kind() != "run" {
		t.Errorf("kind = %s", ex.Checks[0].Kind())
	}
	if readme, err := ex.README(); err != nil || !strings.Contains(readme, "Write 42") {
		t.Errorf("README = %q, %v", readme, err)
	}
}

func TestLoadFullSpec(t *testing.T) {
	spec := baseSpec + `  - name: every kind
    run: cat answer.txt
    stdin: hello
    env: {GREETING: hi}
    timeout: 3s
    points: 2
    exit: nonzero
    stdout: {contains: ["4"], not_contains: x, matches: '^\d+', not_matches: [a, b], in_order: ['4', '2'], equals: "42"}
    stderr: {equals: ""}
    output: {contains: "4"}
    files:
      - {path: answer.txt, contains: "4"}
      - {path: gone.txt, exists: false}
    json:
      - {path: "a.b[0]", equals: {x: 1}, tolerance: 0.5}
      - {file: out.json, path: "c[*]", all: true, min: 0, max: 9, type: number}
    yaml:
      - {file: ci.yml, path: "on", includes: [push], not_equals: null, matches: x, not_matches: y, in_order: [a]}
    fail: Put 42 in answer.txt.
  - name: a script
    script: tests/check.sh
    args: [--fast]
timeout: 30s
network: loopback
summary: one line
minutes: 5
generate: tests/check.sh
yaml_to_json: [ci.yml]
`
	ex, probs := Load(exerciseFS(spec, nil), exDir)
	if len(probs) > 0 {
		t.Fatalf("unexpected problems: %v", probs)
	}
	c := ex.Checks[1]
	if c.Stdin != "hello" || c.Env["GREETING"] != "hi" || c.Timeout != 3*time.Second || c.Points != 2 || !c.Exit.NonZero {
		t.Errorf("check = %+v", c)
	}
	if len(c.Stdout.Contains) != 1 || len(c.Stdout.NotContains) != 1 || len(c.Stdout.NotMatches) != 2 ||
		len(c.Stdout.InOrder) != 2 || *c.Stdout.Equals != "42" || c.Stderr.Equals == nil || c.Output == nil {
		t.Errorf("stdout = %+v", c.Stdout)
	}
	if len(c.Files) != 2 || c.Files[1].Exists || len(c.JSON) != 2 || len(c.YAML) != 1 || c.Fail == "" {
		t.Errorf("files/json/yaml = %+v %+v %+v", c.Files, c.JSON, c.YAML)
	}
	if d := c.JSON[1]; !d.All || *d.Min != 0 || *d.Max != 9 || d.Type != "number" || d.File != "out.json" {
		t.Errorf("json[1] = %+v", d)
	}
	if ex.Timeout != 30*time.Second || ex.Network != sandbox.NetworkLoopback || ex.Generate != "tests/check.sh" ||
		ex.Minutes != 5 || ex.Summary != "one line" || len(ex.YAMLToJSON) != 1 {
		t.Errorf("exercise = %+v", ex)
	}
	if s := ex.Checks[2]; s.Script != "tests/check.sh" || len(s.Args) != 1 || s.Kind() != "script" {
		t.Errorf("script check = %+v", s)
	}
	if ex.MaxPoints() != 4 {
		t.Errorf("max points = %d", ex.MaxPoints())
	}
}

func TestLintProblems(t *testing.T) {
	const f = exDir + "/exercise.yaml"
	cases := []struct {
		name  string
		spec  string
		edits map[string]string
		want  string // one problem, as "file:line: message" or a prefix of it
	}{
		{"unknown top-level key", baseSpec + "timout: 5s\n", nil,
			f + `:14: unknown key "timout" in exercise.yaml (did you mean "timeout"?)`},
		{"unknown check key", baseSpec + "    stdot: {contains: x}\n", nil,
			f + `:14: unknown key "stdot" in a check (did you mean "stdout"?)`},
		{"unknown hint key", strings.Replace(baseSpec, "  partial:", "  partal:", 1), nil,
			f + `:10: unknown key "partal" in hints`},
		{"missing hint", strings.Replace(baseSpec, "  partial: the answer is a number\n", "", 1), nil,
			f + `:8: hints needs "partial"`},
		{"missing README", baseSpec, map[string]string{"README.md": ""},
			exDir + "/README.md: missing"},
		{"empty README", baseSpec, map[string]string{"README.md": "  \n"},
			exDir + "/README.md:1: README.md is empty"},
		{"missing starter", baseSpec, map[string]string{"starter/answer.txt": ""},
			exDir + "/starter: missing"},
		{"missing solution", baseSpec, map[string]string{"solution/answer.txt": ""},
			exDir + "/solution: missing"},
		{"missing tests", baseSpec, map[string]string{"tests/check.sh": "", "tests/fixtures/secret.txt": ""},
			exDir + "/tests: missing"},
		{"edited file absent from starter", strings.Replace(baseSpec, "files: [answer.txt]", "files: [answer.txt, notes.md]", 1), nil,
			f + `:6: file "notes.md" is not in starter/`},
		{"edited file path escapes", strings.Replace(baseSpec, "files: [answer.txt]", "files: [../answer.txt]", 1), nil,
			f + `:6: file "../answer.txt" must be a clean path`},
		{"unknown tool", strings.Replace(baseSpec, "tools: [bash, grep]", "tools: [bash, node]", 1), nil,
			f + `:5: unknown tool "node"`},
		{"bad regex", baseSpec + "    stdout: {matches: '(unclosed'}\n", nil,
			f + `:14: stdout.matches: bad regular expression "(unclosed"`},
		{"bad regex in yaml assertion", baseSpec + "    yaml: [{file: a.yml, path: a, in_order: ['a', '[z-a]']}]\n", nil,
			f + `:14: in_order: bad regular expression "[z-a]"`},
		{"run refers to a missing test file", strings.Replace(baseSpec, "grep -qx 42 answer.txt", "python3 .kaizen/tests/nope.py", 1), nil,
			f + `:13: the command refers to tests/nope.py, which does not exist`},
		{"run refers to a missing test file by variable", strings.Replace(baseSpec, "grep -qx 42 answer.txt", `bash "$KAIZEN_TESTS/gone.sh"`, 1), nil,
			f + `:13: the command refers to tests/gone.sh`},
		{"script missing", baseSpec + "  - name: s\n    script: tests/nope.py\n", nil,
			f + `:15: script "tests/nope.py" does not exist`},
		{"script outside tests", baseSpec + "  - name: s\n    script: starter/answer.txt\n", nil,
			f + `:15: script "starter/answer.txt" must be a path under tests/`},
		{"generator with a bad extension", baseSpec + "generate: tests/fixtures/secret.txt\n", nil,
			f + `:14: generate "tests/fixtures/secret.txt": scripts must end in .py`},
		{"invalid YAML", baseSpec + "\tname: tab\n", nil,
			f + ":14: invalid YAML"},
		{"bad id", strings.Replace(baseSpec, "id: ex-test", "id: Ex_Test", 1), nil,
			f + `:1: id "Ex_Test" must be lower case`},
		{"missing id", strings.Replace(baseSpec, "id: ex-test\n", "", 1), nil,
			f + `:1: missing required key "id"`},
		{"bad language", strings.Replace(baseSpec, "language: bash", "language: ruby", 1), nil,
			f + `:4: language "ruby" is not one of bash, python3, make`},
		{"bad network", baseSpec + "network: internet\n", nil,
			f + `:14: network "internet" must be none or loopback`},
		{"bad timeout", baseSpec + "timeout: forever\n", nil,
			f + `:14: timeout must be a duration`},
		{"timeout too long", baseSpec + "timeout: 10m\n", nil,
			f + `:14: timeout must be between 1s and 2m0s`},
		{"bad exit", baseSpec + "    exit: sometimes\n", nil,
			f + `:14: exit must be a number, nonzero or any`},
		{"check without a name", baseSpec + "  - run: true\n", nil,
			f + `:14: every check needs a name`},
		{"duplicate check name", baseSpec + "  - name: the answer is 42\n    run: true\n", nil,
			f + `:14: duplicate check name "the answer is 42" (also line 12)`},
		{"check that does nothing", baseSpec + "  - name: idle\n    points: 2\n", nil,
			f + `:14: check "idle" does nothing`},
		{"stdout without a command", baseSpec + "  - name: nothing runs\n    stdout: {contains: x}\n    files: [{path: answer.txt}]\n", nil,
			f + `:15: stdout only applies to a check that runs a command`},
		{"json stdout without a command", baseSpec + "  - name: nothing runs\n    json: [{path: a}]\n", nil,
			f + `:15: json assertion needs a file`},
		{"bad data path", baseSpec + "    json: [{path: 'a..b'}]\n", nil,
			f + `:14: bad path "a..b"`},
		{"bad type", baseSpec + "    json: [{path: a, type: integer}]\n", nil,
			f + `:14: type "integer" must be one of`},
		{"reserved env", baseSpec + "    env: {KAIZEN_SEED: '1'}\n", nil,
			f + `:14: env KAIZEN_SEED is set by kaizen`},
		{"negative points", baseSpec + "    points: -1\n", nil,
			f + `:14: points must not be negative`},
		{"duplicate key", baseSpec + "title: again\n", nil,
			f + `:14: duplicate key "title"`},
		{"solution changes a protected file", baseSpec, map[string]string{"starter/tools.sh": "echo\n", "solution/tools.sh": "echo hacked\n"},
			exDir + "/solution/tools.sh: the solution changes tools.sh, which is not in files"},
		{"reserved folder in starter", baseSpec, map[string]string{"starter/.kaizen/x": "y"},
			exDir + "/starter/.kaizen: .kaizen is reserved"},
		{"cache folder in tests", baseSpec, map[string]string{"tests/__pycache__/gen.cpython-311.pyc": "x"},
			exDir + "/tests/__pycache__: a cache, editor or version-control file"},
		{"stray entry", baseSpec, map[string]string{"notes.txt": "x"},
			exDir + "/notes.txt: unexpected entry"},
		{"checks missing", strings.Split(baseSpec, "checks:")[0], nil,
			f + `:1: missing required key "checks"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := Load(exerciseFS(tc.spec, tc.edits), exDir)
			var all []string
			for _, p := range probs {
				all = append(all, p.String())
				if strings.HasPrefix(p.String(), tc.want) {
					return
				}
			}
			t.Errorf("want a problem starting with\n  %s\ngot\n  %s", tc.want, strings.Join(all, "\n  "))
		})
	}
}

func TestLintSymlinkInStarter(t *testing.T) {
	m := exerciseFS(baseSpec, nil)
	m[exDir+"/starter/leak"] = &fstest.MapFile{Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink}
	_, probs := Load(m, exDir)
	for _, p := range probs {
		if p.File == exDir+"/starter/leak" && strings.Contains(p.Message, "no links") {
			return
		}
	}
	t.Errorf("no problem about the link: %v", probs)
}

func TestLoadCourseDuplicatesAndChapter(t *testing.T) {
	m := exerciseFS(baseSpec, nil)
	for k, v := range m {
		if strings.HasPrefix(k, exDir+"/") {
			m["chapters/01-x/exercises/02-copy/"+strings.TrimPrefix(k, exDir+"/")] = v
		}
	}
	m["chapters/02-y/chapter.yaml"] = &fstest.MapFile{Data: []byte("id: ch02\n")}
	for k, v := range m {
		if strings.HasPrefix(k, exDir+"/") {
			m["chapters/02-y/exercises/01-other/"+strings.TrimPrefix(k, exDir+"/")] = v
		}
	}
	m["chapters/02-y/exercises/01-other/exercise.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(baseSpec, "id: ex-test", "id: ex-other", 1))}
	exs, probs := LoadCourse(m)
	if len(exs) != 2 {
		t.Errorf("loaded %d exercises, want 2 (the duplicate is dropped)", len(exs))
	}
	want := []string{
		`chapters/01-x/exercises/02-copy/exercise.yaml:1: duplicate exercise id "ex-test" (also chapters/01-x/exercises/01-test/exercise.yaml:1)`,
		`chapters/02-y/exercises/01-other/exercise.yaml:3: chapter is "ch01" but the exercise lives in chapters/02-y, whose id is "ch02"`,
	}
	got := map[string]bool{}
	for _, p := range probs {
		got[p.String()] = true
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing problem %s\ngot %v", w, probs)
		}
	}
	if lint := Lint(m); len(lint) != len(probs) {
		t.Errorf("Lint gave %d problems, LoadCourse %d", len(lint), len(probs))
	}
}

func TestLoadMissingSpec(t *testing.T) {
	ex, probs := Load(exerciseFS(baseSpec, map[string]string{"exercise.yaml": ""}), exDir)
	if ex != nil || len(probs) != 1 || !strings.Contains(probs[0].String(), "exercise.yaml: missing") {
		t.Errorf("got %v, %v", ex, probs)
	}
}
