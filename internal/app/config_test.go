package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigRoundTripAndValidation(t *testing.T) {
	dir := t.TempDir()
	c, err := LoadConfig(dir)
	if err != nil || c != (Config{}) {
		t.Fatalf("missing file: %+v %v", c, err)
	}
	for _, tc := range []struct{ key, value, err string }{
		{"theme", "colorblind", ""},
		{"theme", "rainbow", "unknown theme"},
		{"accessible", "true", ""},
		{"accessible", "maybe", "true or false"},
		{"reading_width", "72", ""},
		{"reading_width", "10", "outside 40–200"},
		{"colour", "x", "unknown setting"},
	} {
		cc := c
		err := cc.Set(tc.key, tc.value)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("Set(%s, %s) = %v, want %q", tc.key, tc.value, err, tc.err)
		}
		if err == nil {
			c = cc
		}
	}
	if err := SaveConfig(dir, c); err != nil {
		t.Fatal(err)
	}
	back, err := LoadConfig(dir)
	if err != nil || back != (Config{Theme: "colorblind", Accessible: true, ReadingWidth: 72}) {
		t.Fatalf("round trip: %+v %v", back, err)
	}
	os.WriteFile(filepath.Join(dir, ConfigFile), []byte("theme: dark\ncolour: red\n"), 0o644)
	if _, err := LoadConfig(dir); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("a typo must be an error naming the line, got %v", err)
	}
}
