package casestudies

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Tests of the Fanvoy case in the default course: the writing bar of issue #7 and the
// tuning it was given (see docs/authoring/case-studies.md, "The Fanvoy case").

// realChapters reads the chapter ids of the default course.
func realChapters(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../assets/course/chapters/*/chapter.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no chapters: %v", err)
	}
	var ids []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ch struct {
			ID string `yaml:"id"`
		}
		if err := yaml.Unmarshal(data, &ch); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ch.ID)
	}
	return ids
}

func TestFanvoyLints(t *testing.T) {
	data, err := os.ReadFile(fanvoyFile)
	if err != nil {
		t.Fatal(err)
	}
	if l := Lint(fanvoyFile, data, Options{Chapters: realChapters(t)}); len(l) > 0 {
		t.Fatalf("lint:\n%v", l)
	}
	// Load through an fs.FS as the course loader does.
	cases, l := LoadAll(os.DirFS("../assets/course"), ".")
	if len(l) > 0 || len(cases) != 1 || cases[0].ID != "fanvoy" || cases[0].File != "casestudies/fanvoy/case.yaml" {
		t.Fatalf("LoadAll: %v %v", cases, l)
	}
}

func words(s string) int { return len(strings.Fields(s)) }

func TestFanvoyWriting(t *testing.T) {
	c := mustLoad(t, fanvoyFile)
	fiction := []string{c.Premise, c.Title, c.Summary}
	for _, s := range c.Scenes {
		if n := words(s.Text); n < 80 || n > 200 {
			t.Errorf("scene %s: %d words, want 80-200", s.ID, n)
		}
		if !strings.Contains(strings.ToLower(s.Text), "you") {
			t.Errorf("scene %s is not written in the second person", s.ID)
		}
		fiction = append(fiction, s.Text)
		for _, ch := range s.Choices {
			if strings.Contains(ch.Label, "\n") || len(ch.Label) > 100 {
				t.Errorf("scene %s choice %s: label is not one short line: %q", s.ID, ch.Key, ch.Label)
			}
			if words(ch.Taught) < 8 {
				t.Errorf("scene %s choice %s: teaching point too thin: %q", s.ID, ch.Key, ch.Taught)
			}
			fiction = append(fiction, ch.Label, ch.Taught)
			for _, cd := range ch.Conditional {
				if cd.Note == "" {
					t.Errorf("scene %s choice %s: conditional %q has no note explaining it", s.ID, ch.Key, cd.If)
				}
				fiction = append(fiction, cd.Note)
			}
		}
	}
	for _, e := range c.Endings {
		if n := words(e.Narrative); n < 60 {
			t.Errorf("ending %s: narrative has %d words", e.ID, n)
		}
		if len(e.Debrief) < 3 {
			t.Errorf("ending %s: %d debrief prompts, want 3 or more", e.ID, len(e.Debrief))
		}
		fiction = append(fiction, e.Narrative)
		fiction = append(fiction, e.Debrief...)
	}
	// The story never names the real company or the placeholder name of the research pack.
	for _, text := range fiction {
		for _, name := range []string{"Sqor", "Huddle", "Favre"} {
			if strings.Contains(text, name) {
				t.Errorf("fiction mentions %s: %.60q", name, text)
			}
		}
	}
}

// The real company's facts cite only the sources listed in the research pack (§6).
func TestFanvoyRealFactsAreSourced(t *testing.T) {
	allowed := []string{
		"https://venturebeat.com/2014/08/20/sqor-lets-sports-fans-mingle-with-athletes-and-talk-about-nothing-but-sports/",
		"https://mmajunkie.usatoday.com/2014/10/why-are-so-many-ufc-fighters-using-sqor",
		"https://purpose2play.com/the-big-play/sqor-com-scores-athletes-brett-favre/",
		"http://thegmsperspective.com/blog/index.html?datearchive=2014-07-01",
		"http://crowdfundingpr.org/social-network-sqor-adds-crowdfunding-athletes",
		"https://www.oreilly.com/library/view/practical-mlops/9781098103002/",
	}
	c := mustLoad(t, fanvoyFile)
	if c.Real == nil || len(c.Real.Facts) < 3 || c.Real.Note == "" {
		t.Fatal("the real-company section needs a note and several facts")
	}
	for _, f := range c.Real.Facts {
		for _, u := range f.Sources {
			if !slices.Contains(allowed, u) {
				t.Errorf("line %d: source %s is not in the research pack's reference list", f.Line, u)
			}
		}
	}
}

// Path counts of the tuned graph; a change here means the balance changed, so update the
// table in docs/authoring/case-studies.md along with these numbers.
func TestFanvoyBalance(t *testing.T) {
	c := mustLoad(t, fanvoyFile)
	st := Explore(c)
	want := map[string]uint64{
		"fv-out-of-runway":      693,
		"fv-walkout":            906,
		"fv-growth-mirage":      120266,
		"fv-sustainable-growth": 1024,
		"fv-data-business":      19191,
		"fv-acqui-hire":         124596,
	}
	for _, e := range st.Endings {
		if e.Paths != want[e.Ending.ID] {
			t.Errorf("%s: %d paths, want %d", e.Ending.ID, e.Paths, want[e.Ending.ID])
		}
		if len(e.Shortest) == 0 {
			t.Errorf("%s is unreachable", e.Ending.ID)
		}
	}
	if st.Paths != 266676 {
		t.Errorf("%d paths in all", st.Paths)
	}
	// The best ending is hard: well under 1% of all paths.
	if best := want["fv-sustainable-growth"]; float64(best)/float64(st.Paths) >= 0.01 {
		t.Errorf("sustainable growth on %d of %d paths is too easy", best, st.Paths)
	}
}

// A learner who applies the course reaches the best ending, whichever of the equally sound
// options they pick (simple regression or AutoML; hire or upskill; comply or pivot).
func TestFanvoyCourseLearnerWins(t *testing.T) {
	c := mustLoad(t, fanvoyFile)
	for _, model := range []string{"B", "D"} {
		for _, hires := range []string{"B", "D"} {
			for _, platform := range []string{"B", "C"} {
				keys := []string{"B", "C", model, "A", "B", hires, "B", "B", platform, "B", "B"}
				_, s, err := Replay(c, keys)
				if err != nil {
					t.Fatal(err)
				}
				if endingID(s) != "fv-sustainable-growth" {
					t.Errorf("%v ends in %q", keys, endingID(s))
				}
			}
		}
	}
}

// One lapse that the course warns against most loudly is enough to lose the best ending;
// some milder lapses are survivable. (Single changes to the path BCBABBBBBBB.)
func TestFanvoyLapses(t *testing.T) {
	c := mustLoad(t, fanvoyFile)
	best := ParseKeys("BCBABBBBBBB")
	change := func(i int, key string) string {
		keys := slices.Clone(best)
		keys[i] = key
		if i == 0 && (key == "C" || key == "D") { // these skip the crowd-check scene
			keys = slices.Delete(keys, 1, 2)
		}
		_, s, err := Replay(c, keys)
		if err != nil {
			t.Fatalf("%v: %v", keys, err)
		}
		return endingID(s)
	}
	fatal := map[string]struct {
		i   int
		key string
	}{
		"scraping":           {0, "A"},
		"one worker a label": {1, "A"},
		"custom deep model":  {2, "A"},
		"multi-cloud":        {3, "B"},
		"own GPU rack":       {3, "C"},
		"manual deploys":     {4, "A"},
		"flat fee":           {6, "A"},
		"no monitoring":      {7, "A"},
		"spreadsheet fix":    {7, "C"},
		"evade the platform": {8, "A"},
		"inflated metrics":   {9, "A"},
		"engagement only":    {10, "A"},
		"chronological feed": {10, "C"},
	}
	for name, ch := range fatal {
		if got := change(ch.i, ch.key); got == "fv-sustainable-growth" {
			t.Errorf("%s still reaches sustainable growth", name)
		}
	}
	if got := change(9, "A"); got != "fv-growth-mirage" {
		t.Errorf("inflated metrics end in %q, want the growth mirage", got)
	}
	survivable := map[string]struct {
		i   int
		key string
	}{
		"agents' form":        {0, "C"},
		"bought dataset":      {0, "D"},
		"majority of three":   {1, "B"},
		"vendor model":        {2, "C"},
		"platform first":      {4, "C"},
		"contractors":         {5, "C"},
		"postpone the raise":  {9, "C"},
		"data-business pivot": {8, "C"},
	}
	for name, ch := range survivable {
		if got := change(ch.i, ch.key); got != "fv-sustainable-growth" {
			t.Errorf("%s alone should be survivable, ends in %q", name, got)
		}
	}
}

func BenchmarkExploreProposedGraph(b *testing.B) {
	c := mustLoad(b, huddleFile)
	for b.Loop() {
		Explore(c)
	}
}

func BenchmarkExploreFanvoy(b *testing.B) {
	c := mustLoad(b, fanvoyFile)
	for b.Loop() {
		Explore(c)
	}
}

func BenchmarkValidateFanvoy(b *testing.B) {
	c := mustLoad(b, fanvoyFile)
	for b.Loop() {
		Validate(c)
	}
}

func BenchmarkReplayFanvoy(b *testing.B) {
	c := mustLoad(b, fanvoyFile)
	keys := ParseKeys("BCBABBBBBBB")
	for b.Loop() {
		if _, _, err := Replay(c, keys); err != nil {
			b.Fatal(err)
		}
	}
}

// The complete example in the format doc is a valid case.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/authoring/case-studies.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatal("no yaml block in the doc")
	}
	if l := Lint("case-studies.md", []byte(example), Options{Chapters: courseChapters}); len(l) > 0 {
		t.Fatalf("the doc's example has problems:\n%v", l)
	}
	c, _ := Parse("case-studies.md", []byte(example))
	st := Explore(c)
	if st.Paths != 4 {
		t.Errorf("%d paths", st.Paths)
	}
}
