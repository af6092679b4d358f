// Command kaizen is a terminal app that teaches MLOps. See README.md.
package main

import (
	"os"

	"github.com/kaizen-mlops/kaizen/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
