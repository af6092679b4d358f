package casestudies

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kaizen-mlops/kaizen/internal/diag"
	"go.yaml.in/yaml/v3"
)

var (
	courseIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	varIDRe    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	keyRe      = regexp.MustCompile(`^[A-Z]$`)
	urlRe      = regexp.MustCompile(`^https?://[^\s]+$`)
	yamlLineRe = regexp.MustCompile(`^line (\d+)`)
)

// maxFlags is the number of flags a case may declare (they are kept in a bit set).
const maxFlags = 64

// reserved reports whether id is a keyword of the condition language.
func reserved(id string) bool {
	switch id {
	case "and", "or", "not", "true", "false":
		return true
	}
	return false
}

// Load reads and parses name from fsys; name becomes the file in problems.
func Load(fsys fs.FS, name string) (*Case, diag.List) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		var l diag.List
		l.Add(name, 0, "cannot read case: %v", err)
		return nil, l
	}
	return Parse(name, data)
}

// LoadAll loads every casestudies/*/case.yaml under root in fsys (root "." for a course
// directory), sorted by path. Cases with problems are left out of the result.
func LoadAll(fsys fs.FS, root string) ([]*Case, diag.List) {
	pattern := path.Join(root, "casestudies", "*", "case.yaml")
	names, err := fs.Glob(fsys, pattern)
	var probs diag.List
	if err != nil {
		probs.Add(pattern, 0, "%v", err)
		return nil, probs
	}
	sort.Strings(names)
	var cases []*Case
	for _, n := range names {
		c, p := Load(fsys, n)
		probs = append(probs, p...)
		if c != nil {
			cases = append(cases, c)
		}
	}
	return cases, probs
}

// Parse decodes a case from YAML and resolves every reference (scenes, gauges, flags,
// conditions). file names the source in problems. The case is returned only when there are
// no problems; graph-wide checks are left to [Validate].
func Parse(file string, data []byte) (*Case, diag.List) {
	p := &parser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		p.probs.Add(file, line, "invalid YAML: %s", msg)
		return nil, p.probs
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		p.probs.Add(file, 0, "empty case file")
		return nil, p.probs
	}
	c := p.caseNode(doc.Content[0])
	if len(p.probs) == 0 {
		p.resolve(c)
	}
	if len(p.probs) > 0 {
		p.probs.Sort()
		return nil, p.probs
	}
	return c, nil
}

// yamlErrorLine extracts the line of a go-yaml syntax error. go-yaml reports scanner errors
// with 1-based lines but parser errors ("did not find expected …") with the 0-based line of
// the enclosing construct, so those are shifted to point at the line that opened it.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	m := yamlLineRe.FindStringSubmatch(msg)
	if m == nil {
		return 0, msg
	}
	line, _ := strconv.Atoi(m[1])
	msg = strings.TrimPrefix(msg, m[0]+": ")
	for _, prefix := range []string{"did not find expected", "found duplicate", "found incompatible", "found undefined tag"} {
		if strings.HasPrefix(msg, prefix) {
			line++
			break
		}
	}
	return line, msg
}

type parser struct {
	file      string
	probs     diag.List
	lines     map[any]*refLines // keyed by *Scene, *Choice, *Ending
	startLine int
	aliases   int
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.probs.Add(p.file, line, format, args...)
}

// maxAliases bounds how many aliases a case may follow (a guard against alias bombs).
const maxAliases = 10_000

func (p *parser) deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		if p.aliases++; p.aliases > maxAliases {
			if p.aliases == maxAliases+1 {
				p.errf(n, "more than %d aliases: is the file an alias bomb?", maxAliases)
			}
			return &yaml.Node{Kind: yaml.ScalarNode, Line: n.Line}
		}
		n = n.Alias
	}
	return n
}

// fields walks a mapping: each known key calls its handler, unknown and repeated keys are
// problems, and missing required keys (listed in required) are reported at the mapping.
func (p *parser) fields(n *yaml.Node, what string, handlers map[string]func(k, v *yaml.Node), required ...string) {
	n = p.deref(n)
	if n.Kind != yaml.MappingNode {
		p.errf(n, "%s must be a mapping", what)
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], p.deref(n.Content[i+1])
		if prev, dup := seen[k.Value]; dup {
			p.errf(k, "%s: %q repeated (first at line %d)", what, k.Value, prev)
			continue
		}
		seen[k.Value] = k.Line
		h, ok := handlers[k.Value]
		if !ok {
			known := make([]string, 0, len(handlers))
			for name := range handlers {
				known = append(known, name)
			}
			sort.Strings(known)
			p.errf(k, "%s: unknown field %q (known: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		h(k, v)
	}
	for _, r := range required {
		if _, ok := seen[r]; !ok {
			p.errf(n, "%s: missing %q", what, r)
		}
	}
}

func (p *parser) str(v *yaml.Node, what string, dst *string) {
	if v.Kind != yaml.ScalarNode {
		p.errf(v, "%s must be text", what)
		return
	}
	if strings.TrimSpace(v.Value) == "" {
		p.errf(v, "%s is empty", what)
		return
	}
	*dst = v.Value
}

func (p *parser) num(v *yaml.Node, what string, dst *float64) {
	if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") {
		p.errf(v, "%s must be a number", what)
		return
	}
	var f float64
	if err := v.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		p.errf(v, "%s must be a finite number", what)
		return
	}
	*dst = f
}

func (p *parser) boolean(v *yaml.Node, what string, dst *bool) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		p.errf(v, "%s must be true or false", what)
		return
	}
	_ = v.Decode(dst)
}

func (p *parser) list(v *yaml.Node, what string, each func(item *yaml.Node)) {
	if v.Kind != yaml.SequenceNode {
		p.errf(v, "%s must be a list", what)
		return
	}
	for _, it := range v.Content {
		each(p.deref(it))
	}
}

func (p *parser) strs(v *yaml.Node, what string, dst *[]string) {
	p.list(v, what, func(it *yaml.Node) {
		var s string
		p.str(it, what+" item", &s)
		if s != "" {
			*dst = append(*dst, s)
		}
	})
}

// refs is like strs but keeps the line of every item.
func (p *parser) refs(v *yaml.Node, what string, dst *[]string, lines *[]int) {
	p.list(v, what, func(it *yaml.Node) {
		var s string
		p.str(it, what+" item", &s)
		if s != "" {
			*dst = append(*dst, s)
			*lines = append(*lines, it.Line)
		}
	})
}

func (p *parser) effects(v *yaml.Node, what string, dst *[]Effect) {
	if v.Kind != yaml.MappingNode {
		p.errf(v, "%s must be a mapping of gauge: change, e.g. {runway: -1, quality: +10}", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], p.deref(v.Content[i+1])
		if seen[k.Value] {
			p.errf(k, "%s: gauge %q repeated", what, k.Value)
			continue
		}
		seen[k.Value] = true
		e := Effect{Gauge: k.Value, Line: k.Line}
		p.num(val, fmt.Sprintf("%s: %s", what, k.Value), &e.Amount)
		*dst = append(*dst, e)
	}
}

// refLines keeps the lines of references that resolve() checks, beside the public fields.
type refLines struct {
	setFlags []int
	chapters []int
	when     int         // requires (choice), if (conditional) or when (ending)
	conds    []*refLines // a choice's conditionals, in order
}

func (p *parser) caseNode(n *yaml.Node) *Case {
	c := &Case{File: p.file}
	p.lines = map[any]*refLines{}
	p.fields(n, "case", map[string]func(k, v *yaml.Node){
		"id":      func(k, v *yaml.Node) { p.str(v, "id", &c.ID); c.Line = k.Line },
		"title":   func(k, v *yaml.Node) { p.str(v, "title", &c.Title) },
		"summary": func(k, v *yaml.Node) { p.str(v, "summary", &c.Summary) },
		"premise": func(k, v *yaml.Node) { p.str(v, "premise", &c.Premise) },
		"fiction": func(k, v *yaml.Node) { p.str(v, "fiction", &c.Fiction) },
		"minutes": func(k, v *yaml.Node) {
			var f float64
			p.num(v, "minutes", &f)
			if f != math.Trunc(f) || f < 1 {
				p.errf(v, "minutes must be a whole number of at least 1")
			}
			c.Minutes = int(f)
		},
		"start": func(k, v *yaml.Node) { p.str(v, "start", &c.Start); p.startLine = v.Line },
		"gauges": func(k, v *yaml.Node) {
			p.list(v, "gauges", func(it *yaml.Node) { c.Gauges = append(c.Gauges, p.gauge(it)) })
		},
		"flags": func(k, v *yaml.Node) {
			p.list(v, "flags", func(it *yaml.Node) { c.Flags = append(c.Flags, p.flag(it)) })
		},
		"scenes": func(k, v *yaml.Node) {
			p.list(v, "scenes", func(it *yaml.Node) { c.Scenes = append(c.Scenes, p.scene(it)) })
		},
		"endings": func(k, v *yaml.Node) {
			p.list(v, "endings", func(it *yaml.Node) { c.Endings = append(c.Endings, p.ending(it)) })
		},
		"real": func(k, v *yaml.Node) { c.Real = p.real(v) },
	}, "id", "title", "summary", "premise", "fiction", "start", "gauges", "scenes", "endings", "real")
	if n.Kind == yaml.MappingNode {
		if len(c.Gauges) == 0 && p.has(n, "gauges") {
			p.errf(n, "case: needs at least one gauge")
		}
		if len(c.Scenes) == 0 && p.has(n, "scenes") {
			p.errf(n, "case: needs at least one scene")
		}
		if len(c.Endings) == 0 && p.has(n, "endings") {
			p.errf(n, "case: needs at least one ending")
		}
	}
	return c
}

func (p *parser) has(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (p *parser) gauge(n *yaml.Node) *Gauge {
	g := &Gauge{Line: n.Line, Min: math.Inf(-1), Max: math.Inf(1), Clamp: true}
	p.fields(n, "gauge", map[string]func(k, v *yaml.Node){
		"id":      func(k, v *yaml.Node) { p.str(v, "gauge id", &g.ID); g.Line = k.Line },
		"label":   func(k, v *yaml.Node) { p.str(v, "gauge label", &g.Label) },
		"unit":    func(k, v *yaml.Node) { p.str(v, "gauge unit", &g.Unit) },
		"meaning": func(k, v *yaml.Node) { p.str(v, "gauge meaning", &g.Meaning) },
		"start":   func(k, v *yaml.Node) { p.num(v, "gauge start", &g.Start) },
		"min":     func(k, v *yaml.Node) { p.num(v, "gauge min", &g.Min) },
		"max":     func(k, v *yaml.Node) { p.num(v, "gauge max", &g.Max) },
		"clamp":   func(k, v *yaml.Node) { p.boolean(v, "gauge clamp", &g.Clamp) },
		"better": func(k, v *yaml.Node) {
			var s string
			p.str(v, "gauge better", &s)
			switch s {
			case "higher":
			case "lower":
				g.LowerIsBetter = true
			case "":
			default:
				p.errf(v, "gauge better must be higher or lower, not %q", s)
			}
		},
	}, "id", "label", "meaning", "start")
	if g.Min > g.Max {
		p.errf(n, "gauge %s: min %s is above max %s", g.ID, FormatNumber(g.Min), FormatNumber(g.Max))
	} else if g.Start < g.Min || g.Start > g.Max {
		p.errf(n, "gauge %s: start %s is outside its range %s", g.ID, FormatNumber(g.Start), rangeText(g))
	}
	return g
}

func (p *parser) flag(n *yaml.Node) *Flag {
	f := &Flag{Line: n.Line}
	p.fields(n, "flag", map[string]func(k, v *yaml.Node){
		"id":      func(k, v *yaml.Node) { p.str(v, "flag id", &f.ID); f.Line = k.Line },
		"meaning": func(k, v *yaml.Node) { p.str(v, "flag meaning", &f.Meaning) },
	}, "id", "meaning")
	return f
}

func (p *parser) scene(n *yaml.Node) *Scene {
	s := &Scene{Line: n.Line}
	rl := &refLines{}
	p.lines[s] = rl
	p.fields(n, "scene", map[string]func(k, v *yaml.Node){
		"id":       func(k, v *yaml.Node) { p.str(v, "scene id", &s.ID); s.Line = k.Line },
		"title":    func(k, v *yaml.Node) { p.str(v, "scene title", &s.Title) },
		"text":     func(k, v *yaml.Node) { p.str(v, "scene text", &s.Text) },
		"chapters": func(k, v *yaml.Node) { p.refs(v, "scene chapters", &s.Chapters, &rl.chapters) },
		"choices": func(k, v *yaml.Node) {
			p.list(v, "choices", func(it *yaml.Node) { s.Choices = append(s.Choices, p.choice(it)) })
			if len(v.Content) == 0 {
				p.errf(v, "scene %s has no choices: every scene needs at least one (use next: end to finish)", s.ID)
			}
		},
	}, "id", "title", "text", "choices")
	return s
}

func (p *parser) choice(n *yaml.Node) *Choice {
	ch := &Choice{Line: n.Line}
	rl := &refLines{}
	p.lines[ch] = rl
	p.fields(n, "choice", map[string]func(k, v *yaml.Node){
		"key":      func(k, v *yaml.Node) { p.str(v, "choice key", &ch.Key); ch.Line = k.Line },
		"label":    func(k, v *yaml.Node) { p.str(v, "choice label", &ch.Label) },
		"taught":   func(k, v *yaml.Node) { p.str(v, "choice taught", &ch.Taught) },
		"chapters": func(k, v *yaml.Node) { p.refs(v, "choice chapters", &ch.Chapters, &rl.chapters) },
		"requires": func(k, v *yaml.Node) { p.str(v, "choice requires", &ch.Requires); rl.when = v.Line },
		"effects":  func(k, v *yaml.Node) { p.effects(v, "choice effects", &ch.Effects) },
		"conditional": func(k, v *yaml.Node) {
			p.list(v, "conditional", func(it *yaml.Node) {
				ch.Conditional = append(ch.Conditional, p.conditional(it, rl))
			})
		},
		"set_flags": func(k, v *yaml.Node) { p.refs(v, "set_flags", &ch.SetFlags, &rl.setFlags) },
		"next":      func(k, v *yaml.Node) { p.str(v, "choice next", &ch.Next); ch.NextLine = v.Line },
	}, "key", "label", "taught", "chapters", "next")
	if strings.Contains(strings.TrimSpace(ch.Label), "\n") {
		p.errf(n, "choice %s: label must be one line", ch.Key)
	}
	if ch.Chapters == nil && p.has(p.deref(n), "chapters") {
		p.errf(n, "choice %s: chapters needs at least one chapter id", ch.Key)
	}
	return ch
}

func (p *parser) conditional(n *yaml.Node, parent *refLines) Conditional {
	c := Conditional{Line: n.Line}
	rl := &refLines{}
	parent.conds = append(parent.conds, rl)
	p.fields(n, "conditional", map[string]func(k, v *yaml.Node){
		"if":        func(k, v *yaml.Node) { p.str(v, "conditional if", &c.If); c.Line = v.Line; rl.when = v.Line },
		"effects":   func(k, v *yaml.Node) { p.effects(v, "conditional effects", &c.Effects) },
		"set_flags": func(k, v *yaml.Node) { p.refs(v, "conditional set_flags", &c.SetFlags, &rl.setFlags) },
		"note":      func(k, v *yaml.Node) { p.str(v, "conditional note", &c.Note) },
	}, "if")
	if len(c.Effects) == 0 && len(c.SetFlags) == 0 && p.deref(n).Kind == yaml.MappingNode {
		p.errf(n, "conditional needs effects or set_flags")
	}
	return c
}

func (p *parser) ending(n *yaml.Node) *Ending {
	e := &Ending{Line: n.Line}
	rl := &refLines{}
	p.lines[e] = rl
	p.fields(n, "ending", map[string]func(k, v *yaml.Node){
		"id":        func(k, v *yaml.Node) { p.str(v, "ending id", &e.ID); e.Line = k.Line },
		"title":     func(k, v *yaml.Node) { p.str(v, "ending title", &e.Title) },
		"early":     func(k, v *yaml.Node) { p.boolean(v, "ending early", &e.Early) },
		"when":      func(k, v *yaml.Node) { p.str(v, "ending when", &e.When); rl.when = v.Line },
		"narrative": func(k, v *yaml.Node) { p.str(v, "ending narrative", &e.Narrative) },
		"debrief": func(k, v *yaml.Node) {
			p.strs(v, "debrief", &e.Debrief)
			if len(v.Content) == 0 {
				p.errf(v, "ending %s: debrief needs at least one prompt", e.ID)
			}
		},
	}, "id", "title", "narrative", "debrief")
	if e.Early && e.When == "" && p.deref(n).Kind == yaml.MappingNode {
		p.errf(n, "ending %s: an early ending needs a when condition", e.ID)
	}
	return e
}

func (p *parser) real(n *yaml.Node) *Real {
	r := &Real{Line: n.Line}
	p.fields(n, "real", map[string]func(k, v *yaml.Node){
		"title":   func(k, v *yaml.Node) { p.str(v, "real title", &r.Title) },
		"company": func(k, v *yaml.Node) { p.str(v, "real company", &r.Company) },
		"note":    func(k, v *yaml.Node) { p.str(v, "real note", &r.Note) },
		"facts": func(k, v *yaml.Node) {
			p.list(v, "facts", func(it *yaml.Node) {
				f := Fact{Line: it.Line}
				p.fields(it, "fact", map[string]func(k, v *yaml.Node){
					"text": func(k, v *yaml.Node) { p.str(v, "fact text", &f.Text); f.Line = k.Line },
					"sources": func(k, v *yaml.Node) {
						p.list(v, "fact sources", func(s *yaml.Node) {
							var u string
							p.str(s, "fact source", &u)
							if u != "" && !urlRe.MatchString(u) {
								p.errf(s, "fact source %q is not an http(s) URL", u)
							}
							if u != "" {
								f.Sources = append(f.Sources, u)
							}
						})
						if len(v.Content) == 0 {
							p.errf(v, "fact needs at least one source URL")
						}
					},
				}, "text", "sources")
				r.Facts = append(r.Facts, f)
			})
			if len(v.Content) == 0 {
				p.errf(v, "real: facts needs at least one fact")
			}
		},
	}, "title", "company", "facts")
	return r
}
