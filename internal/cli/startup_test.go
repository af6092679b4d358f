package cli

import (
	"runtime/debug"
	"testing"
)

func TestPauseGCForStartupRestoresSettings(t *testing.T) {
	before := debug.SetGCPercent(73)
	defer debug.SetGCPercent(before)
	limitBefore := debug.SetMemoryLimit(-1)
	resume := pauseGCForStartup()
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Fatalf("collector not paused: GOGC %d", p)
	}
	if l := debug.SetMemoryLimit(-1); l != startupGCLimit {
		t.Fatalf("no memory limit while paused: %d", l)
	}
	resume()
	resume() // idempotent; the timer's later call is harmless too
	if p := debug.SetGCPercent(73); p != 73 {
		t.Fatalf("GOGC after resume = %d, want 73", p)
	}
	if l := debug.SetMemoryLimit(-1); l != limitBefore {
		t.Fatalf("memory limit after resume = %d, want %d", l, limitBefore)
	}
}
