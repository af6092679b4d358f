package portfolio

import (
	"strings"
	"testing"
)

func TestSafeExerciseID(t *testing.T) {
	cases := map[string]bool{
		"ex01-make": true, "a": true, "0": true, strings.Repeat("a", 100): true,
		"": false, "-x": false, "Ex01": false, "ex_01": false, "../etc": false, "a/b": false,
		strings.Repeat("a", 101): false, "ex 1": false, "é": false,
	}
	for id, want := range cases {
		if got := safeExerciseID(id); got != want {
			t.Errorf("safeExerciseID(%q) = %v, want %v", id, got, want)
		}
	}
}
