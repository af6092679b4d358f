package exercises

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// watcher runs watch in the background and counts calls.
type watcher struct {
	calls   atomic.Int32
	active  atomic.Int32
	overlap atomic.Bool
	hold    chan struct{} // when set, each call waits for a value
	started chan struct{} // signalled at the start of each call
	cancel  context.CancelFunc
	done    chan error
}

func startWatch(t *testing.T, dir string, cfg watchConfig, hold bool) *watcher {
	t.Helper()
	w := &watcher{started: make(chan struct{}, 100), done: make(chan error, 1)}
	if hold {
		w.hold = make(chan struct{})
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	ready := make(chan struct{})
	go func() {
		close(ready)
		w.done <- watch(ctx, dir, cfg, func() {
			if w.active.Add(1) > 1 {
				w.overlap.Store(true)
			}
			w.calls.Add(1)
			w.started <- struct{}{}
			if w.hold != nil {
				<-w.hold
			}
			w.active.Add(-1)
		})
	}()
	<-ready
	time.Sleep(100 * time.Millisecond) // let the watcher take its first snapshot and add its watches
	t.Cleanup(func() {
		cancel()
		if w.hold != nil {
			close(w.hold)
		}
		<-w.done
	})
	return w
}

func waitCall(t *testing.T, w *watcher, what string) {
	t.Helper()
	select {
	case <-w.started:
	case <-time.After(5 * time.Second):
		t.Fatalf("no call after %s", what)
	}
}

func noCall(t *testing.T, w *watcher, within time.Duration, what string) {
	t.Helper()
	select {
	case <-w.started:
		t.Fatalf("unexpected call after %s", what)
	case <-time.After(within):
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatchDebounces(t *testing.T) {
	dir := t.TempDir()
	w := startWatch(t, dir, watchConfig{debounce: 150 * time.Millisecond, events: true}, false)
	for i := 0; i < 5; i++ {
		write(t, filepath.Join(dir, "a.py"), string(rune('a'+i)))
		time.Sleep(10 * time.Millisecond)
	}
	waitCall(t, w, "a burst of saves")
	noCall(t, w, 400*time.Millisecond, "the burst was handled")
	if n := w.calls.Load(); n != 1 {
		t.Errorf("%d calls for one burst, want 1", n)
	}
}

func TestWatchCoalescesChangesDuringARun(t *testing.T) {
	dir := t.TempDir()
	w := startWatch(t, dir, watchConfig{debounce: 30 * time.Millisecond, events: true}, true)
	write(t, filepath.Join(dir, "a.py"), "1")
	waitCall(t, w, "the first save")
	for i := 0; i < 4; i++ { // saves while the first run is still going
		write(t, filepath.Join(dir, "a.py"), string(rune('2'+i)))
		time.Sleep(60 * time.Millisecond)
	}
	w.hold <- struct{}{} // finish run 1
	waitCall(t, w, "saves during a run")
	w.hold <- struct{}{} // finish run 2
	noCall(t, w, 300*time.Millisecond, "the follow-up run")
	if n := w.calls.Load(); n != 2 {
		t.Errorf("%d calls, want 2 (one run, one follow-up for everything saved meanwhile)", n)
	}
	if w.overlap.Load() {
		t.Error("two runs at once")
	}
}

func TestWatchPollingFallback(t *testing.T) {
	dir := t.TempDir()
	w := startWatch(t, dir, watchConfig{debounce: 20 * time.Millisecond, poll: 30 * time.Millisecond}, false)
	write(t, filepath.Join(dir, "sub", "b.sh"), "echo")
	waitCall(t, w, "a change seen only by polling")
	noCall(t, w, 200*time.Millisecond, "the polled change was handled")
}

func TestWatchIgnoresEditorFilesAndSeesNewFolders(t *testing.T) {
	dir := t.TempDir()
	w := startWatch(t, dir, watchConfig{debounce: 30 * time.Millisecond, events: true, poll: 50 * time.Millisecond}, false)
	write(t, filepath.Join(dir, ".a.py.swp"), "x")
	write(t, filepath.Join(dir, "a.py~"), "x")
	write(t, filepath.Join(dir, "__pycache__", "a.pyc"), "x")
	noCall(t, w, 300*time.Millisecond, "swap files and caches")
	write(t, filepath.Join(dir, "pkg", "mod.py"), "x")
	waitCall(t, w, "a file in a new folder")
	time.Sleep(100 * time.Millisecond)
	write(t, filepath.Join(dir, "pkg", "mod.py"), "y")
	waitCall(t, w, "a save inside the new folder")
}

func TestWatchStopsWithTheContext(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	running := false
	finished := false
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, dir, 20*time.Millisecond, func() {
			mu.Lock()
			running = true
			mu.Unlock()
			time.Sleep(200 * time.Millisecond)
			mu.Lock()
			finished = true
			mu.Unlock()
		})
	}()
	time.Sleep(100 * time.Millisecond)
	write(t, filepath.Join(dir, "a"), "x")
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		r := running
		mu.Unlock()
		if r || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Watch returned %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !running || !finished {
		t.Errorf("Watch returned before the call in progress finished (running %v, finished %v)", running, finished)
	}
	if err := Watch(context.Background(), filepath.Join(dir, "missing"), time.Millisecond, func() {}); err == nil {
		t.Error("watching a missing directory is an error")
	}
}
