package cli

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/classroom"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// ExportOptions are the flags of `kaizen export`.
type ExportOptions struct {
	Out       string
	Name      string
	StudentID string
}

func newExportCmd(g *Global) *cobra.Command {
	o := &ExportOptions{}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write your progress to one file for your instructor",
		Long: `Write your progress in this course (every recorded action, versioned, with a checksum) to
one file your instructor merges with "kaizen class import". Your name and student id go with
it; they are remembered for next time. Exporting again later is fine: the instructor's import
adds only what is new.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "write to `FILE` (default kaizen-progress-<course>-<date>.json; - for standard output)")
	f.StringVar(&o.Name, "name", "", "your name, as your instructor knows you")
	f.StringVar(&o.StudentID, "student-id", "", "your student id")
	return cmd
}

func runExport(ctx context.Context, g *Global, o *ExportOptions) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	name, sid := s.learner.Name, s.learner.StudentID
	if o.Name != "" {
		if name, err = classroom.CleanName(o.Name); err != nil {
			return usagef("--name: %v", err)
		}
	}
	if o.StudentID != "" {
		sid = o.StudentID
	}
	if name == "" {
		return usagef("say who you are, once: kaizen export --name \"Ada Lovelace\" --student-id 42")
	}
	if name != s.learner.Name || sid != s.learner.StudentID {
		if err := s.store.SetLearnerProfile(ctx, s.learner.ID, name, sid); err != nil {
			return err
		}
	}
	p, err := s.store.Export(ctx, s.learner.ID, store.ExportLearner{Name: name, StudentID: sid}, store.ExportCourse{ID: s.catalog.ID, Version: s.catalog.Version})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := store.WriteExport(&buf, p); err != nil {
		return err
	}
	if o.Out == "-" {
		_, err := g.Stdout.Write(buf.Bytes())
		return err
	}
	out := o.Out
	if out == "" {
		out = fmt.Sprintf("kaizen-progress-%s-%s.json", s.catalog.ID, g.Now().Format(time.DateOnly))
	}
	if err := writeFileAtomic(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	who := name
	if sid != "" {
		who += " (student " + sid + ")"
	}
	fmt.Fprintf(g.Stdout, "Wrote %d event(s) of %s in %s to %s\nSend this file to your instructor; they run: kaizen class import %s\n", len(p.Events), who, s.catalog.Title, out, out)
	return nil
}
