package exercises

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestParsePath(t *testing.T) {
	good := map[string]int{"": 0, ".": 0, "a": 1, "a.b": 2, "a[0]": 2, "jobs.*.steps[*].uses": 5, "[2]": 1, "a[-1].b": 3}
	for p, n := range good {
		steps, err := parsePath(p)
		if err != nil || len(steps) != n {
			t.Errorf("parsePath(%q) = %d steps, %v; want %d", p, len(steps), err, n)
		}
	}
	for _, p := range []string{"a..b", "a.", ".a", "a[", "a[x]", "a[0]b", "a]"} {
		if _, err := parsePath(p); err == nil && p != "a]" {
			t.Errorf("parsePath(%q) accepted", p)
		}
	}
}

const workflowYAML = `name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-python@v6
        with:
          python-version: 3.10
      - run: make install
      - run: make lint || true
        continue-on-error: true
      - run: make test
  docs:
    steps: []
`

func mustYAML(t *testing.T, s string) *Value {
	t.Helper()
	v, err := ParseYAML([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func data(t *testing.T, path string, edit func(*DataExpect)) *DataExpect {
	t.Helper()
	steps, err := parsePath(path)
	if err != nil {
		t.Fatal(err)
	}
	d := &DataExpect{Path: path, path: steps}
	edit(d)
	return d
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }
func num(f float64) *float64 {
	return &f
}
func val(t *testing.T, s string) *Value { return mustYAML(t, s) }

func TestDataAssertions(t *testing.T) {
	doc := mustYAML(t, workflowYAML)
	re := regexp.MustCompile
	cases := []struct {
		name string
		d    *DataExpect
		want string // "" passes, else a substring of the reason
	}{
		{"exists", data(t, "jobs.build.runs-on", func(d *DataExpect) { d.Exists = yes() }), ""},
		{"missing", data(t, "jobs.build.timeout", func(d *DataExpect) { d.Exists = yes() }), "`jobs.build.timeout` is missing"},
		{"absent as wanted", data(t, "jobs.build.timeout", func(d *DataExpect) { d.Exists = no() }), ""},
		{"present but should not be", data(t, "name", func(d *DataExpect) { d.Exists = no() }), `should not be there, but it is "CI"`},
		{"on includes (mapping)", data(t, "on", func(d *DataExpect) { d.Includes = []string{"push", "pull_request"} }), ""},
		{"on lacks an event", data(t, "on", func(d *DataExpect) { d.Includes = []string{"schedule"} }), `does not include "schedule"`},
		{"wildcards select steps", data(t, "jobs.*.steps[*].uses", func(d *DataExpect) { d.Matches = re(`^actions/checkout@v\d+$`) }), ""},
		{"all must match", data(t, "jobs.*.steps[*].uses", func(d *DataExpect) { d.All = true; d.Matches = re(`checkout`) }), "does not match /checkout/"},
		{"in order", data(t, "jobs.*.steps[*].run", func(d *DataExpect) {
			d.InOrder = []*regexp.Regexp{re(`make install`), re(`make lint`), re(`make test`)}
		}), ""},
		{"out of order", data(t, "jobs.*.steps[*].run", func(d *DataExpect) {
			d.InOrder = []*regexp.Regexp{re(`make test`), re(`make install`)}
		}), "comes before"},
		{"not_equals catches any value", data(t, "jobs.*.steps[*].continue-on-error", func(d *DataExpect) { d.NotEquals = val(t, "true") }), "must not be true"},
		{"not_matches", data(t, "jobs.*.steps[*].run", func(d *DataExpect) { d.NotMatch = re(`\|\|\s*true`) }), `"make lint || true", which must not match`},
		{"type: unquoted 3.10 is a number", data(t, "jobs.*.steps[*].with.python-version", func(d *DataExpect) { d.Type = "string" }), "is 3.10 (a number), expected a string"},
		{"type: list", data(t, "on.push.branches", func(d *DataExpect) { d.Type = "list" }), ""},
		{"equals a string", data(t, "jobs.build.runs-on", func(d *DataExpect) { d.Equals = val(t, "ubuntu-latest") }), ""},
		{"equals a list", data(t, "on.push.branches", func(d *DataExpect) { d.Equals = val(t, "[main]") }), ""},
		{"equals fails", data(t, "jobs.build.runs-on", func(d *DataExpect) { d.Equals = val(t, "windows-latest") }), `is "ubuntu-latest", expected "windows-latest"`},
		{"index", data(t, "jobs.build.steps[0].uses", func(d *DataExpect) { d.Equals = val(t, "actions/checkout@v5") }), ""},
		{"negative index", data(t, "jobs.build.steps[-1].run", func(d *DataExpect) { d.Equals = val(t, "make test") }), ""},
		{"empty list selects nothing", data(t, "jobs.docs.steps[*]", func(d *DataExpect) { d.Exists = yes() }), "is missing"},
		{"includes a key on every job", data(t, "jobs.*", func(d *DataExpect) { d.All = true; d.Includes = []string{"runs-on"} }), `does not include "runs-on"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := evalData(tc.d, doc, "`ci.yml`")
			if tc.want == "" && got != "" {
				t.Errorf("failed: %s", got)
			}
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("reason %q does not contain %q", got, tc.want)
			}
		})
	}
}

func TestOnKeyAsBool(t *testing.T) {
	// A YAML 1.1 reader (PyYAML) turns `on` into true; a workflow written with `true:` or a
	// document converted by such a tool must still be understood.
	for _, src := range []string{
		"on: [push, pull_request]\n",
		"on: {push: {}, pull_request: {}}\n",
		"true: [push, pull_request]\n",
		"\"on\":\n  push:\n  pull_request:\n",
		"on: push\n",
	} {
		doc := mustYAML(t, src)
		want := []string{"push", "pull_request"}
		if strings.HasSuffix(src, "push\n") && !strings.Contains(src, "pull_request") {
			want = []string{"push"}
		}
		d := data(t, "on", func(d *DataExpect) { d.Includes = want })
		if msg := evalData(d, doc, "x"); msg != "" {
			t.Errorf("%q: %s", src, msg)
		}
	}
}

func TestNumbersAndTolerance(t *testing.T) {
	doc, err := ParseJSON([]byte(`{"psi": 0.2281, "n": 5, "list": [1, 2.5, -3e2], "flag": true, "none": null}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		d    *DataExpect
		pass bool
	}{
		{data(t, "psi", func(d *DataExpect) { d.Equals = val(t, "0.228"); d.Tolerance = 0.001 }), true},
		{data(t, "psi", func(d *DataExpect) { d.Equals = val(t, "0.228"); d.Tolerance = 1e-6 }), false},
		{data(t, "n", func(d *DataExpect) { d.Equals = val(t, "5.0") }), true},
		{data(t, "n", func(d *DataExpect) { d.Equals = val(t, `"5"`) }), false},
		{data(t, "list[*]", func(d *DataExpect) { d.Min = num(-300); d.Max = num(2.5); d.All = true }), true},
		{data(t, "list[*]", func(d *DataExpect) { d.Min = num(0); d.All = true }), false},
		{data(t, "list[*]", func(d *DataExpect) { d.Min = num(2) }), true},
		{data(t, "flag", func(d *DataExpect) { d.Equals = val(t, "true") }), true},
		{data(t, "none", func(d *DataExpect) { d.Type = "null" }), true},
		{data(t, "none", func(d *DataExpect) { d.Exists = yes() }), true},
		{data(t, "", func(d *DataExpect) { d.Type = "map" }), true},
	}
	for i, tc := range cases {
		msg := evalData(tc.d, doc, "stdout")
		if (msg == "") != tc.pass {
			t.Errorf("case %d (%s): pass=%v, reason %q", i, tc.d.Path, msg == "", msg)
		}
	}
	if msg := evalData(cases[1].d, doc, "stdout"); !strings.Contains(msg, "expected 0.228 (± 1e-06)") {
		t.Errorf("tolerance message: %q", msg)
	}
}

func TestParseJSONErrors(t *testing.T) {
	for _, s := range []string{"", "{", `{"a": 1} x`, `[1,]`, strings.Repeat("[", 300) + strings.Repeat("]", 300)} {
		if _, err := ParseJSON([]byte(s)); err == nil {
			t.Errorf("ParseJSON(%.20q) accepted", s)
		}
	}
	v, err := ParseJSON([]byte(`{"b": 1, "a": [true, "x"]}`))
	if err != nil || v.String() != `{"b": 1, "a": [true, "x"]}` {
		t.Errorf("round trip: %v %v", v, err)
	}
}

func TestYAMLToJSON(t *testing.T) {
	v := mustYAML(t, "on:\n  push:\nx: &a {k: 1.50}\ny: *a\nz: .inf\nw: 0x1F\n")
	var b bytes.Buffer
	v.toJSON(&b)
	if got, want := b.String(), `{"on":{"push":null},"x":{"k":1.5},"y":{"k":1.5},"z":null,"w":31}`; got != want {
		t.Errorf("toJSON = %s, want %s", got, want)
	}
}

func TestTextAssertions(t *testing.T) {
	out := "Ran 3 tests\n\nFAILED (failures=1)\n"
	re := regexp.MustCompile
	eq := "Ran 3 tests\n\nFAILED (failures=1)"
	cases := []struct {
		t    TextExpect
		want string
	}{
		{TextExpect{Contains: []string{"Ran 3", "FAILED"}}, ""},
		{TextExpect{Contains: []string{"OK"}}, `does not contain "OK"`},
		{TextExpect{NotContains: []string{"FAILED"}}, `contains "FAILED", which it should not`},
		{TextExpect{Matches: []*regexp.Regexp{re(`Ran \d+ tests`)}}, ""},
		{TextExpect{Matches: []*regexp.Regexp{re(`^OK$`)}}, "does not match /^OK$/"},
		{TextExpect{NotMatches: []*regexp.Regexp{re(`failures=\d`)}}, `matches /failures=\d/ ("failures=1")`},
		{TextExpect{InOrder: []*regexp.Regexp{re(`Ran`), re(`FAILED`)}}, ""},
		{TextExpect{InOrder: []*regexp.Regexp{re(`FAILED`), re(`Ran`)}}, "comes before"},
		{TextExpect{InOrder: []*regexp.Regexp{re(`Ran`), re(`nowhere`)}}, "nothing matches /nowhere/ after /Ran/"},
		{TextExpect{Equals: &eq}, ""},
		{TextExpect{Equals: new(string)}, `expected ""`},
	}
	for i, tc := range cases {
		got := evalText(&tc.t, out, "stdout")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("case %d: reason %q, want %q", i, got, tc.want)
		}
	}
}
