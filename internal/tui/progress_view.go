package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/kaizen-mlops/kaizen/activity"
	"github.com/kaizen-mlops/kaizen/portfolio"
)

// View draws the current tab.
func (p *Progress) View() string {
	st := p.c.Styles
	if p.model == nil {
		if p.err != nil {
			return st.Bad.Render(wrapText("Progress could not be loaded: "+p.err.Error(), p.width))
		}
		return st.Muted.Render("Loading progress…")
	}
	var lines []string
	switch {
	case p.form != nil:
		lines = p.formLines()
	case p.tab == tabLinks:
		lines = p.linksLines()
	default:
		lines = p.overviewLines()
		off := min(max(p.offset, 0), max(len(lines)-p.height, 0))
		end := min(off+p.height, len(lines))
		more := len(lines) - end
		lines = lines[off:end]
		if more > 0 && len(lines) > 1 {
			lines[len(lines)-1] = st.Muted.Render(fmt.Sprintf("↓ %d more lines (j, space)", more))
		}
	}
	for i, l := range lines {
		lines[i] = truncate(l, p.width)
	}
	return strings.Join(lines, "\n")
}

// overviewLines is the whole overview, to be windowed by the scroll offset.
func (p *Progress) overviewLines() []string {
	st, m, w := p.c.Styles, p.model, p.width
	lines := wrapParts(p.summaryParts(), w, st.Muted.Render(" · "))
	lines = append(lines, "")

	// The heatmap and the weekly accuracy sit side by side when there is room.
	const gap, accW = 4, 30
	side := w >= 64
	heatAvail := w
	if side {
		heatAvail = w - gap - accW
	}
	cellW := 2
	weeks := min((heatAvail-4)/cellW, 52)
	if weeks < 10 {
		cellW, weeks = 1, min(heatAvail-4, 52)
	}
	weeks = max(weeks, 1)
	heat := heatmapLines(st, m.Heatmap(weeks), cellW)
	acc := accuracyLines(st, m, min(accW, w))
	if side {
		heatW := 4 + weeks*cellW
		for i := range max(len(heat), len(acc)) {
			var l, r string
			if i < len(heat) {
				l = heat[i]
			}
			if i < len(acc) {
				r = acc[i]
			}
			lines = append(lines, padRight(l, heatW)+strings.Repeat(" ", gap)+r)
		}
	} else {
		lines = append(lines, heat...)
		lines = append(lines, "")
		lines = append(lines, acc...)
	}
	lines = append(lines, "")
	lines = append(lines, chapterTable(st, m, w)...)
	lines = append(lines, "")
	hint := "tab: attach repository and video links · w: write your portfolio (README.md, index.html) to ./" + portfolio.DefaultDir
	if p.c.ClassMode {
		hint = "tab: attach repository and video links · on your own machine, kaizen portfolio writes README.md and index.html"
	}
	for _, l := range strings.Split(wrapText(hint, w), "\n") {
		lines = append(lines, st.Muted.Render(l))
	}
	return lines
}

// summaryParts are the headline facts: streak, totals, reviews.
func (p *Progress) summaryParts() []string {
	st, m := p.c.Styles, p.model
	s := m.Streak()
	t := m.Totals()
	var parts []string
	switch {
	case s.ActiveDays == 0:
		parts = append(parts, st.Text.Render("No activity yet: read a lesson to start a streak"))
	case s.Current == 0:
		parts = append(parts, st.Text.Render("No streak right now")+st.Muted.Render(fmt.Sprintf(" (best %s)", dayCount(s.Best))), st.Muted.Render("learn today to start one"))
	default:
		head := st.Title.Render("Streak "+dayCount(s.Current)) + st.Muted.Render(fmt.Sprintf(" (best %s)", dayCount(s.Best)))
		parts = append(parts, head)
		if s.ActiveToday {
			parts = append(parts, st.Good.Render("✓ today done"))
		} else {
			parts = append(parts, st.Warn.Render("keep it going today"))
		}
	}
	if m.DueCards > 0 {
		parts = append(parts, st.Warn.Render(fmt.Sprintf("%d review %s due", m.DueCards, pluralWord(m.DueCards, "card", "cards"))))
	} else if m.Cards > 0 {
		parts = append(parts, st.Muted.Render("no reviews due"))
	}
	if p.height < 16 {
		return parts // short terminals: the table's Total row has the rest
	}
	kv := func(k, v string) string { return st.Muted.Render(k+" ") + st.Text.Render(v) }
	parts = append(parts, kv("Lessons", fmt.Sprintf("%d/%d", t.LessonsDone, t.Lessons)))
	if t.Answered > 0 {
		parts = append(parts, kv("Quiz", fmt.Sprintf("%s of %d", percent(float64(t.Correct)/float64(t.Answered)), t.Answered)))
	}
	if t.Exercises > 0 {
		parts = append(parts, kv("Exercises", fmt.Sprintf("%d/%d", t.ExercisesPassed, t.Exercises)))
	}
	if t.Prompts > 0 {
		parts = append(parts, kv("Discussion", fmt.Sprintf("%d/%d", t.PromptsAnswered, t.Prompts)))
	}
	parts = append(parts, kv("Reading", portfolio.Duration(t.Seconds)))
	return parts
}

func dayCount(n int) string { return fmt.Sprintf("%d %s", n, pluralWord(n, "day", "days")) }

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// wrapParts joins parts with sep into as few lines of width as fit; a part longer than the
// width gets a line of its own (and is truncated when drawn).
func wrapParts(parts []string, width int, sep string) []string {
	var lines []string
	cur := ""
	for _, part := range parts {
		if cur == "" {
			cur = part
			continue
		}
		if cand := cur + sep + part; lipgloss.Width(cand) <= width {
			cur = cand
			continue
		}
		lines = append(lines, cur)
		cur = part
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// heatmapLines draws the contribution graph: a title, month names, one row per weekday
// (Monday first) with one cell per week, and a legend. Density glyphs (· ░ ▒ ▓ █) carry the
// level, so it reads without colour.
func heatmapLines(st *Styles, g activity.Grid, cellW int) []string {
	weeks := len(g.Weeks)
	lines := []string{st.Subtitle.Render("Activity") + st.Muted.Render(fmt.Sprintf(" · last %d weeks", weeks))}
	months := []rune(strings.Repeat(" ", weeks*cellW))
	next := 0
	for w, week := range g.Weeks {
		_, m, _ := week[0].Day.Date()
		_, pm, _ := (week[0].Day - 7).Date()
		pos := w * cellW
		if (w == 0 || m != pm) && pos >= next && pos+3 <= len(months) {
			if w == 0 && weeks > 1 {
				// Only label the first column when its month lasts a while.
				if _, m2, _ := g.Weeks[min(2, weeks-1)][0].Day.Date(); m2 != m {
					continue
				}
			}
			copy(months[pos:], []rune(m.String()[:3]))
			next = pos + 4
		}
	}
	lines = append(lines, "    "+st.Muted.Render(strings.TrimRight(string(months), " ")))
	labels := [7]string{"Mon", "", "Wed", "", "Fri", "", "Sun"}
	for d := range 7 {
		var b strings.Builder
		b.WriteString(st.Muted.Render(fmt.Sprintf("%-3s ", labels[d])))
		for w := range weeks {
			c := g.Weeks[w][d]
			switch {
			case c.Future:
				b.WriteString(" ")
			case c.Level == 0:
				b.WriteString(st.BarEmpty.Render(activity.Glyph(0)))
			default:
				b.WriteString(st.BarFull.Render(activity.Glyph(c.Level)))
			}
			if cellW == 2 && w < weeks-1 {
				b.WriteString(" ")
			}
		}
		lines = append(lines, b.String())
	}
	var legend strings.Builder
	legend.WriteString(st.Muted.Render("less "))
	for l := 0; l <= activity.Levels; l++ {
		s := st.BarFull
		if l == 0 {
			s = st.BarEmpty
		}
		legend.WriteString(s.Render(activity.Glyph(l)))
	}
	legend.WriteString(st.Muted.Render(fmt.Sprintf(" more · %d %s on %s", g.Total, pluralWord(g.Total, "event", "events"), dayCount(g.ActiveDays))))
	lines = append(lines, "    "+legend.String())
	return lines
}

// accuracyLines draws quiz accuracy for the last eight weeks, one bar per week with its
// percentage and count.
func accuracyLines(st *Styles, m *portfolio.Model, width int) []string {
	lines := []string{st.Subtitle.Render("Quiz accuracy") + st.Muted.Render(" · by week")}
	if len(m.Answers) == 0 {
		return append(lines, st.Muted.Render("No quiz answers yet."))
	}
	barW := min(max(width-19, 4), 10)
	for _, wk := range m.Weekly(8) {
		label := st.Muted.Render(fmt.Sprintf("%-6s ", wk.Start.Format("Jan 2")))
		if wk.Total == 0 {
			lines = append(lines, label+strings.Repeat(" ", barW)+st.Muted.Render("    –"))
			continue
		}
		lines = append(lines, label+bar(st, wk.Correct, wk.Total, barW)+st.Text.Render(fmt.Sprintf(" %4s", percent(wk.Ratio())))+st.Muted.Render(fmt.Sprintf(" of %d", wk.Total)))
	}
	return lines
}

// tableCol is one column of the chapter table.
type tableCol struct {
	head  string
	width int
	cell  func(c portfolio.Chapter) string
	total string
}

// chapterTable draws one row per chapter: lessons, quiz accuracy, exercises, discussion
// (each a bar and a number when there is room) and reading time; narrow terminals drop the
// bars, then the later columns.
func chapterTable(st *Styles, m *portfolio.Model, width int) []string {
	t := m.Totals()
	bars := width >= 76
	const fixedNoBars = 3 + 2*5 + 7 + 5 + 4 + 5 + 5 // number, gaps, time and the numbers
	bw := 0
	if bars {
		bw = min(max((width-fixedNoBars-4-34)/4, 3), 10)
	}
	meter := func(done, total, numW int, text string) string {
		if total == 0 {
			return strings.Repeat(" ", bw+boolInt(bars)) + st.Muted.Render(fmt.Sprintf("%*s", numW, "–"))
		}
		out := ""
		if bars {
			out = bar(st, done, total, bw) + " "
		}
		return out + st.Text.Render(fmt.Sprintf("%*s", numW, text))
	}
	count := func(done, total int) string { return fmt.Sprintf("%d/%d", done, total) }
	cols := []tableCol{
		{head: "Lessons", width: 5, cell: func(c portfolio.Chapter) string {
			return meter(c.LessonsDone, c.Lessons, 5, count(c.LessonsDone, c.Lessons))
		}, total: count(t.LessonsDone, t.Lessons)},
		{head: "Quiz", width: 4, cell: func(c portfolio.Chapter) string {
			acc, ok := c.Accuracy()
			if !ok {
				return strings.Repeat(" ", bw+boolInt(bars)) + st.Muted.Render(fmt.Sprintf("%4s", "–"))
			}
			return meter(c.Correct, c.Answered, 4, percent(acc))
		}},
		{head: "Exercises", width: 5, cell: func(c portfolio.Chapter) string {
			return meter(c.ExercisesPassed, c.Exercises, 5, count(c.ExercisesPassed, c.Exercises))
		}, total: count(t.ExercisesPassed, t.Exercises)},
		{head: "Discussion", width: 5, cell: func(c portfolio.Chapter) string {
			return meter(c.PromptsAnswered, c.Prompts, 5, count(c.PromptsAnswered, c.Prompts))
		}, total: count(t.PromptsAnswered, t.Prompts)},
		{head: "Time", width: 7, cell: func(c portfolio.Chapter) string {
			return st.Text.Render(fmt.Sprintf("%7s", portfolio.Duration(c.Seconds)))
		}, total: portfolio.Duration(t.Seconds)},
	}
	if t.Answered > 0 {
		cols[1].total = percent(float64(t.Correct) / float64(t.Answered))
	}
	switch {
	case width < 46:
		cols = cols[:2] // lessons, quiz
	case width < 58:
		cols = cols[:3] // and exercises
	case width < 66:
		cols = cols[:4] // and discussion; reading time is in the summary
	}
	fixed := 3
	for i := range cols {
		if bars && cols[i].head != "Time" {
			cols[i].width += bw + 1
		}
		cols[i].width = max(cols[i].width, lipgloss.Width(cols[i].head))
		fixed += 2 + cols[i].width
	}
	titleW := min(max(width-fixed, 8), 48)
	cell := func(s string, w int) string {
		pad := w - lipgloss.Width(s)
		return strings.Repeat(" ", max(pad, 0)) + s
	}
	var head strings.Builder
	head.WriteString(st.Muted.Render(padRight("   Chapter", 3+titleW)))
	for _, c := range cols {
		head.WriteString("  " + st.Muted.Render(cell(c.head, c.width)))
	}
	lines := []string{head.String()}
	for _, ch := range m.Chapters {
		var b strings.Builder
		b.WriteString(st.Muted.Render(fmt.Sprintf("%2s ", ch.Number)))
		title := truncate(ch.Title, titleW)
		if ch.Finished() {
			b.WriteString(st.Good.Render(padRight(title, titleW)))
		} else {
			b.WriteString(st.Text.Render(padRight(title, titleW)))
		}
		if ch.Empty() {
			b.WriteString("  " + st.SoonLabel.Render("coming soon"))
			lines = append(lines, b.String())
			continue
		}
		for _, c := range cols {
			b.WriteString("  " + cell(c.cell(ch), c.width))
		}
		lines = append(lines, b.String())
	}
	var tot strings.Builder
	tot.WriteString(st.Muted.Render(padRight("   Total", 3+titleW)))
	for _, c := range cols {
		tot.WriteString("  " + st.Muted.Render(cell(c.total, c.width)))
	}
	return append(lines, tot.String())
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// linksLines lists the items that can carry links, with the selected one's links below.
func (p *Progress) linksLines() []string {
	st, w := p.c.Styles, p.width
	lines := []string{st.Subtitle.Render("Portfolio links")}
	intro := "Attach your own repository and a walkthrough video to a passed exercise or a case study. `kaizen portfolio` puts them in README.md and index.html."
	for _, l := range strings.Split(wrapText(intro, w), "\n") {
		lines = append(lines, st.Muted.Render(l))
	}
	lines = append(lines, "")
	items := p.linkItems()
	if len(items) == 0 {
		return append(lines, st.Text.Render(wrapText("Nothing to link yet: pass an exercise or finish a case study, and it appears here.", w)))
	}
	mark := func(ok bool) string {
		if ok {
			return st.Good.Render("✓")
		}
		return st.Muted.Render("–")
	}
	const detail = 3 // blank, repository, video
	avail := max(p.height-len(lines)-detail, 1)
	off := listWindow(p.cursor, 0, avail, len(items))
	for i := off; i < min(off+avail, len(items)); i++ {
		it := items[i]
		marker := "  "
		ts := st.Text
		if i == p.cursor {
			marker, ts = st.Cursor.Render("▸ "), st.Title
		}
		right := st.Muted.Render("repo ") + mark(it.links.Repo != "") + st.Muted.Render("  video ") + mark(it.links.Video != "")
		kind := ""
		if it.kind != "exercise" {
			kind = st.Muted.Render(" (" + it.kind + ")")
		}
		titleW := max(w-2-lipgloss.Width(right)-2-lipgloss.Width(kind), 4)
		lines = append(lines, marker+ts.Render(padRight(truncate(it.title, titleW), titleW))+kind+"  "+right)
	}
	sel := items[min(p.cursor, len(items)-1)]
	show := func(u string) string {
		if u == "" {
			return st.Muted.Render("none")
		}
		return st.Text.Render(u)
	}
	lines = append(lines, "",
		st.Muted.Render("Repository  ")+show(sel.links.Repo),
		st.Muted.Render("Video       ")+show(sel.links.Video))
	return lines
}

// formLines draws the link editor.
func (p *Progress) formLines() []string {
	st, f, w := p.c.Styles, p.form, p.width
	label := func(i int, s string) string {
		if f.focus == i {
			return st.Accent.Render(s)
		}
		return st.Text.Render(s)
	}
	lines := []string{st.Subtitle.Render("Links for ") + st.Title.Render(f.item.title), ""}
	lines = append(lines, label(0, "Repository URL"), f.repo.View(), "", label(1, "Walkthrough video URL"), f.video.View(), "")
	for _, l := range strings.Split(wrapText("https links only, such as https://github.com/you/project. Leave a field empty for no link.", w), "\n") {
		lines = append(lines, st.Muted.Render(l))
	}
	if f.err != "" {
		for _, l := range strings.Split(wrapText("✗ "+f.err, w), "\n") {
			lines = append(lines, st.Bad.Render(l))
		}
	}
	return lines
}
