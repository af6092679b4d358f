package cli

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/tui"
)

// applyConfig reads the settings file and fills in what the flags and environment left
// unset: flags first, then environment (NO_COLOR, KAIZEN_ACCESSIBLE), then the file.
func applyConfig(g *Global, cmd *cobra.Command) error {
	paths, err := app.ResolvePaths(g.Home, g.Env)
	if err != nil {
		return nil // commands that need paths report this themselves
	}
	cfg, err := app.LoadConfig(paths.ConfigDir)
	if err != nil {
		return err
	}
	g.Config = cfg
	if !cmd.Flags().Changed("theme") && g.Theme == "" {
		g.Theme = cfg.Theme
	}
	if _, err := tui.ParseTheme(g.Theme); err != nil {
		return UsageError{err}
	}
	if !cmd.Flags().Changed("accessible") && !g.Accessible {
		g.Accessible = cfg.Accessible || envTrue(g.Env.Getenv("KAIZEN_ACCESSIBLE"))
	}
	if g.Env.Getenv("NO_COLOR") != "" {
		g.NoColor = true
	}
	return nil
}

func envTrue(v string) bool {
	switch v {
	case "1", "true", "TRUE", "yes", "on":
		return true
	}
	return false
}

func newConfigCmd(g *Global) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config [set KEY VALUE]",
		Short: "Show or change settings (theme, accessible, reading_width)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := app.ResolvePaths(g.Home, g.Env)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.Stdout, "settings file: %s\n\n", filepath.Join(paths.ConfigDir, app.ConfigFile))
			theme := g.Config.Theme
			if theme == "" {
				theme = "auto"
			}
			width := g.Config.ReadingWidth
			if width == 0 {
				width = app.DefaultReadingWidth
			}
			fmt.Fprintf(g.Stdout, "theme          %s\naccessible     %v\nreading_width  %d\n", theme, g.Config.Accessible, width)
			return nil
		},
	}
	set := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change a setting",
		Args:  exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			paths, err := app.ResolvePaths(g.Home, g.Env)
			if err != nil {
				return err
			}
			cfg, err := app.LoadConfig(paths.ConfigDir)
			if err != nil {
				return err
			}
			if err := cfg.Set(args[0], args[1]); err != nil {
				var keys []string
				for k, v := range app.ConfigKeys() {
					keys = append(keys, "  "+k+": "+v)
				}
				sort.Strings(keys)
				return usagef("%v\n%s", err, joinLines(keys))
			}
			if err := app.SaveConfig(paths.ConfigDir, cfg); err != nil {
				return err
			}
			fmt.Fprintf(g.Stdout, "%s = %s\n", args[0], args[1])
			return nil
		},
	}
	cmd.AddCommand(set)
	return cmd
}

func joinLines(lines []string) string {
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "\n"
		}
		out += l
	}
	return out
}
