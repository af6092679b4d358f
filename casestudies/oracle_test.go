package casestudies

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The oracle: testdata/reference/casestudy_sim.py is the research pack's Python simulator of
// the proposed graph, and testdata/huddle/case.yaml is that graph ported to the case format.
// The endings of the fixture are named so that their first letter is the simulator's ending
// (d-out-of-runway and d-acqui-hire are both its D).
//
// oracle.golden.json holds what the simulator produced, so the comparison runs without
// Python. With python3 on PATH (and without -short) the test also runs the simulator and
// compares every path. Regenerate the golden after a deliberate change with
//
//	go test ./casestudies -run Oracle -update-oracle
var updateOracle = flag.Bool("update-oracle", false, "rewrite testdata/huddle/oracle.golden.json from the Python simulator")

const (
	oracleGolden = "testdata/huddle/oracle.golden.json"
	oracleSim    = "testdata/reference/casestudy_sim.py"
	oraclePaths  = "testdata/reference/paths.py"
)

type oracleTotals struct {
	SimSHA256 string `json:"casestudy_sim_sha256"`
	// Sequences counts complete choice sequences per ending, the way the simulator's own
	// report does: a run cut short by the out-of-runway rule counts once per way the
	// remaining decisions could have gone.
	Sequences map[string]uint64 `json:"sequences"`
	// Paths counts distinct paths per ending (a run cut short is one path), as Explore does.
	Paths map[string]uint64 `json:"paths"`
	// PathsSHA256 is the hash of the sorted "<keys> <ending>\n" listing of every path.
	PathsSHA256 string `json:"paths_sha256"`
}

// oraclePath is one distinct path of a case: its keys and the simulator letter of its
// ending, plus how many complete sequences the simulator counts for it.
type oraclePath struct {
	keys   string
	letter string
	weight uint64
}

// allPaths enumerates every distinct path of c by brute force, without memoisation.
func allPaths(c *Case) []oraclePath {
	// seqs[scene] = complete choice sequences from the scene, ignoring the gauges.
	seqs := make([]uint64, len(c.Scenes))
	var count func(int) uint64
	count = func(i int) uint64 {
		if seqs[i] == 0 {
			for _, ch := range c.Scenes[i].Choices {
				if ch.next < 0 {
					seqs[i]++
				} else {
					seqs[i] += count(ch.next)
				}
			}
		}
		return seqs[i]
	}
	var out []oraclePath
	var walk func(scene int, g []float64, f uint64, keys string)
	walk = func(scene int, g []float64, f uint64, keys string) {
		for _, ch := range c.Scenes[scene].Choices {
			if !ch.requires.eval(g, f) {
				continue
			}
			ng := make([]float64, len(g))
			nf := c.apply(ch, g, f, ng, make([]float64, len(g)))
			e, over := c.outcome(ch, ng, nf)
			switch {
			case over:
				w := uint64(1)
				if ch.next >= 0 {
					w = count(ch.next)
				}
				letter := "?"
				if e >= 0 {
					letter = strings.ToUpper(c.Endings[e].ID[:1])
				}
				out = append(out, oraclePath{keys + ch.Key, letter, w})
			default:
				walk(ch.next, ng, nf, keys+ch.Key)
			}
		}
	}
	walk(c.start, Start(c).gauges, 0, "")
	sort.Slice(out, func(i, j int) bool { return out[i].keys < out[j].keys })
	return out
}

func listing(paths []oraclePath) []byte {
	var b bytes.Buffer
	for _, p := range paths {
		b.WriteString(p.keys + " " + p.letter + "\n")
	}
	return b.Bytes()
}

func fileSHA(t *testing.T, name string) string {
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestOracleGolden(t *testing.T) {
	c := mustLoad(t, huddleFile)
	paths := allPaths(c)
	got := oracleTotals{Sequences: map[string]uint64{}, Paths: map[string]uint64{}}
	for _, p := range paths {
		got.Sequences[p.letter] += p.weight
		got.Paths[p.letter]++
	}
	sum := sha256.Sum256(listing(paths))
	got.PathsSHA256 = hex.EncodeToString(sum[:])
	got.SimSHA256 = fileSHA(t, oracleSim)

	if *updateOracle {
		sim := runSimulator(t)
		if sim == nil {
			t.Fatal("-update-oracle needs python3")
		}
		want := oracleTotals{SimSHA256: got.SimSHA256, Sequences: sim.sequences, Paths: map[string]uint64{}}
		for _, p := range sim.paths {
			want.Paths[p.letter]++
		}
		s := sha256.Sum256(listing(sim.paths))
		want.PathsSHA256 = hex.EncodeToString(s[:])
		data, _ := json.MarshalIndent(want, "", "  ")
		if err := os.WriteFile(oracleGolden, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	data, err := os.ReadFile(oracleGolden)
	if err != nil {
		t.Fatal(err)
	}
	var want oracleTotals
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if got.SimSHA256 != want.SimSHA256 {
		t.Fatalf("%s changed since the golden was written; rerun with -update-oracle", oracleSim)
	}
	if !mapsEqual(got.Sequences, want.Sequences) {
		t.Errorf("sequences per ending: Go %v, simulator %v", got.Sequences, want.Sequences)
	}
	if !mapsEqual(got.Paths, want.Paths) {
		t.Errorf("paths per ending: Go %v, simulator %v", got.Paths, want.Paths)
	}
	if got.PathsSHA256 != want.PathsSHA256 {
		t.Errorf("the per-path endings differ from the simulator's (listing sha256 %s, want %s); run with python3 for the paths", got.PathsSHA256, want.PathsSHA256)
	}

	// Explore's memoised counts agree with the brute-force enumeration.
	st := Explore(c)
	byLetter := map[string]uint64{}
	for _, e := range st.Endings {
		byLetter[strings.ToUpper(e.Ending.ID[:1])] += e.Paths
	}
	if !mapsEqual(byLetter, got.Paths) || st.Paths != uint64(len(paths)) {
		t.Errorf("Explore %v (total %d), enumeration %v (total %d)", byLetter, st.Paths, got.Paths, len(paths))
	}
	// Every shortest path Explore reports replays to its ending, and no path is shorter.
	shortest := map[string]int{}
	for _, p := range paths {
		if n, ok := shortest[p.letter]; !ok || len(p.keys) < n {
			shortest[p.letter] = len(p.keys)
		}
	}
	for _, e := range st.Endings {
		_, s, err := Replay(c, e.Shortest)
		if err != nil || endingID(s) != e.Ending.ID {
			t.Errorf("shortest path %v for %s replays to %q (%v)", e.Shortest, e.Ending.ID, endingID(s), err)
		}
		if l := shortest[strings.ToUpper(e.Ending.ID[:1])]; len(e.Shortest) != l && e.Ending.ID != "d-acqui-hire" {
			t.Errorf("%s: shortest %d, enumeration finds %d", e.Ending.ID, len(e.Shortest), l)
		}
	}
}

// TestOracleLive runs the simulator and compares the ending of every single path.
func TestOracleLive(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Python simulator (about 10 s)")
	}
	t.Parallel()
	sim := runSimulator(t)
	if sim == nil {
		t.Skip("python3 not found")
	}
	c := mustLoad(t, huddleFile)
	paths := allPaths(c)
	seq := map[string]uint64{}
	for _, p := range paths {
		seq[p.letter] += p.weight
	}
	if !mapsEqual(seq, sim.sequences) {
		t.Errorf("sequences per ending: Go %v, simulator %v", seq, sim.sequences)
	}
	if len(paths) != len(sim.paths) {
		t.Errorf("Go has %d paths, the simulator %d", len(paths), len(sim.paths))
	}
	bad := 0
	for i := 0; i < len(paths) && i < len(sim.paths); i++ {
		g, s := paths[i], sim.paths[i]
		if g.keys != s.keys || g.letter != s.letter {
			if bad++; bad <= 10 {
				t.Errorf("path %d: Go %s → %s, simulator %s → %s", i, g.keys, g.letter, s.keys, s.letter)
			}
		}
	}
	if bad > 10 {
		t.Errorf("... %d paths differ in all", bad)
	}
}

type simOutput struct {
	sequences map[string]uint64
	paths     []oraclePath
}

var counterRe = regexp.MustCompile(`'([A-Z])': (\d+)`)

// runSimulator runs paths.py; nil when python3 is missing.
func runSimulator(t *testing.T) *simOutput {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		return nil
	}
	out, err := exec.Command(py, oraclePaths).Output()
	if err != nil {
		t.Fatalf("%s: %v", oraclePaths, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "Counter(") {
		t.Fatalf("%s: first line is not the simulator's Counter report", oraclePaths)
	}
	sim := &simOutput{sequences: map[string]uint64{}}
	for _, m := range counterRe.FindAllStringSubmatch(sc.Text(), -1) {
		n, _ := strconv.ParseUint(m[2], 10, 64)
		sim.sequences[m[1]] = n
	}
	for sc.Scan() {
		keys, letter, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			t.Fatalf("%s: bad line %q", oraclePaths, sc.Text())
		}
		sim.paths = append(sim.paths, oraclePath{keys: keys, letter: letter})
	}
	return sim
}

func mapsEqual(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
