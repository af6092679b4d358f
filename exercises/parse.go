package exercises

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/kaizen-mlops/kaizen/internal/diag"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

// Keys allowed at each level of exercise.yaml.
var (
	exerciseKeys = []string{"id", "title", "chapter", "summary", "minutes", "language", "tools", "timeout",
		"network", "files", "generate", "yaml_to_json", "hints", "checks"}
	hintKeys  = []string{"nudge", "concept", "partial"}
	checkKeys = []string{"name", "points", "run", "script", "args", "stdin", "env", "timeout", "exit",
		"stdout", "stderr", "output", "files", "json", "yaml", "fail"}
	textKeys = []string{"contains", "not_contains", "matches", "not_matches", "in_order", "equals"}
	fileKeys = append([]string{"path", "exists"}, textKeys...)
	dataKeys = []string{"file", "path", "exists", "equals", "not_equals", "tolerance", "matches", "not_matches",
		"includes", "in_order", "min", "max", "type", "all"}
)

// Entries an exercise directory may hold.
var exerciseEntries = []string{SpecFile, ReadmeFile, StarterDir, SolutionDir, TestsDir}

// LoadCourse loads every exercise of a course (chapters/*/exercises/*/) from fsys, rooted at
// the course directory. It returns the exercises that could be parsed, ordered by directory,
// and every problem found, sorted. Problems name files relative to the course root.
func LoadCourse(fsys fs.FS) ([]*Exercise, diag.List) {
	var probs diag.List
	var out []*Exercise
	chapters, err := fs.ReadDir(fsys, "chapters")
	if err != nil {
		return nil, nil // no chapters: nothing to say here; the course linter reports it
	}
	seen := map[string]*Exercise{}
	for _, ch := range chapters {
		if !ch.IsDir() {
			continue
		}
		chDir := path.Join("chapters", ch.Name())
		exDir := path.Join(chDir, "exercises")
		entries, err := fs.ReadDir(fsys, exDir)
		if err != nil {
			continue
		}
		chapterID := readChapterID(fsys, chDir)
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			dir := path.Join(exDir, e.Name())
			ex, p := Load(fsys, dir)
			probs = append(probs, p...)
			if ex == nil {
				continue
			}
			if chapterID != "" && ex.Chapter != "" && ex.Chapter != chapterID {
				probs.Add(ex.SpecPath(), ex.chapterLine, "chapter is %q but the exercise lives in %s, whose id is %q", ex.Chapter, chDir, chapterID)
			}
			if prev, ok := seen[ex.ID]; ok {
				probs.Add(ex.SpecPath(), ex.Line, "duplicate exercise id %q (also %s:%d)", ex.ID, prev.SpecPath(), prev.Line)
				continue
			}
			seen[ex.ID] = ex
			out = append(out, ex)
		}
	}
	probs.Sort()
	return out, probs
}

// Lint checks every exercise of a course and returns the problems, sorted.
func Lint(fsys fs.FS) diag.List {
	_, probs := LoadCourse(fsys)
	return probs
}

func readChapterID(fsys fs.FS, chDir string) string {
	b, err := fs.ReadFile(fsys, path.Join(chDir, "chapter.yaml"))
	if err != nil {
		return ""
	}
	var c struct {
		ID string `yaml:"id"`
	}
	if yaml.Unmarshal(b, &c) != nil {
		return ""
	}
	return c.ID
}

// Load parses and lints the exercise in dir (slash-separated, inside fsys). It returns nil when
// exercise.yaml is missing or unreadable as YAML; otherwise the exercise, possibly with problems.
func Load(fsys fs.FS, dir string) (*Exercise, diag.List) {
	p := &parser{file: path.Join(dir, SpecFile), dir: dir, fsys: fsys}
	data, err := fs.ReadFile(fsys, p.file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			p.probs.Add(p.file, 0, "missing: every exercise directory needs an exercise.yaml")
		} else {
			p.probs.Add(p.file, 0, "cannot read: %v", err)
		}
		return nil, p.probs
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.probs.Add(p.file, yamlErrLine(err, data), "invalid YAML: %s", yamlErrText(err))
		return nil, p.probs
	}
	if len(doc.Content) == 0 {
		p.probs.Add(p.file, 0, "empty file")
		return nil, p.probs
	}
	ex := &Exercise{Dir: dir, FS: fsys, Timeout: DefaultTimeout}
	p.exercise(doc.Content[0], ex)
	p.structure(ex)
	p.probs.Sort()
	return ex, p.probs
}

var yamlLineRE = regexp.MustCompile(`line (\d+):? ?`)

// yamlErrLine is the line a YAML error points at. For a tab in the indentation, yaml.v3 names
// the line of the enclosing node, so the first line indented with a tab is more useful.
func yamlErrLine(err error, data []byte) int {
	if strings.Contains(err.Error(), "tab character") {
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " "), "\t") {
				return i + 1
			}
		}
	}
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

func yamlErrText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlLineRE.ReplaceAllString(strings.TrimPrefix(s, "unmarshal errors:\n  "), "")
}

type parser struct {
	file  string
	dir   string
	fsys  fs.FS
	probs diag.List
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.probs.Add(p.file, line, format, args...)
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// mapping returns the key nodes and value nodes of a mapping by key, reporting unknown and
// duplicate keys.
func (p *parser) mapping(n *yaml.Node, allowed []string, what string) (map[string]*yaml.Node, map[string]*yaml.Node) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		p.errf(n, "%s must be a mapping of keys to values", what)
		return nil, nil
	}
	vals := map[string]*yaml.Node{}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errf(k, "%s: keys must be plain words", what)
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			if s := closest(k.Value, allowed); s != "" {
				p.errf(k, "unknown key %q in %s (did you mean %q?)", k.Value, what, s)
			} else {
				p.errf(k, "unknown key %q in %s (allowed: %s)", k.Value, what, strings.Join(allowed, ", "))
			}
			continue
		}
		if _, dup := vals[k.Value]; dup {
			p.errf(k, "duplicate key %q in %s", k.Value, what)
			continue
		}
		vals[k.Value] = resolve(v)
		keys[k.Value] = k
	}
	return vals, keys
}

// closest suggests a known key within edit distance 2.
func closest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// str reads a scalar as text; null and collections are problems.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.errf(n, "%s must be text", what)
		return "", false
	}
	return n.Value, true
}

func (p *parser) integer(n *yaml.Node, what string) (int, bool) {
	if n == nil {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			return v, true
		}
	}
	p.errf(n, "%s must be a whole number", what)
	return 0, false
}

func (p *parser) number(n *yaml.Node, what string) (float64, bool) {
	if n == nil {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float") {
		if v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil {
			return v, true
		}
	}
	p.errf(n, "%s must be a number", what)
	return 0, false
}

func (p *parser) boolean(n *yaml.Node, what string) (bool, bool) {
	if n == nil {
		return false, false
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		v, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err == nil {
			return v, true
		}
	}
	p.errf(n, "%s must be true or false", what)
	return false, false
}

// strs reads a list of text items; a single scalar counts as a list of one. Each item comes with
// its node for line numbers.
func (p *parser) strs(n *yaml.Node, what string) ([]string, []*yaml.Node) {
	if n == nil {
		return nil, nil
	}
	if n.Kind == yaml.ScalarNode {
		s, ok := p.str(n, what)
		if !ok {
			return nil, nil
		}
		return []string{s}, []*yaml.Node{n}
	}
	if n.Kind != yaml.SequenceNode {
		p.errf(n, "%s must be a list of text items", what)
		return nil, nil
	}
	var out []string
	var nodes []*yaml.Node
	for _, c := range n.Content {
		c = resolve(c)
		if s, ok := p.str(c, what+" items"); ok {
			out = append(out, s)
			nodes = append(nodes, c)
		}
	}
	return out, nodes
}

func (p *parser) regex(n *yaml.Node, what string) *regexp.Regexp {
	s, ok := p.str(n, what)
	if !ok {
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		p.errf(n, "%s: bad regular expression %q: %v", what, s, regexErrText(err))
		return nil
	}
	return re
}

func regexErrText(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

func (p *parser) regexes(n *yaml.Node, what string) []*regexp.Regexp {
	_, nodes := p.strs(n, what)
	var out []*regexp.Regexp
	for _, c := range nodes {
		if re := p.regex(c, what); re != nil {
			out = append(out, re)
		}
	}
	return out
}

func (p *parser) duration(n *yaml.Node, what string) (time.Duration, bool) {
	if n == nil {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		if s, err := strconv.Atoi(n.Value); err == nil {
			n2 := time.Duration(s) * time.Second
			return p.checkDuration(n, n2, what)
		}
	}
	s, ok := p.str(n, what)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		p.errf(n, "%s must be a duration such as 10s or 1m (got %q)", what, s)
		return 0, false
	}
	return p.checkDuration(n, d, what)
}

func (p *parser) checkDuration(n *yaml.Node, d time.Duration, what string) (time.Duration, bool) {
	if d <= 0 || d > MaxTimeout {
		p.errf(n, "%s must be between 1s and %s", what, MaxTimeout)
		return 0, false
	}
	return d, true
}

// relPath validates a path relative to the work directory.
func (p *parser) relPath(n *yaml.Node, s, what string) bool {
	if s == "" || path.IsAbs(s) || strings.HasPrefix(s, "~") || strings.Contains(s, "\\") {
		p.errf(n, "%s %q must be a relative path with / separators", what, s)
		return false
	}
	if path.Clean(s) != s || s == "." || s == ".." || strings.HasPrefix(s, "../") {
		p.errf(n, "%s %q must be a clean path inside the work directory (no ./, .. or trailing /)", what, s)
		return false
	}
	return true
}

func (p *parser) exercise(root *yaml.Node, ex *Exercise) {
	m, keys := p.mapping(root, exerciseKeys, "exercise.yaml")
	if m == nil {
		return
	}
	required := func(key string) *yaml.Node {
		n := m[key]
		if n == nil {
			p.errf(root, "missing required key %q", key)
		}
		return n
	}
	if n := required("id"); n != nil {
		ex.Line = keys["id"].Line
		if s, ok := p.str(n, "id"); ok {
			ex.ID = s
			if !idPattern.MatchString(s) {
				p.errf(n, "id %q must be lower case letters, digits and dashes (%s)", s, idPattern)
			}
		}
	}
	if n := required("title"); n != nil {
		ex.Title, _ = p.str(n, "title")
	}
	if n := required("chapter"); n != nil {
		ex.chapterLine = n.Line
		ex.Chapter, _ = p.str(n, "chapter")
	}
	if n := m["summary"]; n != nil {
		ex.Summary, _ = p.str(n, "summary")
	}
	if n := m["minutes"]; n != nil {
		if v, ok := p.integer(n, "minutes"); ok {
			if v <= 0 {
				p.errf(n, "minutes must be positive")
			}
			ex.Minutes = v
		}
	}
	if n := required("language"); n != nil {
		if s, ok := p.str(n, "language"); ok {
			if !slices.Contains(languages, s) {
				p.errf(n, "language %q is not one of %s", s, strings.Join(languages, ", "))
			}
			ex.Language = s
		}
	}
	tools, toolNodes := p.strs(m["tools"], "tools")
	for i, t := range tools {
		if !slices.Contains(knownTools, t) {
			p.errf(toolNodes[i], "unknown tool %q (known: %s)", t, strings.Join(knownTools, ", "))
			continue
		}
		if slices.Contains(ex.Tools, t) {
			p.errf(toolNodes[i], "tool %q listed twice", t)
			continue
		}
		ex.Tools = append(ex.Tools, t)
	}
	for _, t := range []string{"bash", ex.Language} {
		if slices.Contains(knownTools, t) && !slices.Contains(ex.Tools, t) {
			ex.Tools = append(ex.Tools, t)
		}
	}
	if n := m["timeout"]; n != nil {
		if d, ok := p.duration(n, "timeout"); ok {
			ex.Timeout = d
		}
	}
	if n := m["network"]; n != nil {
		if s, ok := p.str(n, "network"); ok {
			switch s {
			case "none":
				ex.Network = sandbox.NetworkNone
			case "loopback":
				ex.Network = sandbox.NetworkLoopback
			default:
				p.errf(n, "network %q must be none or loopback", s)
			}
		}
	}
	if n := required("files"); n != nil {
		files, nodes := p.strs(n, "files")
		if len(files) == 0 && n.Kind == yaml.SequenceNode {
			p.errf(n, "files must list at least one file the learner edits")
		}
		for i, f := range files {
			if !p.relPath(nodes[i], f, "file") {
				continue
			}
			if hiddenPath(f) {
				p.errf(nodes[i], "file %q is under %s, which kaizen reserves", f, HiddenDir)
				continue
			}
			if slices.Contains(ex.Files, f) {
				p.errf(nodes[i], "file %q listed twice", f)
				continue
			}
			ex.Files = append(ex.Files, f)
			if st, err := fs.Stat(p.fsys, path.Join(p.dir, StarterDir, f)); err != nil || !st.Mode().IsRegular() {
				p.errf(nodes[i], "file %q is not in starter/ (every file the learner edits starts there, even if empty)", f)
			}
		}
	}
	if n := m["generate"]; n != nil {
		if s, ok := p.str(n, "generate"); ok && p.testScript(n, s, "generate") {
			ex.Generate = s
		}
	}
	if n := m["yaml_to_json"]; n != nil {
		files, nodes := p.strs(n, "yaml_to_json")
		for i, f := range files {
			if p.relPath(nodes[i], f, "yaml_to_json file") {
				ex.YAMLToJSON = append(ex.YAMLToJSON, f)
			}
		}
	}
	if n := required("hints"); n != nil {
		hm, _ := p.mapping(n, hintKeys, "hints")
		if hm != nil {
			get := func(key string) string {
				v := hm[key]
				if v == nil {
					p.errf(n, "hints needs %q (the ladder is nudge, concept, partial)", key)
					return ""
				}
				s, _ := p.str(v, "hints."+key)
				if strings.TrimSpace(s) == "" {
					p.errf(v, "hints.%s is empty", key)
				}
				return s
			}
			ex.Hints = Hints{Nudge: get("nudge"), Concept: get("concept"), Partial: get("partial")}
		}
	}
	if n := required("checks"); n != nil {
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			p.errf(n, "checks must be a list with at least one check")
		} else {
			names := map[string]int{}
			for _, c := range n.Content {
				ch, ok := p.check(resolve(c))
				if !ok {
					continue
				}
				if line, dup := names[ch.Name]; dup {
					p.errf(c, "duplicate check name %q (also line %d)", ch.Name, line)
				}
				names[ch.Name] = ch.Line
				ex.Checks = append(ex.Checks, ch)
			}
		}
	}
}

func hiddenPath(f string) bool { return f == HiddenDir || strings.HasPrefix(f, HiddenDir+"/") }

// testScript validates a script path under tests/.
func (p *parser) testScript(n *yaml.Node, s, what string) bool {
	if !strings.HasPrefix(s, TestsDir+"/") || path.Clean(s) != s {
		p.errf(n, "%s %q must be a path under tests/, such as tests/check.py", what, s)
		return false
	}
	if _, err := scriptInterpreter(s); err != nil {
		p.errf(n, "%s %q: %v", what, s, err)
		return false
	}
	if st, err := fs.Stat(p.fsys, path.Join(p.dir, s)); err != nil || !st.Mode().IsRegular() {
		p.errf(n, "%s %q does not exist in the exercise's tests/", what, s)
		return false
	}
	return true
}

// scriptInterpreter picks the program that runs a check script.
func scriptInterpreter(s string) (string, error) {
	switch path.Ext(s) {
	case ".py":
		return "python3", nil
	case ".sh":
		return "bash", nil
	}
	return "", errors.New("scripts must end in .py (run with python3) or .sh (run with bash)")
}

// testRefRE finds references to hidden test files in command lines.
var testRefRE = regexp.MustCompile(`(?:\.kaizen/tests|\$\{?KAIZEN_TESTS\}?)/([A-Za-z0-9_./*?\[\]-]+)`)

func (p *parser) check(n *yaml.Node) (CheckSpec, bool) {
	c := CheckSpec{Line: n.Line, Points: DefaultPoints}
	m, _ := p.mapping(n, checkKeys, "a check")
	if m == nil {
		return c, false
	}
	if v := m["name"]; v != nil {
		c.Name, _ = p.str(v, "name")
	}
	if strings.TrimSpace(c.Name) == "" {
		p.errf(n, "every check needs a name (shown to the learner)")
	}
	if v := m["points"]; v != nil {
		if pts, ok := p.integer(v, "points"); ok {
			if pts < 0 {
				p.errf(v, "points must not be negative")
			}
			c.Points = pts
		}
	}
	if v := m["run"]; v != nil {
		c.Run, _ = p.str(v, "run")
		p.testRefs(v, c.Run)
	}
	if v := m["script"]; v != nil {
		if s, ok := p.str(v, "script"); ok && p.testScript(v, s, "script") {
			c.Script = s
		}
		if c.Run != "" {
			p.errf(v, "a check has either run or script, not both")
		}
	}
	runs := c.Run != "" || c.Script != "" || m["script"] != nil
	if v := m["args"]; v != nil {
		c.Args, _ = p.strs(v, "args")
		if m["script"] == nil {
			p.errf(v, "args only apply to a script")
		}
	}
	if v := m["stdin"]; v != nil {
		c.Stdin, _ = p.str(v, "stdin")
	}
	if v := m["env"]; v != nil {
		c.Env = p.env(v)
	}
	if v := m["timeout"]; v != nil {
		c.Timeout, _ = p.duration(v, "timeout")
	}
	if v := m["exit"]; v != nil {
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!int" {
			c.Exit.Code, _ = p.integer(v, "exit")
		} else if s, ok := p.str(v, "exit"); ok {
			switch s {
			case "any":
				c.Exit.Any = true
			case "nonzero":
				c.Exit.NonZero = true
			default:
				p.errf(v, "exit must be a number, nonzero or any (got %q)", s)
			}
		}
	}
	for _, k := range []string{"stdout", "stderr", "output"} {
		if v := m[k]; v != nil {
			t := p.text(v, k, textKeys)
			switch k {
			case "stdout":
				c.Stdout = t
			case "stderr":
				c.Stderr = t
			default:
				c.Output = t
			}
		}
	}
	for _, k := range []string{"stdin", "env", "timeout", "exit", "stdout", "stderr", "output"} {
		if m[k] != nil && !runs {
			p.errf(m[k], "%s only applies to a check that runs a command (run or script)", k)
		}
	}
	if v := m["files"]; v != nil {
		if v.Kind != yaml.SequenceNode {
			p.errf(v, "files must be a list of {path: ..., exists/contains/...}")
		} else {
			for _, f := range v.Content {
				if fe, ok := p.fileExpect(resolve(f)); ok {
					c.Files = append(c.Files, fe)
				}
			}
		}
	}
	for _, k := range []string{"json", "yaml"} {
		v := m[k]
		if v == nil {
			continue
		}
		if v.Kind != yaml.SequenceNode {
			p.errf(v, "%s must be a list of assertions ({path: ..., equals: ...})", k)
			continue
		}
		for _, d := range v.Content {
			de, ok := p.dataExpect(resolve(d), k)
			if !ok {
				continue
			}
			if de.File == "" && !runs {
				p.errf(d, "%s assertion needs a file when the check runs no command (stdout is read otherwise)", k)
			}
			if k == "json" {
				c.JSON = append(c.JSON, de)
			} else {
				c.YAML = append(c.YAML, de)
			}
		}
	}
	if v := m["fail"]; v != nil {
		c.Fail, _ = p.str(v, "fail")
	}
	if !runs && len(c.Files) == 0 && len(c.JSON) == 0 && len(c.YAML) == 0 {
		p.errf(n, "check %q does nothing: give it run, script, files, json or yaml", c.Name)
	}
	if c.Script != "" && (c.Stdout != nil || len(c.JSON) > 0 && hasStdoutData(c.JSON)) {
		p.errf(n, "check %q: a script reports through its results file; assert on it there, not on stdout", c.Name)
	}
	return c, true
}

func hasStdoutData(ds []DataExpect) bool {
	for _, d := range ds {
		if d.File == "" {
			return true
		}
	}
	return false
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// reservedEnv cannot be set by a check.
var reservedEnv = []string{"PATH", "HOME", "TMPDIR", "PORT"}

func (p *parser) env(n *yaml.Node) map[string]string {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		p.errf(n, "env must be a mapping of NAME: value")
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		switch {
		case !envNameRE.MatchString(k.Value):
			p.errf(k, "env name %q is not a valid variable name", k.Value)
		case strings.HasPrefix(k.Value, "KAIZEN_") || slices.Contains(reservedEnv, k.Value):
			p.errf(k, "env %s is set by kaizen and cannot be overridden", k.Value)
		default:
			if s, ok := p.str(v, "env "+k.Value); ok {
				out[k.Value] = s
			}
		}
	}
	return out
}

func (p *parser) testRefs(n *yaml.Node, cmd string) {
	for _, m := range testRefRE.FindAllStringSubmatch(cmd, -1) {
		rel := strings.TrimRight(m[1], ".")
		if rel == "" {
			continue
		}
		pattern := path.Join(p.dir, TestsDir, rel)
		if strings.ContainsAny(rel, "*?[") {
			if matches, err := fs.Glob(p.fsys, pattern); err == nil && len(matches) > 0 {
				continue
			}
		} else if _, err := fs.Stat(p.fsys, pattern); err == nil {
			continue
		}
		p.errf(n, "the command refers to tests/%s, which does not exist in the exercise's tests/", rel)
	}
}

func (p *parser) text(n *yaml.Node, what string, allowed []string) *TextExpect {
	m, _ := p.mapping(n, allowed, what)
	if m == nil {
		return nil
	}
	t := &TextExpect{}
	p.textInto(m, what, t)
	return t
}

func (p *parser) textInto(m map[string]*yaml.Node, what string, t *TextExpect) {
	t.Contains, _ = p.strs(m["contains"], what+".contains")
	t.NotContains, _ = p.strs(m["not_contains"], what+".not_contains")
	t.Matches = p.regexes(m["matches"], what+".matches")
	t.NotMatches = p.regexes(m["not_matches"], what+".not_matches")
	t.InOrder = p.regexes(m["in_order"], what+".in_order")
	if v := m["equals"]; v != nil {
		if s, ok := p.str(v, what+".equals"); ok {
			t.Equals = &s
		}
	}
}

func (p *parser) fileExpect(n *yaml.Node) (FileExpect, bool) {
	fe := FileExpect{Line: n.Line, Exists: true}
	m, _ := p.mapping(n, fileKeys, "a files entry")
	if m == nil {
		return fe, false
	}
	if v := m["path"]; v != nil {
		fe.Path, _ = p.str(v, "path")
		if !p.relPath(v, fe.Path, "path") {
			return fe, false
		}
	} else {
		p.errf(n, "a files entry needs a path")
		return fe, false
	}
	if v := m["exists"]; v != nil {
		fe.Exists, _ = p.boolean(v, "exists")
	}
	p.textInto(m, "`"+fe.Path+"`", &fe.Text)
	if !fe.Exists && !fe.Text.empty() {
		p.errf(n, "a file that must not exist has no content to check")
	}
	return fe, true
}

func (p *parser) dataExpect(n *yaml.Node, kind string) (DataExpect, bool) {
	d := DataExpect{Line: n.Line}
	m, _ := p.mapping(n, dataKeys, "a "+kind+" assertion")
	if m == nil {
		return d, false
	}
	ok := true
	if v := m["file"]; v != nil {
		if s, good := p.str(v, "file"); good && p.relPath(v, s, "file") {
			d.File = s
		} else {
			ok = false
		}
	}
	if v := m["path"]; v != nil {
		d.Path, _ = p.str(v, "path")
		steps, err := parsePath(d.Path)
		if err != nil {
			p.errf(v, "bad path %q: %v", d.Path, err)
			ok = false
		}
		d.path = steps
	}
	if v := m["exists"]; v != nil {
		b, good := p.boolean(v, "exists")
		if good {
			d.Exists = &b
		}
	}
	if v := m["equals"]; v != nil {
		d.Equals = p.value(v)
	}
	if v := m["not_equals"]; v != nil {
		d.NotEquals = p.value(v)
	}
	if v := m["tolerance"]; v != nil {
		if f, good := p.number(v, "tolerance"); good {
			if f < 0 {
				p.errf(v, "tolerance must not be negative")
			}
			d.Tolerance = f
		}
	}
	if v := m["matches"]; v != nil {
		d.Matches = p.regex(v, "matches")
	}
	if v := m["not_matches"]; v != nil {
		d.NotMatch = p.regex(v, "not_matches")
	}
	d.Includes, _ = p.strs(m["includes"], "includes")
	d.InOrder = p.regexes(m["in_order"], "in_order")
	for _, k := range []string{"min", "max"} {
		if v := m[k]; v != nil {
			if f, good := p.number(v, k); good {
				if k == "min" {
					d.Min = &f
				} else {
					d.Max = &f
				}
			}
		}
	}
	if v := m["type"]; v != nil {
		if s, good := p.str(v, "type"); good {
			if _, known := kindNames[s]; !known {
				p.errf(v, "type %q must be one of string, number, bool, null, list, map", s)
			} else {
				d.Type = s
			}
		}
	}
	if v := m["all"]; v != nil {
		d.All, _ = p.boolean(v, "all")
	}
	if d.Exists == nil && d.Type == "" && d.Equals == nil && d.NotEquals == nil && d.Matches == nil && d.NotMatch == nil &&
		len(d.Includes) == 0 && len(d.InOrder) == 0 && d.Min == nil && d.Max == nil {
		t := true
		d.Exists = &t // a bare path asserts that it is there
	}
	return d, ok
}

func (p *parser) value(n *yaml.Node) *Value {
	budget := maxValueNodes
	v, err := fromYAML(n, 0, &budget)
	if err != nil {
		p.errf(n, "value: %v", err)
		return nil
	}
	return v
}

// structure checks the directory around exercise.yaml.
func (p *parser) structure(ex *Exercise) {
	entries, err := fs.ReadDir(p.fsys, p.dir)
	if err != nil {
		p.probs.Add(p.dir, 0, "cannot read the exercise directory: %v", err)
		return
	}
	have := map[string]fs.DirEntry{}
	for _, e := range entries {
		have[e.Name()] = e
		if !slices.Contains(exerciseEntries, e.Name()) {
			p.probs.Add(path.Join(p.dir, e.Name()), 0, "unexpected entry: an exercise directory holds only %s", strings.Join(exerciseEntries, ", "))
		}
	}
	if e, ok := have[ReadmeFile]; !ok || e.IsDir() {
		p.probs.Add(path.Join(p.dir, ReadmeFile), 0, "missing: every exercise needs a README.md with the task")
	} else if b, err := fs.ReadFile(p.fsys, path.Join(p.dir, ReadmeFile)); err == nil && len(strings.TrimSpace(string(b))) == 0 {
		p.probs.Add(path.Join(p.dir, ReadmeFile), 1, "README.md is empty")
	}
	for _, d := range []string{StarterDir, SolutionDir, TestsDir} {
		if e, ok := have[d]; !ok || !e.IsDir() {
			p.probs.Add(path.Join(p.dir, d), 0, "missing: every exercise needs a %s/ directory", d)
		}
	}
	starter := p.tree(StarterDir)
	solution := p.tree(SolutionDir)
	p.tree(TestsDir)
	if _, ok := have[SolutionDir]; ok && len(solution) == 0 {
		p.probs.Add(path.Join(p.dir, SolutionDir), 0, "solution/ is empty: it holds the reference answer")
	}
	if _, ok := have[StarterDir]; ok && len(starter) == 0 {
		p.probs.Add(path.Join(p.dir, StarterDir), 0, "starter/ is empty")
	}
	names := make([]string, 0, len(solution))
	for f := range solution {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		if starter[f] && !slices.Contains(ex.Files, f) {
			p.probs.Add(path.Join(p.dir, SolutionDir, f), 0,
				"the solution changes %s, which is not in files: learners cannot edit it and checks restore it from starter/", f)
		}
	}
}

// tree lists the regular files of a sub-directory, reporting links and reserved names.
func (p *parser) tree(sub string) map[string]bool {
	out := map[string]bool{}
	root := path.Join(p.dir, sub)
	_ = fs.WalkDir(p.fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(name, root), "/")
		if rel == "" {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 || (!d.IsDir() && !d.Type().IsRegular()) {
			p.probs.Add(name, 0, "only regular files and directories are allowed (no links or devices)")
			return nil
		}
		if ignored(d.Name()) {
			p.probs.Add(name, 0, "a cache, editor or version-control file: remove it (checks and workspaces ignore it)")
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if sub != TestsDir && hiddenPath(rel) {
			p.probs.Add(name, 0, "%s is reserved for kaizen's own files", HiddenDir)
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			out[rel] = true
		}
		return nil
	})
	return out
}

// String describes an exercise for logs.
func (e *Exercise) String() string { return fmt.Sprintf("%s (%s)", e.ID, e.Dir) }
