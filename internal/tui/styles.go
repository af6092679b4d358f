package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles holds every style the screens use, built once per background (dark or light) and
// theme, so View never builds styles.
type Styles struct {
	IsDark bool

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

// NewStyles builds the styles for a dark or light background.
func NewStyles(isDark bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		fg      = ld(lipgloss.Color("#1F2328"), lipgloss.Color("#E6EDF3"))
		muted   = ld(lipgloss.Color("#59636E"), lipgloss.Color("#8B949E"))
		accent  = ld(lipgloss.Color("#8250DF"), lipgloss.Color("#C297FF"))
		good    = ld(lipgloss.Color("#1A7F37"), lipgloss.Color("#3FB950"))
		bad     = ld(lipgloss.Color("#CF222E"), lipgloss.Color("#FF7B72"))
		warn    = ld(lipgloss.Color("#9A6700"), lipgloss.Color("#D29922"))
		selBg   = ld(lipgloss.Color("#EDE4FF"), lipgloss.Color("#2D2542"))
		barFull = accent
		barNone = ld(lipgloss.Color("#D0D7DE"), lipgloss.Color("#30363D"))
	)
	s := &Styles{IsDark: isDark}
	s.App = lipgloss.NewStyle().Padding(0, 1)
	s.Header = lipgloss.NewStyle().Foreground(muted)
	s.Brand = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Crumb = lipgloss.NewStyle().Foreground(muted)
	s.Footer = lipgloss.NewStyle().Foreground(muted)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(fg)
	s.Subtitle = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Text = lipgloss.NewStyle().Foreground(fg)
	s.Selected = lipgloss.NewStyle().Foreground(fg).Background(selBg).Bold(true)
	s.Cursor = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Accent = lipgloss.NewStyle().Foreground(accent)
	s.Good = lipgloss.NewStyle().Foreground(good)
	s.Bad = lipgloss.NewStyle().Foreground(bad)
	s.Warn = lipgloss.NewStyle().Foreground(warn)
	s.Badge = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.BarFull = lipgloss.NewStyle().Foreground(barFull)
	s.BarEmpty = lipgloss.NewStyle().Foreground(barNone)
	s.HelpBox = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(1, 2)
	s.HelpKey = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.HelpDesc = lipgloss.NewStyle().Foreground(fg)
	s.ErrorBox = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(bad).Padding(0, 1)
	s.Status = lipgloss.NewStyle().Foreground(warn)
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(barNone).Padding(0, 1)
	s.SoonLabel = lipgloss.NewStyle().Foreground(muted).Italic(true)
	s.GlamourStyle = "light"
	if isDark {
		s.GlamourStyle = "dark"
	}
	return s
}

// colorOf is a small helper for tests that inspect a style's colour.
func colorOf(s lipgloss.Style) color.Color { return s.GetForeground() }
