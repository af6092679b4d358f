package classroom

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Formats lists the report formats Write knows.
var Formats = []string{"table", "csv", "json", "md", "html"}

// Write writes the gradebook in a format: table (aligned text), csv (for an LMS gradebook
// import), json, md (Markdown) or html (one standalone page).
func Write(w io.Writer, gb Gradebook, format string) error {
	switch format {
	case "table", "":
		return writeTable(w, gb)
	case "csv":
		return WriteCSV(w, gb)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(gb)
	case "md", "markdown":
		return writeMarkdown(w, gb)
	case "html":
		return writeHTML(w, gb)
	}
	return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// columns are the human-readable columns of the table, Markdown and HTML formats.
func columns(gb Gradebook) []string {
	cols := []string{"Name", "Student ID", "Lessons", "Quiz"}
	for _, ch := range gb.QuizChapters {
		cols = append(cols, "Q"+ch.Number)
	}
	return append(cols, "Exercises", "Hints", "Discussion", "Endings", "Last seen")
}

func cells(gb Gradebook, r Row) []string {
	out := []string{r.DisplayName(), r.StudentID, frac(r.Lessons), pct(r.QuizAnswered, r.QuizAccuracy)}
	for _, q := range r.Quiz {
		out = append(out, pct(q.Answered, q.Accuracy))
	}
	return append(out,
		fmt.Sprintf("%d/%d", r.Exercises.Passed, r.Exercises.Total),
		strconv.Itoa(r.Exercises.Hints),
		frac(r.Discussion),
		frac(r.Endings),
		seen(r.LastSeen, gb.GeneratedAt.Location()),
	)
}

func frac(c Count) string { return fmt.Sprintf("%d/%d", c.Done, c.Total) }

// pct shows an accuracy, or a dash when nothing was answered.
func pct(answered int, acc float64) string {
	if answered == 0 {
		return "–"
	}
	return fmt.Sprintf("%d%%", int(acc*100+0.5))
}

func seen(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "never"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func writeTable(w io.Writer, gb Gradebook) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	cols := columns(gb)
	for i := range cols {
		cols[i] = strings.ToUpper(cols[i])
	}
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	for _, r := range gb.Rows {
		c := cells(gb, r)
		c[0] = oneLine(c[0])
		fmt.Fprintln(tw, strings.Join(c, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d learner(s) · %s %s · %s\n", len(gb.Rows), gb.Course.Title, gb.Course.Version, gb.GeneratedAt.Format("2006-01-02 15:04"))
	return err
}

// WriteCSV writes the gradebook the way LMS gradebook imports read it (Canvas's layout,
// which Moodle and Blackboard also import by mapping columns): the identity columns
// Student, ID, SIS User ID (the roster's student id), SIS Login ID (kaizen's learner key)
// and Section, then one column per graded item with the points scored, and a second row,
// "Points Possible", with each item's maximum.
func WriteCSV(w io.Writer, gb Gradebook) error {
	cw := csv.NewWriter(w)
	header := []string{"Student", "ID", "SIS User ID", "SIS Login ID", "Section"}
	possible := []string{"Points Possible", "", "", "", ""}
	for _, it := range gb.Items {
		header = append(header, fmt.Sprintf("%s (%s)", it.Title, it.ID))
		possible = append(possible, num(it.Points))
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.Write(possible); err != nil {
		return err
	}
	for _, r := range gb.Rows {
		rec := []string{csvSafe(oneLine(r.DisplayName())), "", csvSafe(r.StudentID), csvSafe(r.Key), ""}
		for _, it := range gb.Items {
			rec = append(rec, num(r.Grades[it.ID]))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a learner-chosen name as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func writeMarkdown(w io.Writer, gb Gradebook) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Gradebook: %s\n\n", mdEscape(gb.Course.Title))
	fmt.Fprintf(&b, "Course `%s` version %s · %d learner(s) · generated %s\n\n", gb.Course.ID, gb.Course.Version, len(gb.Rows), gb.GeneratedAt.Format("2006-01-02 15:04 MST"))
	cols := columns(gb)
	b.WriteString("| " + strings.Join(cols, " | ") + " |\n|")
	for i := range cols {
		if i < 2 {
			b.WriteString(" --- |")
		} else {
			b.WriteString(" ---: |")
		}
	}
	b.WriteString("\n")
	for _, r := range gb.Rows {
		c := cells(gb, r)
		for i := range c {
			c[i] = mdEscape(c[i])
		}
		b.WriteString("| " + strings.Join(c, " | ") + " |\n")
	}
	if len(gb.QuizChapters) > 0 {
		b.WriteString("\nQuiz columns are accuracy (correct answers over answers, quiz and review) per chapter:")
		for _, ch := range gb.QuizChapters {
			fmt.Fprintf(&b, " Q%s %s;", ch.Number, mdEscape(ch.Title))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	s = oneLine(s)
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// gradebookHTML is parsed per export, not at package init: every start of kaizen would pay for it.
const gradebookHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gradebook: {{.Course.Title}}</title>
<style>
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d0d7de; --accent: #8250df; --bg: #ffffff; --alt: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8b949e; --line: #30363d; --accent: #c297ff; --bg: #0d1117; --alt: #161b22; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 2rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p.meta { color: var(--muted); margin: 0 0 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
th { font-weight: 600; color: var(--muted); position: sticky; top: 0; background: var(--bg); }
tbody tr:nth-child(even) { background: var(--alt); }
td.none { color: var(--muted); }
.bar { display: inline-block; width: 4rem; height: .5rem; background: var(--line); border-radius: .25rem; vertical-align: middle; margin-right: .4rem; }
.bar > span { display: block; height: 100%; background: var(--accent); border-radius: .25rem; }
footer { color: var(--muted); margin-top: 1.5rem; font-size: .85rem; }
</style>
</head>
<body>
<h1>Gradebook: {{.Course.Title}}</h1>
<p class="meta">Course <code>{{.Course.ID}}</code> version {{.Course.Version}} · {{len .Rows}} learner(s) · generated {{.Generated}}</p>
<table>
<thead><tr>{{range .Columns}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Lines}}<tr>{{range $i, $c := .Cells}}{{if eq $i 2}}<td><span class="bar"><span style="width: {{$.Percent $c}}%"></span></span>{{$c}}</td>{{else if eq $c "–"}}<td class="none">–</td>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</tbody>
</table>
{{if .QuizChapters}}<footer>Quiz columns are accuracy (correct answers over answers, quiz and review) per chapter:{{range .QuizChapters}} Q{{.Number}} {{.Title}};{{end}}</footer>{{end}}
</body>
</html>
`

type htmlLine struct{ Cells []string }

type htmlData struct {
	Gradebook
	Generated string
	Columns   []string
	Lines     []htmlLine
}

// Percent turns "3/12" into a whole percentage for the lessons bar.
func (htmlData) Percent(frac string) int {
	a, b, ok := strings.Cut(frac, "/")
	if !ok {
		return 0
	}
	n, err1 := strconv.Atoi(a)
	d, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || d <= 0 {
		return 0
	}
	return min(100, n*100/d)
}

func writeHTML(w io.Writer, gb Gradebook) error {
	d := htmlData{Gradebook: gb, Generated: gb.GeneratedAt.Format("2006-01-02 15:04 MST"), Columns: columns(gb)}
	for _, r := range gb.Rows {
		d.Lines = append(d.Lines, htmlLine{Cells: cells(gb, r)})
	}
	page, err := template.New("gradebook").Parse(gradebookHTML)
	if err != nil {
		return fmt.Errorf("gradebook template: %w", err)
	}
	return page.Execute(w, d)
}
