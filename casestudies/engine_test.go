package casestudies

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
)

const (
	miniFile   = "testdata/mini.yaml"
	huddleFile = "testdata/huddle/case.yaml"
	fanvoyFile = "../assets/course/casestudies/fanvoy/case.yaml"
)

func mustLoad(t testing.TB, file string) *Case {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c, probs := Parse(file, data)
	if c == nil {
		t.Fatalf("%s does not parse:\n%v", file, probs)
	}
	return c
}

func mustChoose(t *testing.T, s State, key string) (State, Step) {
	t.Helper()
	n, st, err := Choose(s, key)
	if err != nil {
		t.Fatalf("Choose(%q): %v", key, err)
	}
	return n, st
}

func gauge(t *testing.T, s State, id string) float64 {
	t.Helper()
	v, ok := s.Gauge(id)
	if !ok {
		t.Fatalf("no gauge %s", id)
	}
	return v
}

func endingID(s State) string {
	if e, ok := s.Ending(); ok {
		return e.ID
	}
	return ""
}

func TestStart(t *testing.T) {
	c := mustLoad(t, miniFile)
	s := Start(c)
	if s.Over() {
		t.Fatal("a new run is over")
	}
	if sc, _ := s.Scene(); sc.ID != "s1" {
		t.Fatalf("scene %s, want s1", sc.ID)
	}
	want := map[string]float64{"cash": 3, "q": 90, "fans": 5, "debt": 10}
	for _, g := range s.Gauges() {
		if g.Value != want[g.ID] {
			t.Errorf("%s = %v, want %v", g.ID, g.Value, want[g.ID])
		}
	}
	if len(s.Flags()) != 0 || len(s.Timeline()) != 0 {
		t.Error("a new run has flags or steps")
	}
	if _, ok := s.LastStep(); ok {
		t.Error("LastStep on a new run")
	}
	if keys := keysOf(s.Choices()); !reflect.DeepEqual(keys, []string{"A", "B", "C"}) {
		t.Errorf("choices %v", keys)
	}
	if g, _ := c.Gauge("debt"); !g.LowerIsBetter || !g.Bounded() {
		t.Error("debt: better: lower and a full range")
	}
	if g, _ := c.Gauge("fans"); g.Bounded() || g.Clamp != true {
		t.Error("fans: min only, clamped")
	}
}

func keysOf(chs []*Choice) []string {
	var out []string
	for _, c := range chs {
		out = append(out, c.Key)
	}
	return out
}

func TestEffectsAndClamping(t *testing.T) {
	c := mustLoad(t, miniFile)
	s0 := Start(c)
	s1, st := mustChoose(t, s0, "a") // keys match in any case
	if got := gauge(t, s1, "q"); got != 100 {
		t.Errorf("q = %v, want 100 (90+20 clamped to max)", got)
	}
	if got := gauge(t, s1, "fans"); got != 0 {
		t.Errorf("fans = %v, want 0 (5-10 clamped to min)", got)
	}
	if got := gauge(t, s1, "cash"); got != 2 {
		t.Errorf("cash = %v, want 2", got)
	}
	// Deltas list touched gauges in gauge order, with requested and actual change.
	var ds []string
	for _, d := range st.Deltas {
		ds = append(ds, d.Gauge.ID+" "+FormatDelta(d.Change())+" of "+FormatDelta(d.Requested))
	}
	if want := []string{"cash -1 of -1", "q +10 of +20", "fans -5 of -10"}; !reflect.DeepEqual(ds, want) {
		t.Errorf("deltas %v, want %v", ds, want)
	}
	if st.Deltas[0].Clamped() || !st.Deltas[1].Clamped() {
		t.Error("Clamped() wrong")
	}
	if len(st.FlagsSet) != 1 || st.FlagsSet[0].ID != "ci" || !s1.Flag("ci") {
		t.Errorf("flags set %v", st.FlagsSet)
	}
	if st.Next == nil || st.Next.ID != "s2" || st.Ending != nil || st.Number != 1 {
		t.Errorf("step %+v", st)
	}
	if last, _ := s1.LastStep(); !reflect.DeepEqual(last, st) {
		t.Error("LastStep differs from the returned step")
	}
	// The old state is untouched.
	if gauge(t, s0, "q") != 90 || s0.Flag("ci") || len(s0.Timeline()) != 0 {
		t.Error("Choose changed its argument")
	}
	// Choosing twice from the same state gives independent states.
	a, _ := mustChoose(t, s1, "A")
	b, _ := mustChoose(t, s1, "B")
	if len(a.Timeline()) != 2 || len(b.Timeline()) != 2 || a.Timeline()[1].Choice.Key != "A" || b.Timeline()[1].Choice.Key != "B" {
		t.Error("sibling states share their timeline")
	}
}

func TestUnclampedGaugeGoesNegative(t *testing.T) {
	c := mustLoad(t, miniFile)
	_, s, err := Replay(c, []string{"A", "B"})
	if err != nil {
		t.Fatal(err)
	}
	if got := gauge(t, s, "cash"); got != -8 {
		t.Errorf("cash = %v, want -8 (clamp: false)", got)
	}
}

func TestConditionalEffectsReadStateBeforeTheChoice(t *testing.T) {
	c := mustLoad(t, miniFile)
	s, _ := mustChoose(t, Start(c), "A") // q = 100, ci set
	s, st := mustChoose(t, s, "A")
	// if ci: q -50, set mon.  if q >= 100: cash +1 -- q is read before the -50 applies.
	if gauge(t, s, "q") != 50 || gauge(t, s, "cash") != 3 || !s.Flag("mon") {
		t.Errorf("q=%v cash=%v mon=%v", gauge(t, s, "q"), gauge(t, s, "cash"), s.Flag("mon"))
	}
	if !reflect.DeepEqual(st.Notes, []string{"CI made it cheap."}) {
		t.Errorf("notes %v", st.Notes)
	}
	// Without ci neither conditional applies.
	_, s2, err := Replay(c, []string{"C", "A"})
	if err != nil {
		t.Fatal(err)
	}
	if gauge(t, s2, "q") != 90 || gauge(t, s2, "cash") != 3 || s2.Flag("mon") {
		t.Error("conditionals applied without their condition")
	}
	if last, _ := s2.LastStep(); len(last.Deltas) != 0 || len(last.Notes) != 0 {
		t.Errorf("deltas %v notes %v", last.Deltas, last.Notes)
	}
}

func TestEndingOrder(t *testing.T) {
	c := mustLoad(t, miniFile)
	for _, tc := range []struct {
		keys string
		want string
	}{
		{"AA", "first"},    // first and second both match: file order wins
		{"CC", "second"},   // debt 5
		{"CA", "fallback"}, // no condition matches but the fallback
		{"AB", "broke"},    // early ending beats the final ones on the last step
		{"B", "broke"},     // early ending fires before the next scene
	} {
		steps, s, err := Replay(c, ParseKeys(tc.keys))
		if err != nil {
			t.Fatalf("%s: %v", tc.keys, err)
		}
		if got := endingID(s); got != tc.want || !s.Over() {
			t.Errorf("%s: ending %q, want %q", tc.keys, got, tc.want)
		}
		last := steps[len(steps)-1]
		if last.Ending == nil || last.Ending.ID != tc.want || last.Next != nil {
			t.Errorf("%s: last step %+v", tc.keys, last)
		}
		if _, ok := s.Scene(); ok || s.Choices() != nil {
			t.Errorf("%s: a finished run still has a scene", tc.keys)
		}
	}
}

func TestInvalidChoice(t *testing.T) {
	c := mustLoad(t, miniFile)
	s := Start(c)
	_, _, err := Choose(s, "Z")
	var ice *InvalidChoiceError
	if !errors.As(err, &ice) {
		t.Fatalf("err = %v", err)
	}
	if ice.Exists || ice.Key != "Z" || ice.Scene != "s1" || ice.Step != 1 || !reflect.DeepEqual(ice.Valid, []string{"A", "B", "C"}) {
		t.Errorf("%+v", ice)
	}
	if !strings.Contains(err.Error(), "valid: A, B, C") {
		t.Errorf("message %q", err)
	}
	// C exists in s2 but requires not ci.
	s, _ = mustChoose(t, s, "A")
	_, _, err = Choose(s, "c")
	if !errors.As(err, &ice) || !ice.Exists || !reflect.DeepEqual(ice.Valid, []string{"A", "B"}) || ice.Step != 2 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "not available now") {
		t.Errorf("message %q", err)
	}
}

func TestRunOverAndZeroState(t *testing.T) {
	c := mustLoad(t, miniFile)
	_, s, _ := Replay(c, []string{"B"})
	if _, _, err := Choose(s, "A"); !errors.Is(err, ErrRunOver) {
		t.Errorf("err = %v, want ErrRunOver", err)
	}
	var zero State
	if _, _, err := Choose(zero, "A"); !errors.Is(err, ErrNoCase) {
		t.Errorf("err = %v, want ErrNoCase", err)
	}
	if !zero.Over() || zero.Gauges() != nil || zero.Flag("ci") {
		t.Error("zero state")
	}
	if _, ok := zero.Ending(); ok {
		t.Error("zero state has an ending")
	}
}

func TestReplay(t *testing.T) {
	c := mustLoad(t, miniFile)
	steps, s, err := Replay(c, []string{"A", "A"})
	if err != nil || len(steps) != 2 || !reflect.DeepEqual(s.Keys(), []string{"A", "A"}) {
		t.Fatalf("steps %d keys %v err %v", len(steps), s.Keys(), err)
	}
	if !reflect.DeepEqual(steps, s.Timeline()) {
		t.Error("Replay's steps differ from the timeline")
	}
	// Replaying a state's keys rebuilds the same state.
	_, again, _ := Replay(c, s.Keys())
	if !reflect.DeepEqual(again.Gauges(), s.Gauges()) || endingID(again) != endingID(s) {
		t.Error("replay is not deterministic")
	}
	// Keys after the end.
	steps, s, err = Replay(c, []string{"B", "A"})
	if !errors.Is(err, ErrRunOver) || len(steps) != 1 || endingID(s) != "broke" {
		t.Errorf("steps %d ending %q err %v", len(steps), endingID(s), err)
	}
	// An invalid key stops the replay with the state before it.
	steps, s, err = Replay(c, []string{"A", "C"})
	var ice *InvalidChoiceError
	if !errors.As(err, &ice) || len(steps) != 1 || s.Over() {
		t.Errorf("steps %d err %v", len(steps), err)
	}
}

func TestParseKeys(t *testing.T) {
	for in, want := range map[string][]string{
		"BCBABBBBBBB": {"B", "C", "B", "A", "B", "B", "B", "B", "B", "B", "B"},
		"b, c ,a":     {"B", "C", "A"},
		"A B\tC":      {"A", "B", "C"},
		"a":           {"A"},
		"":            {},
	} {
		got := ParseKeys(in)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ParseKeys(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDebrief(t *testing.T) {
	c := mustLoad(t, miniFile)
	_, s, _ := Replay(c, []string{"A", "A"})
	d, ok := s.Debrief()
	if !ok || d.Ending.ID != "first" || !reflect.DeepEqual(d.Prompts, []string{"D"}) {
		t.Fatalf("%+v", d)
	}
	if len(d.Lessons) != 2 || d.Lessons[0].Taught != "TA" || d.Lessons[1].Taught != "TA2" || d.Lessons[1].Step != 2 {
		t.Errorf("lessons %+v", d.Lessons)
	}
	if want := []string{"ch01", "ch04", "ch06"}; !reflect.DeepEqual(d.Chapters, want) {
		t.Errorf("chapters %v, want %v", d.Chapters, want)
	}
	if _, ok := Start(c).Debrief(); ok {
		t.Error("debrief of a running state")
	}
}

func TestFormat(t *testing.T) {
	for v, want := range map[float64]string{5: "+5", -0.5: "-0.5", 0: "0", 13.5: "+13.5"} {
		if got := FormatDelta(v); got != want {
			t.Errorf("FormatDelta(%v) = %q, want %q", v, got, want)
		}
	}
	if FormatNumber(14) != "14" || FormatNumber(-1.25) != "-1.25" {
		t.Error("FormatNumber")
	}
}

func TestCaseAccessors(t *testing.T) {
	c := mustLoad(t, miniFile)
	if sc, ok := c.Scene("s2"); !ok || sc.Line != 24 {
		t.Errorf("scene s2 line %v", sc)
	}
	sc, _ := c.Scene("s2")
	if ch, ok := sc.Choice("b"); !ok || ch.Key != "B" || ch.Line != 36 {
		t.Errorf("choice %+v", ch)
	}
	if want := []string{"ch06", "ch01", "ch07", "ch02"}; !reflect.DeepEqual(sc.AllChapters(), want) {
		t.Errorf("scene chapters %v", sc.AllChapters())
	}
	if want := []string{"ch01", "ch02", "ch04", "ch06", "ch07"}; !reflect.DeepEqual(c.Chapters(), want) {
		t.Errorf("case chapters %v", c.Chapters())
	}
	if e, ok := c.Ending("broke"); !ok || !e.Early || e.Line != 39 {
		t.Errorf("ending %+v", e)
	}
	ids := c.IDs()
	if len(ids) != 7 || ids[0] != (IDRef{"mini", "case", 2}) || ids[6].ID != "fallback" {
		t.Errorf("ids %v", ids)
	}
}

func TestExploreMini(t *testing.T) {
	c := mustLoad(t, miniFile)
	st := Explore(c)
	got := map[string]uint64{}
	short := map[string]string{}
	for _, e := range st.Endings {
		got[e.Ending.ID] = e.Paths
		short[e.Ending.ID] = strings.Join(e.Shortest, "")
	}
	if want := map[string]uint64{"broke": 3, "first": 1, "second": 1, "fallback": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("paths %v, want %v", got, want)
	}
	if want := map[string]string{"broke": "B", "first": "AA", "second": "CC", "fallback": "CA"}; !reflect.DeepEqual(short, want) {
		t.Errorf("shortest %v, want %v", short, want)
	}
	if st.Paths != 6 || st.Shortest != 1 || st.Longest != 2 || st.Truncated || st.Saturated {
		t.Errorf("%+v", st)
	}
}

// A Case is shared read-only by concurrent runs (the race detector checks this).
func TestConcurrentUse(t *testing.T) {
	c := mustLoad(t, fanvoyFile)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := Replay(c, ParseKeys("BCBABBBBBBB")); err != nil {
				t.Error(err)
			}
			if i == 0 {
				Explore(c)
			}
		}()
	}
	wg.Wait()
}
