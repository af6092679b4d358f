package portfolio

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/kaizen-mlops/kaizen/activity"
)

// Heatmap colours by level, light to dark, so the chart also prints in grey.
var levelFill = [activity.Levels + 1]string{"#ebedf0", "#d8c8fb", "#b08cf5", "#8250df", "#4c2889"}

const (
	svgNS     = `xmlns="http://www.w3.org/2000/svg"`
	textColor = "#1f2328"
	mutedText = "#59636e"
	accent    = "#8250df"
	gridLine  = "#d0d7de"
	svgFont   = `font-family="-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif"`
)

func esc(s string) string { return html.EscapeString(s) }

// ActivityChart draws a contribution-graph heatmap as a standalone SVG: one column per
// week, Monday at the top, darker for busier days, each day titled with its count.
func ActivityChart(g activity.Grid) string {
	const cell, step, left, top = 13, 16, 32, 18
	weeks := len(g.Weeks)
	width := left + weeks*step + 4
	height := top + 7*step + 26
	var b strings.Builder
	fmt.Fprintf(&b, `<svg %s viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="activity-title" %s font-size="11">`, svgNS, width, height, width, height, svgFont)
	fmt.Fprintf(&b, `<title id="activity-title">Activity: %s on %s in the last %d weeks</title>`, plural(g.Total, "event", "events"), plural(g.ActiveDays, "day", "days"), weeks)
	for i, name := range []string{"Mon", "Wed", "Fri"} {
		fmt.Fprintf(&b, `<text x="0" y="%d" fill="%s">%s</text>`, top+(2*i)*step+10, mutedText, name)
	}
	lastLabel := -4
	for w, week := range g.Weeks {
		first := week[0].Day
		month := monthOf(first)
		if w == 0 || month != monthOf(g.Weeks[w-1][0].Day) {
			if w-lastLabel >= 3 && (w > 0 || weeks < 3 || monthOf(g.Weeks[min(2, weeks-1)][0].Day) == month) {
				fmt.Fprintf(&b, `<text x="%d" y="11" fill="%s">%s</text>`, left+w*step, mutedText, month.String()[:3])
				lastLabel = w
			}
		}
		for d, c := range week {
			if c.Future {
				continue
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="2" fill="%s"><title>%s on %s</title></rect>`,
				left+w*step, top+d*step, cell, cell, levelFill[c.Level], plural(c.Count, "event", "events"), c.Day.Format("Mon 2 Jan 2006"))
		}
	}
	ly := top + 7*step + 10
	lx := width - 4 - (activity.Levels+1)*step - 60
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">Less</text>`, lx, ly+10, mutedText)
	for l := 0; l <= activity.Levels; l++ {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="2" fill="%s"/>`, lx+28+l*step, ly, cell, cell, levelFill[l])
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">More</text>`, lx+28+(activity.Levels+1)*step+2, ly+10, mutedText)
	b.WriteString(`</svg>`)
	return b.String()
}

func monthOf(d activity.Day) time.Month {
	_, m, _ := d.Date()
	return m
}

// SkillsChart draws one bar per chapter (its Skill, 0..100%) as a standalone SVG.
func SkillsChart(chapters []Chapter) string {
	const rowH, labelW, barW, top = 24, 210, 200, 6
	var rows []Chapter
	for _, c := range chapters {
		if !c.Empty() {
			rows = append(rows, c)
		}
	}
	width := labelW + barW + 46
	height := top + max(len(rows), 1)*rowH + 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg %s viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="skills-title" %s font-size="12">`, svgNS, width, height, width, height, svgFont)
	b.WriteString(`<title id="skills-title">Skills by chapter: lessons, quiz, exercises and discussion combined</title>`)
	for i, c := range rows {
		skill, _ := c.Skill()
		y := top + i*rowH
		fmt.Fprintf(&b, `<text x="0" y="%d" fill="%s">%s</text>`, y+14, textColor, esc(shorten(chapterName(c), 30)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="14" rx="3" fill="%s"/>`, labelW, y+3, barW, levelFill[0])
		if w := int(skill*barW + 0.5); w > 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="14" rx="3" fill="%s"><title>%s: %s</title></rect>`, labelW, y+3, w, accent, esc(chapterName(c)), pct(skill))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">%s</text>`, labelW+barW+8, y+14, textColor, pct(skill))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// AccuracyChart draws quiz accuracy per week as bars with their percentage, as a standalone
// SVG; weeks without answers show a short grey mark.
func AccuracyChart(weeks []activity.Week) string {
	const barW, step, left, top, plotH = 22, 32, 36, 16, 100
	width := left + len(weeks)*step + 4
	height := top + plotH + 34
	var b strings.Builder
	fmt.Fprintf(&b, `<svg %s viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="accuracy-title" %s font-size="11">`, svgNS, width, height, width, height, svgFont)
	b.WriteString(`<title id="accuracy-title">Quiz accuracy per week</title>`)
	for _, p := range []int{0, 50, 100} {
		y := top + plotH - p*plotH/100
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1"/>`, left-4, y, width-2, y, gridLine)
		fmt.Fprintf(&b, `<text x="0" y="%d" fill="%s">%d%%</text>`, y+3, mutedText, p)
	}
	for i, w := range weeks {
		x := left + i*step + (step-barW)/2
		if w.Total == 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="2" fill="%s"><title>week of %s: no answers</title></rect>`, x, top+plotH-2, barW, gridLine, w.Start.Format("2 Jan"))
		} else {
			h := max(int(w.Ratio()*plotH+0.5), 2)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="2" fill="%s"><title>week of %s: %d of %d correct</title></rect>`,
				x, top+plotH-h, barW, h, accent, w.Start.Format("2 Jan"), w.Correct, w.Total)
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s" text-anchor="middle">%s</text>`, x+barW/2, top+plotH-h-3, textColor, pct(w.Ratio()))
		}
		if i%2 == len(weeks)%2 || len(weeks) <= 6 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s" text-anchor="middle">%s</text>`, x+barW/2, top+plotH+14, mutedText, w.Start.Format("2 Jan"))
		}
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">weeks starting Monday</text>`, left, top+plotH+30, mutedText)
	b.WriteString(`</svg>`)
	return b.String()
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}
