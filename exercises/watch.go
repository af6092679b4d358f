package exercises

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultPollInterval is how often Watch also scans the directory, for file systems that do not
// deliver change events (network mounts, some container and VM shares).
const DefaultPollInterval = time.Second

// maxWatchEntries bounds a poll scan and the number of watched directories.
const maxWatchEntries = 5000

// Watch calls onChange after files under dir change, until ctx is done. Changes are debounced
// (onChange runs once the directory has been quiet for debounce), onChange never runs twice at
// once, and changes that arrive while it runs lead to exactly one more call after it returns.
// Editor swap files, caches and version-control folders are ignored. Watch uses file-system events
// where they work and polls every DefaultPollInterval as well, so changes are seen on file systems
// whose events never arrive. It returns ctx.Err() after any call in progress has returned.
func Watch(ctx context.Context, dir string, debounce time.Duration, onChange func()) error {
	return watch(ctx, dir, watchConfig{debounce: debounce, poll: DefaultPollInterval, events: true}, onChange)
}

type watchConfig struct {
	debounce time.Duration
	poll     time.Duration // 0: no polling
	events   bool          // use fsnotify
}

// snapshot is what a poll compares: each entry's size, modification time and kind.
type snapshot map[string]fileStamp

type fileStamp struct {
	size  int64
	mtime int64
	mode  fs.FileMode
}

func (s snapshot) equal(o snapshot) bool {
	if len(s) != len(o) {
		return false
	}
	for k, v := range s {
		if w, ok := o[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// scan takes a snapshot of dir, without following links.
func scan(dir string) snapshot {
	s := snapshot{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != dir && ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if len(s) >= maxWatchEntries {
			return filepath.SkipAll
		}
		if d.IsDir() {
			s[p] = fileStamp{mode: fs.ModeDir} // a folder's time changes with its ignored files too
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		s[p] = fileStamp{size: info.Size(), mtime: info.ModTime().UnixNano(), mode: info.Mode().Type()}
		return nil
	})
	return s
}

func watch(ctx context.Context, dir string, cfg watchConfig, onChange func()) error {
	if st, err := os.Stat(dir); err != nil {
		return err
	} else if !st.IsDir() {
		return &fs.PathError{Op: "watch", Path: dir, Err: syscall.ENOTDIR}
	}
	if cfg.debounce <= 0 {
		cfg.debounce = 100 * time.Millisecond
	}
	wake := make(chan struct{}, 1)
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	if cfg.events {
		if w, err := fsnotify.NewWatcher(); err == nil {
			defer w.Close()
			addTree(w, dir)
			go func() {
				for {
					select {
					case ev, ok := <-w.Events:
						if !ok {
							return
						}
						if ignored(filepath.Base(ev.Name)) {
							continue
						}
						if ev.Op&fsnotify.Create != 0 {
							if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
								addTree(w, ev.Name)
							}
						}
						poke()
					case _, ok := <-w.Errors:
						if !ok {
							return
						}
						poke() // an overflow may have hidden a change: let the snapshot decide
					case <-ctx.Done():
						return
					}
				}
			}()
		} else if cfg.poll <= 0 {
			cfg.poll = DefaultPollInterval // no events at all: polling is the only way
		}
	}
	var pollC <-chan time.Time
	if cfg.poll > 0 {
		t := time.NewTicker(cfg.poll)
		defer t.Stop()
		pollC = t.C
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()

	lastPoll := scan(dir) // what the last poll (or run) saw
	running, pending := false, false
	done := make(chan struct{})
	start := func() {
		lastPoll = scan(dir)
		running = true
		go func() {
			defer func() { done <- struct{}{} }()
			onChange()
		}()
	}
	for {
		select {
		case <-ctx.Done():
			if running {
				<-done
			}
			return ctx.Err()
		case <-wake:
			timer.Reset(cfg.debounce)
		case <-pollC:
			if s := scan(dir); !s.equal(lastPoll) {
				lastPoll = s
				timer.Reset(cfg.debounce)
			}
		case <-timer.C:
			if running {
				pending = true
			} else {
				start()
			}
		case <-done:
			running = false
			if pending {
				pending = false
				start()
			}
		}
	}
}

// addTree watches dir and its sub-directories (not through links, not ignored ones).
func addTree(w *fsnotify.Watcher, dir string) {
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != dir && ignored(d.Name()) {
			return filepath.SkipDir
		}
		if n++; n > maxWatchEntries {
			return filepath.SkipAll
		}
		_ = w.Add(p)
		return nil
	})
}
