package sandbox

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"time"
)

// runPlain runs the command with the layers that need no helper: explicit environment, a
// private TMPDIR, a wall-clock timeout that kills the process group, and the output cap.
// It is the whole sandbox where the helper cannot run (other systems, or a binary whose main
// does not call Init). rep already holds the reasons the other layers are missing.
func runPlain(ctx context.Context, s Spec, rep *report) (Result, error) {
	rep.add(LayerEnv, LayerTimeout, LayerOutputCap)
	rep.miss(LayerTreeKill, "only the process group is killed; setsid'd children can outlive the run")
	res := Result{Level: LevelNone}
	if s.MinLevel > LevelNone {
		return refuse(s, rep)
	}
	tmp, err := os.MkdirTemp("", "kaizen-sbx-tmp-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)
	env := environ(s, tmp)
	argv0, err := lookPath(s.Argv[0], lookupEnv(env, "PATH"), s.Dir)
	if err != nil {
		var o outcome
		o.notFound = s.Argv[0]
		o.fill(&res, s)
		res.Layers, res.Missing = rep.layers, rep.missing
		return res, nil
	}
	p, err := newPipes(s.Stdin)
	if err != nil {
		return res, err
	}
	defer p.close()
	cmd := &exec.Cmd{
		Path:   argv0,
		Args:   s.Argv,
		Env:    env,
		Dir:    s.Dir,
		Stdin:  p.stdinR,
		Stdout: p.stdoutW,
		Stderr: p.stderrW,
	}
	setProcessGroup(cmd)
	kill := make(chan struct{}, 1)
	out := newOutput(s.MaxOutput, func() { kill <- struct{}{} })
	start := time.Now()
	if err := cmd.Start(); err != nil {
		var o outcome
		o.execErr = err.Error()
		o.fill(&res, s)
		res.Layers, res.Missing = rep.layers, rep.missing
		return res, nil
	}
	p.closeChildEnds()
	out.collect(p.stdoutR, false)
	out.collect(p.stderrR, true)
	fed := p.feed(s.Stdin)
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()

	var o outcome
	timer := time.NewTimer(s.Timeout)
	defer timer.Stop()
	var werr error
wait:
	for {
		select {
		case werr = <-waited:
			break wait
		case <-timer.C:
			o.timedOut = true
			killProcessGroup(cmd)
		case <-ctx.Done():
			o.cancelled = true
			killProcessGroup(cmd)
		case <-kill:
			o.overflow = true
			killProcessGroup(cmd)
		}
	}
	o.wall = time.Since(start)
	// The leader is gone; whatever is left of its group goes too, so no stray process keeps
	// writing into the pipes we are about to drain.
	killProcessGroup(cmd)
	out.finish(p.stdoutR, p.stderrR)
	p.close()
	<-fed
	var exitErr *exec.ExitError
	if werr != nil && !errors.As(werr, &exitErr) {
		return res, werr
	}
	st := cmd.ProcessState
	o.cpu = st.UserTime() + st.SystemTime()
	o.maxRSS = maxRSS(st)
	o.exited, o.code, o.signal = exitStatus(st)
	out.result(&res)
	o.fill(&res, s)
	res.Layers, res.Missing = rep.layers, rep.missing
	if o.cancelled {
		return res, ctx.Err()
	}
	return res, nil
}

// refuse builds the answer for a MinLevel that cannot be met: nothing ran.
func refuse(s Spec, rep *report) (Result, error) {
	got := levelOf(rep.layers)
	res := Result{ExitCode: -1, Level: got, Layers: rep.layers, Missing: rep.missing,
		Reason: "not run: isolation " + s.MinLevel.String() + " required, this machine gives " + got.String()}
	return res, &IsolationError{Want: s.MinLevel, Got: got, Missing: rep.missing}
}
