package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkFirstFrame measures, for the real binary in a pty, the time from starting the
// process to the home screen showing the first chapter. Run with:
//
//	go test ./internal/e2e -run '^$' -bench FirstFrame -benchtime 30x
func BenchmarkFirstFrame(b *testing.B) {
	home := b.TempDir()
	// Create the database once so every run measures a returning learner.
	runCLI(b, home, "progress")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		startAt := time.Now()
		tm := start(b, home, 100, 30)
		for !strings.Contains(tm.screen(), "Introduction to MLOps") {
			if time.Since(startAt) > 10*time.Second {
				b.Fatalf("no first frame:\n%s", tm.screen())
			}
			time.Sleep(200 * time.Microsecond)
		}
		b.ReportMetric(float64(time.Since(startAt).Microseconds())/1000, "ms/first-frame")
		b.StopTimer()
		tm.send("q")
		tm.waitExit(5 * time.Second)
		b.StartTimer()
	}
}

// BenchmarkFirstLessonFrame measures from pressing enter on "Start" to the lesson text.
func BenchmarkFirstLessonFrame(b *testing.B) {
	home := b.TempDir()
	runCLI(b, home, "progress")
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		os.RemoveAll(filepath.Join(home, "cache"))
		tm := start(b, home, 100, 30)
		tm.waitFor("Introduction to MLOps", 10*time.Second)
		b.StartTimer()
		startAt := time.Now()
		tm.send(keyEnter)
		for !strings.Contains(tm.screen(), "lesson 1/") {
			if time.Since(startAt) > 10*time.Second {
				b.Fatalf("no lesson:\n%s", tm.screen())
			}
			time.Sleep(200 * time.Microsecond)
		}
		b.ReportMetric(float64(time.Since(startAt).Microseconds())/1000, "ms/lesson-frame")
		b.StopTimer()
		tm.send("q")
		tm.waitExit(5 * time.Second)
	}
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
			for i := 0; i < b.N; i++ {
				startAt := time.Now()
				tm := startBinary(b, bin, []string{"FPS120=" + fps}, 100, 30)
				for !strings.Contains(tm.screen(), "Introduction to MLOps") {
					if time.Since(startAt) > 10*time.Second {
						b.Fatal("no first frame")
					}
					time.Sleep(200 * time.Microsecond)
				}
				b.ReportMetric(float64(time.Since(startAt).Microseconds())/1000, "ms/first-frame")
				b.StopTimer()
				tm.send("q")
				tm.waitExit(5 * time.Second)
				b.StartTimer()
			}
		})
	}
}
