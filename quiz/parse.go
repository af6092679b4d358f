package quiz

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kaizen-mlops/kaizen/internal/diag"
	"github.com/kaizen-mlops/kaizen/internal/yamlx"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// ValidID reports whether s is a well-formed course id: lower case ASCII letters, digits and
// dashes, not starting with a dash.
func ValidID(s string) bool { return yamlx.ValidID(s) }

// commonKeys are the keys every question may have.
func commonKeys() []string {
	return []string{"id", "type", "prompt", "answer", "explanation", "lesson"}
}

// extraKeys are the keys only some question types may have.
func extraKeys() []string { return []string{"options", "tolerance", "unit", "pattern"} }

// Parse decodes and validates one quiz.yaml. file is the name problems are reported against
// (the path relative to the course root). Every problem found is returned with its 1-based
// line; the returned quiz is never nil and holds only the questions that passed validation,
// so the app can still run the good ones while lint lists the bad ones. Lesson references are
// checked for syntax only; CheckLessons checks that they exist.
func Parse(file string, data []byte) (*Quiz, diag.List) {
	p := &parser{file: file}
	qz := &Quiz{File: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := yamlErrorLine(err, data)
		msg := cleanYAMLError(err)
		p.add(line, "invalid YAML: %s%s", msg, yamlHint(msg, data, line))
		return qz, p.probs
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		p.add(0, "file is empty: expected a questions list")
		return qz, p.probs
	}
	root := deref(doc.Content[0])
	top, ok := p.mapping(root, "the file", func(key string) (bool, string) {
		return key == "questions", ""
	}, []string{"questions"})
	if !ok {
		return qz, p.probs
	}
	qf, ok := top.get("questions")
	if !ok {
		p.missing(top, "questions", root.Line, "missing questions")
		return qz, p.probs
	}
	qn := deref(qf.value)
	if qn.Kind != yaml.SequenceNode {
		if isNull(qn) {
			p.add(qn.Line, "questions is empty")
		} else {
			p.add(qn.Line, "questions must be a list")
		}
		return qz, p.probs
	}
	if len(qn.Content) == 0 {
		p.add(qn.Line, "questions is empty")
	}
	seen := map[string]int{}
	for _, item := range qn.Content {
		before := len(p.probs)
		q := p.question(deref(item))
		valid := len(p.probs) == before
		if q.ID != "" {
			if first, dup := seen[q.ID]; dup {
				p.add(q.Line, "duplicate question id %q (first at line %d)", q.ID, first)
				valid = false
			} else {
				seen[q.ID] = q.Line
			}
		}
		if valid {
			qz.Questions = append(qz.Questions, q)
		}
	}
	p.probs.Sort()
	return qz, p.probs
}

// LessonResolver reports whether a lesson, and a section (heading anchor) inside it, exist.
// section is "" when the reference names the whole lesson. It returns nil when the reference
// resolves, ErrUnknownLesson or ErrUnknownSection (possibly wrapped), or any other error,
// whose text is then reported as is.
type LessonResolver func(lessonID, section string) error

// Errors a LessonResolver returns for references that do not resolve.
var (
	ErrUnknownLesson  = errors.New("unknown lesson")
	ErrUnknownSection = errors.New("unknown section")
)

// CheckLessons reports, at the line of each question's lesson field, every lesson reference
// that resolve rejects: "unknown lesson x" or "lesson x has no section y".
func (qz *Quiz) CheckLessons(resolve LessonResolver) diag.List {
	var probs diag.List
	for _, q := range qz.Questions {
		err := resolve(q.LessonID, q.Section)
		if err == nil {
			continue
		}
		line := q.LessonLine
		if line == 0 {
			line = q.Line
		}
		switch {
		case errors.Is(err, ErrUnknownLesson):
			probs.Add(qz.File, line, "unknown lesson %q", q.LessonID)
		case errors.Is(err, ErrUnknownSection):
			probs.Add(qz.File, line, "lesson %q has no section %q", q.LessonID, q.Section)
		default:
			probs.Add(qz.File, line, "%v", err)
		}
	}
	probs.Sort()
	return probs
}

// parser collects the problems of one file.
type parser struct {
	file  string
	probs diag.List
}

func (p *parser) add(line int, format string, args ...any) {
	p.probs.Add(p.file, line, format, args...)
}

// field is one key of a mapping, with the line of its key.
type field struct {
	line  int
	value *yaml.Node
}

// fields are the keys of one mapping. typos holds the keys that a misspelt key was taken for,
// so a typo is reported once ("did you mean explanation?"), not also as a missing field.
type fields struct {
	byKey map[string]field
	typos map[string]bool
}

func (fs fields) get(key string) (field, bool) {
	f, ok := fs.byKey[key]
	return f, ok
}

// missing reports a required key that is absent, unless a typo of it was reported already.
func (p *parser) missing(fs fields, key string, line int, format string, args ...any) {
	if !fs.typos[key] {
		p.add(line, format, args...)
	}
}

// mapping returns the keys of a mapping node. allowed says whether a key is allowed and, if
// not, why; known lists the keys suggested for typos. Keys given twice and unknown keys are
// reported and left out. It returns nil (after reporting) when n is not a mapping.
func (p *parser) mapping(n *yaml.Node, what string, allowed func(key string) (bool, string), known []string) (fields, bool) {
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "%s must be a mapping of keys to values", what)
		return fields{}, false
	}
	out := fields{byKey: make(map[string]field, len(n.Content)/2), typos: map[string]bool{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.add(k.Line, "keys must be plain words")
			continue
		}
		if prev, dup := out.byKey[k.Value]; dup {
			p.add(k.Line, "key %q given twice (first at line %d)", k.Value, prev.line)
			continue
		}
		if ok, why := allowed(k.Value); !ok {
			if n.Style&yaml.FlowStyle != 0 && isNull(deref(v)) && deref(v).Value == "" {
				// {id: a, text: CI, CD and IaC} reads " CD and IaC" as a key with no value.
				p.add(k.Line, "unquoted comma inside { }: %q was read as a key; put text that contains a comma in quotes", k.Value)
			} else if why != "" {
				p.add(k.Line, "%s", why)
			} else if s := suggest(k.Value, known); s != "" {
				p.add(k.Line, "unknown key %q (did you mean %q?)", k.Value, s)
				out.typos[s] = true
			} else {
				p.add(k.Line, "unknown key %q (known keys: %s)", k.Value, strings.Join(known, ", "))
			}
			continue
		}
		out.byKey[k.Value] = field{line: k.Line, value: v}
	}
	return out, true
}

// question decodes and validates one item of the questions list. It returns the question even
// when it has problems, so the caller can still use its id and line.
func (p *parser) question(n *yaml.Node) *Question {
	q := &Question{Line: n.Line}
	var typeProblem bool
	// The type decides which keys are allowed, so read it before the rest.
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := deref(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == "type" {
				v := deref(n.Content[i+1])
				if v.Kind == yaml.ScalarNode && !isNull(v) {
					q.Type = Type(strings.TrimSpace(v.Value))
				}
				break
			}
		}
	}
	common, extra := commonKeys(), extraKeys()
	known := append(slices.Clip(common), extra...)
	fields, ok := p.mapping(n, "a question", func(key string) (bool, string) {
		if slices.Contains(common, key) {
			return true, ""
		}
		if !q.Type.Valid() {
			// Unknown or missing type: allow the type-specific keys, report the type instead.
			return slices.Contains(extra, key), ""
		}
		switch key {
		case "options":
			if q.Type.HasOptions() {
				return true, ""
			}
			return false, fmt.Sprintf("%s questions take no options", q.Type)
		case "tolerance", "unit":
			if q.Type == Numeric {
				return true, ""
			}
			return false, fmt.Sprintf("%s is only for numeric questions", key)
		case "pattern":
			if q.Type == Text {
				return true, ""
			}
			return false, "pattern is only for text questions"
		}
		return false, ""
	}, known)
	if !ok {
		return q
	}

	// id
	if id, line, ok := p.text(fields, "id", n.Line); ok {
		q.ID = id
		if !ValidID(id) {
			p.add(line, "id %q is not a valid id: use lower case letters, digits and dashes (^[a-z0-9][a-z0-9-]*$)", id)
		}
	}
	// type
	if f, ok := fields.get("type"); !ok {
		p.missing(fields, "type", n.Line, "missing type (one of %s)", typeList())
		typeProblem = true
	} else if !q.Type.Valid() {
		v := deref(f.value)
		if v.Kind != yaml.ScalarNode || isNull(v) {
			p.add(v.Line, "type must be one of %s", typeList())
		} else if s := suggest(string(q.Type), typeNames()); s != "" {
			p.add(v.Line, "unknown type %q (did you mean %q?)", q.Type, s)
		} else {
			p.add(v.Line, "unknown type %q (want one of %s)", q.Type, typeList())
		}
		typeProblem = true
	}
	if _, _, ok := p.text(fields, "prompt", n.Line); ok {
		q.Prompt = trimMarkdown(fields.byKey["prompt"].value)
	}
	if _, _, ok := p.text(fields, "explanation", n.Line); ok {
		q.Explanation = trimMarkdown(fields.byKey["explanation"].value)
	}
	if ref, line, ok := p.text(fields, "lesson", n.Line); ok {
		q.LessonLine = line
		p.lessonRef(q, ref, line)
	}
	if typeProblem {
		return q
	}

	// options
	if q.Type.HasOptions() {
		p.options(q, fields, n.Line)
	}
	// answer and type-specific keys; without options there is nothing to check an answer against
	if q.Type.HasOptions() && len(q.Options) == 0 {
		return q
	}
	af, hasAnswer := fields.get("answer")
	if !hasAnswer {
		p.missing(fields, "answer", n.Line, "missing answer")
	}
	var answer *yaml.Node
	if hasAnswer {
		answer = deref(af.value)
	}
	// Problems with the answer as a whole are reported at the answer key: a block list's
	// node starts at its first item.
	aline := af.line
	switch q.Type {
	case Single:
		if answer != nil {
			p.singleAnswer(q, answer)
		}
	case Multi:
		if answer != nil {
			p.multiAnswer(q, answer, aline)
		}
	case Order:
		if answer != nil {
			p.orderAnswer(q, answer, aline)
		}
	case TrueFalse:
		if answer != nil {
			if answer.Kind != yaml.ScalarNode || answer.Tag != "!!bool" {
				p.add(answer.Line, "answer of a truefalse question must be true or false")
			} else if err := answer.Decode(&q.Truth); err != nil {
				p.add(answer.Line, "answer of a truefalse question must be true or false")
			}
		}
	case Numeric:
		if answer != nil {
			if x, ok := p.number(answer, "answer"); ok {
				q.Number = x
			}
		}
		if f, ok := fields.get("tolerance"); ok {
			v := deref(f.value)
			if x, ok := p.number(v, "tolerance"); ok {
				if x < 0 {
					p.add(v.Line, "tolerance must not be negative")
				}
				q.Tolerance = x
			}
		}
		if f, ok := fields.get("unit"); ok {
			v := deref(f.value)
			if v.Kind != yaml.ScalarNode || isNull(v) || strings.TrimSpace(v.Value) == "" {
				p.add(v.Line, "unit must be a word such as ms or %%")
			} else {
				q.Unit = strings.TrimSpace(v.Value)
			}
		}
	case Text:
		if answer != nil {
			p.textAnswer(q, answer, aline)
		}
		if f, ok := fields.get("pattern"); ok {
			v := deref(f.value)
			if v.Kind != yaml.ScalarNode || isNull(v) || v.Value == "" {
				p.add(v.Line, "pattern must be a regular expression")
			} else if _, err := regexp.Compile(v.Value); err != nil {
				p.add(v.Line, "pattern does not compile: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			} else if re, err := compilePattern(v.Value); err == nil {
				q.Pattern, q.re, q.reSrc = v.Value, re, v.Value
			}
		}
	}
	return q
}

// text reads a required scalar field, reporting it when missing, empty or not a scalar.
func (p *parser) text(fs fields, key string, parentLine int) (string, int, bool) {
	f, ok := fs.get(key)
	if !ok {
		p.missing(fs, key, parentLine, "missing %s", key)
		return "", 0, false
	}
	v := deref(f.value)
	if v.Kind != yaml.ScalarNode {
		p.add(v.Line, "%s must be text, not a %s", key, kindName(v))
		return "", f.line, false
	}
	s := strings.TrimSpace(v.Value)
	if isNull(v) || s == "" {
		p.add(f.line, "%s is empty", key)
		return "", f.line, false
	}
	return s, v.Line, true
}

// trimMarkdown drops the blank lines and trailing spaces around a Markdown value but keeps the
// indentation of its first line, which may start a code block.
func trimMarkdown(n *yaml.Node) string {
	s := strings.TrimRight(deref(n).Value, " \t\r\n")
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			return s
		}
		s = rest
	}
}

// lessonRef checks the syntax of "lesson-id" or "lesson-id#section".
func (p *parser) lessonRef(q *Question, ref string, line int) {
	id, section, hasSection := strings.Cut(ref, "#")
	q.LessonID, q.Section = id, section
	if !ValidID(id) {
		p.add(line, "lesson %q is not a valid lesson id", id)
	}
	if hasSection {
		switch slug := Slug(section); {
		case section == "":
			p.add(line, "lesson reference %q has an empty section after #", ref)
		case slug != section:
			p.add(line, "section %q is not a heading anchor; did you mean %q?", section, slug)
		}
	}
}

func (p *parser) options(q *Question, fs fields, parentLine int) {
	f, ok := fs.get("options")
	if !ok {
		p.missing(fs, "options", parentLine, "missing options: %s %s question needs options", article(q.Type), q.Type)
		return
	}
	v := deref(f.value)
	if v.Kind != yaml.SequenceNode {
		p.add(v.Line, "options must be a list of {id, text}")
		return
	}
	lo, hi := q.Type.optionRange()
	if n := len(v.Content); n < lo || n > hi {
		p.add(f.line, "%s %s question needs %d to %d options, not %d", article(q.Type), q.Type, lo, hi, n)
	}
	seen := map[string]int{}
	for _, item := range v.Content {
		item = deref(item)
		of, ok := p.mapping(item, "an option", func(key string) (bool, string) {
			return key == "id" || key == "text", ""
		}, []string{"id", "text"})
		if !ok {
			continue
		}
		o := Option{Line: item.Line}
		o.ID, _, _ = p.text(of, "id", item.Line)
		o.Text, _, _ = p.text(of, "text", item.Line)
		if o.ID == "" {
			continue
		}
		if first, dup := seen[o.ID]; dup {
			p.add(item.Line, "duplicate option id %q (first at line %d)", o.ID, first)
			continue
		}
		seen[o.ID] = item.Line
		q.Options = append(q.Options, o)
	}
}

// optionIDs lists the option ids for messages: "a, b, c".
func optionIDs(q *Question) string {
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return strings.Join(ids, ", ")
}

func (p *parser) checkOption(q *Question, n *yaml.Node) (string, bool) {
	if n.Kind == yaml.ScalarNode && (isNull(n) || strings.TrimSpace(n.Value) == "") {
		p.add(n.Line, "answer is empty: name an option id")
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		p.add(n.Line, "answer must name option ids, not a %s", kindName(n))
		return "", false
	}
	id := strings.TrimSpace(n.Value)
	if _, ok := q.Option(id); !ok {
		p.add(n.Line, "answer %q is not among the options (%s)", id, optionIDs(q))
		return id, false
	}
	return id, true
}

func (p *parser) singleAnswer(q *Question, n *yaml.Node) {
	if n.Kind != yaml.ScalarNode {
		p.add(n.Line, "answer of a single question must be one option id, not a %s", kindName(n))
		return
	}
	if id, ok := p.checkOption(q, n); ok {
		q.Answer = []string{id}
	}
}

// idList reads a list of option ids, reporting unknown and repeated ids.
func (p *parser) idList(q *Question, n *yaml.Node) ([]string, bool) {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "answer of %s %s question must be a list of option ids, e.g. [a, c]", article(q.Type), q.Type)
		return nil, false
	}
	ok := true
	seen := map[string]bool{}
	var ids []string
	for _, item := range n.Content {
		item = deref(item)
		id, good := p.checkOption(q, item)
		if !good {
			ok = false
			continue
		}
		if seen[id] {
			p.add(item.Line, "answer lists option %q twice", id)
			ok = false
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return ids, ok
}

func (p *parser) multiAnswer(q *Question, n *yaml.Node, line int) {
	ids, ok := p.idList(q, n)
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		p.add(line, "answer of a multi question needs at least one option id")
		return
	}
	if ok {
		q.Answer = ids
	}
}

func (p *parser) orderAnswer(q *Question, n *yaml.Node, line int) {
	ids, ok := p.idList(q, n)
	if n.Kind != yaml.SequenceNode {
		return
	}
	var missing []string
	for _, o := range q.Options {
		found := false
		for _, id := range ids {
			found = found || id == o.ID
		}
		if !found && o.ID != "" {
			missing = append(missing, o.ID)
		}
	}
	if len(missing) > 0 {
		p.add(line, "answer of an order question must list every option once; missing %s", strings.Join(missing, ", "))
		return
	}
	if ok {
		q.Answer = ids
	}
}

func (p *parser) textAnswer(q *Question, n *yaml.Node, line int) {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, `answer of a text question must be a list of accepted answers, e.g. [".github/workflows"]`)
		return
	}
	if len(n.Content) == 0 {
		p.add(line, "answer of a text question needs at least one accepted answer")
		return
	}
	for _, item := range n.Content {
		item = deref(item)
		if item.Kind != yaml.ScalarNode || isNull(item) {
			p.add(item.Line, "accepted answers must be text")
			continue
		}
		if Normalize(item.Value) == "" {
			p.add(item.Line, "accepted answer %q is empty once normalised", item.Value)
			continue
		}
		q.Accepted = append(q.Accepted, strings.TrimSpace(item.Value))
	}
}

// number reads an int or float scalar.
func (p *parser) number(n *yaml.Node, key string) (float64, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
			if _, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64); err == nil {
				p.add(n.Line, "%s must be a number, not quoted text", key)
				return 0, false
			}
		}
		p.add(n.Line, "%s must be a number", key)
		return 0, false
	}
	var x float64
	if err := n.Decode(&x); err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		p.add(n.Line, "%s must be a finite number", key)
		return 0, false
	}
	return x, true
}

// compilePattern compiles a text question's pattern. Patterns are matched against the
// normalised (case-folded) answer, so they are case-insensitive.
func compilePattern(pattern string) (*regexp.Regexp, error) {
	return regexp.Compile("(?i)" + pattern)
}

// Slug turns a heading into its anchor as the authoring guide defines it: lower case, every run
// of characters other than letters and digits replaced by one "-", leading and trailing "-"
// removed. "The rule of 25%" becomes "the-rule-of-25".
func Slug(heading string) string { return lessons.Slug(heading) }

// deref follows YAML aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "value"
}

// article is "a" or "an" for a type name.
func article(t Type) string {
	if t == Order {
		return "an"
	}
	return "a"
}

func typeNames() []string {
	var s []string
	for _, t := range Types() {
		s = append(s, string(t))
	}
	return s
}

func typeList() string { return strings.Join(typeNames(), ", ") }

// suggest returns the word in known closest to s when it is a likely typo of it.
func suggest(s string, known []string) string {
	best, bestD := "", 0
	for _, k := range known {
		d := editDistance(strings.ToLower(s), k)
		if best == "" || d < bestD {
			best, bestD = k, d
		}
	}
	limit := 2
	if len(s) <= 4 {
		limit = 1
	}
	if best != "" && bestD <= limit {
		return best
	}
	return ""
}

// editDistance is the Damerau–Levenshtein (optimal string alignment) distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlErrorLine finds the line a YAML syntax error is about. yaml.v3 names the line where the
// enclosing block starts (or no line at all), which can be far above the mistake. Parsing
// stops at the offending token whatever follows it, so the shortest prefix of the file (in whole
// lines) that fails with the same message ends at the offending line; it is found by bisection
// from the line yaml.v3 names. It returns 0 when no line can be found.
func yamlErrorLine(err error, data []byte) int {
	named := 0 // the line yaml.v3 names, if any
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		named, _ = strconv.Atoi(m[1])
	}
	from := max(named-1, 1)
	msg := cleanYAMLError(err)
	var ends []int // ends[k-1] is the length of the first k lines
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(k int) bool {
		var n yaml.Node
		e := yaml.Unmarshal(data[:ends[k-1]], &n)
		return e != nil && cleanYAMLError(e) == msg
	}
	lo, hi := from, len(ends) // find the smallest k in [lo, hi] with fails(k)
	if lo > hi || !fails(hi) {
		return named
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// cleanYAMLError drops the "yaml: " prefix and the "line N: " part already shown as file:line.
func cleanYAMLError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringIndex(msg); m != nil && m[0] == 0 {
		msg = strings.TrimPrefix(msg[m[1]:], ":")
	}
	return strings.TrimSpace(msg)
}

// yamlHint suggests the usual cause of a YAML error on one line of a course file.
func yamlHint(msg string, data []byte, line int) string {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	text := lines[line-1]
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	// The value: what follows "key:" or "- " on the line.
	value := strings.TrimLeft(text, " \t-")
	if _, after, ok := strings.Cut(value, ": "); ok {
		value = strings.TrimSpace(after)
	}
	switch {
	case strings.Contains(indent, "\t"):
		return " (indent with spaces, not tabs)"
	case strings.Contains(msg, "cannot start any token") && strings.ContainsAny(value[:min(1, len(value))], "`@%"):
		return fmt.Sprintf(" (put text that starts with %s in quotes)", value[:1])
	case strings.Contains(msg, "mapping values are not allowed") && strings.Contains(value, ": "):
		return ` (put text that contains ": " in quotes)`
	case strings.Contains(msg, "end of stream"):
		return " (a quote or bracket opened here is never closed)"
	}
	return ""
}
