package exercises

import (
	"fmt"
	"strings"
)

// empty reports whether no assertion is set.
func (t *TextExpect) empty() bool {
	return t == nil || (len(t.Contains) == 0 && len(t.NotContains) == 0 && len(t.Matches) == 0 &&
		len(t.NotMatches) == 0 && len(t.InOrder) == 0 && t.Equals == nil)
}

// evalText returns "" when every assertion holds, else a learner-facing reason about where
// ("stdout", "`report.txt`").
func evalText(t *TextExpect, text, where string) string {
	if t == nil {
		return ""
	}
	for _, s := range t.Contains {
		if !strings.Contains(text, s) {
			return fmt.Sprintf("%s does not contain %q", where, s)
		}
	}
	for _, s := range t.NotContains {
		if strings.Contains(text, s) {
			return fmt.Sprintf("%s contains %q, which it should not", where, s)
		}
	}
	for _, re := range t.Matches {
		if !re.MatchString(text) {
			return fmt.Sprintf("%s does not match /%s/", where, re)
		}
	}
	for _, re := range t.NotMatches {
		if m := re.FindString(text); re.MatchString(text) {
			return fmt.Sprintf("%s matches /%s/ (%q), which it should not", where, re, shorten(m, 60))
		}
	}
	if len(t.InOrder) > 0 {
		if msg := inOrder(t.InOrder, text); msg != "" {
			return fmt.Sprintf("%s: %s", where, msg)
		}
	}
	if t.Equals != nil && strings.TrimSpace(text) != strings.TrimSpace(*t.Equals) {
		return fmt.Sprintf("%s is %q, expected %q", where, shorten(strings.TrimSpace(text), 80), shorten(strings.TrimSpace(*t.Equals), 80))
	}
	return ""
}
