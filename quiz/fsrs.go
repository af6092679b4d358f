package quiz

// FSRS-6 spaced-repetition scheduler.
//
// The memory model (stability S, difficulty D, retrievability R) follows the formulas of FSRS-6
// as published by the open-spaced-repetition project (the fsrs4anki wiki page "The Algorithm",
// and the reference implementations fsrs-rs, which Anki 25.x runs, ts-fsrs and py-fsrs 6). With
// ratings G = 1 (Again) … 4 (Easy) and parameters w[0..20]:
//
//	R(t, S)    = (1 + F·t/S)^(−w20),  F = 0.9^(−1/w20) − 1, t in whole days since the last review
//	I(S)       = S/F · (r^(−1/w20) − 1), rounded, clamped to [1, maximum interval]; r = desired retention
//	S0(G)      = w[G−1]
//	D0(G)      = w4 − e^(w5·(G−1)) + 1, clamped to [1, 10]
//	D'(D, G)   = w7·D0(4) + (1 − w7)·(D + ΔD·(10 − D)/9), ΔD = −w6·(G − 3), clamped to [1, 10]
//	S'r (recall, G ≥ 2) = S·(1 + e^w8·(11 − D)·S^(−w9)·(e^(w10·(1 − R)) − 1)·[w15 if Hard]·[w16 if Easy])
//	S'f (lapse, G = 1)  = min(w11·D^(−w12)·((S + 1)^w13 − 1)·e^(w14·(1 − R)), S/e^(w17·w18))
//	S's (same day)      = S·SInc, SInc = e^(w17·(G − 3 + w18))·S^(−w19), SInc ≥ 1 when G ≥ 2
//
// Stability is kept within [0.001, 36500] days. The same-day clamp SInc ≥ 1 applies to Hard as
// well as Good and Easy, as in fsrs-rs since "Non-decreasing SInc(Hard) in same-day reviews"
// (#376, Nov 2025) and in ts-fsrs; py-fsrs 6.3.1 still clamps only Good and Easy, so there a
// same-day Hard can lower stability. The card life cycle (learning steps, relearning steps,
// Hard on the first step, fuzz ranges) follows py-fsrs 6's Scheduler.review_card; fuzz draws
// a whole number of days uniformly from the fuzz range instead of py-fsrs's rounding.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"
)

// Rating is how well the learner recalled a card.
type Rating int

// The four FSRS ratings.
const (
	Again Rating = 1 // forgot
	Hard  Rating = 2 // recalled with serious difficulty
	Good  Rating = 3 // recalled
	Easy  Rating = 4 // recalled effortlessly
)

// String returns the rating's name.
func (r Rating) String() string {
	switch r {
	case Again:
		return "again"
	case Hard:
		return "hard"
	case Good:
		return "good"
	case Easy:
		return "easy"
	}
	return fmt.Sprintf("rating(%d)", int(r))
}

// Valid reports whether r is one of Again, Hard, Good and Easy.
func (r Rating) Valid() bool { return r >= Again && r <= Easy }

// RatingFor maps a graded quiz answer to an FSRS rating the way the app does: a wrong answer is
// Again, a right answer the learner marked as unsure is Hard, any other right answer is Good.
// (The app never rates Easy on its own.)
func RatingFor(correct, unsure bool) Rating {
	switch {
	case !correct:
		return Again
	case unsure:
		return Hard
	}
	return Good
}

// State is where a card is in its life cycle.
type State int

// The card states. New is the zero value: a card never reviewed.
const (
	New        State = 0 // never reviewed
	Learning   State = 1 // first seen; stepping through the learning steps
	Review     State = 2 // scheduled in whole days
	Relearning State = 3 // forgotten in review; stepping through the relearning steps
)

// String returns the state's name.
func (s State) String() string {
	switch s {
	case New:
		return "new"
	case Learning:
		return "learning"
	case Review:
		return "review"
	case Relearning:
		return "relearning"
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// Card is the memory state of one question for one learner. The zero Card is a new card,
// due at once.
type Card struct {
	State      State     `json:"state"`
	Step       int       `json:"step"`       // current learning or relearning step; 0 in New and Review
	Stability  float64   `json:"stability"`  // days for R to fall from 100% to 90%; 0 when New
	Difficulty float64   `json:"difficulty"` // 1 (easy) … 10 (hard); 0 when New
	Due        time.Time `json:"due"`        // when the card should next be reviewed
	LastReview time.Time `json:"last_review,omitzero"`
	Reps       int       `json:"reps"`   // reviews so far
	Lapses     int       `json:"lapses"` // times forgotten while in Review
}

// IsDue reports whether the card should be reviewed at now.
func (c Card) IsDue(now time.Time) bool { return !c.Due.After(now) }

// ReviewLog records one review, for the progress store and for rescheduling.
type ReviewLog struct {
	Rating      Rating        `json:"rating"`
	Reviewed    time.Time     `json:"reviewed"`
	State       State         `json:"state"`        // the card's state before the review
	ElapsedDays int           `json:"elapsed_days"` // whole days since the previous review (0 for the first)
	Interval    time.Duration `json:"interval"`     // time until the card is due again
	Stability   float64       `json:"stability"`    // after the review
	Difficulty  float64       `json:"difficulty"`   // after the review
}

// NumParameters is the number of FSRS-6 parameters.
const NumParameters = 21

// Parameters are the FSRS-6 model weights w[0..20].
type Parameters [NumParameters]float64

// DefaultParameters returns the published FSRS-6 default parameters (fsrs-rs
// DEFAULT_PARAMETERS, py-fsrs 6 DEFAULT_PARAMETERS, ts-fsrs default_w).
func DefaultParameters() Parameters {
	return Parameters{
		0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
		1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
	}
}

// Bounds of the memory state.
const (
	minStability  = 0.001
	maxStability  = 36500.0
	minDifficulty = 1.0
	maxDifficulty = 10.0
)

// parameterBounds are the ranges FSRS-6 optimisers keep each parameter in (py-fsrs
// LOWER_BOUNDS_PARAMETERS and UPPER_BOUNDS_PARAMETERS).
func parameterBounds() (lo, hi Parameters) {
	lo = Parameters{0.001, 0.001, 0.001, 0.001, 1, 0.001, 0.001, 0.001, 0, 0, 0.001, 0.001, 0.001, 0.001, 0, 0, 1, 0, 0, 0, 0.1}
	hi = Parameters{100, 100, 100, 100, 10, 4, 4, 0.75, 4.5, 0.8, 3.5, 5, 0.25, 0.9, 4, 1, 6, 2, 2, 0.8, 0.8}
	return lo, hi
}

// Scheduler holds the FSRS settings. Its methods are pure: the same card, rating and time
// always give the same result, fuzz included. A Scheduler is a value; copy and change it freely.
type Scheduler struct {
	Parameters       Parameters
	DesiredRetention float64         // probability of recall the intervals aim at, in (0, 1)
	LearningSteps    []time.Duration // steps of a new card; none: straight to Review
	RelearningSteps  []time.Duration // steps after a lapse; none: stay in Review
	MaximumInterval  int             // days
	// Fuzz spreads review intervals of 3 days and more by a few percent so cards learnt
	// together do not stay due together. The spread is drawn from a PCG generator seeded with
	// FuzzSeed and the review itself (time, repetition, memory state), so it is deterministic.
	Fuzz     bool
	FuzzSeed uint64
}

// NewScheduler returns the default scheduler: FSRS-6 default parameters, desired retention
// 0.9, learning steps 1m and 10m, relearning step 10m, maximum interval 36500 days, no fuzz.
func NewScheduler() Scheduler {
	return Scheduler{
		Parameters:       DefaultParameters(),
		DesiredRetention: 0.9,
		LearningSteps:    []time.Duration{time.Minute, 10 * time.Minute},
		RelearningSteps:  []time.Duration{10 * time.Minute},
		MaximumInterval:  36500,
	}
}

// Validate reports settings the scheduler cannot work with.
func (s Scheduler) Validate() error {
	var errs []error
	lo, hi := parameterBounds()
	for i, w := range s.Parameters {
		if !(w >= lo[i] && w <= hi[i]) {
			errs = append(errs, fmt.Errorf("parameter w%d = %v is outside [%v, %v]", i, w, lo[i], hi[i]))
		}
	}
	if !(s.DesiredRetention > 0 && s.DesiredRetention < 1) {
		errs = append(errs, fmt.Errorf("desired retention %v is not in (0, 1)", s.DesiredRetention))
	}
	if s.MaximumInterval < 1 {
		errs = append(errs, fmt.Errorf("maximum interval %d days is less than 1", s.MaximumInterval))
	}
	for _, step := range append(append([]time.Duration{}, s.LearningSteps...), s.RelearningSteps...) {
		if step <= 0 {
			errs = append(errs, fmt.Errorf("step %v is not positive", step))
		}
	}
	return errors.Join(errs...)
}

// Schedule reviews a card with the default scheduler (see NewScheduler).
func Schedule(c Card, r Rating, now time.Time) (Card, ReviewLog) {
	return NewScheduler().Schedule(c, r, now)
}

// Retrievability is the probability that the card is recalled at now, with the default
// scheduler's parameters (see Scheduler.Retrievability).
func Retrievability(c Card, now time.Time) float64 {
	return NewScheduler().Retrievability(c, now)
}

// decay and factor of the forgetting curve: R(t, S) = (1 + factor·t/S)^decay.
func (s *Scheduler) curve() (decay, factor float64) {
	decay = -s.Parameters[20]
	return decay, math.Pow(0.9, 1/decay) - 1
}

// elapsedDays counts the whole days between the last review and now (never negative), the
// way py-fsrs and ts-fsrs measure t.
func elapsedDays(c Card, now time.Time) int {
	if c.LastReview.IsZero() || !now.After(c.LastReview) {
		return 0
	}
	return int(now.Sub(c.LastReview) / (24 * time.Hour))
}

// Retrievability is the probability, by the FSRS forgetting curve, that the card is recalled
// at now. Time is counted in whole elapsed days, as the scheduler does. A new card has 0.
func (s Scheduler) Retrievability(c Card, now time.Time) float64 {
	if c.State == New || c.LastReview.IsZero() || c.Stability <= 0 {
		return 0
	}
	return s.forgettingCurve(float64(elapsedDays(c, now)), c.Stability)
}

func (s *Scheduler) forgettingCurve(t, stability float64) float64 {
	decay, factor := s.curve()
	return math.Pow(1+factor*t/stability, decay)
}

// Interval is the number of days after which a card of the given stability falls to the
// desired retention: at least 1 and at most MaximumInterval.
func (s Scheduler) Interval(stability float64) int {
	days := math.Round(s.rawInterval(stability, s.DesiredRetention))
	return int(math.Min(math.Max(days, 1), float64(max(s.MaximumInterval, 1))))
}

func (s *Scheduler) rawInterval(stability, retention float64) float64 {
	decay, factor := s.curve()
	return stability / factor * (math.Pow(retention, 1/decay) - 1)
}

func clampStability(x float64) float64 { return math.Min(math.Max(x, minStability), maxStability) }

func clampDifficulty(x float64) float64 {
	return math.Min(math.Max(x, minDifficulty), maxDifficulty)
}

func (s *Scheduler) initialStability(r Rating) float64 {
	return clampStability(s.Parameters[r-1])
}

// initialDifficulty is D0(G) before clamping.
func (s *Scheduler) initialDifficulty(r Rating) float64 {
	w := &s.Parameters
	return w[4] - math.Exp(w[5]*float64(r-1)) + 1
}

// linearDifficulty is D + ΔD·(10 − D)/9: the difficulty update before mean reversion.
func (s *Scheduler) linearDifficulty(d float64, r Rating) float64 {
	delta := -s.Parameters[6] * float64(r-3)
	return d + delta*(10-d)/9
}

// meanReversion pulls a difficulty towards D0(Easy).
func (s *Scheduler) meanReversion(d float64) float64 {
	w7 := s.Parameters[7]
	return w7*s.initialDifficulty(Easy) + (1-w7)*d
}

func (s *Scheduler) nextDifficulty(d float64, r Rating) float64 {
	return clampDifficulty(s.meanReversion(s.linearDifficulty(d, r)))
}

func (s *Scheduler) recallStability(d, st, retr float64, r Rating) float64 {
	w := &s.Parameters
	hardPenalty, easyBonus := 1.0, 1.0
	if r == Hard {
		hardPenalty = w[15]
	}
	if r == Easy {
		easyBonus = w[16]
	}
	return st * (1 + math.Exp(w[8])*(11-d)*math.Pow(st, -w[9])*(math.Exp((1-retr)*w[10])-1)*hardPenalty*easyBonus)
}

func (s *Scheduler) forgetStability(d, st, retr float64) float64 {
	w := &s.Parameters
	longTerm := w[11] * math.Pow(d, -w[12]) * (math.Pow(st+1, w[13]) - 1) * math.Exp((1-retr)*w[14])
	shortTerm := st / math.Exp(w[17]*w[18])
	return math.Min(longTerm, shortTerm)
}

func (s *Scheduler) shortTermStability(st float64, r Rating) float64 {
	w := &s.Parameters
	inc := math.Exp(w[17]*(float64(r)-3+w[18])) * math.Pow(st, -w[19])
	if r >= Hard {
		inc = math.Max(inc, 1)
	}
	return clampStability(st * inc)
}

// Schedule reviews card c with rating r at now and returns the updated card and a log of the
// review. c is not modified. r must be valid (Again … Easy); Schedule panics otherwise, as it
// would on any other programming error.
//
// A review on the same day as the previous one (less than a whole day later) updates
// stability with the same-day formula; later reviews use the forgetting curve.
func (s Scheduler) Schedule(c Card, r Rating, now time.Time) (Card, ReviewLog) {
	if !r.Valid() {
		panic(fmt.Sprintf("quiz: Schedule with invalid rating %d", int(r)))
	}
	before := c.State
	days := elapsedDays(c, now)
	sameDay := c.LastReview.IsZero() || days < 1

	// Memory state.
	switch {
	case c.State == New || c.Stability <= 0 || c.Difficulty <= 0:
		c.Stability = s.initialStability(r)
		c.Difficulty = clampDifficulty(s.initialDifficulty(r))
		if c.State == New {
			c.State, c.Step = Learning, 0
		}
	case sameDay:
		c.Stability = s.shortTermStability(c.Stability, r)
		c.Difficulty = s.nextDifficulty(c.Difficulty, r)
	default:
		retr := s.forgettingCurve(float64(days), c.Stability)
		if r == Again {
			c.Stability = clampStability(s.forgetStability(c.Difficulty, c.Stability, retr))
		} else {
			c.Stability = clampStability(s.recallStability(c.Difficulty, c.Stability, retr, r))
		}
		c.Difficulty = s.nextDifficulty(c.Difficulty, r)
	}

	// Next state and interval.
	var interval time.Duration
	toReview := func() {
		c.State, c.Step = Review, 0
		interval = dayDuration(s.Interval(c.Stability))
	}
	switch c.State {
	case Learning, Relearning:
		steps := s.LearningSteps
		if c.State == Relearning {
			steps = s.RelearningSteps
		}
		switch {
		case len(steps) == 0 || (c.Step >= len(steps) && r != Again):
			// No steps, or a card from a scheduler that had more steps than this one.
			toReview()
		case r == Again:
			c.Step = 0
			interval = steps[0]
		case r == Hard:
			switch {
			case c.Step == 0 && len(steps) == 1:
				interval = steps[0] * 3 / 2
			case c.Step == 0:
				interval = (steps[0] + steps[1]) / 2
			default:
				interval = steps[c.Step]
			}
		case r == Good:
			if c.Step+1 >= len(steps) {
				toReview()
			} else {
				c.Step++
				interval = steps[c.Step]
			}
		default: // Easy
			toReview()
		}
	case Review:
		if r == Again {
			c.Lapses++
			if len(s.RelearningSteps) > 0 {
				c.State, c.Step = Relearning, 0
				interval = s.RelearningSteps[0]
				break
			}
		}
		toReview()
	default:
		panic(fmt.Sprintf("quiz: Schedule with invalid card state %d", int(c.State)))
	}

	if s.Fuzz && c.State == Review {
		interval = dayDuration(s.fuzz(int(interval/(24*time.Hour)), c, now))
	}
	c.Reps++
	c.LastReview = now
	c.Due = now.Add(interval)
	return c, ReviewLog{
		Rating:      r,
		Reviewed:    now,
		State:       before,
		ElapsedDays: days,
		Interval:    interval,
		Stability:   c.Stability,
		Difficulty:  c.Difficulty,
	}
}

func dayDuration(days int) time.Duration { return time.Duration(days) * 24 * time.Hour }

// fuzzRanges widen the fuzz by factor for the part of the interval in [start, end) days
// (py-fsrs FUZZ_RANGES, Anki's fuzz).
func fuzzRanges() [3]struct{ start, end, factor float64 } {
	return [3]struct{ start, end, factor float64 }{
		{2.5, 7, 0.15},
		{7, 20, 0.1},
		{20, math.Inf(1), 0.05},
	}
}

// fuzzRange returns the smallest and largest fuzzed interval for an interval of days.
func (s *Scheduler) fuzzRange(days int) (lo, hi int) {
	delta := 1.0
	for _, fr := range fuzzRanges() {
		delta += fr.factor * math.Max(math.Min(float64(days), fr.end)-fr.start, 0)
	}
	lo = int(math.Round(float64(days) - delta))
	hi = int(math.Round(float64(days) + delta))
	lo = max(2, lo)
	hi = min(hi, s.MaximumInterval)
	lo = min(lo, hi)
	return lo, hi
}

// fuzz picks an interval uniformly in fuzzRange(days). Intervals under 3 days are left alone.
func (s *Scheduler) fuzz(days int, c Card, now time.Time) int {
	if float64(days) < 2.5 {
		return days
	}
	lo, hi := s.fuzzRange(days)
	h := fnv.New64a()
	var buf [8]byte
	for _, v := range []uint64{uint64(now.UnixNano()), uint64(c.Reps), math.Float64bits(c.Stability), math.Float64bits(c.Difficulty)} {
		binary.LittleEndian.PutUint64(buf[:], v)
		h.Write(buf[:])
	}
	rng := rand.New(rand.NewPCG(s.FuzzSeed, h.Sum64()))
	return lo + rng.IntN(hi-lo+1)
}
