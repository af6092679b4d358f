package cli

import (
	"fmt"
	"io"
	"os"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/tui"
)

// ReadOptions configure `kaizen read`.
type ReadOptions struct {
	LessonID string
	Width    int
	Styled   bool
	Dark     bool
}

func newReadCmd(g *Global) *cobra.Command {
	opts := &ReadOptions{}
	cmd := &cobra.Command{
		Use:   "read LESSON_ID",
		Short: "Print a lesson (styled on a terminal, plain text when piped)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.LessonID = args[0]
			out, ok := g.Stdout.(*os.File)
			opts.Styled = ok && term.IsTerminal(out.Fd()) && !g.NoColor && os.Getenv("NO_COLOR") == ""
			if opts.Width == 0 {
				opts.Width = 80
				if ok {
					if w, _, err := term.GetSize(out.Fd()); err == nil && w > 0 {
						opts.Width = min(w, 100)
					}
				}
			}
			opts.Dark = true
			if dark := themeDark(g); dark != nil {
				opts.Dark = *dark
			} else if opts.Styled {
				opts.Dark = lipgloss.HasDarkBackground(os.Stdin, out)
			}
			return runRead(g, opts, g.Stdout)
		},
	}
	cmd.Flags().IntVar(&opts.Width, "width", 0, "wrap at `N` columns (default: the terminal's, up to 100)")
	return cmd
}

func runRead(g *Global, opts *ReadOptions, w io.Writer) error {
	cat, err := app.LoadCourse(g.Course)
	if err != nil {
		return err
	}
	l, ok := cat.Lesson(opts.LessonID)
	if !ok {
		return fmt.Errorf("no lesson with id %q in course %s (list ids with `kaizen progress --json`)", opts.LessonID, cat.ID)
	}
	style := "notty"
	if opts.Styled {
		style = "light"
		if opts.Dark {
			style = "dark"
		}
	}
	text, err := tui.RenderMarkdown(tui.LessonMarkdown(l), opts.Width, style)
	if err != nil {
		return fmt.Errorf("render %s: %w", l.ID, err)
	}
	_, err = io.WriteString(w, text)
	return err
}
