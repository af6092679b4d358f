// Command kaizen is a terminal app that teaches MLOps. See README.md.
package main

import (
	"os"

	"github.com/kaizen-mlops/kaizen/internal/cli"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

func main() {
	// When started as the sandbox's helper (a re-exec of this binary), this sets up the
	// isolation and runs the learner's command; it never returns then. Otherwise it
	// returns at once.
	sandbox.Init()
	os.Exit(cli.Main())
}
