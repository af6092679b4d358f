package tui

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRenderCacheKeepsTheMostRecent(t *testing.T) {
	c := NewRenderCache(2)
	a, b, d := renderKey{id: "a"}, renderKey{id: "b"}, renderKey{id: "d"}
	c.Put(a, "A")
	c.Put(b, "B")
	c.Get(a) // a is now the most recent
	c.Put(d, "D")
	if _, ok := c.Get(b); ok {
		t.Fatal("the least recently used rendering was kept")
	}
	for k, want := range map[renderKey]string{a: "A", d: "D"} {
		if got, ok := c.Get(k); !ok || got != want {
			t.Fatalf("Get(%v) = %q %v", k, got, ok)
		}
	}
}

// A class opening the same lesson at once renders it once; everyone gets the text.
func TestRenderCacheRendersOnceForConcurrentCallers(t *testing.T) {
	c := NewRenderCache(8)
	k := renderKey{id: "l1", width: 80, style: "dark"}
	var calls atomic.Int32
	release := make(chan struct{})
	render := func() (string, error) {
		calls.Add(1)
		<-release
		return "text", nil
	}
	const n = 50
	var wg sync.WaitGroup
	results := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text, err := c.Render(k, render)
			if err != nil {
				t.Error(err)
			}
			results[i] = text
		}()
	}
	// Let every caller arrive while the first rendering is under way.
	for deadline := time.Now().Add(5 * time.Second); calls.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if got := calls.Load(); got != 1 {
		t.Fatalf("rendered %d times, want 1", got)
	}
	for i, r := range results {
		if r != "text" {
			t.Fatalf("caller %d got %q", i, r)
		}
	}
	if text, err := c.Render(k, func() (string, error) { t.Fatal("rendered again"); return "", nil }); text != "text" || err != nil {
		t.Fatalf("cached Render = %q %v", text, err)
	}
}

// A failed rendering is not kept: the next caller tries again.
func TestRenderCacheDoesNotKeepFailures(t *testing.T) {
	c := NewRenderCache(8)
	k := renderKey{id: "bad"}
	if _, err := c.Render(k, func() (string, error) { return "", errors.New("boom") }); err == nil {
		t.Fatal("the error was lost")
	}
	if _, ok := c.Get(k); ok {
		t.Fatal("a failure was cached")
	}
	text, err := c.Render(k, func() (string, error) { return "ok", nil })
	if err != nil || text != "ok" {
		t.Fatalf("retry = %q %v", text, err)
	}
}

// A rendering that panics releases the callers waiting for it.
func TestRenderCachePanicReleasesWaiters(t *testing.T) {
	c := NewRenderCache(8)
	k := renderKey{id: "panics"}
	started := make(chan struct{})
	go func() {
		defer func() { _ = recover() }()
		_, _ = c.Render(k, func() (string, error) {
			close(started)
			time.Sleep(20 * time.Millisecond)
			panic("glamour exploded")
		})
	}()
	<-started
	done := make(chan error, 1)
	go func() {
		_, err := c.Render(k, func() (string, error) { return "second", nil })
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			// It arrived after the panic cleaned up and rendered itself: fine too.
			return
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a waiter hangs after the rendering panicked")
	}
}
