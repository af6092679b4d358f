package plain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kaizen-mlops/kaizen/exercises"
	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// hintNames name the rungs of the hint ladder.
var hintNames = []string{"a nudge", "the concept", "a partial answer"}

// practice is the exercise runner the full-screen app and the CLI use, for this learner.
func (s *Session) practice() *app.Practice {
	return &app.Practice{Store: s.st, Learner: s.learner, Root: s.workspace, Runner: s.runner, Now: s.now,
		MinLevel: s.minLevel, Gate: s.checkGate}
}

// exerciseStates reads the learner's exercise records; a failed read is said and treated as
// none.
func (s *Session) exerciseStates() map[string]store.ExerciseState {
	if s.st == nil {
		return map[string]store.ExerciseState{}
	}
	st, err := s.st.Exercises(s.ctx, s.learner)
	if err != nil {
		s.Sayf("Could not read your exercises: %v", err)
		return map[string]store.ExerciseState{}
	}
	return st
}

// exerciseStatus says where the learner is with an exercise.
func exerciseStatus(st store.ExerciseState) string {
	switch {
	case st.Passed:
		return "Passed."
	case st.Attempts > 0:
		return fmt.Sprintf("Not passed yet, %d %s.", st.Attempts, plural(st.Attempts, "attempt", "attempts"))
	case st.Started:
		return "Started."
	}
	return "New."
}

// exercisesItem is a chapter's exercises entry.
func (s *Session) exercisesItem(ch *lessons.Chapter, states map[string]store.ExerciseState) Item {
	exs := s.cat.ExercisesOf(ch.ID)
	if len(exs) == 0 {
		return Item{Label: "Exercises: coming soon.", Unavailable: "The exercises for this chapter are coming soon."}
	}
	if s.workspace == "" {
		return Item{Label: fmt.Sprintf("Exercises: %d, not available here.", len(exs)), Unavailable: "Exercises need a workspace directory, which this session does not have."}
	}
	passed := 0
	for _, ex := range exs {
		if states[ex.ID].Passed {
			passed++
		}
	}
	return Item{Label: fmt.Sprintf("Exercises: %d automation %s, %d passed.", len(exs), plural(len(exs), "exercise", "exercises"), passed),
		Run: func() error { return s.exerciseList(ch) }}
}

// exerciseList lists a chapter's exercises with where the learner is with each.
func (s *Session) exerciseList(ch *lessons.Chapter) error {
	return s.Menu(Menu{
		Title: "Automation exercises: " + ch.Title,
		Intro: func() {
			s.Say("You write real automation in your own editor; kaizen checks it in a sandbox.")
		},
		Items: func() []Item {
			states := s.exerciseStates()
			var items []Item
			for _, ex := range s.cat.ExercisesOf(ch.ID) {
				ex := ex
				label := sentence(ex.Title) + " In " + ex.Language + ". " + exerciseStatus(states[ex.ID])
				items = append(items, Item{Label: label, Run: func() error { return s.exercise(ex) }})
			}
			return items
		},
	})
}

// exercise is one exercise: hear the task, edit the files, check (once or on every save),
// hints, reset and the reference solution, recorded as the full-screen app records them.
func (s *Session) exercise(ex *exercises.Exercise) error {
	p := s.practice()
	dir, written, err := p.Start(s.ctx, ex)
	if err != nil {
		s.Sayf("Could not make your workspace: %v", err)
		return nil
	}
	var last *exercises.Report
	if s.st != nil {
		if atts, err := s.st.Attempts(s.ctx, s.learner, ex.ID); err == nil && len(atts) > 0 {
			var rep exercises.Report
			if json.Unmarshal(atts[len(atts)-1].Report, &rep) == nil {
				last = &rep
			}
		}
	}
	first := true
	state := func() store.ExerciseState {
		st, err := p.State(s.ctx, ex)
		if err != nil {
			s.Sayf("Could not read your record of this exercise: %v", err)
		}
		return st
	}
	check := func() error {
		rep, err := s.check(p, ex)
		if rep != nil {
			last = rep
		}
		return err
	}
	return s.Menu(Menu{
		Title: "Exercise: " + ex.Title,
		Intro: func() {
			st := state()
			if first {
				first = false
				if ex.Summary != "" {
					s.Say(sentence(s.markdownLine(ex.Summary)))
				}
				if len(written) > 0 && !s.remote {
					s.Sayf("The starter files are in your workspace: %s", dir)
				}
			}
			if s.remote {
				s.Sayf("Your %s: %s. Hear a file to listen to it; write a file to type or paste a new version of it.",
					plural(len(ex.Files), "file", "files"), strings.Join(ex.Files, ", "))
			} else {
				s.Sayf("Edit %s in %s, with any editor.", strings.Join(ex.Files, ", "), dir)
			}
			status := exerciseStatus(st)
			if st.Hints > 0 {
				status += fmt.Sprintf(" %d of 3 hints seen.", min(st.Hints, 3))
			}
			s.Say("Status: " + status)
			if last != nil {
				verdict := "not yet"
				if last.Passed {
					verdict = "all checks pass"
				}
				s.Sayf("Last check: %s, %d of %d points.", verdict, last.Points, last.MaxPoints)
			}
		},
		Items: func() []Item {
			st := state()
			items := []Item{{Label: "Hear the task.", Run: func() error { return s.exerciseTask(ex) }}}
			if s.edit != nil {
				items = append(items, Item{Label: "Edit the files in your editor.", Run: func() error {
					if err := s.edit(dir, ex.Files); err != nil {
						s.Sayf("The editor failed: %v. Set $EDITOR, or edit the files in %s with any editor.", err, dir)
						return nil
					}
					s.Say("Back from the editor. Choose Check to check your work.")
					return nil
				}})
			}
			if s.remote {
				items = append(items,
					Item{Label: "Hear a file, line by line with line numbers.", Run: func() error { return s.hearFile(dir, ex) }},
					Item{Label: "Write a file: type or paste all of it, then a line with only a period.", Run: func() error { return s.writeFile(dir, ex) }},
				)
			}
			items = append(items, Item{Label: "Check your work now.", Run: check})
			if !s.remote {
				// Watching needs an editor saving files beside the session.
				items = append(items, Item{Label: "Watch: check every time you save, until you press enter.", Run: func() error { return s.watch(p, ex) }})
			}
			if st.Hints < 3 {
				items = append(items, Item{Label: fmt.Sprintf("Get a hint: hint %d of 3, %s.", st.Hints+1, hintNames[st.Hints]), Run: func() error { return s.hint(p, ex, st.Hints) }})
			}
			if st.Hints > 0 {
				items = append(items, Item{Label: "Hear the hints you have seen.", Run: func() error { return s.hintsSeen(p, ex) }})
			}
			items = append(items, Item{Label: "Reset to the starter files; your work is kept in a backup.", Run: func() error { return s.resetExercise(p, ex) }})
			if st.Passed || st.GaveUp {
				items = append(items, Item{Label: "Hear the reference solution.", Run: func() error { return s.solution(p, ex, false) }})
			} else {
				items = append(items, Item{Label: "Give up and hear the reference solution.", Run: func() error { return s.solution(p, ex, true) }})
			}
			return items
		},
		Commands: []Command{{Keys: []string{"c", "check"}, Help: "check your work", Run: check}},
	})
}

func (s *Session) exerciseTask(ex *exercises.Exercise) error {
	md, err := ex.README()
	if err != nil {
		s.Sayf("Could not read the task: %v", err)
		return nil
	}
	s.Blank()
	return s.Page(RenderMarkdown(md, s.width, s.linkTitle).Lines)
}

// check runs the checks once and reads the report.
func (s *Session) check(p *app.Practice, ex *exercises.Exercise) (*exercises.Report, error) {
	s.Sayf("Checking %d %s in the sandbox. This can take a few seconds.", len(ex.Checks), plural(len(ex.Checks), "criterion", "criteria"))
	rep, err := p.Check(s.stopped, ex, 0)
	if err != nil {
		if s.stopped.Err() != nil {
			return nil, ErrQuit
		}
		s.Sayf("The check could not run: %v", err)
		return nil, nil
	}
	s.sayReport(ex, rep)
	return rep, nil
}

// sayReport reads a check report: one line per check, each with its points and, when it
// did not pass, the reason; then the verdict and the isolation the checks ran under.
func (s *Session) sayReport(ex *exercises.Exercise, rep *exercises.Report) {
	for _, r := range rep.Results {
		mark := "Pass"
		switch r.Status {
		case exercises.Fail:
			mark = "Fail"
		case exercises.Error:
			mark = "Error"
		}
		line := fmt.Sprintf("%s: %s, %d of %d %s.", mark, sentenceless(r.Name), r.Points, r.MaxPoints, plural(r.MaxPoints, "point", "points"))
		if r.Status != exercises.Pass && r.Reason != "" {
			// Backticks mark code in the course's reasons; a screen reader would say "grave".
			line += " " + sentence(oneLine(strings.ReplaceAll(r.Reason, "`", "")))
		}
		s.Lines(wrap(line, s.width, "", "  "))
	}
	if rep.Passed {
		s.Sayf("All checks pass: %d of %d points. The reference solution is unlocked, to compare with yours.", rep.Points, rep.MaxPoints)
	} else {
		s.Sayf("Not yet: %d of %d points. A hint can help.", rep.Points, rep.MaxPoints)
	}
	s.Say("Isolation: " + rep.Isolation + ", " + rep.IsolationSummary() + ".")
}

// watch checks once, then again after every save in the workspace, until the learner
// presses enter.
func (s *Session) watch(p *app.Practice, ex *exercises.Exercise) error {
	dir := p.Workspace(ex)
	s.Sayf("Watching %s: kaizen checks every time you save a file. Press enter to stop watching.", dir)
	ctx, cancel := context.WithCancel(s.stopped)
	changes := make(chan struct{}, 1)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		// Every save (debounced) is one change; a save while a check runs is merged.
		_ = exercises.Watch(ctx, dir, 300*time.Millisecond, func() {
			select {
			case changes <- struct{}{}:
			default:
			}
		})
	}()
	// Only this goroutine speaks while watching: the session is waiting for a line.
	go func() {
		defer wg.Done()
		for {
			rep, err := p.Check(ctx, ex, 0)
			if ctx.Err() != nil {
				return
			}
			s.Blank()
			if err != nil {
				s.Sayf("The check could not run: %v", err)
			} else {
				s.Sayf("Checked at %s.", s.now().Format("15:04:05"))
				s.sayReport(ex, rep)
			}
			s.Say("Still watching. Press enter to stop.")
			select {
			case <-changes:
			case <-ctx.Done():
				return
			}
		}
	}()
	_, err := s.readRaw("")
	cancel()
	wg.Wait()
	s.Say("Watch off.")
	return err
}

// hint reveals the next rung of the hint ladder.
func (s *Session) hint(p *app.Practice, ex *exercises.Exercise, seen int) error {
	rung, text, err := p.Hint(s.ctx, ex)
	if err != nil {
		s.Sayf("Could not get a hint: %v", err)
		return nil
	}
	if rung <= seen {
		s.Say("That was the last hint; the solution unlocks after a pass, or if you give up.")
		return nil
	}
	s.Blank()
	s.Sayf("Hint %d of 3, %s:", rung, hintNames[min(rung, 3)-1])
	s.sayMarkdown(text)
	return nil
}

func (s *Session) hintsSeen(p *app.Practice, ex *exercises.Exercise) error {
	hints, err := p.HintsShown(s.ctx, ex)
	if err != nil {
		s.Sayf("Could not read your hints: %v", err)
		return nil
	}
	for i, h := range hints {
		s.Blank()
		s.Sayf("Hint %d of 3, %s:", i+1, hintNames[min(i, 2)])
		s.sayMarkdown(h)
	}
	return nil
}

// confirm asks a yes-or-no question; only yes says yes.
func (s *Session) confirm(question string) (bool, error) {
	line, err := s.ReadLine(question)
	if err != nil {
		return false, err
	}
	if w := word(line); w == "yes" || w == "y" {
		return true, nil
	}
	s.Say("Nothing changed.")
	return false, nil
}

func (s *Session) resetExercise(p *app.Practice, ex *exercises.Exercise) error {
	ok, err := s.confirm("Type yes to reset: your files move to a backup and the starter files come back. Anything else keeps your files.")
	if err != nil || !ok {
		return err
	}
	backup, err := p.Reset(s.ctx, ex)
	if err != nil {
		s.Sayf("Could not reset: %v", err)
		return nil
	}
	note := "Fresh starter files are in place."
	switch {
	case backup != "" && s.remote:
		note += " Your previous work is kept in a backup."
	case backup != "":
		note += " Your previous work is in " + backup
	}
	s.Say(note)
	return nil
}

// solution reads the reference solution, file by file; giving up first asks to confirm.
func (s *Session) solution(p *app.Practice, ex *exercises.Exercise, giveUp bool) error {
	if giveUp {
		ok, err := s.confirm("The solution unlocks after a pass. Type yes to give up and hear it now; giving up is recorded. Anything else goes back.")
		if err != nil || !ok {
			return err
		}
	}
	dir, files, err := p.Solution(s.ctx, ex, giveUp)
	if errors.Is(err, app.ErrSolutionLocked) {
		s.Say("The solution unlocks after you pass the checks, or if you give up.")
		return nil
	}
	if err != nil {
		s.Sayf("Could not show the solution: %v", err)
		return nil
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var lines []string
	for _, n := range names {
		lines = append(lines, "", "File "+n+":")
		lines = append(lines, strings.Split(strings.TrimRight(string(files[n]), "\n"), "\n")...)
		lines = append(lines, "End of file "+n+".")
	}
	if !s.remote {
		lines = append(lines, "", "The solution's files are also in "+dir)
	}
	s.Blank()
	s.Sayf("The reference solution, %d %s:", len(names), plural(len(names), "file", "files"))
	return s.Page(lines)
}

// maxWrittenFile bounds a file written through the session (typed or pasted).
const maxWrittenFile = 256 << 10

// pickFile asks which of an exercise's files to use, when it has more than one.
func (s *Session) pickFile(ex *exercises.Exercise, verb string) (string, error) {
	if len(ex.Files) == 1 {
		return ex.Files[0], nil
	}
	var lines []string
	for i, f := range ex.Files {
		lines = append(lines, fmt.Sprintf("%d. %s", i+1, f))
	}
	s.Lines(lines)
	for {
		line, err := s.ReadLine(fmt.Sprintf("Which file to %s? Type its number, or b to go back.", verb))
		if err != nil {
			return "", err
		}
		w := word(line)
		if isBack(w) {
			return "", nil
		}
		if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= len(ex.Files) {
			return ex.Files[n-1], nil
		}
		for _, f := range ex.Files {
			if strings.EqualFold(f, strings.TrimSpace(line)) {
				return f, nil
			}
		}
		s.Sayf("Type a number from 1 to %d.", len(ex.Files))
	}
}

// hearFile reads one of the exercise's files in the workspace, each line with its number.
func (s *Session) hearFile(dir string, ex *exercises.Exercise) error {
	name, err := s.pickFile(ex, "hear")
	if err != nil || name == "" {
		return err
	}
	path := filepath.Join(dir, name)
	if st, err := os.Stat(path); err == nil && st.Size() > maxWrittenFile {
		s.Sayf("%s is %d KiB, too long to read here (the limit is %d KiB).", name, st.Size()>>10, maxWrittenFile>>10)
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		s.Sayf("Could not read %s: %v", name, unwrapPath(err))
		return nil
	}
	if len(data) == 0 {
		s.Sayf("%s is empty.", name)
		return nil
	}
	text := strings.TrimRight(string(data), "\n")
	src := strings.Split(text, "\n")
	lines := []string{""}
	for i, l := range src {
		// A tab is said, not shown as space: a Makefile's recipe lines must start with one.
		lines = append(lines, fmt.Sprintf("%d: %s", i+1, strings.ReplaceAll(l, "\t", "[tab]")))
	}
	lines = append(lines, "End of file "+name+".")
	s.Sayf("File %s, %d %s:", name, len(src), plural(len(src), "line", "lines"))
	return s.Page(lines)
}

// writeFile replaces one of the exercise's files with lines the learner types or pastes,
// ended by a line holding only a period (two periods write a line of one period). The
// file is written only when the text is complete.
func (s *Session) writeFile(dir string, ex *exercises.Exercise) error {
	name, err := s.pickFile(ex, "write")
	if err != nil || name == "" {
		return err
	}
	s.Sayf("Type or paste the whole of %s. End with a line holding only a period. A line of two periods writes one period.", name)
	var b strings.Builder
	n := 0
	for {
		line, err := s.readRaw("")
		if err != nil {
			s.Sayf("%s was not changed.", name)
			return err
		}
		line = strings.TrimRight(line, "\r")
		if line == "." {
			break
		}
		if line == ".." {
			line = "."
		}
		b.WriteString(line + "\n")
		n++
		if b.Len() > maxWrittenFile {
			s.Sayf("That is more than %d KiB; %s was not changed.", maxWrittenFile>>10, name)
			return s.skipToPeriod()
		}
	}
	if n == 0 {
		s.Sayf("No lines, so %s was not changed.", name)
		return nil
	}
	path := filepath.Join(dir, name)
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := os.WriteFile(path, []byte(b.String()), mode); err != nil {
		s.Sayf("Could not write %s: %v", name, unwrapPath(err))
		return nil
	}
	s.Sayf("Wrote %d %s to %s. Check your work when you are ready.", n, plural(n, "line", "lines"), name)
	return nil
}

// skipToPeriod reads and drops lines up to the closing period of a text that was refused.
func (s *Session) skipToPeriod() error {
	for {
		line, err := s.readRaw("")
		if err != nil {
			return err
		}
		if strings.TrimRight(line, "\r") == "." {
			return nil
		}
	}
}

// unwrapPath drops the server-side path from a file error: a remote learner has no use
// for it.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
