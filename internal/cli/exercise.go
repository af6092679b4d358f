package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/exercises"
	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

func newExerciseCmd(g *Global) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "exercise",
		Aliases: []string{"ex"},
		Short:   "Automation exercises: list, start, check, hint, reset, solution",
		Args:    noArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newExListCmd(g), newExStartCmd(g), newExCheckCmd(g), newExHintCmd(g), newExResetCmd(g), newExSolutionCmd(g))
	return cmd
}

// practiceSession opens the course, the store and the exercise runner.
func practiceSession(ctx context.Context, g *Global) (*session, *app.Practice, error) {
	s, err := openSession(ctx, g)
	if err != nil {
		return nil, nil, err
	}
	return s, &app.Practice{Store: s.store, Learner: s.learner.ID, Root: s.paths.Workspace, Now: g.Now}, nil
}

// openExercise opens the practice session and finds the exercise named on the command line.
func openExercise(ctx context.Context, g *Global, id string) (*session, *app.Practice, *exercises.Exercise, error) {
	s, p, err := practiceSession(ctx, g)
	if err != nil {
		return nil, nil, nil, err
	}
	ex, err := findExercise(s.catalog, id)
	if err != nil {
		s.Close()
		return nil, nil, nil, err
	}
	return s, p, ex, nil
}

func findExercise(cat *course.Catalog, id string) (*exercises.Exercise, error) {
	if ex, ok := cat.Exercise(id); ok {
		return ex, nil
	}
	var ids []string
	for _, ex := range cat.Exercises {
		ids = append(ids, ex.ID)
	}
	return nil, fmt.Errorf("no exercise with id %q (run `kaizen exercise list`; ids: %s)", id, strings.Join(ids, ", "))
}

// ExerciseListEntry is one line of `kaizen exercise list --json`.
type ExerciseListEntry struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Chapter  string   `json:"chapter"`
	Language string   `json:"language"`
	Tools    []string `json:"tools"`
	Status   string   `json:"status"` // new | started | passed
	Attempts int      `json:"attempts"`
	Hints    int      `json:"hints"`
	Points   float64  `json:"best_points"`
	Max      int      `json:"max_points"`
}

func newExListCmd(g *Global) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the exercises and where you are with each",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := practiceSession(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer s.Close()
			states, err := s.store.Exercises(cmd.Context(), s.learner.ID)
			if err != nil {
				return err
			}
			out := []ExerciseListEntry{}
			for _, ex := range s.catalog.Exercises {
				st := states[ex.ID]
				e := ExerciseListEntry{ID: ex.ID, Title: ex.Title, Chapter: ex.Chapter, Language: ex.Language, Tools: ex.Tools, Status: exerciseStatus(st), Attempts: st.Attempts, Hints: st.Hints, Points: st.BestPoints, Max: ex.MaxPoints()}
				out = append(out, e)
			}
			if asJSON {
				return writeJSON(g.Stdout, out)
			}
			// On a terminal, titles are cut to fit its width, so rows do not wrap.
			titleRoom := 0
			if w := stdoutWidth(g); w > 0 {
				prefix := 0
				for _, e := range out {
					prefix = max(prefix, len(e.ID)+2+max(len(e.Chapter), 7)+2+max(len(e.Language), 8)+2+max(len(e.Status), 6)+2)
				}
				titleRoom = max(w-prefix-1, 12)
			}
			tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCHAPTER\tLANGUAGE\tSTATUS\tTITLE")
			for _, e := range out {
				title := e.Title
				if titleRoom > 0 {
					title = ansi.Truncate(title, titleRoom, "…")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, e.Chapter, e.Language, e.Status, title)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func exerciseStatus(st store.ExerciseState) string {
	switch {
	case st.Passed:
		return "passed"
	case st.Started:
		return "started"
	}
	return "new"
}

func newExStartCmd(g *Global) *cobra.Command {
	return &cobra.Command{
		Use:   "start ID",
		Short: "Copy an exercise's starter files to your workspace and print its path",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, p, ex, err := openExercise(cmd.Context(), g, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			dir, written, err := p.Start(cmd.Context(), ex)
			if err != nil {
				return err
			}
			if len(written) == 0 {
				fmt.Fprintf(g.Stderr, "Your workspace is already there (nothing was overwritten).\n")
			} else {
				fmt.Fprintf(g.Stderr, "Copied %d starter file(s). Edit %s, then run: kaizen exercise check %s\n", len(written), strings.Join(ex.Files, ", "), ex.ID)
			}
			fmt.Fprintln(g.Stdout, dir)
			return nil
		},
	}
}

func newExCheckCmd(g *Global) *cobra.Command {
	var asJSON, watch bool
	var seed uint64
	cmd := &cobra.Command{
		Use:   "check ID",
		Short: "Check your work in the sandbox (exit 0 when every check passes)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, p, ex, err := openExercise(cmd.Context(), g, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			if !watch {
				rep, err := p.Check(cmd.Context(), ex, seed)
				if err != nil {
					return err
				}
				if asJSON {
					if err := writeJSON(g.Stdout, rep); err != nil {
						return err
					}
				} else {
					writeReport(g.Stdout, ex, rep)
				}
				if !rep.Passed {
					return SilentError{Code: ExitFailure}
				}
				return nil
			}
			return watchChecks(cmd.Context(), g, p, ex, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().BoolVar(&watch, "watch", false, "check again on every save, until ctrl+c")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "fixture seed (default: a new one each attempt)")
	return cmd
}

// watchChecks re-checks on every save until interrupted; the exit code is the last check's.
func watchChecks(ctx context.Context, g *Global, p *app.Practice, ex *exercises.Exercise, asJSON bool) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if _, _, err := p.Start(ctx, ex); err != nil {
		return err
	}
	dir := p.Workspace(ex)
	passed := false
	check := func() {
		rep, err := p.Check(ctx, ex, 0)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			fmt.Fprintf(g.Stderr, "kaizen: %v\n", err)
			return
		}
		passed = rep.Passed
		if asJSON {
			_ = writeJSONLine(g.Stdout, rep)
			return
		}
		fmt.Fprintf(g.Stdout, "\n── %s ── %s\n", time.Now().Format("15:04:05"), ex.Title)
		writeReport(g.Stdout, ex, rep)
	}
	fmt.Fprintf(g.Stderr, "Watching %s: kaizen checks on every save. Press ctrl+c to stop.\n", dir)
	check()
	err := exercises.Watch(ctx, dir, 300*time.Millisecond, check)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if !passed {
		return SilentError{Code: ExitFailure}
	}
	return nil
}

func writeJSONLine(w io.Writer, v any) error {
	return writeJSON(w, v)
}

// writeReport prints one line per check, with the reason for each that did not pass.
func writeReport(w io.Writer, ex *exercises.Exercise, rep *exercises.Report) {
	for _, r := range rep.Results {
		mark := "✓ pass "
		switch r.Status {
		case exercises.Fail:
			mark = "✗ fail "
		case exercises.Error:
			mark = "! error"
		}
		fmt.Fprintf(w, "%s  %s (%d/%d)\n", mark, r.Name, r.Points, r.MaxPoints)
		if r.Status != exercises.Pass && r.Reason != "" {
			for _, line := range strings.Split(strings.TrimSpace(r.Reason), "\n") {
				fmt.Fprintf(w, "         %s\n", line)
			}
		}
	}
	verdict := "Not yet"
	if rep.Passed {
		verdict = "All checks pass"
	}
	fmt.Fprintf(w, "\n%s: %d/%d points. %s\n", verdict, rep.Points, rep.MaxPoints, isolationLine(rep))
	if !rep.Passed {
		fmt.Fprintf(w, "Stuck? kaizen exercise hint %s\n", ex.ID)
	}
}

func isolationLine(rep *exercises.Report) string {
	s := "isolation: " + rep.Isolation
	if len(rep.Layers) > 0 {
		s += " — " + rep.IsolationSummary()
	}
	return s
}

func newExHintCmd(g *Global) *cobra.Command {
	return &cobra.Command{
		Use:   "hint ID",
		Short: "Show the next hint (nudge, then concept, then a partial answer)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, p, ex, err := openExercise(cmd.Context(), g, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			rung, text, err := p.Hint(cmd.Context(), ex)
			if err != nil {
				return err
			}
			names := []string{"nudge", "concept", "partial answer"}
			fmt.Fprintf(g.Stdout, "Hint %d of 3 (%s):\n%s\n", rung, names[rung-1], strings.TrimSpace(text))
			return nil
		},
	}
}

func newExResetCmd(g *Global) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "reset ID",
		Short: "Start an exercise afresh (your work is kept in a backup)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, p, ex, err := openExercise(cmd.Context(), g, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			if !yes {
				fmt.Fprintf(g.Stderr, "Reset %s? Your current files move to a backup. Type yes: ", ex.ID)
				var answer string
				fmt.Fscanln(g.Stdin, &answer)
				if strings.ToLower(strings.TrimSpace(answer)) != "yes" {
					fmt.Fprintln(g.Stderr, "Nothing changed.")
					return SilentError{Code: ExitFailure}
				}
			}
			backup, err := p.Reset(cmd.Context(), ex)
			if err != nil {
				return err
			}
			if backup != "" {
				fmt.Fprintf(g.Stdout, "Your previous work is in %s\n", backup)
			}
			fmt.Fprintf(g.Stdout, "Fresh starter files in %s\n", p.Workspace(ex))
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask")
	return cmd
}

func newExSolutionCmd(g *Global) *cobra.Command {
	var giveUp bool
	cmd := &cobra.Command{
		Use:   "solution ID",
		Short: "Show the reference solution (after a pass, or with --give-up)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, p, ex, err := openExercise(cmd.Context(), g, args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			dir, files, err := p.Solution(cmd.Context(), ex, giveUp)
			if errors.Is(err, app.ErrSolutionLocked) {
				return fmt.Errorf("%v: pass `kaizen exercise check %s` first, or run `kaizen exercise solution %s --give-up`", err, ex.ID, ex.ID)
			}
			if err != nil {
				return err
			}
			names := make([]string, 0, len(files))
			for n := range files {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				fmt.Fprintf(g.Stdout, "──── %s ────\n%s\n", n, strings.TrimRight(string(files[n]), "\n"))
			}
			fmt.Fprintf(g.Stderr, "\nThe solution's files are also in %s\n", dir)
			return nil
		},
	}
	cmd.Flags().BoolVar(&giveUp, "give-up", false, "unlock the solution without passing (recorded)")
	return cmd
}

// newCourseTestCmd runs every exercise's starter (must fail) and solution (must pass, three
// times) in the sandbox.
func newCourseTestCmd(g *Global) *cobra.Command {
	var asJSON bool
	var runs int
	cmd := &cobra.Command{
		Use:   "test [DIR]",
		Short: "Check every exercise: the starter must fail, the solution must pass three times",
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, source, err := courseFS(g, args)
			if err != nil {
				return err
			}
			exs, probs := exercises.LoadCourse(fsys)
			if len(probs) > 0 {
				for _, p := range probs {
					fmt.Fprintln(g.Stdout, p.String())
				}
				return fmt.Errorf("%d problem(s) in the exercises of %s; fix them first (kaizen course lint)", len(probs), source)
			}
			start := time.Now()
			vs := exercises.VerifyCourse(cmd.Context(), exs, exercises.VerifyOptions{
				Check:        exercises.Options{Runner: exercises.RunnerFunc(sandbox.Run), Seed: uint64(time.Now().UnixNano())},
				SolutionRuns: runs,
			})
			if asJSON {
				if err := writeJSON(g.Stdout, vs); err != nil {
					return err
				}
			} else {
				vs.WriteTable(g.Stdout)
				passed := 0
				for _, v := range vs {
					if v.OK() {
						passed++
					}
				}
				fmt.Fprintf(g.Stdout, "\n%d exercise(s) checked in %s\n%d passed, %d failed\n", len(exs), time.Since(start).Round(time.Millisecond), passed, len(vs)-passed)
			}
			if !vs.OK() {
				return SilentError{Code: ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&runs, "runs", exercises.DefaultSolutionRuns, "how many times each solution must pass (different seeds)")
	return cmd
}
