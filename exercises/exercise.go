package exercises

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// Names of the parts of an exercise directory.
const (
	SpecFile    = "exercise.yaml"
	ReadmeFile  = "README.md"
	StarterDir  = "starter"
	SolutionDir = "solution"
	TestsDir    = "tests"
)

// Paths inside the directory where checks run. They are relative to that directory, which is the
// current directory of every command.
const (
	// HiddenDir holds everything kaizen adds to the learner's files; a learner's own top-level
	// .kaizen is never copied.
	HiddenDir = ".kaizen"
	// HiddenTestsDir is where the exercise's tests/ directory is copied ($KAIZEN_TESTS).
	HiddenTestsDir = ".kaizen/tests"
	// ResultsFile is where a check script writes its results ($KAIZEN_RESULTS).
	ResultsFile = ".kaizen/results.json"
	// GenDir is where the generator writes per-attempt fixtures ($KAIZEN_GEN).
	GenDir = ".kaizen/gen"
	// JSONDir holds the JSON copies of the files listed in yaml_to_json ($KAIZEN_JSON).
	JSONDir = ".kaizen/json"
)

// Defaults for an exercise spec.
const (
	DefaultTimeout = 10 * time.Second
	MaxTimeout     = 120 * time.Second
	DefaultPoints  = 1
)

// Languages an exercise may be written in.
var languages = []string{"bash", "python3", "make"}

// knownTools are the programs an exercise may declare in `tools`. "coreutils" stands for the
// GNU/POSIX basics (cat, sort, cut, ...), probed through `cat`.
var knownTools = []string{"bash", "coreutils", "grep", "sed", "awk", "python3", "make", "git", "diff", "find"}

// KnownTools lists the tools an exercise may declare, in a stable order.
func KnownTools() []string { return slices.Clone(knownTools) }

// idPattern is the course-wide id format (docs/AUTHORING.md).
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Exercise is one parsed exercise.
type Exercise struct {
	ID       string
	Title    string
	Chapter  string        // the id of the chapter it belongs to
	Summary  string        // one line for lists (optional)
	Minutes  int           // estimated time (optional)
	Language string        // bash | python3 | make
	Tools    []string      // every tool the checks need, the language's included
	Timeout  time.Duration // per command
	Network  sandbox.Network
	Files    []string // the files the learner edits, relative to the workspace
	// Generate is a script under tests/ run once before the checks, with $KAIZEN_SEED, to write
	// per-attempt fixtures under .kaizen/gen/.
	Generate string
	// YAMLToJSON lists workspace files that kaizen converts to JSON (under .kaizen/json/) before
	// the checks, because python3's standard library has no YAML parser.
	YAMLToJSON []string
	Hints      Hints
	Checks     []CheckSpec

	// Dir is the exercise directory inside FS, slash-separated (e.g.
	// "chapters/01-introduction-to-mlops/exercises/01-makefile-scaffold").
	Dir string
	// FS holds the course (or the exercise) the exercise was loaded from.
	FS fs.FS
	// Line is the line of `id:` in exercise.yaml.
	Line int

	chapterLine int
}

// Hints is the three-step hint ladder: each step gives away more.
type Hints struct {
	Nudge   string // where to look
	Concept string // the idea that unlocks it
	Partial string // part of the answer
}

// Ladder returns the hints in the order they are revealed.
func (h Hints) Ladder() []string { return []string{h.Nudge, h.Concept, h.Partial} }

// SpecPath is the path of exercise.yaml inside FS.
func (e *Exercise) SpecPath() string { return path.Join(e.Dir, SpecFile) }

// README returns the task text shown to the learner.
func (e *Exercise) README() (string, error) {
	b, err := fs.ReadFile(e.FS, path.Join(e.Dir, ReadmeFile))
	return string(b), err
}

// MaxPoints is the sum of the declared points of the checks. A script check counts its declared
// points once, although it may report several tests.
func (e *Exercise) MaxPoints() int {
	n := 0
	for _, c := range e.Checks {
		n += c.Points
	}
	return n
}

// CheckSpec is one criterion. It may run a command (Run or Script) and then asserts on its exit code,
// its output and the files in the work directory. Each check starts from a fresh copy of the
// prepared work directory.
type CheckSpec struct {
	Name    string
	Points  int
	Run     string            // a bash command line
	Script  string            // a check script under tests/ that writes results (see ScriptResult)
	Args    []string          // arguments of Script
	Stdin   string            // standard input of Run or Script
	Env     map[string]string // extra environment
	Timeout time.Duration     // overrides the exercise's timeout
	Exit    ExitExpect
	Stdout  *TextExpect
	Stderr  *TextExpect
	Output  *TextExpect // stdout and stderr together
	Files   []FileExpect
	JSON    []DataExpect
	YAML    []DataExpect
	Fail    string // learner-facing reason shown instead of the generated one
	Line    int    // line of the check in exercise.yaml
}

// Kind names what a check does first, for listings: "script", "run", "yaml", "json" or "file".
func (c *CheckSpec) Kind() string {
	switch {
	case c.Script != "":
		return "script"
	case c.Run != "":
		return "run"
	case len(c.YAML) > 0:
		return "yaml"
	case len(c.JSON) > 0:
		return "json"
	default:
		return "file"
	}
}

// ExitExpect is the expected exit code of a check's command.
type ExitExpect struct {
	Any     bool // exit: any
	NonZero bool // exit: nonzero
	Code    int  // exit: N (the default is 0)
}

// TextExpect asserts on text: a command's output or a file's content. Every field that is set
// must hold. Comparisons are on the text as is, except Equals, which ignores leading and trailing
// white space.
type TextExpect struct {
	Contains    []string
	NotContains []string
	Matches     []*regexp.Regexp
	NotMatches  []*regexp.Regexp
	InOrder     []*regexp.Regexp // each must match after the previous match
	Equals      *string
}

// FileExpect asserts on a file in the work directory after the command (if any) ran.
type FileExpect struct {
	Path   string
	Exists bool // false: the file must be absent
	Text   TextExpect
	Line   int
}

// DataExpect asserts on a value inside a JSON or YAML document: a file in the work directory, or
// the command's stdout when File is empty.
//
// A path selects values: dotted keys and [n] indexes, with * and [*] matching every key or item
// ("jobs.*.steps[*].uses"). Positive assertions (Equals, Matches, Includes, Min, Max, Type) hold when
// one selected value satisfies them, or every value with All; negative ones (NotEquals,
// NotMatches) hold when no selected value violates them. InOrder joins the selected values in
// document order.
type DataExpect struct {
	File      string
	Path      string
	Exists    *bool
	Equals    *Value
	NotEquals *Value
	Tolerance float64 // absolute, for numbers
	Matches   *regexp.Regexp
	NotMatch  *regexp.Regexp
	Includes  []string // a scalar equal to, a sequence containing, or a mapping with each key
	InOrder   []*regexp.Regexp
	Min, Max  *float64
	Type      string // string | number | bool | null | list | map
	All       bool
	Line      int

	path []pathStep
}
