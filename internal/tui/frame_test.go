package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// composeFrame must give exactly what the lipgloss layout gives, whenever it takes a frame.
func TestComposeFrameMatchesLipgloss(t *testing.T) {
	st := NewStyles(true)
	styled := st.Title.Render("Title") + " " + st.Muted.Render("muted · text") + " " + st.Accent.Render("▸ 選択")
	cases := []struct {
		name                 string
		header, body, footer string
		width, bodyH         int
	}{
		{"plain", "kaizen · Home", "one\ntwo\nthree", "q quit", 40, 6},
		{"styled", styled, styled + "\n\n" + strings.Repeat("█", 30), st.HelpKey.Render("q") + " quit", 50, 4},
		{"body taller than the screen", "h", strings.Repeat("line\n", 20), "f", 30, 5},
		{"empty body", "h", "", "f", 20, 3},
		{"trailing newline", "h", "a\nb\n", "f", 20, 4},
		{"wide runes and emoji", "h", "日本語のテキスト\n✓ done 🚀", "f", 30, 3},
		{"exactly the width", "h", strings.Repeat("x", 25), "f", 25, 2},
	}
	for _, tc := range cases {
		got, ok := composeFrame(tc.header, tc.body, tc.footer, tc.width, tc.bodyH)
		if !ok {
			t.Fatalf("%s: composeFrame refused a frame that fits", tc.name)
		}
		body := lipgloss.NewStyle().Width(tc.width).Height(tc.bodyH).MaxHeight(tc.bodyH).MaxWidth(tc.width).Render(tc.body)
		want := st.App.Render(lipgloss.JoinVertical(lipgloss.Left, tc.header, body, tc.footer))
		if got != want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, want)
		}
	}
}

func TestComposeFrameLeavesWrappingAndTabsToLipgloss(t *testing.T) {
	for _, body := range []string{strings.Repeat("word ", 20), "make:\n\techo hi"} {
		if _, ok := composeFrame("h", body, "f", 30, 5); ok {
			t.Errorf("composeFrame took %q", body)
		}
	}
}
