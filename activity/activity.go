// Package activity turns timestamps into the calendar facts a learner sees: which days they
// were active, their current and best daily streak, a contribution-graph heatmap of the last
// weeks, and a ratio per week (quiz accuracy over time).
//
// Days are calendar days in a time zone the caller chooses (the learner's local zone in the
// app), so an answer at 23:30 counts for the day the learner saw on their clock. The package
// is pure Go: no I/O, no package-level mutable state; every function takes "today" so tests
// and renderers agree on one clock.
package activity

import (
	"slices"
	"time"
)

// Day is a calendar day, counted from 1970-01-01 (day 0) in the proleptic Gregorian
// calendar. Consecutive days differ by one whatever the time zone's daylight-saving rules.
type Day int32

// DayOf returns the calendar day of t in t's own location.
func DayOf(t time.Time) Day {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// On returns the calendar day of t in loc (time.Local when loc is nil).
func On(t time.Time, loc *time.Location) Day {
	if loc == nil {
		loc = time.Local
	}
	return DayOf(t.In(loc))
}

// Date returns the day of a calendar date; out-of-range values normalise as in time.Date.
func Date(year int, month time.Month, day int) Day {
	return Day(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d Day) utc() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Date returns the year, month and day of d.
func (d Day) Date() (year int, month time.Month, day int) { return d.utc().Date() }

// Weekday is the day of the week of d.
func (d Day) Weekday() time.Weekday { return d.utc().Weekday() }

// Time is midnight at the start of d in loc.
func (d Day) Time(loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// String formats d as 2006-01-02.
func (d Day) String() string { return d.utc().Format(time.DateOnly) }

// Format formats d with a time layout (only date elements make sense).
func (d Day) Format(layout string) string { return d.utc().Format(layout) }

// WeekStart is the Monday on or before d (weeks run Monday to Sunday, as ISO 8601 has them).
func (d Day) WeekStart() Day { return d - Day((int(d.Weekday())+6)%7) }

// Counts is the number of events per active day.
type Counts map[Day]int

// Count tallies times by their calendar day in loc.
func Count(times []time.Time, loc *time.Location) Counts {
	c := Counts{}
	for _, t := range times {
		c[On(t, loc)]++
	}
	return c
}

// Streak summarises daily activity up to today.
type Streak struct {
	// Current is the number of consecutive active days that end today, or end yesterday
	// when today has no activity yet: a streak stays alive until a whole day is missed.
	Current int `json:"current"`
	// Best is the longest run of consecutive active days ever (at least Current).
	Best int `json:"best"`
	// ActiveToday says whether today already counts.
	ActiveToday bool `json:"active_today"`
	// ActiveDays is the number of distinct active days.
	ActiveDays int `json:"active_days"`
	// Last is the most recent active day; valid only when ActiveDays > 0.
	Last Day `json:"-"`
}

// Streaks computes the current and best streak as of today. Days after today (a clock that
// was wrong, or events merged from a machine in another zone) are ignored.
func Streaks(c Counts, today Day) Streak {
	var s Streak
	days := make([]Day, 0, len(c))
	for d, n := range c {
		if n > 0 && d <= today {
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		return s
	}
	slices.Sort(days)
	s.ActiveDays = len(days)
	s.Last = days[len(days)-1]
	run := 0
	for i, d := range days {
		if i > 0 && d == days[i-1]+1 {
			run++
		} else {
			run = 1
		}
		s.Best = max(s.Best, run)
	}
	// run is now the length of the run ending at the last active day.
	s.ActiveToday = s.Last == today
	if s.Last == today || s.Last == today-1 {
		s.Current = run
	}
	return s
}

// Levels is the number of intensity levels above zero in a heatmap.
const Levels = 4

// Glyphs draws levels 0..4 by density, so a heatmap reads without colour.
var glyphs = [Levels + 1]string{"·", "░", "▒", "▓", "█"}

// Glyph returns the density glyph of a level (0..4): · ░ ▒ ▓ █.
func Glyph(level int) string { return glyphs[min(max(level, 0), Levels)] }

// Level maps a day's count to 0..4 relative to the busiest day: 0 only for no activity,
// 4 for the busiest day, and the quarters of the range in between.
func Level(count, busiest int) int {
	if count <= 0 || busiest <= 0 {
		return 0
	}
	l := (count*Levels + busiest - 1) / busiest // ceil(4·count/busiest)
	return min(max(l, 1), Levels)
}

// Cell is one day of a heatmap.
type Cell struct {
	Day    Day
	Count  int
	Level  int
	Future bool // after today: drawn blank
}

// Grid is a contribution-graph heatmap: one column per week, Monday to Sunday, oldest week
// first; the last column holds today.
type Grid struct {
	Weeks      [][7]Cell
	Busiest    int // the largest count in the grid
	Total      int // events in the grid
	ActiveDays int // days with at least one event
}

// Heatmap lays the last weeks (at least 1) of counts out as a grid ending with today's week.
func Heatmap(c Counts, today Day, weeks int) Grid {
	weeks = max(weeks, 1)
	start := today.WeekStart() - Day(7*(weeks-1))
	g := Grid{Weeks: make([][7]Cell, weeks)}
	for w := range weeks {
		for i := range 7 {
			d := start + Day(7*w+i)
			cell := Cell{Day: d, Future: d > today}
			if !cell.Future {
				cell.Count = c[d]
			}
			if cell.Count > 0 {
				g.Total += cell.Count
				g.ActiveDays++
				g.Busiest = max(g.Busiest, cell.Count)
			}
			g.Weeks[w][i] = cell
		}
	}
	for w := range g.Weeks {
		for i := range 7 {
			g.Weeks[w][i].Level = Level(g.Weeks[w][i].Count, g.Busiest)
		}
	}
	return g
}

// Start is the first day of the grid.
func (g Grid) Start() Day {
	if len(g.Weeks) == 0 {
		return 0
	}
	return g.Weeks[0][0].Day
}

// Sample is one graded event, such as a quiz answer.
type Sample struct {
	At time.Time
	OK bool
}

// Week is the tally of samples in one Monday-to-Sunday week.
type Week struct {
	Start   Day
	Total   int
	Correct int
}

// Ratio is Correct/Total, 0 for an empty week.
func (w Week) Ratio() float64 {
	if w.Total == 0 {
		return 0
	}
	return float64(w.Correct) / float64(w.Total)
}

// Weekly tallies samples into the last weeks (at least 1) ending with today's week, oldest
// first. Samples outside those weeks are left out.
func Weekly(samples []Sample, loc *time.Location, today Day, weeks int) []Week {
	weeks = max(weeks, 1)
	first := today.WeekStart() - Day(7*(weeks-1))
	out := make([]Week, weeks)
	for i := range out {
		out[i].Start = first + Day(7*i)
	}
	for _, s := range samples {
		d := On(s.At, loc)
		if d < first || d > today {
			continue
		}
		i := int(d-first) / 7
		out[i].Total++
		if s.OK {
			out[i].Correct++
		}
	}
	return out
}

// sparks are eight bar heights for one-line charts.
var sparks = []rune("▁▂▃▄▅▆▇█")

// Spark returns a one-cell bar for a fraction 0..1.
func Spark(f float64) string {
	f = min(max(f, 0), 1)
	return string(sparks[int(f*float64(len(sparks)-1)+0.5)])
}
