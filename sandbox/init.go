package sandbox

import "os"

// helperArg is argv[1] of the helper process. Only Run passes it; it is long and odd so that
// no command line of kaizen's own collides with it.
const helperArg = "__kaizen-sandbox-helper-v1__"

// Init turns the process into the sandbox helper when Run started it as one, and never
// returns in that case. In every other process it returns at once: it compares one argument
// and allocates nothing, so it costs nothing on a TUI's start-up path.
//
// Call it first thing in main (and in TestMain of tests that call Run), before anything
// starts goroutines, opens files or parses flags. See the package documentation.
func Init() {
	if len(os.Args) < 2 || os.Args[1] != helperArg {
		return
	}
	helperMain()
}
