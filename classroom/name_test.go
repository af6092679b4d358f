package classroom

import (
	"strings"
	"testing"
)

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{" Ada  Lovelace ", "Ada Lovelace", ""},
		{"   ", "", "please type"},
		{strings.Repeat("x", MaxNameLen+1), "", "too long"},
		{strings.Repeat("é", MaxNameLen), strings.Repeat("é", MaxNameLen), ""},
		{"Ada\x1b[31m", "", "letters"},
		{"Zoë O'Neil-Smith", "Zoë O'Neil-Smith", ""},
	}
	for _, tc := range tests {
		got, err := CleanName(tc.in)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("CleanName(%q) = %q, %v; want %q, %q", tc.in, got, err, tc.want, tc.err)
		}
	}
}
