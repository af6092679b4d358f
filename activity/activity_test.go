package activity

import (
	"testing"
	"time"
)

func mustZone(t *testing.T, name string, offsetHours int) *time.Location {
	t.Helper()
	return time.FixedZone(name, offsetHours*3600)
}

func TestDayArithmetic(t *testing.T) {
	d := Date(2026, time.November, 25)
	if got := d.String(); got != "2026-11-25" {
		t.Fatalf("String = %q", got)
	}
	if d.Weekday() != time.Wednesday {
		t.Fatalf("weekday = %v", d.Weekday())
	}
	if ws := d.WeekStart(); ws.String() != "2026-11-23" || ws.Weekday() != time.Monday {
		t.Fatalf("week start = %v", ws)
	}
	if Date(2026, time.December, 1)-Date(2026, time.November, 30) != 1 {
		t.Fatal("month boundary")
	}
	if Date(2024, time.March, 1)-Date(2024, time.February, 28) != 2 {
		t.Fatal("leap day")
	}
	// Across a daylight-saving change the day still advances by one.
	ny, err := time.LoadLocation("America/New_York")
	if err == nil {
		before := On(time.Date(2026, time.March, 8, 0, 30, 0, 0, ny), ny)
		after := On(time.Date(2026, time.March, 9, 0, 30, 0, 0, ny), ny)
		if after-before != 1 {
			t.Fatalf("DST: %v -> %v", before, after)
		}
	}
	if Date(2026, time.November, 25).Time(time.UTC) != time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) {
		t.Fatal("Time")
	}
}

func TestStreaks(t *testing.T) {
	utc := time.UTC
	nyc := mustZone(t, "UTC-5", -5)
	tokyo := mustZone(t, "UTC+9", 9)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	today := Date(2026, time.November, 25)
	cases := []struct {
		name        string
		times       []time.Time
		loc         *time.Location
		today       Day
		current     int
		best        int
		activeToday bool
		activeDays  int
	}{
		{name: "nothing", loc: utc, today: today},
		{name: "today only", times: []time.Time{at(2026, 11, 25, 9, 0)}, loc: utc, today: today, current: 1, best: 1, activeToday: true, activeDays: 1},
		{name: "yesterday keeps the streak alive", times: []time.Time{at(2026, 11, 23, 9, 0), at(2026, 11, 24, 9, 0)}, loc: utc, today: today, current: 2, best: 2, activeDays: 2},
		{name: "a missed day breaks it", times: []time.Time{at(2026, 11, 22, 9, 0), at(2026, 11, 23, 9, 0)}, loc: utc, today: today, current: 0, best: 2, activeDays: 2},
		{name: "gap then today", times: []time.Time{at(2026, 11, 1, 9, 0), at(2026, 11, 2, 9, 0), at(2026, 11, 3, 9, 0), at(2026, 11, 25, 9, 0)}, loc: utc, today: today, current: 1, best: 3, activeToday: true, activeDays: 4},
		{name: "many events one day count once", times: []time.Time{at(2026, 11, 25, 1, 0), at(2026, 11, 25, 2, 0), at(2026, 11, 25, 3, 0)}, loc: utc, today: today, current: 1, best: 1, activeToday: true, activeDays: 1},
		{name: "run through today", times: []time.Time{at(2026, 11, 21, 9, 0), at(2026, 11, 22, 9, 0), at(2026, 11, 23, 9, 0), at(2026, 11, 24, 9, 0), at(2026, 11, 25, 9, 0)}, loc: utc, today: today, current: 5, best: 5, activeToday: true, activeDays: 5},
		// 03:00 UTC on the 25th is 22:00 on the 24th in New York: yesterday there, today in UTC.
		{name: "time zone west: late evening is yesterday", times: []time.Time{at(2026, 11, 25, 3, 0)}, loc: nyc, today: today, current: 1, best: 1, activeToday: false, activeDays: 1},
		{name: "time zone west: two UTC days are one local day", times: []time.Time{at(2026, 11, 24, 20, 0), at(2026, 11, 25, 3, 0)}, loc: nyc, today: today, current: 1, best: 1, activeDays: 1},
		{name: "time zone east: two local days from one UTC day", times: []time.Time{at(2026, 11, 24, 10, 0), at(2026, 11, 24, 16, 0)}, loc: tokyo, today: today, current: 2, best: 2, activeToday: true, activeDays: 2},
		{name: "future days are ignored", times: []time.Time{at(2026, 11, 26, 9, 0), at(2026, 11, 27, 9, 0)}, loc: utc, today: today},
		{name: "month boundary", times: []time.Time{at(2026, 10, 31, 9, 0), at(2026, 11, 1, 9, 0)}, loc: utc, today: Date(2026, time.November, 1), current: 2, best: 2, activeToday: true, activeDays: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Streaks(Count(tc.times, tc.loc), tc.today)
			if s.Current != tc.current || s.Best != tc.best || s.ActiveToday != tc.activeToday || s.ActiveDays != tc.activeDays {
				t.Fatalf("got %+v, want current %d best %d today %v days %d", s, tc.current, tc.best, tc.activeToday, tc.activeDays)
			}
			if s.Best < s.Current {
				t.Fatal("best < current")
			}
		})
	}
}

func TestLevel(t *testing.T) {
	cases := []struct{ count, busiest, want int }{
		{0, 10, 0}, {1, 10, 1}, {3, 10, 2}, {5, 10, 2}, {6, 10, 3}, {8, 10, 4}, {10, 10, 4}, {1, 1, 4}, {5, 0, 0}, {-1, 3, 0},
	}
	for _, tc := range cases {
		if got := Level(tc.count, tc.busiest); got != tc.want {
			t.Errorf("Level(%d, %d) = %d, want %d", tc.count, tc.busiest, got, tc.want)
		}
	}
	if Glyph(0) != "·" || Glyph(4) != "█" || Glyph(9) != "█" || Glyph(-1) != "·" {
		t.Fatal("glyphs")
	}
}

func TestHeatmap(t *testing.T) {
	today := Date(2026, time.November, 25) // a Wednesday
	c := Counts{today: 4, today - 1: 2, today - 8: 1, today - 30: 9, today + 1: 5}
	g := Heatmap(c, today, 2)
	if len(g.Weeks) != 2 {
		t.Fatalf("weeks = %d", len(g.Weeks))
	}
	if g.Start().String() != "2026-11-16" || g.Start().Weekday() != time.Monday {
		t.Fatalf("start = %v", g.Start())
	}
	last := g.Weeks[1]
	if last[2].Day != today || last[2].Count != 4 || last[2].Level != 4 {
		t.Fatalf("today cell = %+v", last[2])
	}
	if !last[3].Future || last[3].Count != 0 {
		t.Fatalf("tomorrow = %+v", last[3])
	}
	if g.Busiest != 4 || g.Total != 7 || g.ActiveDays != 3 {
		t.Fatalf("grid = busiest %d total %d days %d", g.Busiest, g.Total, g.ActiveDays)
	}
	if g.Weeks[0][1].Count != 1 || g.Weeks[0][1].Level != 1 {
		t.Fatalf("a week ago = %+v", g.Weeks[0][1])
	}
}

func TestWeekly(t *testing.T) {
	today := Date(2026, time.November, 25)
	utc := time.UTC
	s := []Sample{
		{At: time.Date(2026, 11, 24, 9, 0, 0, 0, utc), OK: true},
		{At: time.Date(2026, 11, 25, 9, 0, 0, 0, utc), OK: false},
		{At: time.Date(2026, 11, 17, 9, 0, 0, 0, utc), OK: true},
		{At: time.Date(2026, 10, 1, 9, 0, 0, 0, utc), OK: true}, // outside the window
	}
	w := Weekly(s, utc, today, 3)
	if len(w) != 3 || w[2].Start.String() != "2026-11-23" {
		t.Fatalf("weeks = %+v", w)
	}
	if w[2].Total != 2 || w[2].Correct != 1 || w[2].Ratio() != 0.5 {
		t.Fatalf("this week = %+v", w[2])
	}
	if w[1].Total != 1 || w[1].Ratio() != 1 || w[0].Total != 0 || w[0].Ratio() != 0 {
		t.Fatalf("earlier weeks = %+v", w)
	}
	if Spark(0) != "▁" || Spark(1) != "█" || Spark(2) != "█" {
		t.Fatal("spark")
	}
}
