package tui

import (
	"fmt"
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles holds every style the screens use, built once per background (dark or light) and
// theme, so View never builds styles.
type Styles struct {
	IsDark bool
	Theme  Theme

	App       lipgloss.Style
	Header    lipgloss.Style
	Brand     lipgloss.Style
	Crumb     lipgloss.Style
	Footer    lipgloss.Style
	Title     lipgloss.Style
	Subtitle  lipgloss.Style
	Muted     lipgloss.Style
	Text      lipgloss.Style
	Selected  lipgloss.Style
	Cursor    lipgloss.Style
	Accent    lipgloss.Style
	Good      lipgloss.Style
	Bad       lipgloss.Style
	Warn      lipgloss.Style
	Badge     lipgloss.Style
	BarFull   lipgloss.Style
	BarEmpty  lipgloss.Style
	HelpBox   lipgloss.Style
	HelpKey   lipgloss.Style
	HelpDesc  lipgloss.Style
	ErrorBox  lipgloss.Style
	Status    lipgloss.Style
	Box       lipgloss.Style
	SoonLabel lipgloss.Style

	// GlamourStyle names the glamour style lessons render with.
	GlamourStyle string
}

// Theme names a colour scheme.
type Theme string

// Themes. "auto" follows the terminal's background; the others fix it or change the palette.
const (
	ThemeAuto          Theme = "auto"
	ThemeDark          Theme = "dark"
	ThemeLight         Theme = "light"
	ThemeHighContrast  Theme = "high-contrast"
	ThemeColorblind    Theme = "colorblind"
	defaultThemeDetail       = "auto follows the terminal; dark, light; high-contrast; colorblind (blue/orange, never red/green)"
)

// Themes lists the valid theme names.
func Themes() []Theme {
	return []Theme{ThemeAuto, ThemeDark, ThemeLight, ThemeHighContrast, ThemeColorblind}
}

// ParseTheme checks a theme name ("" means auto).
func ParseTheme(s string) (Theme, error) {
	if s == "" {
		return ThemeAuto, nil
	}
	for _, t := range Themes() {
		if string(t) == s {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown theme %q (%s)", s, defaultThemeDetail)
}

// palette is the set of colours a theme draws with.
type palette struct {
	fg, muted, accent, good, bad, warn, selBg, barEmpty color.Color
}

func paletteFor(theme Theme, isDark bool) palette {
	ld := lipgloss.LightDark(isDark)
	switch theme {
	case ThemeHighContrast:
		return palette{
			fg:       ld(lipgloss.Color("#000000"), lipgloss.Color("#FFFFFF")),
			muted:    ld(lipgloss.Color("#000000"), lipgloss.Color("#FFFFFF")),
			accent:   ld(lipgloss.Color("#0000CC"), lipgloss.Color("#FFFF00")),
			good:     ld(lipgloss.Color("#005500"), lipgloss.Color("#00FF00")),
			bad:      ld(lipgloss.Color("#AA0000"), lipgloss.Color("#FF5555")),
			warn:     ld(lipgloss.Color("#000000"), lipgloss.Color("#FFFF00")),
			selBg:    ld(lipgloss.Color("#FFFF00"), lipgloss.Color("#0000AA")),
			barEmpty: ld(lipgloss.Color("#555555"), lipgloss.Color("#AAAAAA")),
		}
	case ThemeColorblind:
		// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
		return palette{
			fg:       ld(lipgloss.Color("#1F2328"), lipgloss.Color("#E6EDF3")),
			muted:    ld(lipgloss.Color("#59636E"), lipgloss.Color("#8B949E")),
			accent:   ld(lipgloss.Color("#0072B2"), lipgloss.Color("#56B4E9")),
			good:     ld(lipgloss.Color("#0072B2"), lipgloss.Color("#56B4E9")),
			bad:      ld(lipgloss.Color("#D55E00"), lipgloss.Color("#E69F00")),
			warn:     ld(lipgloss.Color("#CC79A7"), lipgloss.Color("#F0E442")),
			selBg:    ld(lipgloss.Color("#DCEBF7"), lipgloss.Color("#1B3A52")),
			barEmpty: ld(lipgloss.Color("#D0D7DE"), lipgloss.Color("#30363D")),
		}
	}
	return palette{
		fg:       ld(lipgloss.Color("#1F2328"), lipgloss.Color("#E6EDF3")),
		muted:    ld(lipgloss.Color("#59636E"), lipgloss.Color("#8B949E")),
		accent:   ld(lipgloss.Color("#8250DF"), lipgloss.Color("#C297FF")),
		good:     ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#3FB950")),
		bad:      ld(lipgloss.Color("#CF222E"), lipgloss.Color("#FF7B72")),
		warn:     ld(lipgloss.Color("#9A6700"), lipgloss.Color("#D29922")),
		selBg:    ld(lipgloss.Color("#EDE4FF"), lipgloss.Color("#2D2542")),
		barEmpty: ld(lipgloss.Color("#D0D7DE"), lipgloss.Color("#30363D")),
	}
}

// NewStyles builds the default theme's styles for a dark or light background.
func NewStyles(isDark bool) *Styles { return NewThemeStyles(ThemeAuto, isDark) }

// NewThemeStyles builds a theme's styles. State is never shown by colour alone: screens pair
// every colour with a symbol or a word (✓ ✗ ▸ ○ ◐), and the selected row is also bold.
func NewThemeStyles(theme Theme, isDark bool) *Styles {
	p := paletteFor(theme, isDark)
	s := &Styles{IsDark: isDark, Theme: theme}
	// root.go's composeFrame draws this padding itself (one space each side): change both.
	s.App = lipgloss.NewStyle().Padding(0, 1)
	s.Header = lipgloss.NewStyle().Foreground(p.muted)
	s.Brand = lipgloss.NewStyle().Bold(true).Foreground(p.accent)
	s.Crumb = lipgloss.NewStyle().Foreground(p.muted)
	s.Footer = lipgloss.NewStyle().Foreground(p.muted)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(p.fg)
	s.Subtitle = lipgloss.NewStyle().Foreground(p.accent).Bold(true)
	s.Muted = lipgloss.NewStyle().Foreground(p.muted)
	s.Text = lipgloss.NewStyle().Foreground(p.fg)
	s.Selected = lipgloss.NewStyle().Foreground(p.fg).Background(p.selBg).Bold(true)
	s.Cursor = lipgloss.NewStyle().Foreground(p.accent).Bold(true)
	s.Accent = lipgloss.NewStyle().Foreground(p.accent)
	s.Good = lipgloss.NewStyle().Foreground(p.good).Bold(theme == ThemeHighContrast)
	s.Bad = lipgloss.NewStyle().Foreground(p.bad).Bold(theme == ThemeHighContrast)
	s.Warn = lipgloss.NewStyle().Foreground(p.warn)
	s.Badge = lipgloss.NewStyle().Foreground(p.accent).Bold(true)
	s.BarFull = lipgloss.NewStyle().Foreground(p.accent)
	s.BarEmpty = lipgloss.NewStyle().Foreground(p.barEmpty)
	s.HelpBox = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.accent).Padding(1, 2)
	s.HelpKey = lipgloss.NewStyle().Foreground(p.accent).Bold(true)
	s.HelpDesc = lipgloss.NewStyle().Foreground(p.fg)
	s.ErrorBox = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.bad).Padding(0, 1)
	s.Status = lipgloss.NewStyle().Foreground(p.warn)
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.barEmpty).Padding(0, 1)
	s.SoonLabel = lipgloss.NewStyle().Foreground(p.muted).Italic(true)
	s.GlamourStyle = "light"
	if isDark {
		s.GlamourStyle = "dark"
	}
	return s
}
