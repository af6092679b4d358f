package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/kaizen-mlops/kaizen/exercises"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

// Practice runs exercises for one learner: workspaces under Root, checks in the sandbox,
// and every step (start, check, hint, reset, solution) recorded in the store. The CLI and the
// TUI share it, so both behave the same.
type Practice struct {
	Store    *store.Store
	Learner  int64
	Root     string // workspace root: <home>/workspace, or a learner's directory on a class server
	MinLevel sandbox.Level
	Runner   exercises.Runner // nil: sandbox.Run
	Now      func() time.Time
	// Gate, when set, is asked before each check; a learner whose earlier check (in another
	// session) still runs is told so instead of starting a second one.
	Gate func() (release func(), ok bool)
}

// ErrCheckRunning is returned when the learner already has a check running.
var ErrCheckRunning = errors.New("another check of yours is still running; wait for it to finish")

// ErrSolutionLocked is returned when the solution is asked for before a pass or a give-up.
var ErrSolutionLocked = errors.New("the solution unlocks after you pass the checks, or if you give up")

func (p *Practice) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func (p *Practice) runner() exercises.Runner {
	if p.Runner != nil {
		return p.Runner
	}
	return exercises.RunnerFunc(sandbox.Run)
}

// Workspace is the learner's directory for an exercise.
func (p *Practice) Workspace(ex *exercises.Exercise) string {
	return exercises.WorkspaceDir(p.Root, ex.ID)
}

// Start creates the workspace (never overwriting the learner's files) and records it the
// first time.
func (p *Practice) Start(ctx context.Context, ex *exercises.Exercise) (string, []string, error) {
	_, existed := os.Stat(p.Workspace(ex))
	dir, written, err := exercises.Start(ex, p.Root)
	if err != nil {
		return dir, written, err
	}
	if existed != nil && p.Store != nil {
		err = p.Store.RecordExercise(ctx, p.Learner, store.KindExerciseStarted, ex.ID, map[string]string{"chapter": ex.Chapter})
	}
	return dir, written, err
}

// Check runs the exercise's checks on the learner's workspace in the sandbox and records the
// attempt. seed 0 picks a fresh one, so every attempt gets new hidden fixtures.
func (p *Practice) Check(ctx context.Context, ex *exercises.Exercise, seed uint64) (*exercises.Report, error) {
	if _, err := os.Stat(p.Workspace(ex)); err != nil {
		if _, _, err := p.Start(ctx, ex); err != nil {
			return nil, err
		}
	}
	if p.Gate != nil {
		release, ok := p.Gate()
		if !ok {
			return nil, ErrCheckRunning
		}
		defer release()
	}
	if seed == 0 {
		seed = uint64(p.now().UnixNano())
	}
	rep, err := exercises.Check(ctx, ex, p.Workspace(ex), exercises.Options{Runner: p.runner(), Seed: seed, MinLevel: p.MinLevel})
	if err != nil {
		return nil, err
	}
	if p.Store != nil {
		raw, _ := json.Marshal(rep)
		d := store.ExerciseCheckData{ChapterID: ex.Chapter, Passed: rep.Passed, Points: float64(rep.Points), MaxPoints: float64(rep.MaxPoints), Report: raw}
		if err := p.Store.RecordCheck(ctx, p.Learner, ex.ID, d); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// State is the learner's record for an exercise.
func (p *Practice) State(ctx context.Context, ex *exercises.Exercise) (store.ExerciseState, error) {
	if p.Store == nil {
		return store.ExerciseState{ExerciseID: ex.ID}, nil
	}
	all, err := p.Store.Exercises(ctx, p.Learner)
	if err != nil {
		return store.ExerciseState{}, err
	}
	st, ok := all[ex.ID]
	if !ok {
		st = store.ExerciseState{ExerciseID: ex.ID, ChapterID: ex.Chapter}
	}
	return st, nil
}

// Hint reveals the next rung of the hint ladder (the last one again once all are shown) and
// records it. It returns the rung (1–3) and its text.
func (p *Practice) Hint(ctx context.Context, ex *exercises.Exercise) (int, string, error) {
	st, err := p.State(ctx, ex)
	if err != nil {
		return 0, "", err
	}
	ladder := ex.Hints.Ladder()
	rung := min(st.Hints, len(ladder)-1)
	if st.Hints < len(ladder) && p.Store != nil {
		if err := p.Store.RecordExercise(ctx, p.Learner, store.KindExerciseHint, ex.ID, map[string]any{"chapter": ex.Chapter, "rung": rung + 1}); err != nil {
			return 0, "", err
		}
	}
	return rung + 1, ladder[rung], nil
}

// HintsShown returns the hints the learner has already revealed.
func (p *Practice) HintsShown(ctx context.Context, ex *exercises.Exercise) ([]string, error) {
	st, err := p.State(ctx, ex)
	if err != nil {
		return nil, err
	}
	ladder := ex.Hints.Ladder()
	return ladder[:min(st.Hints, len(ladder))], nil
}

// Reset backs up the workspace and starts afresh; it returns the backup directory.
func (p *Practice) Reset(ctx context.Context, ex *exercises.Exercise) (string, error) {
	backup, err := exercises.Reset(ex, p.Root, p.now())
	if err != nil {
		return backup, err
	}
	if p.Store != nil {
		err = p.Store.RecordExercise(ctx, p.Learner, store.KindExerciseReset, ex.ID, map[string]string{"chapter": ex.Chapter, "backup": backup})
	}
	return backup, err
}

// Solution writes the reference solution beside the workspace and returns its directory and
// files, once unlocked: after a pass, or when giveUp is set (which is recorded).
func (p *Practice) Solution(ctx context.Context, ex *exercises.Exercise, giveUp bool) (string, map[string][]byte, error) {
	st, err := p.State(ctx, ex)
	if err != nil {
		return "", nil, err
	}
	if !st.Passed && !st.GaveUp && !giveUp {
		return "", nil, ErrSolutionLocked
	}
	files, err := exercises.SolutionFiles(ex)
	if err != nil {
		return "", nil, err
	}
	dir, err := exercises.RevealSolution(ex, p.Root)
	if err != nil {
		return "", nil, fmt.Errorf("write the solution: %w", err)
	}
	if p.Store != nil {
		if err := p.Store.RecordExercise(ctx, p.Learner, store.KindExerciseSolution, ex.ID, map[string]any{"chapter": ex.Chapter, "gave_up": giveUp && !st.Passed}); err != nil {
			return dir, files, err
		}
	}
	return dir, files, nil
}
