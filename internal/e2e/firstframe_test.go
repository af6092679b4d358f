package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkFirstFrame measures, for the real binary in a pty, the time from starting the
// process to the home screen showing the first chapter. Run with:
//
//	go test ./internal/e2e -run '^$' -bench FirstFrame -benchtime 30x
func BenchmarkFirstFrame(b *testing.B) {
	b.Run("returning", func(b *testing.B) { benchmarkFirstFrame(b, false) })
	b.Run("no-index-cache", func(b *testing.B) { benchmarkFirstFrame(b, true) })
}

// benchmarkFirstFrame measures a returning learner (database and course index cache
// written by an earlier start) or, with coldIndex, a start without the index cache (the
// very first start, or the first after the binary or the course changed).
func benchmarkFirstFrame(b *testing.B, coldIndex bool) {
	home := b.TempDir()
	// Create the database once so every run measures a returning learner.
	runCLI(b, home, "progress")
	var samples []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if coldIndex {
			b.StopTimer()
			if err := os.RemoveAll(filepath.Join(home, "kaizen", "cache")); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		startAt := time.Now()
		tm := start(b, home, 100, 30)
		samples = append(samples, tm.waitShown("Introduction to MLOps", 10*time.Second).Sub(startAt))
		b.StopTimer()
		tm.send("q")
		tm.waitExit(5 * time.Second)
		b.StartTimer()
	}
	reportQuantiles(b, samples, "first-frame")
}

// reportQuantiles reports the median and the 90th percentile of the samples (a mean would
// hide the runs that miss a frame tick).
func reportQuantiles(b *testing.B, samples []time.Duration, what string) {
	if len(samples) == 0 {
		return
	}
	slices.Sort(samples)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(samples[len(samples)/2]), "ms-p50/"+what)
	b.ReportMetric(ms(samples[len(samples)*9/10]), "ms-p90/"+what)
	b.ReportMetric(0, "ns/op") // the loop's time includes starting and stopping the pty
}

// BenchmarkFirstLessonFrame measures from pressing enter on "Start" to the lesson text.
func BenchmarkFirstLessonFrame(b *testing.B) {
	home := b.TempDir()
	runCLI(b, home, "progress")
	var samples []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tm := start(b, home, 100, 30)
		tm.waitFor("Introduction to MLOps", 10*time.Second)
		b.StartTimer()
		startAt := time.Now()
		tm.send(keyEnter)
		samples = append(samples, tm.waitShown("lesson 1/", 10*time.Second).Sub(startAt))
		b.StopTimer()
		tm.send("q")
		tm.waitExit(5 * time.Second)
	}
	reportQuantiles(b, samples, "lesson-frame")
}

// BenchmarkFirstFrameMinimalTea is the same measurement for the smallest Bubble Tea
// program, the floor kaizen is compared against.
func BenchmarkFirstFrameMinimalTea(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "minimaltea")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/kaizen-mlops/kaizen/internal/e2e/minimaltea").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for _, fps := range []string{"", "1"} {
		name := "60fps"
		if fps != "" {
			name = "120fps"
		}
		b.Run(name, func(b *testing.B) {
			var samples []time.Duration
			for i := 0; i < b.N; i++ {
				startAt := time.Now()
				tm := startBinary(b, bin, []string{"FPS120=" + fps}, 100, 30)
				samples = append(samples, tm.waitShown("Introduction to MLOps", 10*time.Second).Sub(startAt))
				b.StopTimer()
				tm.send("q")
				tm.waitExit(5 * time.Second)
				b.StartTimer()
			}
			reportQuantiles(b, samples, "first-frame")
		})
	}
}
