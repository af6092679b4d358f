package cli

import (
	"runtime/debug"
	"sync"
	"time"
)

// startupGCWindow is how long the garbage collector stays paused at start-up: long enough
// for the course, the database and the first frames, short enough to be a blip.
const startupGCWindow = 150 * time.Millisecond

// startupGCLimit bounds the heap while the collector is paused (it collects if start-up
// ever grows past it); start-up needs a few megabytes.
const startupGCLimit = 256 << 20

// pauseGCForStartup pauses the garbage collector while the app starts. Start-up allocates
// a few megabytes within a few milliseconds (the course index, SQLite, lipgloss), which
// would trigger several collections that only delay the first frame; measured in
// docs/PERFORMANCE.md. The collector resumes after startupGCWindow, or when resume is
// called (whichever comes first), with the settings it had (GOGC and GOMEMLIMIT honoured).
func pauseGCForStartup() (resume func()) {
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(-1) // reads the current limit
	if limit > startupGCLimit {
		debug.SetMemoryLimit(startupGCLimit)
	}
	var once sync.Once
	resume = func() {
		once.Do(func() {
			debug.SetMemoryLimit(limit)
			debug.SetGCPercent(percent)
		})
	}
	time.AfterFunc(startupGCWindow, resume)
	return resume
}
