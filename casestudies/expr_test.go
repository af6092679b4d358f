package casestudies

import (
	"strings"
	"testing"
)

func TestConditions(t *testing.T) {
	gauges := map[string]int{"trust": 0, "runway": 1}
	flags := map[string]uint{"ci": 0, "mon": 1}
	g := []float64{60, -0.5}
	f := uint64(1) // ci set, mon not
	for src, want := range map[string]bool{
		"ci":                               true,
		"mon":                              false,
		"not mon":                          true,
		"not not ci":                       true,
		"trust >= 60":                      true,
		"trust > 60":                       false,
		"trust <= 60 and trust < 61":       true,
		"trust == 60 and trust != 59.5":    true,
		"runway <= 0":                      true,
		"runway < -0.5":                    false,
		"runway >= -0.5":                   true,
		"mon or ci and trust >= 60":        true, // and binds tighter than or
		"(mon or ci) and trust > 60":       false,
		"not mon and ci":                   true, // not binds tightest
		"not (mon or ci)":                  false,
		"true":                             true,
		"false or mon":                     false,
		"mon or (trust >= 50 and not mon)": true,
	} {
		e, err := compileExpr(src, gauges, flags)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if got := e.eval(g, f); got != want {
			t.Errorf("%q = %v, want %v", src, got, want)
		}
	}
}

func TestConditionErrors(t *testing.T) {
	gauges := map[string]int{"trust": 0}
	flags := map[string]uint{"ci": 0}
	for src, want := range map[string]string{
		"":               "empty condition",
		"shipped":        `unknown gauge or flag "shipped"`,
		"trust":          `gauge "trust" must be compared with a number`,
		"trust >":        "expected a number after trust >",
		"trust > ci":     "expected a number",
		"ci == 1":        `flag "ci" is true or false`,
		"trust = 3":      `unexpected "="`,
		"(ci":            "missing )",
		"ci)":            `unexpected ")"`,
		"ci and":         "ends too early",
		"ci or or ci":    `unexpected "or"`,
		"trust >= 6x":    `unexpected "x"`,
		"ci && ci":       `unexpected "&"`,
		"trust >= 1.2.3": "bad number",
	} {
		_, err := compileExpr(src, gauges, flags)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", src, err, want)
		}
	}
}
