package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/activity"
	"github.com/kaizen-mlops/kaizen/internal/progress"
	"github.com/kaizen-mlops/kaizen/portfolio"
)

// ProgressReport is the stable shape of `kaizen progress --json`.
type ProgressReport struct {
	Course   CourseRef         `json:"course"`
	Learner  string            `json:"learner"`
	Chapters []ChapterProgress `json:"chapters"`
	Cases    []CaseProgress    `json:"case_studies"`
	Totals   ProgressTotals    `json:"totals"`
	// Added with the progress screen: daily streak, activity per day and quiz accuracy
	// per week, in the learner's local time zone.
	Streak     StreakReport   `json:"streak"`
	Activity   ActivityReport `json:"activity"`
	QuizWeekly []WeekAccuracy `json:"quiz_weekly"`

	model *portfolio.Model // for the text form's charts
}

// StreakReport is the learner's daily streak.
type StreakReport struct {
	Current     int    `json:"current"`      // days in a row up to today (or yesterday, if today has nothing yet)
	Best        int    `json:"best"`         // longest run ever
	ActiveToday bool   `json:"active_today"` // today already counts
	ActiveDays  int    `json:"active_days"`  // distinct days with any activity
	LastActive  string `json:"last_active"`  // YYYY-MM-DD, "" when never
}

// ActivityReport lists active days of the last weeks (days without activity are left out).
type ActivityReport struct {
	From string        `json:"from"` // first day of the window (a Monday), YYYY-MM-DD
	To   string        `json:"to"`   // today
	Days []DayActivity `json:"days"`
}

// DayActivity is one active day.
type DayActivity struct {
	Date   string `json:"date"`
	Events int    `json:"events"`
}

// WeekAccuracy is quiz accuracy in one week (Monday to Sunday).
type WeekAccuracy struct {
	Week     string  `json:"week"` // its Monday, YYYY-MM-DD
	Answered int     `json:"answered"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"` // 0 when nothing was answered
}

// ExerciseCount counts a chapter's exercises.
type ExerciseCount struct {
	Total  int `json:"total"`
	Passed int `json:"passed"`
}

// Weeks covered by the activity and quiz_weekly fields of `kaizen progress --json`.
const (
	progressActivityWeeks = 12
	progressQuizWeeks     = 8
)

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
	Exercises       ExerciseCount      `json:"exercises"`
	Seconds         int64              `json:"seconds"`   // reading time in the chapter
	DueCards        int                `json:"due_cards"` // review cards due now
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
	ExercisesTotal  int   `json:"exercises_total"`
	ExercisesPassed int   `json:"exercises_passed"`
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
	return rep, addActivity(ctx, g, s, rep)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func writeProgressTable(w io.Writer, rep *ProgressReport) error {
	fmt.Fprintf(w, "%s (%s)\n\n", rep.Course.Title, rep.Course.Version)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHAPTER\tTITLE\tLESSONS\tQUIZ\tDISCUSSION\tEXERCISES\tTIME")
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
		ex := "-"
		if ch.Exercises.Total > 0 {
			ex = fmt.Sprintf("%d/%d", ch.Exercises.Passed, ch.Exercises.Total)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ch.Number, truncateText(ch.Title, 44), lessons, quizCol, disc, ex, portfolio.Duration(ch.Seconds))
	}
	fmt.Fprintf(tw, "\t%s\t%d/%d\t\t%d\t%d/%d\t%s\n", "Total", rep.Totals.LessonsFinished, rep.Totals.LessonsTotal, rep.Totals.Discussions,
		rep.Totals.ExercisesPassed, rep.Totals.ExercisesTotal, portfolio.Duration(rep.Totals.Seconds))
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, cs := range rep.Cases {
		fmt.Fprintf(w, "\nCase study %s: %d of %d endings found in %d run(s).", cs.Title, len(cs.EndingsFound), cs.Endings, cs.Runs)
	}
	if len(rep.Cases) > 0 {
		fmt.Fprintln(w)
	}
	writeActivityText(w, rep)
	if rep.Totals.DueCards > 0 {
		fmt.Fprintf(w, "\n%d review card(s) due: run `kaizen review`.\n", rep.Totals.DueCards)
	}
	return nil
}

// addActivity fills the streak, activity and weekly quiz fields and each chapter's
// exercises, reading time and due cards, from the same model the progress screen shows.
func addActivity(ctx context.Context, g *Global, s *session, rep *ProgressReport) error {
	m, err := progress.Load(ctx, progress.Source{Store: s.store, Learner: s.learner.ID, Catalog: s.catalog, Workspace: s.paths.Workspace, Now: g.Now()})
	if err != nil {
		return err
	}
	rep.model = m
	st := m.Streak()
	rep.Streak = StreakReport{Current: st.Current, Best: st.Best, ActiveToday: st.ActiveToday, ActiveDays: st.ActiveDays}
	if st.ActiveDays > 0 {
		rep.Streak.LastActive = st.Last.String()
	}
	grid := m.Heatmap(progressActivityWeeks)
	rep.Activity = ActivityReport{From: grid.Start().String(), To: m.Today().String(), Days: []DayActivity{}}
	for _, week := range grid.Weeks {
		for _, c := range week {
			if c.Count > 0 {
				rep.Activity.Days = append(rep.Activity.Days, DayActivity{Date: c.Day.String(), Events: c.Count})
			}
		}
	}
	rep.QuizWeekly = []WeekAccuracy{}
	for _, w := range m.Weekly(progressQuizWeeks) {
		rep.QuizWeekly = append(rep.QuizWeekly, WeekAccuracy{Week: w.Start.String(), Answered: w.Total, Correct: w.Correct, Accuracy: w.Ratio()})
	}
	for i := range rep.Chapters {
		if c, ok := m.Chapter(rep.Chapters[i].ID); ok {
			rep.Chapters[i].Exercises = ExerciseCount{Total: c.Exercises, Passed: c.ExercisesPassed}
			rep.Chapters[i].Seconds = c.Seconds
			rep.Chapters[i].DueCards = c.Due
			rep.Totals.ExercisesTotal += c.Exercises
			rep.Totals.ExercisesPassed += c.ExercisesPassed
		}
	}
	return nil
}

// writeActivityText prints the streak, a heatmap of the last weeks (density glyphs, so it
// reads without colour) and quiz accuracy per week.
func writeActivityText(w io.Writer, rep *ProgressReport) {
	st := rep.Streak
	switch {
	case st.ActiveDays == 0:
		fmt.Fprintln(w, "\nStreak: no activity yet.")
	case st.Current == 0:
		fmt.Fprintf(w, "\nStreak: none right now (best %d day(s)); last active %s.\n", st.Best, st.LastActive)
	default:
		today := "keep it going today"
		if st.ActiveToday {
			today = "today done"
		}
		fmt.Fprintf(w, "\nStreak: %d day(s) (best %d), %s.\n", st.Current, st.Best, today)
	}
	if rep.model == nil {
		return
	}
	grid := rep.model.Heatmap(progressActivityWeeks)
	fmt.Fprintf(w, "\nActivity, last %d weeks (%d event(s) on %d day(s)):\n", progressActivityWeeks, grid.Total, grid.ActiveDays)
	labels := [7]string{"Mon", "", "Wed", "", "Fri", "", "Sun"}
	for d := range 7 {
		var b strings.Builder
		fmt.Fprintf(&b, "  %-3s ", labels[d])
		for _, week := range grid.Weeks {
			if week[d].Future {
				b.WriteString("  ")
				continue
			}
			b.WriteString(activity.Glyph(week[d].Level) + " ")
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintln(w, "      less · ░ ▒ ▓ █ more")
	var spark []string
	answered := 0
	for _, wk := range rep.QuizWeekly {
		answered += wk.Answered
		if wk.Answered == 0 {
			spark = append(spark, "·")
		} else {
			spark = append(spark, activity.Spark(wk.Accuracy))
		}
	}
	if answered > 0 {
		last := rep.QuizWeekly[len(rep.QuizWeekly)-1]
		now := "nothing answered this week"
		if last.Answered > 0 {
			now = fmt.Sprintf("%d%% of %d this week", int(last.Accuracy*100+0.5), last.Answered)
		}
		fmt.Fprintf(w, "\nQuiz accuracy, last %d weeks: %s (%s)\n", progressQuizWeeks, strings.Join(spark, ""), now)
	}
}
