package tui

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// truncate cuts s to width cells, adding an ellipsis.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// wrapText wraps plain text to width cells.
func wrapText(s string, width int) string {
	if width <= 0 {
		return s
	}
	return ansi.Wordwrap(s, width, "")
}

// bar draws a progress bar of width cells for done out of total, with the count after it.
func bar(st *Styles, done, total, width int) string {
	if width < 3 {
		width = 3
	}
	filled := 0
	if total > 0 {
		filled = done * width / total
		if done > 0 && filled == 0 {
			filled = 1
		}
	}
	return st.BarFull.Render(strings.Repeat("█", filled)) + st.BarEmpty.Render(strings.Repeat("░", width-filled))
}

// percent formats a fraction as a whole percentage.
func percent(f float64) string {
	if f < 0 {
		f = 0
	}
	if f > 1 {
		f = 1
	}
	return fmt.Sprintf("%d%%", int(f*100+0.5))
}

// padRight pads s with spaces to width cells.
func padRight(s string, width int) string {
	w := lipgloss.Width(s)
	if w >= width {
		return s
	}
	return s + strings.Repeat(" ", width-w)
}

// listWindow returns the first visible index so that cursor stays in a window of height rows.
func listWindow(cursor, offset, height, n int) int {
	if height <= 0 {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+height {
		offset = cursor - height + 1
	}
	if offset > n-height {
		offset = max(n-height, 0)
	}
	return max(offset, 0)
}

// lipglossWidth is the display width of a styled string.
func lipglossWidth(s string) int { return lipgloss.Width(s) }

// jsonUnmarshal decodes stored JSON (a small indirection to keep imports tidy).
func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// maxListWidth keeps lists readable on wide terminals: a title and its count or status stay
// within one glance instead of sitting 200 columns apart.
const maxListWidth = 110

// listWidth is the width lists are drawn at in a body of width cells.
func listWidth(width int) int { return min(width, maxListWidth) }

// count says "1 prompt" or "3 prompts".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// WarmUp does, ahead of time, the one-off work of painting a first frame, so that Bubble
// Tea's first paint does not pay for it: go-runewidth fills a 2 MiB lookup table on the
// first character above U+02FF (kaizen's frames have ▸, █ and ·), and drawing a styled
// frame into cells and diffing it into escape codes runs code for the first time. It
// draws a sample frame of width×height into a renderer that writes nowhere. Run it in a
// goroutine while waiting for the first frame; measured in docs/PERFORMANCE.md.
func WarmUp(width, height int) {
	ansi.StringWidthWc("▸")
	if width <= 0 || height <= 0 {
		return
	}
	st := NewStyles(true)
	var b strings.Builder
	for y := 0; y < height; y++ {
		b.WriteString(st.Title.Render("kaizen") + " " + st.Accent.Render("▸ Chapter") + " " + st.Muted.Render("█████░░░ · 3/5"))
		if y < height-1 {
			b.WriteString("\n")
		}
	}
	buf := uv.NewScreenBuffer(width, height)
	uv.NewStyledString(b.String()).Draw(buf, buf.Bounds())
	r := uv.NewTerminalRenderer(io.Discard, []string{"TERM=xterm-256color"})
	r.SetColorProfile(colorprofile.ANSI256) // writing nowhere, it would detect no colours
	r.SetFullscreen(true)
	r.Resize(width, height)
	r.Render(buf.RenderBuffer)
	_ = r.Flush()
}
