package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/classroom"
	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/internal/tui"
)

// ClassOptions are the flags shared by `kaizen class` and its subcommands.
type ClassOptions struct {
	Data string
	Poll time.Duration
}

func newClassCmd(g *Global) *cobra.Command {
	o := &ClassOptions{}
	cmd := &cobra.Command{
		Use:   "class",
		Short: "Instructor dashboard, gradebook and progress-file import",
		Long: `With no subcommand, open the instructor dashboard: the class table (sortable, live while
"kaizen serve" runs on the same data directory) and each learner's answers and exercise attempts.

  kaizen class report [--format table|csv|json|md|html] [--out FILE]   the gradebook
  kaizen class import FILE...                                       merge students' exported progress`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClassDashboard(cmd.Context(), g, o)
		},
	}
	cmd.PersistentFlags().StringVar(&o.Data, "data", "", "class data directory `DIR` (default <home>/class, as for kaizen serve)")
	cmd.Flags().DurationVar(&o.Poll, "poll", tui.DefaultClassPoll, "how often the dashboard rereads the class")
	cmd.AddCommand(newClassReportCmd(g, o), newClassImportCmd(g, o))
	return cmd
}

// openClass opens an existing class database with its course. It refuses a directory with
// no class in it rather than creating an empty database there.
func openClass(ctx context.Context, g *Global, o *ClassOptions, create bool) (*store.Store, *course.Catalog, string, error) {
	dir, err := classDataDir(g, o.Data)
	if err != nil {
		return nil, nil, "", err
	}
	db := filepath.Join(dir, "progress.db")
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) && !create {
		return nil, nil, "", fmt.Errorf("no class in %s yet: it fills when students log in to `kaizen serve --data %s`, or when you `kaizen class import` their progress files", dir, dir)
	}
	if create {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, "", fmt.Errorf("class data directory: %w", err)
		}
	}
	cat, err := app.LoadCourse(g.Course)
	if err != nil {
		return nil, nil, "", err
	}
	st, err := store.Open(ctx, db, store.Options{CourseID: cat.ID, CourseVersion: cat.Version, Now: g.Now})
	if err != nil {
		return nil, nil, "", err
	}
	return st, cat, dir, nil
}

func runClassDashboard(ctx context.Context, g *Global, o *ClassOptions) error {
	if !isTerminal(g.Stdin) || !isTerminal(g.Stdout) {
		return errors.New("the class dashboard needs a terminal; without one, use `kaizen class report`")
	}
	st, cat, _, err := openClass(ctx, g, o, false)
	if err != nil {
		return err
	}
	defer st.Close()
	w, h := 0, 0
	if f, ok := g.Stdout.(*os.File); ok {
		w, h, _ = term.GetSize(f.Fd())
	}
	common := &tui.Common{Ctx: ctx, Catalog: cat, Store: st, Now: g.Now, Width: w, Height: h}
	model := tui.NewClassApp(common, tui.Options{AltScreen: true, IsDark: themeDark(g)}, o.Poll)
	progOpts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(g.Stdin), tea.WithOutput(g.Stdout)}
	if g.NoColor {
		progOpts = append(progOpts, tea.WithEnvironment(append(os.Environ(), "NO_COLOR=1")))
	}
	if _, err := tea.NewProgram(model, progOpts...).Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("dashboard: %w", err)
	}
	return model.Err()
}

// ClassReportOptions are the flags of `kaizen class report`.
type ClassReportOptions struct {
	Format string
	Out    string
	Roster string
}

func newClassReportCmd(g *Global, co *ClassOptions) *cobra.Command {
	o := &ClassReportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print the gradebook: one row per learner",
		Long: `Print the gradebook: per learner, lessons finished, quiz accuracy per chapter, exercises
passed and hints used, discussion answers written, case-study endings found and last seen.

Formats: table (aligned text), csv (for an LMS gradebook import: one column per graded item,
in points, with a "Points Possible" row), json, md (Markdown) and html (one standalone page).
With --out and no --format, the format follows the file's extension.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClassReport(cmd.Context(), g, co, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", "", "table, csv, json, md or html (default table, or from --out's extension)")
	f.StringVar(&o.Out, "out", "", "write to `FILE` instead of standard output")
	f.StringVar(&o.Roster, "roster", "", "also list the students of this roster `FILE` who never logged in")
	return cmd
}

func reportFormat(o *ClassReportOptions) (string, error) {
	format := o.Format
	if format == "" {
		switch strings.ToLower(filepath.Ext(o.Out)) {
		case ".csv":
			format = "csv"
		case ".json":
			format = "json"
		case ".md", ".markdown":
			format = "md"
		case ".html", ".htm":
			format = "html"
		default:
			format = "table"
		}
	}
	for _, f := range classroom.Formats {
		if f == format {
			return format, nil
		}
	}
	return "", usagef("--format %q: want one of %s", format, strings.Join(classroom.Formats, ", "))
}

func runClassReport(ctx context.Context, g *Global, co *ClassOptions, o *ClassReportOptions) error {
	format, err := reportFormat(o)
	if err != nil {
		return err
	}
	var roster *classroom.Roster
	if o.Roster != "" {
		if roster, err = classroom.LoadRoster(o.Roster); err != nil {
			return err
		}
	}
	st, cat, _, err := openClass(ctx, g, co, false)
	if err != nil {
		return err
	}
	defer st.Close()
	recs, err := st.ClassRecords(ctx)
	if err != nil {
		return err
	}
	if roster != nil {
		seen := map[string]bool{}
		for _, r := range recs {
			seen[r.Key] = true
		}
		for _, s := range roster.Students {
			if !seen[s.LearnerKey()] {
				recs = append(recs, classroom.Record{Key: s.LearnerKey(), Name: s.Name, StudentID: s.StudentID})
			}
		}
	}
	gb := classroom.Build(classroom.CourseFromCatalog(cat), recs, g.Now())
	var buf bytes.Buffer
	if err := classroom.Write(&buf, gb, format); err != nil {
		return err
	}
	if o.Out == "" || o.Out == "-" {
		_, err := g.Stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(o.Out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "Wrote the gradebook of %d learner(s) (%s) to %s\n", len(gb.Rows), format, o.Out)
	return nil
}

// writeFileAtomic writes a file whole or not at all.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func newClassImportCmd(g *Global, co *ClassOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Merge students' exported progress files into the class",
		Long: `Merge progress files written by "kaizen export" into the class data directory. Importing a
file twice changes nothing; a later export of the same student adds only what is new. Every
file is checked first (format, checksum, course): if any is damaged, edited or for another
course, nothing is imported.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("%s needs at least one progress file", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClassImport(cmd.Context(), g, co, args, g.Stdout)
		},
	}
	return cmd
}

func runClassImport(ctx context.Context, g *Global, co *ClassOptions, files []string, w io.Writer) error {
	// Read and verify every file before touching the database.
	payloads := make([]*store.ExportPayload, 0, len(files))
	cat, err := app.LoadCourse(g.Course)
	if err != nil {
		return err
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return fmt.Errorf("%s: %w; nothing was imported", f, err)
		}
		p, err := store.ReadExport(fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("%s: %w; nothing was imported", f, err)
		}
		if p.Course.ID != cat.ID {
			return fmt.Errorf("%s: %w: it holds progress in course %q, this class uses %q (give the right --course DIR); nothing was imported", f, store.ErrOtherCourse, p.Course.ID, cat.ID)
		}
		payloads = append(payloads, p)
	}
	st, _, dir, err := openClass(ctx, g, co, true)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.Import(ctx, cat.ID, payloads)
	if err != nil {
		return fmt.Errorf("import: %w; nothing was imported", err)
	}
	added := 0
	for i, r := range res {
		who := r.Name
		if who == "" {
			who = r.LearnerKey
		}
		if r.StudentID != "" {
			who += " (student " + r.StudentID + ")"
		}
		note := ""
		switch {
		case r.NewLearner:
			note = ", new learner"
		case r.Added == 0:
			note = ", already imported"
		}
		fmt.Fprintf(w, "%s: %s: %d of %d event(s) new%s\n", files[i], who, r.Added, r.Events, note)
		added += r.Added
	}
	fmt.Fprintf(w, "Merged %d event(s) from %d file(s) into %s\n", added, len(res), dir)
	return nil
}
