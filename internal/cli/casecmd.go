package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/casestudies"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/plain"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/internal/tui"
)

func newCaseCmd(g *Global) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "case",
		Short: "Branching case studies: list, play, stats",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCaseListCmd(g), newCasePlayCmd(g), newCaseStatsCmd(g))
	return cmd
}

// CaseListEntry is one line of `kaizen case list --json`.
type CaseListEntry struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Summary      string   `json:"summary"`
	Endings      int      `json:"endings"`
	EndingsFound []string `json:"endings_found"`
	Runs         int      `json:"runs"`
}

func newCaseListCmd(g *Global) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the case studies and the endings you have found",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := openSession(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer s.Close()
			var out []CaseListEntry
			for _, cs := range s.catalog.Cases {
				runs, err := s.store.CaseRuns(cmd.Context(), s.learner.ID, cs.ID)
				if err != nil {
					return err
				}
				e := CaseListEntry{ID: cs.ID, Title: cs.Title, Summary: cs.Summary, Endings: len(cs.Endings), EndingsFound: []string{}, Runs: len(runs)}
				seen := map[string]bool{}
				for _, r := range runs {
					if !seen[r.Data.Ending] {
						seen[r.Data.Ending] = true
						e.EndingsFound = append(e.EndingsFound, r.Data.Ending)
					}
				}
				out = append(out, e)
			}
			if asJSON {
				if out == nil {
					out = []CaseListEntry{}
				}
				return writeJSON(g.Stdout, out)
			}
			tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tENDINGS FOUND\tRUNS")
			for _, e := range out {
				fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%d\n", e.ID, e.Title, len(e.EndingsFound), e.Endings, e.Runs)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func findCase(cat *course.Catalog, id string) (*casestudies.Case, error) {
	if cs, ok := cat.Case(id); ok {
		return cs, nil
	}
	var ids []string
	for _, cs := range cat.Cases {
		ids = append(ids, cs.ID)
	}
	return nil, fmt.Errorf("no case study with id %q (case studies: %s)", id, strings.Join(ids, ", "))
}

// CaseStepJSON is one decision in `kaizen case play --choices ... --json`.
type CaseStepJSON struct {
	Number  int                `json:"number"`
	Scene   string             `json:"scene"`
	Title   string             `json:"title"`
	Choice  string             `json:"choice"`
	Label   string             `json:"label"`
	Deltas  map[string]float64 `json:"deltas"`
	Flags   []string           `json:"flags_set"`
	Notes   []string           `json:"notes"`
	Taught  string             `json:"taught"`
	Gauges  map[string]float64 `json:"gauges"`
	Ending  string             `json:"ending,omitempty"`
	Chapter []string           `json:"chapters"`
}

// CasePlayJSON is the whole output of a scripted play.
type CasePlayJSON struct {
	Case    string             `json:"case"`
	Steps   []CaseStepJSON     `json:"steps"`
	Over    bool               `json:"over"`
	Ending  string             `json:"ending,omitempty"`
	Title   string             `json:"ending_title,omitempty"`
	Gauges  map[string]float64 `json:"gauges"`
	Next    []string           `json:"next_choices,omitempty"` // when the choices ran out before an ending
	Scene   string             `json:"scene,omitempty"`
	Stored  bool               `json:"stored"`
	Debrief []string           `json:"debrief,omitempty"`
}

func newCasePlayCmd(g *Global) *cobra.Command {
	var choices string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "play ID",
		Short: "Play a case study (with --choices: no screen, print every step)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if choices == "" && !asJSON {
				cat, err := loadCourseOnly(g)
				if err != nil {
					return err
				}
				if _, err := findCase(cat, args[0]); err != nil {
					return err
				}
				return runTUI(cmd.Context(), g, tuiOptions{start: func(c *tui.Common) tui.Screen {
					cs, _ := c.Catalog.Case(args[0])
					return tui.NewCaseStudy(c, cs)
				}, plain: func(p *plain.Session) error { return p.RunCase(args[0]) }})
			}
			return runCaseScript(cmd.Context(), g, args[0], choices, asJSON, g.Stdout)
		},
	}
	cmd.Flags().StringVar(&choices, "choices", "", "play these choice keys in order, e.g. B,C,B,A")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the steps as JSON")
	return cmd
}

func runCaseScript(ctx context.Context, g *Global, id, choices string, asJSON bool, w io.Writer) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := findCase(s.catalog, id)
	if err != nil {
		return err
	}
	keys := casestudies.ParseKeys(choices)
	state := casestudies.Start(cs)
	out := CasePlayJSON{Case: cs.ID, Steps: []CaseStepJSON{}}
	for i, k := range keys {
		next, step, err := casestudies.Choose(state, k)
		if err != nil {
			var inv *casestudies.InvalidChoiceError
			if errors.As(err, &inv) || errors.Is(err, casestudies.ErrRunOver) {
				return usagef("choice %d (%q): %v", i+1, k, err)
			}
			return err
		}
		state = next
		sj := CaseStepJSON{Number: step.Number, Scene: step.Scene.ID, Title: step.Scene.Title, Choice: step.Choice.Key, Label: step.Choice.Label,
			Deltas: map[string]float64{}, Flags: []string{}, Notes: step.Notes, Taught: step.Choice.Taught, Gauges: gaugeMap(state), Chapter: step.Choice.Chapters}
		if sj.Notes == nil {
			sj.Notes = []string{}
		}
		if sj.Chapter == nil {
			sj.Chapter = []string{}
		}
		for _, d := range step.Deltas {
			sj.Deltas[d.Gauge.ID] = d.Change()
		}
		for _, f := range step.FlagsSet {
			sj.Flags = append(sj.Flags, f.ID)
		}
		if step.Ending != nil {
			sj.Ending = step.Ending.ID
		}
		out.Steps = append(out.Steps, sj)
	}
	out.Gauges = gaugeMap(state)
	out.Over = state.Over()
	if e, ok := state.Ending(); ok && out.Over {
		out.Ending, out.Title = e.ID, e.Title
		out.Debrief = e.Debrief
		data := store.CaseRunData{Choices: state.Keys(), Ending: e.ID, Title: e.Title, Gauges: out.Gauges}
		if err := s.store.RecordCaseRun(ctx, s.learner.ID, cs.ID, data); err != nil {
			return err
		}
		out.Stored = true
	} else if sc, ok := state.Scene(); ok {
		out.Scene = sc.ID
		for _, ch := range state.Choices() {
			out.Next = append(out.Next, ch.Key)
		}
	}
	if asJSON {
		return writeJSON(w, out)
	}
	for _, st := range out.Steps {
		fmt.Fprintf(w, "%2d. %s: %s. %s\n", st.Number, st.Title, st.Choice, st.Label)
		var parts []string
		for _, gv := range state.Gauges() {
			if d, ok := st.Deltas[gv.ID]; ok && d != 0 {
				parts = append(parts, gv.ID+" "+casestudies.FormatDelta(d))
			}
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "    %s\n", strings.Join(parts, ", "))
		}
	}
	if out.Over {
		fmt.Fprintf(w, "\nEnding: %s (%s)\n", out.Title, out.Ending)
	} else {
		fmt.Fprintf(w, "\nThe run goes on at %s; choose one of %s next.\n", out.Scene, strings.Join(out.Next, ", "))
	}
	return nil
}

func gaugeMap(s casestudies.State) map[string]float64 {
	m := map[string]float64{}
	for _, gv := range s.Gauges() {
		m[gv.ID] = gv.Value
	}
	return m
}

// CaseStatsJSON is the shape of `kaizen case stats --json`.
type CaseStatsJSON struct {
	Case     string            `json:"case"`
	Paths    uint64            `json:"paths"`
	States   int               `json:"states"`
	Endings  []CaseEndingStats `json:"endings"`
	Shortest int               `json:"shortest_run"`
	Longest  int               `json:"longest_run"`
}

// CaseEndingStats counts the paths to one ending.
type CaseEndingStats struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Paths    uint64   `json:"paths"`
	Shortest []string `json:"shortest_path"`
}

func newCaseStatsCmd(g *Global) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats ID",
		Short: "Count the complete paths to each ending and the shortest path to each",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := loadCourseOnly(g)
			if err != nil {
				return err
			}
			cs, err := findCase(cat, args[0])
			if err != nil {
				return err
			}
			st := casestudies.Explore(cs)
			out := caseStatsJSON(cs, st)
			if asJSON {
				return writeJSON(g.Stdout, out)
			}
			fmt.Fprintf(g.Stdout, "%s: %d complete paths, %d distinct states, runs of %d to %d decisions\n\n", cs.Title, out.Paths, out.States, out.Shortest, out.Longest)
			tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ENDING\tPATHS\tSHARE\tSHORTEST PATH")
			for _, e := range out.Endings {
				share := 0.0
				if out.Paths > 0 {
					share = float64(e.Paths) / float64(out.Paths) * 100
				}
				path := strings.Join(e.Shortest, ",")
				if len(e.Shortest) == 0 {
					path = "(unreachable)"
				}
				fmt.Fprintf(tw, "%s\t%d\t%.2f%%\t%s\n", e.Title, e.Paths, share, path)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func caseStatsJSON(cs *casestudies.Case, st casestudies.Stats) CaseStatsJSON {
	out := CaseStatsJSON{Case: cs.ID, Paths: st.Paths, States: st.States, Shortest: st.Shortest, Longest: st.Longest, Endings: []CaseEndingStats{}}
	for _, e := range st.Endings {
		sh := e.Shortest
		if sh == nil {
			sh = []string{}
		}
		out.Endings = append(out.Endings, CaseEndingStats{ID: e.Ending.ID, Title: e.Ending.Title, Paths: e.Paths, Shortest: sh})
	}
	return out
}
