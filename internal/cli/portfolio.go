package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/internal/progress"
	"github.com/kaizen-mlops/kaizen/portfolio"
)

// PortfolioOptions are the flags of `kaizen portfolio`.
type PortfolioOptions struct {
	Format string // md, html or both
	Out    string
	Force  bool
	Name   string
	JSON   bool
}

func newPortfolioCmd(g *Global) *cobra.Command {
	o := &PortfolioOptions{}
	cmd := &cobra.Command{
		Use:   "portfolio",
		Short: "Write your portfolio: README.md and a standalone index.html",
		Long: `Write a portfolio of your work into one directory: README.md (ready to be a GitHub
profile or repository README), index.html (one standalone page, good on a phone and on paper),
activity.svg, and your own files of every passed exercise under exercises/<id>/.

Included: passed exercises with their check results and the links you attached, case-study
runs, and only the discussion answers you marked for the portfolio.

Attach links with: kaizen portfolio link ID --repo URL --video URL`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPortfolio(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", "both", "what to write: md, html or both")
	f.StringVar(&o.Out, "out", portfolio.DefaultDir, "write into `DIR` (new or empty, unless --force)")
	f.BoolVar(&o.Force, "force", false, "write into a non-empty directory, replacing only the files kaizen wrote there before")
	f.StringVar(&o.Name, "name", "", "your name for the page title")
	f.BoolVar(&o.JSON, "json", false, "print what was written as JSON")
	cmd.AddCommand(newPortfolioLinkCmd(g))
	return cmd
}

func runPortfolio(ctx context.Context, g *Global, o *PortfolioOptions) error {
	opt := portfolio.ExportOptions{Dir: o.Out, Force: o.Force}
	switch strings.ToLower(o.Format) {
	case "md", "markdown":
		opt.Markdown = true
	case "html":
		opt.HTML = true
	case "both", "":
		opt.Markdown, opt.HTML = true, true
	default:
		return usagef("--format must be md, html or both, not %q", o.Format)
	}
	if strings.TrimSpace(o.Out) == "" {
		return usagef("--out needs a directory")
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	name := o.Name
	if name == "" {
		name = s.learner.Name
	}
	m, err := progress.Load(ctx, progress.Source{Store: s.store, Learner: s.learner.ID, Name: name, Catalog: s.catalog, Workspace: s.paths.Workspace, Now: g.Now()})
	if err != nil {
		return err
	}
	res, err := portfolio.Export(m, opt)
	var ne *portfolio.NotEmptyError
	var ce *portfolio.ConflictError
	switch {
	case errors.As(err, &ne), errors.As(err, &ce):
		return err // exit 1 with the message, which says what to do
	case err != nil:
		return fmt.Errorf("write portfolio: %w", err)
	}
	if o.JSON {
		return writeJSON(g.Stdout, res)
	}
	writeExportReport(g.Stdout, res, m)
	return nil
}

func writeExportReport(w io.Writer, res *portfolio.ExportResult, m *portfolio.Model) {
	solution := 0
	var main []string
	for _, p := range res.Written {
		if strings.HasPrefix(p, portfolio.ExercisesDir+"/") {
			solution++
		} else {
			main = append(main, p)
		}
	}
	fmt.Fprintf(w, "Wrote %s: %s", res.Dir, strings.Join(main, ", "))
	if solution > 0 {
		fmt.Fprintf(w, " and %d solution file(s) under %s/", solution, portfolio.ExercisesDir)
	}
	fmt.Fprintln(w, ".")
	fmt.Fprintf(w, "It shows %s, %s and %s you chose.\n",
		countNoun(len(m.Passed()), "passed exercise", "passed exercises"), countNoun(len(m.PlayedCases()), "case study played", "case studies played"),
		countNoun(len(m.Essays), "discussion answer", "discussion answers"))
	if len(res.Removed) > 0 {
		fmt.Fprintf(w, "Removed %d file(s) of the earlier export that are no longer part of it.\n", len(res.Removed))
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(w, "No solution files found for: %s (the workspace is gone).\n", strings.Join(res.Missing, ", "))
	}
	if len(res.Skipped) > 0 {
		fmt.Fprintln(w, "Not copied:")
		for _, s := range res.Skipped {
			fmt.Fprintf(w, "  %s: %s\n", s.Path, s.Reason)
		}
	}
	if len(m.Essays) == 0 {
		fmt.Fprintln(w, "Tip: mark discussion answers for the portfolio in the app (★) to include them.")
	}
	fmt.Fprintf(w, "Open %s in a browser, or push the folder to GitHub.\n", filepath.Join(res.Dir, portfolio.HTMLFile))
}

// PortfolioLinkOptions are the flags of `kaizen portfolio link`.
type PortfolioLinkOptions struct {
	Repo, Video       string
	RepoSet, VideoSet bool
	JSON              bool
}

// LinkReport is the JSON shape of `kaizen portfolio link --json`.
type LinkReport struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"` // exercise or case_study
	Title string `json:"title"`
	Repo  string `json:"repo"`
	Video string `json:"video"`
}

func newPortfolioLinkCmd(g *Global) *cobra.Command {
	o := &PortfolioLinkOptions{}
	cmd := &cobra.Command{
		Use:   "link ID [--repo URL] [--video URL]",
		Short: "Attach your repository and walkthrough video to an exercise or case study",
		Long: `Attach links to an exercise or a case study (by id); they appear in the portfolio.
Links must be https. A flag left out keeps the current link; an empty value (--video "") removes
it. With no flag, the current links are printed.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.RepoSet, o.VideoSet = cmd.Flags().Changed("repo"), cmd.Flags().Changed("video")
			return runPortfolioLink(cmd.Context(), g, args[0], o)
		},
	}
	cmd.Flags().StringVar(&o.Repo, "repo", "", "`URL` of your own repository (https)")
	cmd.Flags().StringVar(&o.Video, "video", "", "`URL` of your walkthrough video (https)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the links as JSON")
	return cmd
}

func runPortfolioLink(ctx context.Context, g *Global, id string, o *PortfolioLinkOptions) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	rep := LinkReport{ID: id}
	if cs, ok := s.catalog.Case(id); ok {
		rep.Kind, rep.Title = "case_study", cs.Title
	} else {
		states, err := s.store.Exercises(ctx, s.learner.ID)
		if err != nil {
			return err
		}
		if _, ok := states[id]; ok {
			rep.Kind, rep.Title = "exercise", id
		}
		if ex := progress.CourseExercises(s.catalog); ex != nil {
			for _, info := range ex.ExerciseInfos() {
				if info.ID == id {
					rep.Kind, rep.Title = "exercise", info.Title
				}
			}
		}
	}
	if rep.Kind == "" {
		return fmt.Errorf("no exercise or case study with id %q (see `kaizen exercise list` and `kaizen case list`)", id)
	}
	links, err := s.store.Links(ctx, s.learner.ID)
	if err != nil {
		return err
	}
	cur := links[id]
	rep.Repo, rep.Video = cur.Repo, cur.Video
	if o.RepoSet || o.VideoSet {
		if o.RepoSet {
			rep.Repo = o.Repo
		}
		if o.VideoSet {
			rep.Video = o.Video
		}
		l, err := portfolio.ValidateLinks(rep.Repo, rep.Video)
		if err != nil {
			return UsageError{err}
		}
		rep.Repo, rep.Video = l.Repo, l.Video
		if err := s.store.SetLink(ctx, s.learner.ID, id, l.Repo, l.Video); err != nil {
			return fmt.Errorf("save links: %w", err)
		}
	}
	if o.JSON {
		return writeJSON(g.Stdout, rep)
	}
	show := func(u string) string {
		if u == "" {
			return "none"
		}
		return u
	}
	verb := "Links of"
	if o.RepoSet || o.VideoSet {
		verb = "Saved links of"
	}
	fmt.Fprintf(g.Stdout, "%s %s (%s):\n  repository  %s\n  video       %s\n", verb, rep.Title, id, show(rep.Repo), show(rep.Video))
	return nil
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
