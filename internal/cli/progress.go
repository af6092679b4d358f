package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// ProgressReport is the stable shape of `kaizen progress --json`.
type ProgressReport struct {
	Course   CourseRef         `json:"course"`
	Learner  string            `json:"learner"`
	Chapters []ChapterProgress `json:"chapters"`
	Totals   ProgressTotals    `json:"totals"`
}

// CourseRef names a course.
type CourseRef struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version"`
}

// ChapterProgress is one chapter's progress.
type ChapterProgress struct {
	ID              string           `json:"id"`
	Number          string           `json:"number"`
	Title           string           `json:"title"`
	LessonsTotal    int              `json:"lessons_total"`
	LessonsFinished int              `json:"lessons_finished"`
	Lessons         []LessonProgress `json:"lessons"`
}

// LessonProgress is one lesson's progress.
type LessonProgress struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Opened   bool    `json:"opened"`
	Finished bool    `json:"finished"`
	Scroll   float64 `json:"scroll"`
	Seconds  int64   `json:"seconds"`
}

// ProgressTotals sums the course.
type ProgressTotals struct {
	LessonsTotal    int   `json:"lessons_total"`
	LessonsFinished int   `json:"lessons_finished"`
	Seconds         int64 `json:"seconds"`
}

func newProgressCmd(g *Global) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "Show your progress per chapter",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := buildProgress(cmd.Context(), g)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.Stdout, rep)
			}
			return writeProgressTable(g.Stdout, rep)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (a stable shape, documented in README)")
	return cmd
}

func buildProgress(ctx context.Context, g *Global) (*ProgressReport, error) {
	s, err := openSession(ctx, g)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	ls, err := s.store.Lessons(ctx, s.learner.ID)
	if err != nil {
		return nil, err
	}
	rep := &ProgressReport{
		Course:  CourseRef{ID: s.catalog.ID, Title: s.catalog.Title, Version: s.catalog.Version},
		Learner: s.learner.Key,
	}
	for _, ch := range s.catalog.Chapters {
		cp := ChapterProgress{ID: ch.ID, Number: ch.Number, Title: ch.Title, LessonsTotal: len(ch.Lessons), Lessons: []LessonProgress{}}
		for _, l := range ch.Lessons {
			st, seen := ls[l.ID]
			lp := LessonProgress{ID: l.ID, Title: l.Title, Opened: seen, Finished: st.Finished, Scroll: st.Scroll, Seconds: st.Seconds}
			if lp.Finished {
				cp.LessonsFinished++
			}
			rep.Totals.Seconds += st.Seconds
			cp.Lessons = append(cp.Lessons, lp)
		}
		rep.Totals.LessonsTotal += cp.LessonsTotal
		rep.Totals.LessonsFinished += cp.LessonsFinished
		rep.Chapters = append(rep.Chapters, cp)
	}
	return rep, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeProgressTable(w io.Writer, rep *ProgressReport) error {
	fmt.Fprintf(w, "%s (%s)\n\n", rep.Course.Title, rep.Course.Version)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHAPTER\tTITLE\tLESSONS")
	for _, ch := range rep.Chapters {
		lessons := fmt.Sprintf("%d/%d", ch.LessonsFinished, ch.LessonsTotal)
		if ch.LessonsTotal == 0 {
			lessons = "coming soon"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ch.Number, ch.Title, lessons)
	}
	fmt.Fprintf(tw, "\t%s\t%d/%d\n", "Total", rep.Totals.LessonsFinished, rep.Totals.LessonsTotal)
	return tw.Flush()
}
