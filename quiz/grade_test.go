package quiz

import (
	"errors"
	"math"
	"slices"
	"sync"
	"testing"
)

func opts(ids ...string) []Option {
	o := make([]Option, len(ids))
	for i, id := range ids {
		o[i] = Option{ID: id, Text: "Option " + id}
	}
	return o
}

func TestGradeSingle(t *testing.T) {
	q := &Question{ID: "q", Type: Single, Options: opts("a", "b", "c"), Answer: []string{"b"}, Explanation: "Because."}
	tests := []struct {
		name   string
		picked []string
		ok     bool
	}{
		{"right", []string{"b"}, true},
		{"wrong", []string{"a"}, false},
		{"nothing", nil, false},
		{"two picks including the right one", []string{"b", "c"}, false},
		{"not an option", []string{"z"}, false},
		{"case matters for ids", []string{"B"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Grade(q, Response{Options: tt.picked})
			if res.Correct != tt.ok || res.Score != map[bool]float64{true: 1, false: 0}[tt.ok] {
				t.Errorf("Correct %v Score %v, want %v", res.Correct, res.Score, tt.ok)
			}
			if res.Answer != "Option b" || res.Explanation != "Because." {
				t.Errorf("Answer %q Explanation %q", res.Answer, res.Explanation)
			}
		})
	}
}

func TestGradeMulti(t *testing.T) {
	two := &Question{ID: "q", Type: Multi, Options: opts("a", "b", "c", "d"), Answer: []string{"a", "c"}}
	three := &Question{ID: "q", Type: Multi, Options: opts("a", "b", "c", "d", "e"), Answer: []string{"a", "b", "c"}}
	tests := []struct {
		name   string
		q      *Question
		picked []string
		ok     bool
		score  float64
	}{
		{"exact", two, []string{"a", "c"}, true, 1},
		{"exact, other order", two, []string{"c", "a"}, true, 1},
		{"exact, repeated pick", two, []string{"a", "a", "c"}, true, 1},
		{"one of two", two, []string{"a"}, false, 0.5},
		{"both right plus one wrong", two, []string{"a", "c", "b"}, false, 0.5},
		{"one right one wrong", two, []string{"a", "b"}, false, 0},
		{"everything", two, []string{"a", "b", "c", "d"}, false, 0},
		{"only wrong, floored at 0", two, []string{"b", "d"}, false, 0},
		{"nothing", two, nil, false, 0},
		{"right plus a non-option", two, []string{"a", "c", "zz"}, false, 0.5},
		{"two of three", three, []string{"a", "b"}, false, 2.0 / 3},
		{"three of three plus one wrong", three, []string{"a", "b", "c", "d"}, false, 2.0 / 3},
		{"one of three", three, []string{"c"}, false, 1.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Grade(tt.q, Response{Options: tt.picked})
			if res.Correct != tt.ok || math.Abs(res.Score-tt.score) > 1e-12 {
				t.Errorf("Correct %v Score %v, want %v %v", res.Correct, res.Score, tt.ok, tt.score)
			}
		})
	}

	res := Grade(two, Response{Options: []string{"a", "b"}})
	want := []Mark{
		{ID: "a", Chosen: true, InAnswer: true, OK: true},
		{ID: "b", Chosen: true, OK: false},
		{ID: "c", InAnswer: true, OK: false},
		{ID: "d", OK: true},
	}
	if !slices.Equal(res.Marks, want) {
		t.Errorf("Marks = %+v, want %+v", res.Marks, want)
	}
	if res.Answer != "Option a; Option c" {
		t.Errorf("Answer = %q", res.Answer)
	}
}

func TestGradeTrueFalse(t *testing.T) {
	for _, truth := range []bool{true, false} {
		q := &Question{Type: TrueFalse, Truth: truth}
		if !Grade(q, Response{Bool: truth}).Correct || Grade(q, Response{Bool: !truth}).Correct {
			t.Errorf("truth %v graded wrongly", truth)
		}
	}
	if got := Grade(&Question{Type: TrueFalse}, Response{}).Answer; got != "False" {
		t.Errorf("Answer = %q", got)
	}
}

func TestGradeNumeric(t *testing.T) {
	q := func(answer, tol float64) *Question {
		return &Question{Type: Numeric, Number: answer, Tolerance: tol}
	}
	tests := []struct {
		name string
		q    *Question
		x    float64
		ok   bool
	}{
		{"exact", q(0.25, 0.01), 0.25, true},
		{"upper boundary is inclusive", q(0.25, 0.01), 0.26, true},
		{"lower boundary is inclusive", q(0.25, 0.01), 0.24, true},
		{"just over the boundary", q(0.25, 0.01), 0.2601, false},
		{"just under the boundary", q(0.25, 0.01), 0.2399, false},
		{"zero tolerance, float sum", q(0.3, 0), 0.1 + 0.2, true},
		{"zero tolerance, off", q(0.3, 0), 0.31, false},
		{"large answer, no tolerance", q(1e6, 0), 1e6 + 0.01, false},
		{"negative answer at boundary", q(-5, 0.5), -5.5, true},
		{"negative answer past boundary", q(-5, 0.5), -5.51, false},
		{"integer boundary", q(250, 5), 245, true},
		{"tiny answer", q(1e-9, 0), 2e-9, false},
		{"NaN", q(0, 1), math.NaN(), false},
		{"infinity", q(0, math.MaxFloat64), math.Inf(1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Grade(tt.q, Response{Number: tt.x}).Correct; got != tt.ok {
				t.Errorf("Grade(%v ± %v, %v) = %v, want %v", tt.q.Number, tt.q.Tolerance, tt.x, got, tt.ok)
			}
		})
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in, unit string
		want     float64
		ok       bool
	}{
		{"0.25", "", 0.25, true},
		{"  0.25  ", "", 0.25, true},
		{"+3", "", 3, true},
		{"-3", "", -3, true},
		{"−3", "", -3, true}, // Unicode minus sign
		{".5", "", 0.5, true},
		{"1e3", "", 1000, true},
		{"0,25", "", 0.25, true},
		{"1,5", "", 1.5, true},
		{"0,250", "", 0.25, true}, // a whole part of 0 cannot be a thousands group
		{"1,500", "", 0, false},   // 1.5 or 1500? refused as ambiguous
		{"1,000,000", "", 0, false},
		{"1.000,5", "", 0, false},
		{"25%", "%", 25, true},
		{"25 %", "%", 25, true},
		{"25", "%", 25, true},
		{"25%", "", 0, false},
		{"25%", "ms", 0, false},
		{"120ms", "ms", 120, true},
		{"120 ms", "ms", 120, true},
		{"120 MS", "ms", 120, true},
		{"120 s", "ms", 0, false},
		{"120 ms", "", 0, false},
		{"abc", "", 0, false},
		{"", "", 0, false},
		{"ms", "ms", 0, false},
		{"NaN", "", 0, false},
		{"Inf", "", 0, false},
		{"0x10", "", 0, false},
		{"1e999", "", 0, false},
		{"1_000", "", 0, false},
	}
	for _, tt := range tests {
		q := &Question{Type: Numeric, Unit: tt.unit}
		got, err := q.ParseNumber(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseNumber(%q, unit %q) = %v, %v; want %v ok=%v", tt.in, tt.unit, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrNotANumber) {
			t.Errorf("ParseNumber(%q): error %v does not wrap ErrNotANumber", tt.in, err)
		}
	}
}

func TestGradeText(t *testing.T) {
	workflows := &Question{Type: Text, Accepted: []string{".github/workflows", ".github/workflows/"}, Pattern: `^\.github/workflows/?$`}
	tab := &Question{Type: Text, Accepted: []string{"tab"}, Pattern: `^(a )?tab( character)?$`}
	street := &Question{Type: Text, Accepted: []string{"Straße"}}
	cafe := &Question{Type: Text, Accepted: []string{"café"}}
	caseful := &Question{Type: Text, Accepted: []string{"x"}, Pattern: `^GitHub Actions$`}
	tests := []struct {
		name string
		q    *Question
		in   string
		ok   bool
	}{
		{"exact", workflows, ".github/workflows", true},
		{"second accepted answer", workflows, ".github/workflows/", true},
		{"case and outer spaces", workflows, "  .GitHub/Workflows  ", true},
		{"trailing newline", workflows, ".github/workflows\n", true},
		{"backticks and full stop", workflows, "`.github/workflows/`.", true},
		{"double quotes", workflows, `".github/workflows"`, true},
		{"curly quotes", workflows, "“.github/workflows”", true},
		{"leading dot is kept", workflows, "github/workflows", false},
		{"inner spaces matter", workflows, ".github / workflows", false},
		{"empty", workflows, "", false},
		{"only spaces", workflows, "   ", false},
		{"only punctuation", workflows, "?!", false},
		{"pattern", tab, "A TAB character.", true},
		{"pattern, collapsed spaces", tab, "a   tab\tcharacter", true},
		{"pattern, no match", tab, "spaces", false},
		{"pattern is case-insensitive", caseful, "github actions", true},
		{"ß folds to ss", street, "STRASSE", true},
		{"ß matches ß", street, "straße", true},
		{"ẞ capital sharp s", street, "STRAẞE", true},
		{"NFD input matches NFC answer", cafe, "cafe\u0301", true},
		{"accent matters", cafe, "cafe", false},
		{"non-breaking space collapses", &Question{Type: Text, Accepted: []string{"make test"}}, "make\u00a0\u00a0test", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Grade(tt.q, Response{Text: tt.in}).Correct; got != tt.ok {
				t.Errorf("Grade(%q) = %v, want %v (normalised %q)", tt.in, got, tt.ok, Normalize(tt.in))
			}
		})
	}
	if got := Grade(workflows, Response{}).Answer; got != ".github/workflows" {
		t.Errorf("Answer = %q", got)
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"  Hello   World  ":   "hello world",
		"`make`":              "make",
		"'make test'.":        "make test",
		"make test?!":         "make test",
		".env":                ".env",
		"...and so on...":     "...and so on",
		"Straße":              "strasse",
		"ÉCOLE":               "école",
		"e\u0301cole":         "école",
		"a\tb\nc":             "a b c",
		"«Docker»":            "docker",
		"\"`quoted`\"":        "quoted",
		"ﬁle":                 "file", // the ligature folds to two letters
		"ΣΊΣΥΦΟΣ":             "σίσυφοσ",
		"v1.2.3":              "v1.2.3",
		"path/to/dir/":        "path/to/dir/",
		"":                    "",
		"requirements.txt\n.": "requirements.txt",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGradeOrder(t *testing.T) {
	q := &Question{Type: Order, Options: opts("a", "b", "c", "d"), Answer: []string{"a", "b", "c", "d"}}
	tests := []struct {
		name  string
		given []string
		ok    bool
	}{
		{"right", []string{"a", "b", "c", "d"}, true},
		{"one adjacent swap", []string{"a", "c", "b", "d"}, false},
		{"ends swapped", []string{"d", "b", "c", "a"}, false},
		{"reversed", []string{"d", "c", "b", "a"}, false},
		{"one left out", []string{"a", "b", "c"}, false},
		{"repeated", []string{"a", "b", "c", "c"}, false},
		{"extra", []string{"a", "b", "c", "d", "e"}, false},
		{"nothing", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Grade(q, Response{Options: tt.given})
			if res.Correct != tt.ok || res.Score != map[bool]float64{true: 1, false: 0}[tt.ok] {
				t.Errorf("Correct %v Score %v, want %v", res.Correct, res.Score, tt.ok)
			}
		})
	}
	res := Grade(q, Response{Options: []string{"a", "c", "b", "d"}})
	want := []Mark{
		{ID: "a", Position: 1, Want: 1, OK: true},
		{ID: "b", Position: 3, Want: 2},
		{ID: "c", Position: 2, Want: 3},
		{ID: "d", Position: 4, Want: 4, OK: true},
	}
	if !slices.Equal(res.Marks, want) {
		t.Errorf("Marks = %+v, want %+v", res.Marks, want)
	}
	if res.Answer != "Option a → Option b → Option c → Option d" {
		t.Errorf("Answer = %q", res.Answer)
	}
}

func TestDisplayAnswer(t *testing.T) {
	tests := []struct {
		q    *Question
		want string
	}{
		{&Question{Type: Numeric, Number: 250, Tolerance: 0.5, Unit: "ms"}, "250 ms (± 0.5 ms)"},
		{&Question{Type: Numeric, Number: 25, Tolerance: 1, Unit: "%"}, "25% (± 1%)"},
		{&Question{Type: Numeric, Number: 0.25}, "0.25"},
		{&Question{Type: Numeric, Number: 1e6}, "1000000"},
		{&Question{Type: TrueFalse, Truth: true}, "True"},
		{&Question{Type: "essay"}, ""},
	}
	for _, tt := range tests {
		if got := DisplayAnswer(tt.q); got != tt.want {
			t.Errorf("DisplayAnswer(%+v) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestGradeConcurrent grades one parsed question from many goroutines (run with -race).
func TestGradeConcurrent(t *testing.T) {
	qz, probs, _ := parseFile(t, "testdata/valid.yaml")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	q, _ := qz.Question("ch01-q-workflows")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 100 {
				if !Grade(q, Response{Text: ".GitHub/workflows/"}).Correct {
					t.Error("concurrent grade failed")
					return
				}
				_ = Shuffle(qz.Questions[0], int64(i))
			}
		})
	}
	wg.Wait()
}

func TestOptionLabel(t *testing.T) {
	choice := &Question{Type: Single, Options: []Option{{ID: "a", Text: "DevOps"}}}
	tf := &Question{Type: TrueFalse}
	for _, tc := range []struct {
		q        *Question
		id, want string
	}{{choice, "a", "DevOps"}, {choice, "z", "z"}, {tf, "true", "True"}, {tf, "false", "False"}} {
		if got := tc.q.OptionLabel(tc.id); got != tc.want {
			t.Errorf("OptionLabel(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}
