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
	Cases    []CaseProgress    `json:"case_studies"`
	Totals   ProgressTotals    `json:"totals"`
}

// CaseProgress is a learner's record in one case study.
type CaseProgress struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Endings      int      `json:"endings"`
	EndingsFound []string `json:"endings_found"`
	Runs         int      `json:"runs"`
}

// CourseRef names a course.
type CourseRef struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version"`
}

// ChapterProgress is one chapter's progress.
type ChapterProgress struct {
	ID              string             `json:"id"`
	Number          string             `json:"number"`
	Title           string             `json:"title"`
	LessonsTotal    int                `json:"lessons_total"`
	LessonsFinished int                `json:"lessons_finished"`
	Lessons         []LessonProgress   `json:"lessons"`
	Quiz            QuizProgress       `json:"quiz"`
	Discussion      DiscussionProgress `json:"discussion"`
}

// QuizProgress is a chapter's quiz record.
type QuizProgress struct {
	Questions int     `json:"questions"`
	Answered  int     `json:"answered"` // answers given, quiz and review
	Correct   int     `json:"correct"`
	Accuracy  float64 `json:"accuracy"` // correct / answered, 0 when none
	Attempts  int     `json:"attempts"` // finished quiz attempts
	BestScore float64 `json:"best_score"`
}

// DiscussionProgress is a chapter's journal record.
type DiscussionProgress struct {
	Prompts  int `json:"prompts"`
	Answered int `json:"answered"`
	Drafts   int `json:"drafts"`
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
	QuizAnswered    int   `json:"quiz_answered"`
	QuizCorrect     int   `json:"quiz_correct"`
	DueCards        int   `json:"due_cards"`
	Cards           int   `json:"cards"`
	Discussions     int   `json:"discussions_answered"`
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
	quizStats, err := s.store.QuizStatsByChapter(ctx, s.learner.ID)
	if err != nil {
		return nil, err
	}
	journal, err := s.store.Journal(ctx, s.learner.ID)
	if err != nil {
		return nil, err
	}
	due, err := s.store.DueCount(ctx, s.learner.ID, g.Now())
	if err != nil {
		return nil, err
	}
	cards, err := s.store.Cards(ctx, s.learner.ID)
	if err != nil {
		return nil, err
	}
	rep := &ProgressReport{
		Course:  CourseRef{ID: s.catalog.ID, Title: s.catalog.Title, Version: s.catalog.Version},
		Learner: s.learner.Key,
	}
	rep.Totals.DueCards, rep.Totals.Cards = due, len(cards)
	rep.Cases = []CaseProgress{}
	for _, cs := range s.catalog.Cases {
		runs, err := s.store.CaseRuns(ctx, s.learner.ID, cs.ID)
		if err != nil {
			return nil, err
		}
		cp := CaseProgress{ID: cs.ID, Title: cs.Title, Endings: len(cs.Endings), EndingsFound: []string{}, Runs: len(runs)}
		seen := map[string]bool{}
		for _, r := range runs {
			if !seen[r.Data.Ending] {
				seen[r.Data.Ending] = true
				cp.EndingsFound = append(cp.EndingsFound, r.Data.Ending)
			}
		}
		rep.Cases = append(rep.Cases, cp)
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
		qs := quizStats[ch.ID]
		cp.Quiz = QuizProgress{Answered: qs.Answered, Correct: qs.Correct, Attempts: qs.Attempts, BestScore: qs.BestScore}
		if qz := s.catalog.Quiz(ch.ID); qz != nil {
			cp.Quiz.Questions = len(qz.Questions)
		}
		if qs.Answered > 0 {
			cp.Quiz.Accuracy = float64(qs.Correct) / float64(qs.Answered)
		}
		cp.Discussion.Prompts = len(ch.Prompts)
		for _, p := range ch.Prompts {
			if e, ok := journal[p.ID]; ok {
				if len(e.Revisions) > 0 {
					cp.Discussion.Answered++
				} else {
					cp.Discussion.Drafts++
				}
			}
		}
		rep.Totals.QuizAnswered += qs.Answered
		rep.Totals.QuizCorrect += qs.Correct
		rep.Totals.Discussions += cp.Discussion.Answered
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
	fmt.Fprintln(tw, "CHAPTER\tTITLE\tLESSONS\tQUIZ\tDISCUSSION")
	for _, ch := range rep.Chapters {
		lessons := fmt.Sprintf("%d/%d", ch.LessonsFinished, ch.LessonsTotal)
		if ch.LessonsTotal == 0 {
			lessons = "coming soon"
		}
		quizCol := "-"
		if ch.Quiz.Answered > 0 {
			quizCol = fmt.Sprintf("%d%% of %d", int(ch.Quiz.Accuracy*100+0.5), ch.Quiz.Answered)
		}
		disc := "-"
		if ch.Discussion.Prompts > 0 {
			disc = fmt.Sprintf("%d/%d", ch.Discussion.Answered, ch.Discussion.Prompts)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ch.Number, truncateText(ch.Title, 44), lessons, quizCol, disc)
	}
	fmt.Fprintf(tw, "\t%s\t%d/%d\t\t%d\n", "Total", rep.Totals.LessonsFinished, rep.Totals.LessonsTotal, rep.Totals.Discussions)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, cs := range rep.Cases {
		fmt.Fprintf(w, "\nCase study %s: %d of %d endings found in %d run(s).", cs.Title, len(cs.EndingsFound), cs.Endings, cs.Runs)
	}
	if len(rep.Cases) > 0 {
		fmt.Fprintln(w)
	}
	if rep.Totals.DueCards > 0 {
		fmt.Fprintf(w, "\n%d review card(s) due: run `kaizen review`.\n", rep.Totals.DueCards)
	}
	return nil
}
