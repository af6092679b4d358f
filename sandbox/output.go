package sandbox

import (
	"errors"
	"io"
	"os"
	"sync"
	"time"
)

// drainGrace is how long the output pipes are read after the run is over. Every writer is
// dead by then when a pid namespace or the subreaper sweep held; the deadline covers the
// cases where a detached grandchild escaped and still holds a pipe open, so it cannot keep
// the run open (study finding F3).
const drainGrace = 200 * time.Millisecond

// output collects stdout and stderr under one budget. Past the budget it keeps reading (so
// the writer is not blocked on a full pipe while it is being killed), drops the bytes, and
// calls overflow once.
type output struct {
	mu        sync.Mutex
	left      int
	truncated bool
	overflow  func()
	stdout    []byte
	stderr    []byte
	wg        sync.WaitGroup
}

func newOutput(max int, overflow func()) *output {
	return &output{left: max, overflow: overflow}
}

// collect reads f until EOF or until its read deadline passes, then closes it.
func (o *output) collect(f *os.File, stderr bool) {
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		defer f.Close()
		buf := make([]byte, 32<<10)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				o.add(buf[:n], stderr)
			}
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, os.ErrClosed) {
					o.add([]byte("\n[sandbox: reading output: "+err.Error()+"]\n"), true)
				}
				return
			}
		}
	}()
}

func (o *output) add(p []byte, stderr bool) {
	o.mu.Lock()
	keep := min(len(p), o.left)
	o.left -= keep
	if stderr {
		o.stderr = append(o.stderr, p[:keep]...)
	} else {
		o.stdout = append(o.stdout, p[:keep]...)
	}
	first := keep < len(p) && !o.truncated
	if keep < len(p) {
		o.truncated = true
	}
	o.mu.Unlock()
	if first && o.overflow != nil {
		o.overflow()
	}
}

// finish waits for both readers, giving them drainGrace to see EOF.
func (o *output) finish(files ...*os.File) {
	deadline := time.Now().Add(drainGrace)
	for _, f := range files {
		// Pipes support deadlines; an error only means the reader is already done.
		_ = f.SetReadDeadline(deadline)
	}
	o.wg.Wait()
}

func (o *output) result(r *Result) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r.Stdout, r.Stderr, r.Truncated = o.stdout, o.stderr, o.truncated
}

// pipes are the command's standard streams: the child ends go to the process, the parent
// ends are written (stdin) or collected (stdout, stderr).
type pipes struct {
	stdinR, stdinW   *os.File // stdinW is nil when there is no input (stdin is /dev/null)
	stdoutR, stdoutW *os.File
	stderrR, stderrW *os.File
}

func newPipes(stdin []byte) (*pipes, error) {
	p := &pipes{}
	var err error
	if stdin != nil {
		if p.stdinR, p.stdinW, err = os.Pipe(); err != nil {
			return nil, err
		}
	} else if p.stdinR, err = os.Open(os.DevNull); err != nil {
		return nil, err
	}
	if p.stdoutR, p.stdoutW, err = os.Pipe(); err != nil {
		p.close()
		return nil, err
	}
	if p.stderrR, p.stderrW, err = os.Pipe(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// closeChildEnds drops the parent's copies of the ends the child holds, so EOF comes when the
// child's side is gone.
func (p *pipes) closeChildEnds() {
	for _, f := range []*os.File{p.stdinR, p.stdoutW, p.stderrW} {
		if f != nil {
			f.Close()
		}
	}
}

func (p *pipes) close() {
	p.closeChildEnds()
	for _, f := range []*os.File{p.stdinW, p.stdoutR, p.stderrR} {
		if f != nil {
			f.Close()
		}
	}
}

// feed writes the input and closes the pipe; the returned channel closes when done. A
// command that never reads its input gets EPIPE on our side once it exits, which ends the
// writer; close (after the run) unblocks it in every other case.
func (p *pipes) feed(stdin []byte) <-chan struct{} {
	done := make(chan struct{})
	if p.stdinW == nil {
		close(done)
		return done
	}
	w := p.stdinW
	go func() {
		defer close(done)
		_, _ = w.Write(stdin) // EPIPE when the command does not read it all: not an error of the run
		w.Close()
	}()
	return done
}
