package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/assets"
	"github.com/kaizen-mlops/kaizen/internal/course"
)

func newCourseCmd(g *Global) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "course",
		Short: "Work on course files: init, lint, stats, test",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newCourseLintCmd(g), newCourseStatsCmd(g), newCourseInitCmd(g), newCourseTestCmd(g))
	return cmd
}

// courseFS opens the course to inspect: the argument, else --course, else the embedded one.
func courseFS(g *Global, args []string) (fs.FS, string, error) {
	dir := g.Course
	if len(args) > 0 {
		dir = args[0]
	}
	if dir == "" {
		return assets.Course(), "embedded", nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, "", fmt.Errorf("course directory %s: %w", dir, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return nil, "", fmt.Errorf("course directory %s: not a directory", dir)
	}
	return os.DirFS(dir), dir, nil
}

func newCourseLintCmd(g *Global) *cobra.Command {
	return &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check every course file; print each problem as file:line: message",
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, source, err := courseFS(g, args)
			if err != nil {
				return err
			}
			_, probs := course.Lint(fsys, source)
			for _, p := range probs {
				fmt.Fprintln(g.Stdout, p.String())
			}
			if len(probs) > 0 {
				fmt.Fprintf(g.Stderr, "%d problem(s) in course %s\n", len(probs), source)
				return SilentError{Code: ExitFailure}
			}
			fmt.Fprintf(g.Stderr, "course %s: no problems\n", source)
			return nil
		},
	}
}

func newCourseStatsCmd(g *Global) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats [DIR]",
		Short: "Count what a course holds, per chapter",
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, source, err := courseFS(g, args)
			if err != nil {
				return err
			}
			cat, probs := course.Lint(fsys, source)
			if cat.ID == "" && len(probs) > 0 {
				return &course.ProblemsError{Source: source, Problems: probs}
			}
			st := course.ComputeStats(cat)
			if asJSON {
				return writeJSON(g.Stdout, st)
			}
			return writeStatsTable(g.Stdout, st)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func writeStatsTable(w io.Writer, st course.Stats) error {
	fmt.Fprintf(w, "%s (%s, version %s)\n\n", st.Title, st.ID, st.Version)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "CHAPTER\tLESSONS\tWORDS\tMINUTES\tQUESTIONS\tPROMPTS\tEXERCISES\t")
	for _, ch := range st.Chapters {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", ch.ID, ch.Lessons, ch.Words, ch.Minutes, ch.Questions, ch.Prompts, ch.Exercises)
	}
	t := st.Totals
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\t%d\t\n", t.Lessons, t.Words, t.Minutes, t.Questions, t.Prompts, t.Exercises)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nglossary terms: %d · case studies: %d\n", st.GlossaryTerms, st.CaseStudies)
	return nil
}

func newCourseInitCmd(g *Global) *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Write a copy of the built-in course to DIR, to adapt",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
				return fmt.Errorf("%s is not empty; choose a new directory", dir)
			}
			n, err := copyFS(assets.Course(), dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.Stdout, "Wrote %d files to %s.\nEdit them, then check with: kaizen course lint %s\nRun it with:          kaizen --course %s\n", n, dir, dir, dir)
			return nil
		},
	}
}

// copyFS writes every file of fsys under dir.
func copyFS(fsys fs.FS, dir string) (int, error) {
	n := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if info, err := d.Info(); err == nil && info.Mode()&0o111 != 0 {
			mode = 0o755
		}
		n++
		return os.WriteFile(target, data, mode)
	})
	if err != nil {
		return n, fmt.Errorf("write course to %s: %w", dir, err)
	}
	return n, nil
}
