package casestudies

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
)

// DefaultMaxStates bounds how many distinct states Explore and Validate visit before they
// give up (a case whose gauges can grow without end inside a loop never runs out of states).
const DefaultMaxStates = 2_000_000

// maxDepth bounds the length of a path; longer paths are reported as a probable loop.
const maxDepth = 10_000

// Stats summarises every complete path of a case. A complete path is a distinct sequence of
// choices from the start to an ending; a run cut short by an early ending is one path.
type Stats struct {
	Paths     uint64        // complete paths, all endings together
	States    int           // distinct states (scene, gauges, flags) visited
	Shortest  int           // fewest decisions to any ending
	Longest   int           // most decisions to any ending
	Endings   []EndingStats // one per ending, in file order
	Truncated bool          // the state limit was hit; the numbers are incomplete
	Saturated bool          // a path count overflowed uint64 and was capped
}

// EndingStats counts the paths to one ending.
type EndingStats struct {
	Ending   *Ending
	Paths    uint64
	Shortest []string // keys of a shortest path (the first in choice order); nil if unreachable
}

// Explore walks every path of c, memoising on state so shared sub-paths are counted once,
// and returns path counts and the shortest path per ending.
func Explore(c *Case) Stats {
	x := newExplorer(c, DefaultMaxStates)
	root := x.run()
	st := Stats{States: len(x.nodes), Truncated: x.truncated, Saturated: x.saturated, Shortest: -1}
	for e, end := range c.Endings {
		es := EndingStats{Ending: end}
		if root >= 0 {
			ne := x.ends[int(root)*x.ne+e]
			es.Paths = ne.paths
			es.Shortest = x.shortest(root, e)
			if d := int(ne.dist); d > 0 && (st.Shortest < 0 || d < st.Shortest) {
				st.Shortest = d
			}
		}
		st.Paths = x.add(st.Paths, es.Paths)
		st.Endings = append(st.Endings, es)
	}
	if st.Shortest < 0 {
		st.Shortest = 0
	}
	if root >= 0 {
		st.Longest = int(x.nodes[root].longest)
	}
	return st
}

// explorer is a depth-first search over states with memoisation. Per node (a distinct
// state) it keeps, for every ending, the number of complete paths and the shortest one.
type explorer struct {
	c         *Case
	ng, ne    int
	maxStates int
	memo      map[string]int32   // state key -> node, for cases with many gauges
	small     map[smallKey]int32 // the same without allocating, for up to smallGauges gauges
	key       []byte

	nodes []node    // one per distinct state
	ends  []nodeEnd // node*ne+e

	levels [][]float64 // gauge buffers per depth
	req    []float64
	path   []string // keys on the current DFS stack

	truncated, saturated bool
	earlyGauges          [][]bool // per ending: gauges its when reads (only early endings)

	// observations for Validate
	sceneSeen  []bool
	choiceSeen [][]bool           // per scene, per choice: offered in some state
	condSeen   map[*Choice][]bool // per conditional: its if held in some state
	dead       map[int][]string   // scene -> example path where no choice is offered
	noEnding   map[*Choice][]string
	loops      map[int][]string // scene -> example path that comes back to a state
	tooLong    []string
	outOfRange map[int]rangeEvent // gauge*2 (+1 above max) -> first example
}

// node is a distinct state met by the explorer.
type node struct {
	scene   int32
	longest int32 // most decisions from here to an ending, 0 if none is reachable
	done    bool  // false while the node is on the DFS stack
}

// nodeEnd is what a node knows about one ending.
type nodeEnd struct {
	paths uint64 // complete paths from the node to the ending
	child int32  // node after the first choice of the shortest path, -1 if it ended the run
	dist  int16  // decisions on the shortest path (at most maxDepth), -1 if there is none
	via   uint8  // index of its first choice in the scene
}

// smallGauges is how many gauges fit in a smallKey.
const smallGauges = 8

type smallKey struct {
	scene uint32
	flags uint64
	g     [smallGauges]uint64
}

type rangeEvent struct {
	value float64
	path  []string
}

func newExplorer(c *Case, maxStates int) *explorer {
	x := &explorer{
		c: c, ng: len(c.Gauges), ne: len(c.Endings), maxStates: maxStates,
		memo:       map[string]int32{},
		small:      map[smallKey]int32{},
		req:        make([]float64, len(c.Gauges)),
		sceneSeen:  make([]bool, len(c.Scenes)),
		choiceSeen: make([][]bool, len(c.Scenes)),
		dead:       map[int][]string{},
		noEnding:   map[*Choice][]string{},
		loops:      map[int][]string{},
		outOfRange: map[int]rangeEvent{},
		condSeen:   map[*Choice][]bool{},
	}
	for i, s := range c.Scenes {
		x.choiceSeen[i] = make([]bool, len(s.Choices))
		for _, ch := range s.Choices {
			x.condSeen[ch] = make([]bool, len(ch.cond))
		}
	}
	x.earlyGauges = make([][]bool, len(c.Endings))
	for _, e := range c.early {
		set := map[int]bool{}
		c.Endings[e].when.gauges(set)
		x.earlyGauges[e] = make([]bool, x.ng)
		for g := range set {
			x.earlyGauges[e][g] = true
		}
	}
	return x
}

func (x *explorer) run() int32 {
	g := make([]float64, x.ng)
	for i, gg := range x.c.Gauges {
		g[i] = gg.Start
	}
	x.levels = [][]float64{g}
	return x.visit(x.c.start, g, 0, 0)
}

// lookup finds the node of a state.
func (x *explorer) lookup(scene int, g []float64, f uint64) (int32, bool) {
	if len(g) <= smallGauges {
		id, ok := x.small[x.smallKey(scene, g, f)]
		return id, ok
	}
	x.key = x.key[:0]
	x.key = binary.LittleEndian.AppendUint32(x.key, uint32(scene))
	x.key = binary.LittleEndian.AppendUint64(x.key, f)
	for _, v := range g {
		x.key = binary.LittleEndian.AppendUint64(x.key, bits(v))
	}
	id, ok := x.memo[string(x.key)]
	return id, ok
}

// store records the node of the state lookup last looked up.
func (x *explorer) store(scene int, g []float64, f uint64, id int32) {
	if len(g) <= smallGauges {
		x.small[x.smallKey(scene, g, f)] = id
		return
	}
	x.memo[string(x.key)] = id
}

func (x *explorer) smallKey(scene int, g []float64, f uint64) smallKey {
	k := smallKey{scene: uint32(scene), flags: f}
	for i, v := range g {
		k.g[i] = bits(v)
	}
	return k
}

// bits is the key form of a gauge value; adding 0 folds -0 into 0.
func bits(v float64) uint64 { return math.Float64bits(v + 0) }

func (x *explorer) add(a, b uint64) uint64 {
	s := a + b
	if s < a {
		x.saturated = true
		return math.MaxUint64
	}
	return s
}

func (x *explorer) example() []string { return append([]string(nil), x.path...) }

// visit returns the node of state (scene, g, f), exploring it first if it is new; -1 when
// the exploration was cut short.
func (x *explorer) visit(scene int, g []float64, f uint64, depth int) int32 {
	id, found := x.lookup(scene, g, f)
	if found {
		if !x.nodes[id].done {
			if _, seen := x.loops[scene]; !seen {
				x.loops[scene] = x.example()
			}
		}
		return id
	}
	if len(x.nodes) >= x.maxStates {
		x.truncated = true
		return -1
	}
	if depth >= maxDepth {
		if x.tooLong == nil {
			x.tooLong = x.example()
		}
		return -1
	}
	id = int32(len(x.nodes))
	x.store(scene, g, f, id)
	if len(x.nodes) == cap(x.nodes) { // grow by doubling: the default growth of large slices copies too often
		x.nodes = slices.Grow(x.nodes, len(x.nodes)+64)
		x.ends = slices.Grow(x.ends, (len(x.nodes)+64)*x.ne)
	}
	x.nodes = append(x.nodes, node{scene: int32(scene)})
	base := len(x.ends)
	for e := 0; e < x.ne; e++ {
		x.ends = append(x.ends, nodeEnd{dist: -1, child: -1})
	}
	x.sceneSeen[scene] = true
	if depth+1 >= len(x.levels) {
		x.levels = append(x.levels, make([]float64, x.ng))
	}

	sc := x.c.Scenes[scene]
	offered := false
	for ci, ch := range sc.Choices {
		if !ch.requires.eval(g, f) {
			continue
		}
		offered = true
		x.choiceSeen[scene][ci] = true
		for i, cd := range ch.cond {
			if cd.when.eval(g, f) {
				x.condSeen[ch][i] = true
			}
		}
		out := x.levels[depth+1]
		nf := x.c.apply(ch, g, f, out, x.req)
		x.path = append(x.path, ch.Key)
		e, over := x.c.outcome(ch, out, nf)
		x.checkRange(out, e, over)
		if over {
			if e < 0 {
				if _, seen := x.noEnding[ch]; !seen {
					x.noEnding[ch] = x.example()
				}
			} else {
				ne := &x.ends[base+e]
				ne.paths = x.add(ne.paths, 1)
				if ne.dist < 0 || ne.dist > 1 {
					ne.dist, ne.via, ne.child = 1, uint8(ci), -1
				}
				if x.nodes[id].longest < 1 {
					x.nodes[id].longest = 1
				}
			}
		} else {
			kid := x.visit(ch.next, out, nf, depth+1)
			if kid >= 0 && x.nodes[kid].done {
				kb := int(kid) * x.ne
				for e := 0; e < x.ne; e++ {
					ne, ke := &x.ends[base+e], x.ends[kb+e]
					ne.paths = x.add(ne.paths, ke.paths)
					if ke.dist >= 0 && (ne.dist < 0 || ke.dist+1 < ne.dist) {
						ne.dist, ne.via, ne.child = ke.dist+1, uint8(ci), kid
					}
				}
				if l := x.nodes[kid].longest; l > 0 && l+1 > x.nodes[id].longest {
					x.nodes[id].longest = l + 1
				}
			}
		}
		x.path = x.path[:len(x.path)-1]
	}
	if !offered {
		if _, seen := x.dead[scene]; !seen {
			x.dead[scene] = x.example()
		}
	}
	x.nodes[id].done = true
	return id
}

// checkRange records unclamped gauges outside their range. A gauge read by the early ending
// that just fired may be past its range: that is how an "out of runway" ending works.
func (x *explorer) checkRange(g []float64, e int, over bool) {
	for i, gg := range x.c.Gauges {
		if gg.Clamp {
			continue
		}
		v := g[i]
		dir := -1
		switch {
		case v < gg.Min:
			dir = 0
		case v > gg.Max:
			dir = 1
		}
		if dir < 0 {
			continue
		}
		if over && e >= 0 && x.c.Endings[e].Early && x.earlyGauges[e][i] {
			continue
		}
		if _, seen := x.outOfRange[i*2+dir]; !seen {
			x.outOfRange[i*2+dir] = rangeEvent{v, x.example()}
		}
	}
}

func (x *explorer) shortest(n int32, e int) []string {
	if x.ends[int(n)*x.ne+e].dist < 0 {
		return nil
	}
	var keys []string
	for n >= 0 {
		ne := x.ends[int(n)*x.ne+e]
		keys = append(keys, x.c.Scenes[x.nodes[n].scene].Choices[ne.via].Key)
		n = ne.child
	}
	return keys
}

func pathText(keys []string) string {
	if len(keys) == 0 {
		return "(start)"
	}
	return strings.Join(keys, " ")
}
