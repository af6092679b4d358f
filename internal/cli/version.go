package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/kaizen-mlops/kaizen/internal/store"
)

// Version is set at build time with -ldflags "-X github.com/kaizen-mlops/kaizen/internal/cli.Version=v1.2.3".
var Version = ""

func versionString() string {
	v := Version
	if v == "" {
		v = "dev"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
	}
	return v
}

func newVersionCmd(g *Global) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kaizen's version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(g.Stdout, "kaizen %s (%s, %s/%s, progress schema %d)\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH, store.SchemaVersion())
			return nil
		},
	}
}
