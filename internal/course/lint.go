package course

import (
	"io/fs"

	"github.com/kaizen-mlops/kaizen/casestudies"
	"github.com/kaizen-mlops/kaizen/internal/diag"
)

// Lint loads a course and returns every problem in it: the structure, lessons and
// discussion prompts, and (as they are added) quizzes, exercises and case studies.
func Lint(fsys fs.FS, source string) (*Catalog, diag.List) {
	c, probs := Load(fsys, source)
	// The case-study graph checks explore every path, so they run in lint, not at start-up.
	var chapters []string
	for _, ch := range c.Chapters {
		chapters = append(chapters, ch.ID)
	}
	for _, cs := range c.Cases {
		probs = append(probs, casestudies.ValidateWith(cs, casestudies.Options{Chapters: chapters})...)
	}
	probs.Sort()
	return c, probs
}

// ChapterStats counts what one chapter holds.
type ChapterStats struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Lessons   int    `json:"lessons"`
	Words     int    `json:"words"`
	Minutes   int    `json:"minutes"`
	Questions int    `json:"questions"`
	Prompts   int    `json:"prompts"`
	Exercises int    `json:"exercises"`
}

// Stats counts what a course holds (the shape of `kaizen course stats --json`).
type Stats struct {
	ID            string         `json:"id"`
	Title         string         `json:"title"`
	Version       string         `json:"version"`
	Chapters      []ChapterStats `json:"chapters"`
	Totals        ChapterStats   `json:"totals"`
	GlossaryTerms int            `json:"glossary_terms"`
	CaseStudies   int            `json:"case_studies"`
}

// ComputeStats counts a catalog.
func ComputeStats(c *Catalog) Stats {
	st := Stats{ID: c.ID, Title: c.Title, Version: c.Version, Chapters: []ChapterStats{}, GlossaryTerms: len(c.Glossary)}
	st.Totals.ID = "total"
	for _, ch := range c.Chapters {
		cs := ChapterStats{ID: ch.ID, Title: ch.Title, Lessons: len(ch.Lessons), Prompts: len(ch.Prompts)}
		for _, l := range ch.Lessons {
			cs.Words += l.Words
			cs.Minutes += l.Minutes
		}
		cs.Questions = c.questionCount(ch.ID)
		cs.Exercises = c.exerciseCount(ch.ID)
		st.Chapters = append(st.Chapters, cs)
		st.Totals.Lessons += cs.Lessons
		st.Totals.Words += cs.Words
		st.Totals.Minutes += cs.Minutes
		st.Totals.Questions += cs.Questions
		st.Totals.Prompts += cs.Prompts
		st.Totals.Exercises += cs.Exercises
	}
	st.CaseStudies = c.caseStudyCount()
	return st
}

// The counts below grow as quizzes, exercises and case studies join the catalog.
func (c *Catalog) questionCount(chapterID string) int {
	if qz := c.quizzes[chapterID]; qz != nil {
		return len(qz.Questions)
	}
	return 0
}
func (c *Catalog) exerciseCount(chapterID string) int { return len(c.ExercisesOf(chapterID)) }
func (c *Catalog) caseStudyCount() int                { return len(c.Cases) }
