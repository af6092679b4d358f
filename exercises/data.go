package exercises

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ValueKind is the kind of a Value.
type ValueKind int

// The kinds of values a JSON or YAML document holds.
const (
	NullValue ValueKind = iota
	BoolValue
	NumberValue
	StringValue
	ListValue
	MapValue
)

// Value is a JSON or YAML value with mapping order kept, so that assertions can speak about
// "the steps in order" and keys can be matched the way GitHub Actions reads them.
type Value struct {
	Kind   ValueKind
	Bool   bool
	Number float64
	Text   string   // a string; the source text of a number, boolean or null
	Items  []*Value // a list
	Fields []Field  // a mapping, in document order
}

// Field is one key of a mapping.
type Field struct {
	Key string
	// KeyTrue is set when the key is the boolean true, as a YAML 1.1 reader decodes GitHub
	// Actions' `on:`; the path segment "on" matches such a key too.
	KeyTrue bool
	Value   *Value
}

// limits on documents checks read.
const (
	maxValueNodes = 1 << 20
	maxValueDepth = 256
)

var errTooBig = errors.New("document too large or too deeply nested")

// ParseYAML parses a YAML document (the first one, if the file holds several).
func ParseYAML(data []byte) (*Value, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, err
	}
	budget := maxValueNodes
	return fromYAML(&n, 0, &budget)
}

func fromYAML(n *yaml.Node, depth int, budget *int) (*Value, error) {
	*budget--
	if *budget < 0 || depth > maxValueDepth {
		return nil, errTooBig
	}
	switch n.Kind {
	case 0:
		return &Value{Kind: NullValue, Text: "null"}, nil
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &Value{Kind: NullValue, Text: "null"}, nil
		}
		return fromYAML(n.Content[0], depth+1, budget)
	case yaml.AliasNode:
		if n.Alias == nil {
			return &Value{Kind: NullValue, Text: "null"}, nil
		}
		return fromYAML(n.Alias, depth+1, budget)
	case yaml.SequenceNode:
		v := &Value{Kind: ListValue, Items: make([]*Value, 0, len(n.Content))}
		for _, c := range n.Content {
			item, err := fromYAML(c, depth+1, budget)
			if err != nil {
				return nil, err
			}
			v.Items = append(v.Items, item)
		}
		return v, nil
	case yaml.MappingNode:
		v := &Value{Kind: MapValue}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			for k.Kind == yaml.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			item, err := fromYAML(val, depth+1, budget)
			if err != nil {
				return nil, err
			}
			key := scalarFromYAML(k)
			v.Fields = append(v.Fields, Field{Key: k.Value, KeyTrue: key.Kind == BoolValue && key.Bool, Value: item})
		}
		return v, nil
	default:
		return scalarFromYAML(n), nil
	}
}

func scalarFromYAML(n *yaml.Node) *Value {
	s := n.Value
	switch n.ShortTag() {
	case "!!null":
		return &Value{Kind: NullValue, Text: "null"}
	case "!!bool":
		switch strings.ToLower(s) {
		case "true", "yes", "y", "on":
			return &Value{Kind: BoolValue, Bool: true, Text: "true"}
		default:
			return &Value{Kind: BoolValue, Bool: false, Text: "false"}
		}
	case "!!int":
		clean := strings.ReplaceAll(s, "_", "")
		if strings.HasPrefix(clean, "0o") || strings.HasPrefix(clean, "-0o") || strings.HasPrefix(clean, "+0o") {
			clean = strings.Replace(clean, "0o", "0", 1)
		}
		if i, err := strconv.ParseInt(clean, 0, 64); err == nil {
			return &Value{Kind: NumberValue, Number: float64(i), Text: s}
		}
		if f, err := strconv.ParseFloat(clean, 64); err == nil {
			return &Value{Kind: NumberValue, Number: f, Text: s}
		}
	case "!!float":
		switch strings.ToLower(strings.TrimLeft(s, "+")) {
		case ".inf":
			return &Value{Kind: NumberValue, Number: math.Inf(1), Text: s}
		case "-.inf":
			return &Value{Kind: NumberValue, Number: math.Inf(-1), Text: s}
		case ".nan":
			return &Value{Kind: NumberValue, Number: math.NaN(), Text: s}
		}
		if f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil {
			return &Value{Kind: NumberValue, Number: f, Text: s}
		}
	}
	return &Value{Kind: StringValue, Text: s}
}

// ParseJSON parses one JSON document, keeping the order of object keys.
func ParseJSON(data []byte) (*Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	budget := maxValueNodes
	v, err := fromJSON(dec, 0, &budget)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON value (offset %d)", dec.InputOffset())
	}
	return v, nil
}

func fromJSON(dec *json.Decoder, depth int, budget *int) (*Value, error) {
	*budget--
	if *budget < 0 || depth > maxValueDepth {
		return nil, errTooBig
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("empty JSON document")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			v := &Value{Kind: ListValue}
			for dec.More() {
				item, err := fromJSON(dec, depth+1, budget)
				if err != nil {
					return nil, err
				}
				v.Items = append(v.Items, item)
			}
			_, err := dec.Token() // ]
			return v, err
		case '{':
			v := &Value{Kind: MapValue}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				item, err := fromJSON(dec, depth+1, budget)
				if err != nil {
					return nil, err
				}
				v.Fields = append(v.Fields, Field{Key: key, Value: item})
			}
			_, err := dec.Token() // }
			return v, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case bool:
		return &Value{Kind: BoolValue, Bool: t, Text: strconv.FormatBool(t)}, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return nil, err
		}
		return &Value{Kind: NumberValue, Number: f, Text: string(t)}, nil
	case string:
		return &Value{Kind: StringValue, Text: t}, nil
	case nil:
		return &Value{Kind: NullValue, Text: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// String renders a value compactly (JSON-like), for messages.
func (v *Value) String() string {
	var b strings.Builder
	v.render(&b, 0)
	return b.String()
}

func (v *Value) render(b *strings.Builder, depth int) {
	if v == nil {
		b.WriteString("null")
		return
	}
	if depth > 8 {
		b.WriteString("…")
		return
	}
	switch v.Kind {
	case StringValue:
		q, _ := json.Marshal(v.Text)
		b.Write(q)
	case ListValue:
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			it.render(b, depth+1)
		}
		b.WriteByte(']')
	case MapValue:
		b.WriteByte('{')
		for i, f := range v.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			q, _ := json.Marshal(f.Key)
			b.Write(q)
			b.WriteString(": ")
			f.Value.render(b, depth+1)
		}
		b.WriteByte('}')
	default:
		b.WriteString(v.Text)
	}
}

// scalarText is the text a regular expression or an InOrder join sees.
func (v *Value) scalarText() string {
	switch v.Kind {
	case StringValue, NumberValue, BoolValue, NullValue:
		return v.Text
	}
	return v.String()
}

// toJSON renders a value as JSON (keys in document order; a boolean-true key as "true").
func (v *Value) toJSON(b *bytes.Buffer) {
	switch v.Kind {
	case NullValue:
		b.WriteString("null")
	case BoolValue:
		b.WriteString(strconv.FormatBool(v.Bool))
	case NumberValue:
		if math.IsInf(v.Number, 0) || math.IsNaN(v.Number) {
			b.WriteString("null")
			return
		}
		b.WriteString(strconv.FormatFloat(v.Number, 'g', -1, 64))
	case StringValue:
		q, _ := json.Marshal(v.Text)
		b.Write(q)
	case ListValue:
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			it.toJSON(b)
		}
		b.WriteByte(']')
	case MapValue:
		b.WriteByte('{')
		for i, f := range v.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(f.Key)
			b.Write(q)
			b.WriteByte(':')
			f.Value.toJSON(b)
		}
		b.WriteByte('}')
	}
}

// equalValues compares two values; numbers within tol.
func equalValues(a, b *Value, tol float64) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case NullValue:
		return true
	case BoolValue:
		return a.Bool == b.Bool
	case NumberValue:
		if math.IsNaN(a.Number) || math.IsNaN(b.Number) {
			return math.IsNaN(a.Number) && math.IsNaN(b.Number)
		}
		return a.Number == b.Number || math.Abs(a.Number-b.Number) <= tol
	case StringValue:
		return a.Text == b.Text
	case ListValue:
		if len(a.Items) != len(b.Items) {
			return false
		}
		for i := range a.Items {
			if !equalValues(a.Items[i], b.Items[i], tol) {
				return false
			}
		}
		return true
	case MapValue:
		if len(a.Fields) != len(b.Fields) {
			return false
		}
		for _, f := range a.Fields {
			g := b.field(f.Key)
			if g == nil || !equalValues(f.Value, g, tol) {
				return false
			}
		}
		return true
	}
	return false
}

func (v *Value) field(key string) *Value {
	for _, f := range v.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// keyMatches reports whether a mapping field has the key, reading `on` GitHub's way.
func keyMatches(f Field, key string) bool {
	return f.Key == key || (key == "on" && f.KeyTrue)
}

// kindNames maps the names used in exercise.yaml to kinds.
var kindNames = map[string]ValueKind{"string": StringValue, "number": NumberValue, "bool": BoolValue,
	"null": NullValue, "list": ListValue, "map": MapValue}

func (k ValueKind) String() string {
	for name, kind := range kindNames {
		if kind == k {
			return name
		}
	}
	return "unknown"
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// kindArticle describes the kind of the first selected value: "a number".
func kindArticle(vals []*Value) string {
	if len(vals) == 0 {
		return "nothing"
	}
	k := vals[0].Kind.String()
	return article(k) + " " + k
}

// pathStep is one step of a data path.
type pathStep struct {
	key      string
	index    int
	isIndex  bool
	wildcard bool
}

// parsePath parses "a.b[0].c", "jobs.*.steps[*].uses", "[2]", "" or "." (the root).
func parsePath(p string) ([]pathStep, error) {
	if p == "" || p == "." {
		return nil, nil
	}
	var steps []pathStep
	i := 0
	expectKey := true
	for i < len(p) {
		switch {
		case p[i] == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ at offset %d", i)
			}
			inner := strings.TrimSpace(p[i+1 : i+end])
			if inner == "*" {
				steps = append(steps, pathStep{wildcard: true})
			} else {
				n, err := strconv.Atoi(inner)
				if err != nil {
					return nil, fmt.Errorf("index %q is not a number or *", inner)
				}
				steps = append(steps, pathStep{index: n, isIndex: true})
			}
			i += end + 1
			expectKey = false
		case p[i] == '.':
			if expectKey {
				return nil, fmt.Errorf("empty key at offset %d", i)
			}
			i++
			expectKey = true
			if i == len(p) {
				return nil, errors.New("path ends with .")
			}
		default:
			if !expectKey {
				return nil, fmt.Errorf("missing . before offset %d", i)
			}
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			key := p[i:j]
			if key == "*" {
				steps = append(steps, pathStep{wildcard: true})
			} else {
				steps = append(steps, pathStep{key: key})
			}
			i = j
			expectKey = false
		}
	}
	return steps, nil
}

// selectPath returns the values a path selects, in document order.
func selectPath(root *Value, steps []pathStep) []*Value {
	cur := []*Value{root}
	for _, s := range steps {
		var next []*Value
		for _, v := range cur {
			switch {
			case s.wildcard:
				switch v.Kind {
				case ListValue:
					next = append(next, v.Items...)
				case MapValue:
					for _, f := range v.Fields {
						next = append(next, f.Value)
					}
				}
			case s.isIndex:
				if v.Kind == ListValue {
					i := s.index
					if i < 0 {
						i += len(v.Items)
					}
					if i >= 0 && i < len(v.Items) {
						next = append(next, v.Items[i])
					}
				}
			default:
				if v.Kind == MapValue {
					for _, f := range v.Fields {
						if keyMatches(f, s.key) {
							next = append(next, f.Value)
						}
					}
				}
			}
		}
		cur = next
	}
	return cur
}

// includes reports whether v "includes" want the way GitHub Actions' `on:` does: a scalar equal
// to it, a list with such an item, or a mapping with that key.
func includes(v *Value, want string) bool {
	switch v.Kind {
	case ListValue:
		for _, it := range v.Items {
			if it.Kind != ListValue && it.Kind != MapValue && it.Text == want {
				return true
			}
		}
	case MapValue:
		for _, f := range v.Fields {
			if keyMatches(f, want) {
				return true
			}
		}
	default:
		return v.Text == want
	}
	return false
}

// evalData checks one DataExpect against a parsed document. It returns "" when the assertion
// holds, else a learner-facing reason. where names the document ("stdout", "`ci.yml`").
func evalData(d *DataExpect, doc *Value, where string) string {
	vals := selectPath(doc, d.path)
	at := "`" + d.Path + "`"
	if d.Path == "" || d.Path == "." {
		at = "the document"
	}
	if d.Exists != nil {
		if *d.Exists && len(vals) == 0 {
			return fmt.Sprintf("%s: %s is missing", where, at)
		}
		if !*d.Exists && len(vals) > 0 {
			return fmt.Sprintf("%s: %s should not be there, but it is %s", where, at, shorten(vals[0].String(), 80))
		}
	}
	positive := d.Equals != nil || d.Matches != nil || len(d.Includes) > 0 || d.Min != nil || d.Max != nil ||
		len(d.InOrder) > 0 || d.Type != ""
	if positive && len(vals) == 0 {
		return fmt.Sprintf("%s: %s is missing", where, at)
	}
	// quantified positive assertions
	holds := func(ok func(*Value) bool) bool {
		if d.All {
			for _, v := range vals {
				if !ok(v) {
					return false
				}
			}
			return true
		}
		for _, v := range vals {
			if ok(v) {
				return true
			}
		}
		return false
	}
	got := func() string {
		if len(vals) == 1 {
			return shorten(vals[0].String(), 80)
		}
		parts := make([]string, 0, len(vals))
		for _, v := range vals {
			parts = append(parts, v.String())
		}
		return shorten(strings.Join(parts, ", "), 120)
	}
	if d.Type != "" && !holds(func(v *Value) bool { return kindNames[d.Type] == v.Kind }) {
		return fmt.Sprintf("%s: %s is %s (%s), expected %s %s", where, at, got(), kindArticle(vals), article(d.Type), d.Type)
	}
	if d.Equals != nil && !holds(func(v *Value) bool { return equalValues(v, d.Equals, d.Tolerance) }) {
		want := d.Equals.String()
		if d.Tolerance > 0 && d.Equals.Kind == NumberValue {
			want += fmt.Sprintf(" (± %g)", d.Tolerance)
		}
		return fmt.Sprintf("%s: %s is %s, expected %s", where, at, got(), want)
	}
	if d.NotEquals != nil {
		for _, v := range vals {
			if equalValues(v, d.NotEquals, d.Tolerance) {
				return fmt.Sprintf("%s: %s must not be %s", where, at, d.NotEquals.String())
			}
		}
	}
	if d.Matches != nil && !holds(func(v *Value) bool { return d.Matches.MatchString(v.scalarText()) }) {
		return fmt.Sprintf("%s: %s is %s, which does not match /%s/", where, at, got(), d.Matches)
	}
	if d.NotMatch != nil {
		for _, v := range vals {
			if d.NotMatch.MatchString(v.scalarText()) {
				return fmt.Sprintf("%s: %s is %s, which must not match /%s/", where, at, shorten(v.String(), 80), d.NotMatch)
			}
		}
	}
	for _, want := range d.Includes {
		if !holds(func(v *Value) bool { return includes(v, want) }) {
			return fmt.Sprintf("%s: %s does not include %q", where, at, want)
		}
	}
	if d.Min != nil && !holds(func(v *Value) bool { return v.Kind == NumberValue && v.Number >= *d.Min }) {
		return fmt.Sprintf("%s: %s is %s, expected at least %g", where, at, got(), *d.Min)
	}
	if d.Max != nil && !holds(func(v *Value) bool { return v.Kind == NumberValue && v.Number <= *d.Max }) {
		return fmt.Sprintf("%s: %s is %s, expected at most %g", where, at, got(), *d.Max)
	}
	if len(d.InOrder) > 0 {
		parts := make([]string, 0, len(vals))
		for _, v := range vals {
			parts = append(parts, v.scalarText())
		}
		if msg := inOrder(d.InOrder, strings.Join(parts, "\n")); msg != "" {
			return fmt.Sprintf("%s: in %s, %s", where, at, msg)
		}
	}
	return ""
}

// inOrder checks that each pattern matches after the end of the previous match.
func inOrder(res []*regexp.Regexp, text string) string {
	pos := 0
	for i, re := range res {
		loc := re.FindStringIndex(text[pos:])
		if loc == nil {
			if i == 0 {
				return fmt.Sprintf("nothing matches /%s/", re)
			}
			if re.MatchString(text) {
				return fmt.Sprintf("/%s/ comes before /%s/ but should come after it", re, res[i-1])
			}
			return fmt.Sprintf("nothing matches /%s/ after /%s/", re, res[i-1])
		}
		pos += loc[1]
	}
	return ""
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
