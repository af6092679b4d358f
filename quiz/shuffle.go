package quiz

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
)

// TrueFalseOptions is the fixed display order of a truefalse question's two choices.
func TrueFalseOptions() []string { return []string{"true", "false"} }

// Shuffle returns the option ids of q in the order to show them for one attempt. The order is
// a pure function of the seed and the question id, so an attempt can be replayed from its seed,
// and questions with the same number of options are not all shuffled alike. Truefalse
// questions always show "true" then "false"; numeric and text questions have no options (nil).
// An order question is never shown already in its right order.
//
// Feedback must refer to options by id (see Result.Marks), never by display position.
func Shuffle(q *Question, seed int64) []string {
	if q.Type == TrueFalse {
		return TrueFalseOptions()
	}
	if len(q.Options) == 0 {
		return nil
	}
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	h := fnv.New64a()
	h.Write([]byte(q.ID))
	rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	if q.Type == Order && len(ids) > 1 {
		// Showing the answer itself would give it away: draw again a few times, then rotate.
		for try := 0; try < 8 && slices.Equal(ids, q.Answer); try++ {
			rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		}
		if slices.Equal(ids, q.Answer) {
			ids = append(ids[1:], ids[0])
		}
	}
	return ids
}

// Interleave orders items round-robin across their groups (chapters, for a review), keeping
// the order within each group, so a review mixes topics instead of drilling one.
func Interleave[T any](items []T, group func(T) string) []T {
	var order []string
	by := map[string][]T{}
	for _, it := range items {
		g := group(it)
		if _, ok := by[g]; !ok {
			order = append(order, g)
		}
		by[g] = append(by[g], it)
	}
	out := make([]T, 0, len(items))
	for len(out) < len(items) {
		for _, g := range order {
			if len(by[g]) > 0 {
				out = append(out, by[g][0])
				by[g] = by[g][1:]
			}
		}
	}
	return out
}
