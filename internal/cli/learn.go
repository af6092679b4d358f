package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/internal/plain"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/internal/tui"
	"github.com/kaizen-mlops/kaizen/lessons"
)

func newQuizCmd(g *Global) *cobra.Command {
	return &cobra.Command{
		Use:   "quiz CHAPTER_ID",
		Short: "Open a chapter's quiz",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			// Check the id before taking over the terminal.
			cat, err := loadCourseOnly(g)
			if err != nil {
				return err
			}
			ch, ok := cat.Chapter(id)
			if !ok {
				return fmt.Errorf("no chapter with id %q (chapters: %s)", id, chapterIDs(cat.Chapters))
			}
			if cat.Quiz(id) == nil {
				return fmt.Errorf("chapter %s has no quiz yet", id)
			}
			_ = ch
			return runTUI(cmd.Context(), g, tuiOptions{start: func(c *tui.Common) tui.Screen {
				ch, _ := c.Catalog.Chapter(id)
				return tui.NewQuiz(c, ch)
			}, plain: func(p *plain.Session) error { return p.RunQuiz(id) }})
		},
	}
}

func chapterIDs(chs []*lessons.Chapter) string {
	var ids []string
	for _, ch := range chs {
		ids = append(ids, ch.ID)
	}
	return strings.Join(ids, ", ")
}

// DueCardJSON is one entry of `kaizen review --json`.
type DueCardJSON struct {
	Question string    `json:"question"`
	Chapter  string    `json:"chapter"`
	Prompt   string    `json:"prompt"`
	Due      time.Time `json:"due"`
	State    string    `json:"state"`
	Reps     int       `json:"reps"`
	Lapses   int       `json:"lapses"`
}

// ReviewReport is the shape of `kaizen review --json`.
type ReviewReport struct {
	Now   time.Time     `json:"now"`
	Due   []DueCardJSON `json:"due"`
	Cards int           `json:"cards"`
}

func newReviewCmd(g *Global) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Review the quiz questions that are due (spaced repetition)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !asJSON && (accessible(g) || isTerminal(g.Stdin) && isTerminal(g.Stdout)) {
				return runTUI(cmd.Context(), g, tuiOptions{start: func(c *tui.Common) tui.Screen { return tui.NewReview(c) },
					plain: func(p *plain.Session) error { return p.RunReview() }})
			}
			rep, err := buildReview(cmd.Context(), g, g.Now())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.Stdout, rep)
			}
			return writeReviewTable(g.Stdout, rep)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "list due cards as JSON instead of opening the review")
	return cmd
}

func buildReview(ctx context.Context, g *Global, now time.Time) (*ReviewReport, error) {
	s, err := openSession(ctx, g)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	due, err := s.store.DueCards(ctx, s.learner.ID, now, 0)
	if err != nil {
		return nil, err
	}
	all, err := s.store.Cards(ctx, s.learner.ID)
	if err != nil {
		return nil, err
	}
	rep := &ReviewReport{Now: now.UTC(), Due: []DueCardJSON{}, Cards: len(all)}
	for _, d := range due {
		prompt := ""
		if q, _, ok := s.catalog.Question(d.QuestionID); ok {
			prompt = strings.TrimSpace(q.Prompt)
		}
		rep.Due = append(rep.Due, DueCardJSON{Question: d.QuestionID, Chapter: d.ChapterID, Prompt: prompt, Due: d.Card.Due.UTC(), State: d.Card.State.String(), Reps: d.Card.Reps, Lapses: d.Card.Lapses})
	}
	return rep, nil
}

func writeReviewTable(w io.Writer, rep *ReviewReport) error {
	if len(rep.Due) == 0 {
		fmt.Fprintf(w, "Nothing due for review (%d cards in all).\n", rep.Cards)
		return nil
	}
	fmt.Fprintf(w, "%d of %d cards due for review. Run `kaizen review` in a terminal to answer them.\n\n", len(rep.Due), rep.Cards)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHAPTER\tQUESTION\tDUE")
	for _, d := range rep.Due {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Chapter, truncateText(firstLineOf(d.Prompt), 60), d.Due.Local().Format("2 Jan 15:04"))
	}
	return tw.Flush()
}

func firstLineOf(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// JournalExport is the shape of `kaizen journal --json`.
type JournalExport struct {
	Course  CourseRef          `json:"course"`
	Entries []JournalEntryJSON `json:"entries"`
}

// JournalEntryJSON is one prompt's answer with its revisions.
type JournalEntryJSON struct {
	Prompt    string           `json:"prompt_id"`
	Chapter   string           `json:"chapter"`
	Text      string           `json:"prompt"`
	Traits    []string         `json:"traits"`
	Status    string           `json:"status"`
	Portfolio bool             `json:"portfolio"`
	Draft     string           `json:"draft,omitempty"`
	Revisions []store.Revision `json:"revisions"`
}

func newJournalCmd(g *Global) *cobra.Command {
	var asJSON, asMarkdown bool
	cmd := &cobra.Command{
		Use:   "journal",
		Short: "Export your discussion answers and self-assessments",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON && asMarkdown {
				return usagef("choose one of --json and --markdown")
			}
			exp, err := buildJournal(cmd.Context(), g)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(g.Stdout, exp)
			}
			return writeJournalMarkdown(g.Stdout, exp)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&asMarkdown, "markdown", false, "print Markdown (the default)")
	return cmd
}

func buildJournal(ctx context.Context, g *Global) (*JournalExport, error) {
	s, err := openSession(ctx, g)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	entries, err := s.store.Journal(ctx, s.learner.ID)
	if err != nil {
		return nil, err
	}
	exp := &JournalExport{Course: CourseRef{ID: s.catalog.ID, Title: s.catalog.Title, Version: s.catalog.Version}, Entries: []JournalEntryJSON{}}
	seen := map[string]bool{}
	for _, ch := range s.catalog.Chapters {
		for _, p := range ch.Prompts {
			e, ok := entries[p.ID]
			if !ok {
				continue
			}
			seen[p.ID] = true
			exp.Entries = append(exp.Entries, journalJSON(e, p.Prompt, p.Traits))
		}
	}
	// Answers to prompts the course no longer has are kept, not dropped.
	var rest []string
	for id := range entries {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		exp.Entries = append(exp.Entries, journalJSON(entries[id], "", nil))
	}
	return exp, nil
}

func journalJSON(e *store.JournalEntry, prompt string, traits []lessons.Trait) JournalEntryJSON {
	j := JournalEntryJSON{Prompt: e.PromptID, Chapter: e.ChapterID, Text: strings.TrimSpace(prompt), Status: e.Status, Portfolio: e.Portfolio, Draft: e.Draft, Revisions: e.Revisions, Traits: []string{}}
	if j.Revisions == nil {
		j.Revisions = []store.Revision{}
	}
	for _, t := range traits {
		j.Traits = append(j.Traits, string(t))
	}
	return j
}

func writeJournalMarkdown(w io.Writer, exp *JournalExport) error {
	fmt.Fprintf(w, "# Discussion journal: %s\n\n", exp.Course.Title)
	if len(exp.Entries) == 0 {
		fmt.Fprintln(w, "No answers yet. Open a chapter's Discussion in kaizen to write one.")
		return nil
	}
	names := map[string]string{}
	for _, t := range lessons.Traits() {
		names[string(t.Trait)] = t.Name
	}
	for _, e := range exp.Entries {
		fmt.Fprintf(w, "## %s (%s)\n\n", e.Prompt, e.Chapter)
		if e.Text != "" {
			fmt.Fprintf(w, "> %s\n\n", strings.ReplaceAll(e.Text, "\n", "\n> "))
		}
		if len(e.Revisions) == 0 {
			fmt.Fprintf(w, "_Draft, not saved yet:_\n\n%s\n\n", e.Draft)
			continue
		}
		r := e.Revisions[len(e.Revisions)-1]
		fmt.Fprintf(w, "%s\n\n", r.Body)
		fmt.Fprintf(w, "_Revision %d of %d, saved %s._\n\n", r.Rev, len(e.Revisions), r.SavedAt.Format("2 January 2006"))
		if len(r.Ratings) > 0 {
			fmt.Fprintln(w, "| Trait | Self-rating (1–4) |\n|---|---|")
			var keys []string
			for k := range r.Ratings {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				name := names[k]
				if name == "" {
					name = k
				}
				fmt.Fprintf(w, "| %s | %d |\n", name, r.Ratings[k])
			}
			fmt.Fprintln(w)
		}
		if r.Note != "" {
			fmt.Fprintf(w, "To improve: %s\n\n", r.Note)
		}
	}
	return nil
}
