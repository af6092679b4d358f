package quiz

import (
	"slices"
	"strings"
	"testing"
)

func TestShuffleDeterministic(t *testing.T) {
	q := &Question{ID: "ch01-q-a", Type: Single, Options: opts("a", "b", "c", "d", "e")}
	distinct := map[string]bool{}
	for seed := range int64(50) {
		first := Shuffle(q, seed)
		if !slices.Equal(first, Shuffle(q, seed)) {
			t.Fatalf("seed %d: two different orders", seed)
		}
		sorted := slices.Sorted(slices.Values(first))
		if !slices.Equal(sorted, []string{"a", "b", "c", "d", "e"}) {
			t.Fatalf("seed %d: %v is not a permutation of the options", seed, first)
		}
		distinct[strings.Join(first, "")] = true
	}
	if len(distinct) < 20 {
		t.Errorf("50 seeds gave only %d orders", len(distinct))
	}
	if opts := q.Options; opts[0].ID != "a" || opts[4].ID != "e" {
		t.Error("Shuffle reordered the question's options")
	}
}

// TestShuffleUniform: every order of four options comes up about equally often.
func TestShuffleUniform(t *testing.T) {
	q := &Question{ID: "ch01-q-a", Type: Multi, Options: opts("a", "b", "c", "d")}
	const n = 24000
	counts := map[string]int{}
	for seed := range int64(n) {
		counts[strings.Join(Shuffle(q, seed), "")]++
	}
	if len(counts) != 24 {
		t.Fatalf("saw %d of 24 orders", len(counts))
	}
	for order, c := range counts {
		if c < 800 || c > 1200 { // expected 1000, standard deviation about 31
			t.Errorf("order %s came up %d times of %d", order, c, n)
		}
	}
}

// TestShuffleDependsOnQuestion: one attempt seed does not shuffle every question alike.
func TestShuffleDependsOnQuestion(t *testing.T) {
	a := &Question{ID: "ch01-q-a", Type: Single, Options: opts("a", "b", "c", "d", "e", "f")}
	b := &Question{ID: "ch01-q-b", Type: Single, Options: opts("a", "b", "c", "d", "e", "f")}
	same := 0
	for seed := range int64(100) {
		if slices.Equal(Shuffle(a, seed), Shuffle(b, seed)) {
			same++
		}
	}
	if same > 5 {
		t.Errorf("%d of 100 seeds shuffled two questions alike", same)
	}
}

func TestShuffleOrderNeverShowsAnswer(t *testing.T) {
	q := &Question{ID: "ch01-q-order", Type: Order, Options: opts("a", "b", "c"), Answer: []string{"a", "b", "c"}}
	for seed := range int64(2000) {
		if got := Shuffle(q, seed); slices.Equal(got, q.Answer) {
			t.Fatalf("seed %d shows the answer %v", seed, got)
		}
	}
}

func TestShuffleFixed(t *testing.T) {
	tf := &Question{ID: "q", Type: TrueFalse}
	for seed := range int64(10) {
		if got := Shuffle(tf, seed); !slices.Equal(got, []string{"true", "false"}) {
			t.Fatalf("truefalse order %v", got)
		}
	}
	for _, typ := range []Type{Numeric, Text} {
		if got := Shuffle(&Question{ID: "q", Type: typ}, 1); got != nil {
			t.Errorf("%s question shuffled to %v", typ, got)
		}
	}
}

// TestFeedbackStableAcrossShuffles: the marks of a response do not depend on display order.
func TestFeedbackStableAcrossShuffles(t *testing.T) {
	q := &Question{ID: "q", Type: Multi, Options: opts("a", "b", "c", "d"), Answer: []string{"a", "c"}}
	want := Grade(q, Response{Options: []string{"a", "b"}})
	for seed := range int64(20) {
		order := Shuffle(q, seed)
		// The learner picks what is shown first and third: map positions back to ids.
		picked := []string{}
		for _, id := range order {
			if id == "a" || id == "b" {
				picked = append(picked, id)
			}
		}
		got := Grade(q, Response{Options: picked})
		if !slices.Equal(got.Marks, want.Marks) || got.Score != want.Score {
			t.Fatalf("seed %d: marks %+v, want %+v", seed, got.Marks, want.Marks)
		}
	}
}

func TestInterleave(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"a1", "a1"},
		{"a1 a2 b1 b2 c1", "a1 b1 c1 a2 b2"},
		{"b1 a1 b2 b3", "b1 a1 b2 b3"},
	}
	for _, tc := range cases {
		items := strings.Fields(tc.in)
		got := strings.Join(Interleave(items, func(s string) string { return s[:1] }), " ")
		if got != tc.want {
			t.Errorf("Interleave(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
