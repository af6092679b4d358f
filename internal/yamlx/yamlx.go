// Package yamlx decodes YAML course files strictly while keeping line numbers, so every
// linter can report "file:line: message" for typos, missing fields and wrong types.
package yamlx

import (
	"errors"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kaizen-mlops/kaizen/internal/diag"
)

// Parse decodes data into a document node. On a syntax error it records a problem at the
// error's line and returns nil.
func Parse(file string, data []byte, probs *diag.List) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		probs.Add(file, ErrorLine(err), "invalid YAML: %s", CleanError(err))
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		probs.Add(file, 1, "file is empty")
		return nil
	}
	return doc.Content[0]
}

var lineRe = regexp.MustCompile(`line (\d+)`)

// ErrorLine extracts the line number a yaml error mentions (1 when it names none).
func ErrorLine(err error) int {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		n := 0
		for _, c := range m[1] {
			n = n*10 + int(c-'0')
		}
		return n
	}
	return 1
}

// CleanError drops the "yaml: " prefix and the "line N: " part already shown as file:line.
func CleanError(err error) string {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = lineRe.ReplaceAllString(msg, "")
	msg = strings.TrimPrefix(strings.TrimSpace(msg), ": ")
	return strings.TrimSpace(msg)
}

// Fields maps the keys of a mapping node to their value nodes and reports keys that are not
// in known (typos) and keys given twice.
func Fields(file string, n *yaml.Node, known []string, probs *diag.List) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n == nil {
		return out
	}
	if n.Kind != yaml.MappingNode {
		probs.Add(file, n.Line, "expected a mapping of keys to values")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := out[k.Value]; dup {
			probs.Add(file, k.Line, "key %q given twice", k.Value)
			continue
		}
		if !contains(known, k.Value) {
			probs.Add(file, k.Line, "unknown key %q (known: %s)", k.Value, strings.Join(known, ", "))
			continue
		}
		out[k.Value] = v
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// String returns a scalar's value, reporting a problem when the field is required and
// missing or empty, or when it is not a scalar.
func String(file string, fields map[string]*yaml.Node, key string, required bool, parent *yaml.Node, probs *diag.List) string {
	v, ok := fields[key]
	if !ok {
		if required {
			probs.Add(file, parent.Line, "missing required field %q", key)
		}
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		probs.Add(file, v.Line, "%q must be a single value", key)
		return ""
	}
	s := strings.TrimSpace(v.Value)
	if s == "" && required {
		probs.Add(file, v.Line, "%q is empty", key)
	}
	return s
}

// Int decodes an integer field.
func Int(file string, fields map[string]*yaml.Node, key string, required bool, parent *yaml.Node, probs *diag.List) int {
	v, ok := fields[key]
	if !ok {
		if required {
			probs.Add(file, parent.Line, "missing required field %q", key)
		}
		return 0
	}
	var n int
	if err := v.Decode(&n); err != nil || n < 0 {
		probs.Add(file, v.Line, "%q must be a whole number ≥ 0", key)
	}
	return n
}

// Strings decodes a list of strings.
func Strings(file string, fields map[string]*yaml.Node, key string, probs *diag.List) []string {
	v, ok := fields[key]
	if !ok {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		probs.Add(file, v.Line, "%q must be a list", key)
		return nil
	}
	var out []string
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			probs.Add(file, item.Line, "items of %q must be text", key)
			continue
		}
		out = append(out, strings.TrimSpace(item.Value))
	}
	return out
}

// Seq returns the items of a list field, reporting a problem when it is not a list.
func Seq(file string, fields map[string]*yaml.Node, key string, probs *diag.List) []*yaml.Node {
	v, ok := fields[key]
	if !ok {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		probs.Add(file, v.Line, "%q must be a list", key)
		return nil
	}
	return v.Content
}

var idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ValidID reports whether s is a well-formed course id.
func ValidID(s string) bool { return idRe.MatchString(s) }
