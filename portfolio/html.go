package portfolio

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
)

// HTML renders the portfolio as one standalone page: inline CSS and SVG charts, no scripts
// and no requests to any server, laid out for a phone and for print. Relative links point at
// the copied solution files beside it.
func HTML(m *Model) ([]byte, error) {
	v := buildHTMLView(m)
	var buf bytes.Buffer
	// Parsed per export, not at package init: every start of kaizen would pay for it.
	page, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return nil, fmt.Errorf("portfolio page template: %w", err)
	}
	if err := page.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render portfolio page: %w", err)
	}
	return buf.Bytes(), nil
}

type htmlStat struct{ Value, Label, Note string }

type htmlChapter struct {
	Name, Skill, Lessons, Quiz, Exercises, Discussion string
	SkillWidth                                        int
	Finished                                          bool
}

type htmlFile struct {
	Path, Href, Size string
}

type htmlExercise struct {
	ID, Title, Meta, Summary, Points string
	Repo, Video                      string
	Files                            []htmlFile
	Checks                           []htmlCheck
}

type htmlCheck struct{ Name, Status, Class, Points string }

type htmlCase struct {
	Title, Summary, Played string
	Repo, Video            string
	Runs                   []htmlRun
}

type htmlRun struct {
	Date, Ending string
	Decisions    []Decision
}

type htmlEssay struct {
	Heading, Meta, Prompt string
	Body                  template.HTML // the answer's Markdown, rendered by essayHTML
}

type htmlView struct {
	Title, Intro, Generated string
	Stats                   []htmlStat
	ActivityNote            string
	WideActivity            bool
	Activity                template.HTML
	Skills                  template.HTML
	Accuracy                template.HTML
	HasAnswers              bool
	Chapters                []htmlChapter
	Exercises               []htmlExercise
	Cases                   []htmlCase
	Essays                  []htmlEssay
}

func buildHTMLView(m *Model) htmlView {
	t := m.Totals()
	streak := m.Streak()
	weeks := m.HeatmapWeeks()
	grid := m.Heatmap(weeks)
	passed := m.Passed()
	v := htmlView{
		Title:     "MLOps portfolio",
		Generated: dateText(m.Now),
		// Charts are built by this package from numbers and escaped text only.
		Activity: template.HTML(ActivityChart(grid)),
		Skills:   template.HTML(SkillsChart(m.Chapters)),
	}
	v.WideActivity = weeks > 22
	v.ActivityNote = fmt.Sprintf("%s on %s in the last %d weeks", plural(grid.Total, "event", "events"), plural(grid.ActiveDays, "day", "days"), weeks)
	if m.Learner != "" {
		v.Title = m.Learner + " · MLOps portfolio"
	}
	v.Intro = fmt.Sprintf("Hands-on work from the course “%s” (version %s).", m.Course.Title, m.Course.Version)
	v.Stats = append(v.Stats,
		htmlStat{fmt.Sprintf("%d/%d", t.ExercisesPassed, t.Exercises), "exercises passed", "automation checked in a sandbox"},
		htmlStat{fmt.Sprintf("%d/%d", t.ChaptersFinished, t.Chapters), "chapters finished", fmt.Sprintf("%d of %d lessons", t.LessonsDone, t.Lessons)},
	)
	if t.Answered > 0 {
		v.Stats = append(v.Stats, htmlStat{pct(float64(t.Correct) / float64(t.Answered)), "quiz accuracy", plural(t.Answered, "answer", "answers")})
	}
	v.Stats = append(v.Stats, htmlStat{plural(streak.Current, "day", "days"), "daily streak", "best " + plural(streak.Best, "day", "days")})
	if len(m.Answers) > 0 {
		v.HasAnswers = true
		v.Accuracy = template.HTML(AccuracyChart(m.Weekly(12)))
	}
	for _, c := range m.Chapters {
		if c.Empty() {
			continue
		}
		skill, _ := c.Skill()
		row := htmlChapter{
			Name: chapterName(c), Skill: pct(skill), SkillWidth: int(skill*100 + 0.5),
			Lessons: fmt.Sprintf("%d/%d", c.LessonsDone, c.Lessons), Finished: c.Finished(),
			Quiz: "–", Exercises: countOrDash(c.ExercisesPassed, c.Exercises), Discussion: countOrDash(c.PromptsAnswered, c.Prompts),
		}
		if acc, ok := c.Accuracy(); ok {
			row.Quiz = fmt.Sprintf("%s of %d", pct(acc), c.Answered)
		} else if c.Questions > 0 {
			row.Quiz = "not taken"
		}
		v.Chapters = append(v.Chapters, row)
	}
	for _, e := range passed {
		he := htmlExercise{ID: e.ID, Title: e.Title, Summary: e.Summary, Repo: safeLink(e.Links.Repo), Video: safeLink(e.Links.Video)}
		var meta []string
		if c, ok := m.Chapter(e.ChapterID); ok {
			meta = append(meta, c.Label()+" · "+c.Title)
		}
		if e.Language != "" {
			meta = append(meta, e.Language)
		}
		if !e.PassedAt.IsZero() {
			meta = append(meta, "passed "+m.date(e.PassedAt))
		}
		he.Meta = strings.Join(meta, " · ")
		for _, f := range e.Files {
			he.Files = append(he.Files, htmlFile{Path: f.Path, Href: filePath(exerciseDir(e.ID) + "/" + f.Path), Size: humanSize(f.Size)})
		}
		if len(e.Checks) > 0 {
			he.Points = fmt.Sprintf("%s of %s points", num(e.Points), num(e.MaxPoints))
		}
		for _, c := range e.Checks {
			he.Checks = append(he.Checks, htmlCheck{Name: c.Name, Status: statusText(c.Status), Class: "st-" + c.Status, Points: num(c.Points) + "/" + num(c.MaxPoints)})
		}
		v.Exercises = append(v.Exercises, he)
	}
	for _, c := range m.PlayedCases() {
		hc := htmlCase{Title: c.Title, Summary: c.Summary, Repo: safeLink(c.Links.Repo), Video: safeLink(c.Links.Video),
			Played: fmt.Sprintf("Played %s; found %d of %s.", plural(len(c.Runs), "time", "times"), c.EndingsFound(), plural(c.Endings, "ending", "endings"))}
		for _, r := range caseRunsShown(c) {
			hc.Runs = append(hc.Runs, htmlRun{Date: m.date(r.At), Ending: r.EndingTitle, Decisions: r.Decisions})
		}
		v.Cases = append(v.Cases, hc)
	}
	for _, e := range m.Essays {
		var meta []string
		if c, ok := m.Chapter(e.ChapterID); ok {
			meta = append(meta, c.Label()+" · "+c.Title)
		}
		if len(e.Traits) > 0 {
			meta = append(meta, strings.Join(e.Traits, ", "))
		}
		meta = append(meta, "written "+m.date(e.SavedAt))
		v.Essays = append(v.Essays, htmlEssay{Heading: firstSentence(e.Prompt), Meta: strings.Join(meta, " · "), Prompt: oneLine(e.Prompt), Body: essayHTML(e.Body)})
	}
	return v
}

// paragraphs splits text on blank lines.
func humanSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kaizen">
<title>{{.Title}}</title>
<style>
:root { --text: #1f2328; --muted: #59636e; --accent: #8250df; --line: #d0d7de; --soft: #f6f8fa; --good: #1a7f37; --bad: #cf222e; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--soft); color: var(--text); font: 16px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 32px 20px 48px; }
header h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 6px; }
header p { margin: 0; color: var(--muted); }
h2 { font-size: 1.35rem; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 0 0 4px; }
a { color: var(--accent); }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 24px 0 0; padding: 0; list-style: none; }
.stats li { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.stats b { display: block; font-size: 1.6rem; line-height: 1.2; color: var(--accent); }
.stats span { display: block; font-weight: 600; }
.stats small { color: var(--muted); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 0 0 16px; break-inside: avoid; page-break-inside: avoid; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
.chart svg { display: block; height: auto; max-width: 100%; }
.chart h3 { margin-bottom: 4px; }
.chart.wide { grid-column: 1 / -1; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: 6px 10px 6px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; white-space: nowrap; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
.meter { display: inline-block; width: 80px; height: 8px; background: #ebedf0; border-radius: 4px; vertical-align: middle; margin-right: 6px; overflow: hidden; }
.meter i { display: block; height: 100%; background: var(--accent); }
.meta { color: var(--muted); font-size: .9rem; margin: 0 0 10px; }
.links { margin: 10px 0; display: flex; flex-wrap: wrap; gap: 8px; }
.links a { display: inline-block; border: 1px solid var(--accent); border-radius: 999px; padding: 2px 12px; text-decoration: none; font-size: .9rem; }
.files { margin: 8px 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 6px 14px; }
.files code { font-size: .88rem; }
.files small { color: var(--muted); }
.st-pass { color: var(--good); white-space: nowrap; }
.st-fail, .st-error { color: var(--bad); white-space: nowrap; }
ol.decisions { margin: 6px 0 14px; padding-left: 1.4em; }
ol.decisions small { color: var(--muted); }
blockquote { margin: 8px 0 12px; padding: 4px 14px; border-left: 3px solid var(--line); color: var(--muted); }
.essay-body pre { overflow-x: auto; padding: 8px 12px; border: 1px solid var(--line); border-radius: 6px; }
.essay-body code { font-size: .9rem; }
.essay-body table { width: auto; }
.essay-body th, .essay-body td { padding: 2px 8px; border-bottom: 1px solid var(--line); text-align: left; }
footer { margin-top: 40px; color: var(--muted); font-size: .85rem; }
@media (max-width: 560px) {
  main { padding: 20px 14px 32px; }
  header h1 { font-size: 1.55rem; }
  .stats { grid-template-columns: 1fr 1fr; }
  .stats b { font-size: 1.3rem; }
  .card { padding: 14px; }
  .meter { width: 48px; }
  th, td { padding-right: 8px; }
}
@media print {
  @page { margin: 16mm 14mm; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .card, .stats li { border-color: #999; box-shadow: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: var(--text); text-decoration: none; }
  .links a::after { content: " " attr(href); font-size: 9pt; color: var(--muted); }
  .links a { border: none; padding: 0; }
  .scroll { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
</head>
<body>
<main>
<header>
<h1>{{.Title}}</h1>
<p>{{.Intro}}</p>
<ul class="stats">{{range .Stats}}
<li><b>{{.Value}}</b><span>{{.Label}}</span><small>{{.Note}}</small></li>{{end}}
</ul>
</header>

<h2 id="progress">Progress</h2>
<div class="charts">
<section class="card chart{{if .WideActivity}} wide{{end}}"><h3>Activity</h3><p class="meta">{{.ActivityNote}}</p>{{.Activity}}</section>
{{if .HasAnswers}}<section class="card chart"><h3>Quiz accuracy per week</h3>{{.Accuracy}}</section>{{end}}
</div>
<section class="card chart"><h3>Skills by chapter</h3>{{.Skills}}</section>
<section class="card">
<h3>Skills matrix</h3>
<div class="scroll"><table>
<thead><tr><th>Chapter</th><th>Skill</th><th>Lessons</th><th>Quiz</th><th>Exercises</th><th>Discussion</th></tr></thead>
<tbody>{{range .Chapters}}
<tr><td>{{.Name}}</td><td class="num"><span class="meter" aria-hidden="true"><i style="width: {{.SkillWidth}}%"></i></span>{{.Skill}}</td><td class="num">{{.Lessons}}{{if .Finished}} ✓{{end}}</td><td class="num">{{.Quiz}}</td><td class="num">{{.Exercises}}</td><td class="num">{{.Discussion}}</td></tr>{{end}}
</tbody>
</table></div>
</section>
{{if .Exercises}}
<h2 id="exercises">Exercises</h2>
{{range .Exercises}}<article class="card exercise" id="ex-{{.ID}}">
<h3>{{.Title}}</h3>
<p class="meta">{{.Meta}}</p>
{{if .Summary}}<p>{{.Summary}}</p>{{end}}
{{if or .Repo .Video}}<p class="links">{{if .Repo}}<a href="{{.Repo}}" rel="noopener">Repository</a>{{end}}{{if .Video}}<a href="{{.Video}}" rel="noopener">Walkthrough video</a>{{end}}</p>{{end}}
{{if .Files}}<p><b>My solution</b></p>
<ul class="files">{{range .Files}}<li><a href="{{.Href}}"><code>{{.Path}}</code></a> <small>{{.Size}}</small></li>{{end}}</ul>
{{else}}<p class="meta">The solution files were not found in the workspace when this page was made.</p>{{end}}
{{if .Checks}}<p><b>Checks passed</b> <span class="meta">({{.Points}})</span></p>
<div class="scroll"><table>
<thead><tr><th>Check</th><th>Result</th><th>Points</th></tr></thead>
<tbody>{{range .Checks}}<tr><td>{{.Name}}</td><td class="{{.Class}}">{{.Status}}</td><td class="num">{{.Points}}</td></tr>{{end}}</tbody>
</table></div>{{end}}
</article>
{{end}}{{end}}
{{if .Cases}}
<h2 id="case-studies">Case studies</h2>
{{range .Cases}}<article class="card case">
<h3>{{.Title}}</h3>
{{if .Summary}}<p>{{.Summary}}</p>{{end}}
<p class="meta">{{.Played}}</p>
{{if or .Repo .Video}}<p class="links">{{if .Repo}}<a href="{{.Repo}}" rel="noopener">Repository</a>{{end}}{{if .Video}}<a href="{{.Video}}" rel="noopener">Walkthrough video</a>{{end}}</p>{{end}}
{{range .Runs}}<p><b>{{.Date}}: ending “{{.Ending}}”</b></p>
<ol class="decisions">{{range .Decisions}}<li>{{.Scene}}: {{.Choice}}{{if .Taught}} <small>({{.Taught}})</small>{{end}}</li>{{end}}</ol>
{{end}}</article>
{{end}}{{end}}
{{if .Essays}}
<h2 id="discussion">Discussion</h2>
{{range .Essays}}<article class="card essay">
<h3>{{.Heading}}</h3>
<p class="meta">{{.Meta}}</p>
<blockquote>{{.Prompt}}</blockquote>
<div class="essay-body">{{.Body}}</div>
</article>
{{end}}{{end}}
<footer>Generated by kaizen on {{.Generated}}.</footer>
</main>
</body>
</html>
`
