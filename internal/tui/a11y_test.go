package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

// screensInStates opens every screen in its main states, for tests that check them all.
func screensInStates(t *testing.T) map[string]*harness {
	c, _ := quizCommonClock(t)
	full := caseCommon(t)
	out := map[string]*harness{}
	mk := func(name string, cc *Common, open func(h *harness)) {
		h := newHarness(t, cc, 100, 30)
		open(h)
		out[name] = h
	}
	ch := func(cc *Common) func(h *harness) {
		return func(h *harness) { h.key("down", "enter") }
	}
	mk("home", c, func(h *harness) {})
	mk("chapter", c, ch(c))
	mk("lesson", c, func(h *harness) { h.key("down", "enter", "enter") })
	mk("quiz-asking", c, func(h *harness) { h.key("down", "enter", "down", "down", "enter") })
	mk("quiz-feedback", c, func(h *harness) { h.key("down", "enter", "down", "down", "enter", "enter") })
	mk("discussion", c, func(h *harness) {
		ch, _ := c.Catalog.Chapter("ch01")
		h.send(pushMsg{NewDiscussion(c, ch)})
	})
	mk("prompt", c, func(h *harness) {
		p, _ := c.Catalog.Prompt("d-one")
		h.send(pushMsg{NewPrompt(c, p)})
	})
	mk("review-empty", c, func(h *harness) { h.send(pushMsg{NewReview(c)}) })
	mk("case", full, func(h *harness) {
		cs, _ := full.Catalog.Case("fanvoy")
		h.send(pushMsg{NewCaseStudy(full, cs)})
		h.key("enter")
	})
	mk("glossary", full, func(h *harness) { h.send(pushMsg{NewGlossary(full)}) })
	// A fixed workspace path: the exercise screens show it, and goldens must not move.
	full.Workspace = filepath.Join(os.TempDir(), "kaizen-tui-golden-workspace")
	os.RemoveAll(full.Workspace)
	t.Cleanup(func() { os.RemoveAll(full.Workspace) })
	mk("exercises", full, func(h *harness) {
		ch, _ := full.Catalog.Chapter("ch06")
		h.send(pushMsg{NewExerciseList(full, ch)})
	})
	mk("exercise", full, func(h *harness) {
		ex, _ := full.Catalog.Exercise("ex06-drift-psi")
		h.send(pushMsg{NewExercise(full, ex)})
	})
	mk("editor", full, func(h *harness) {
		ex, _ := full.Catalog.Exercise("ex06-drift-psi")
		h.send(pushMsg{NewExercise(full, ex)})
		h.send(pushMsg{NewFileEditor(full, filepath.Join(full.Workspace, ex.ID), ex.Files)})
	})
	mk("progress", full, func(h *harness) { h.send(pushMsg{NewProgress(full)}) })
	return out
}

// TestKeymapsNeverClash checks, on every screen, that no key is bound twice among the
// screen's keys and the global keys that apply there.
func TestKeymapsNeverClash(t *testing.T) {
	for name, h := range screensInStates(t) {
		top := h.m.top()
		var all []key.Binding
		for _, g := range top.Help() {
			all = append(all, g...)
		}
		capturing := false
		if c, ok := top.(Capturer); ok {
			capturing = c.Capturing()
		}
		g := h.m.common.Global
		all = append(all, g.ForceQuit)
		if !capturing {
			all = append(all, g.Quit, g.Help)
			if bh, ok := top.(BackHandler); !ok || !bh.HandlesBack() {
				all = append(all, g.Back)
			}
		}
		seen := map[string]string{}
		for _, b := range all {
			if !b.Enabled() {
				continue
			}
			for _, k := range b.Keys() {
				if prev, dup := seen[k]; dup && prev != b.Help().Desc {
					t.Errorf("%s: key %q bound to both %q and %q", name, k, prev, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
			}
		}
	}
}

// TestStateIsNeverColourAlone plays a wrong and a right answer in every theme and reads the
// screen without colour: the verdicts must still be there as symbols and words.
func TestStateIsNeverColourAlone(t *testing.T) {
	for _, theme := range Themes() {
		for _, dark := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s-dark=%v", theme, dark), func(t *testing.T) {
				c := quizCommon(t)
				c.Styles = NewThemeStyles(theme, dark)
				h := newHarness(t, c, 80, 24)
				ch, _ := c.Catalog.Chapter("ch01")
				h.send(pushMsg{NewQuiz(c, ch)})
				q := h.m.top().(*QuizRun)
				for i, id := range q.widget.order {
					if id == "a" {
						h.key(string(rune('1' + i)))
					}
				}
				h.key("enter")
				s := h.screen()
				for _, want := range []string{"✗ Not quite", "✗ not right", "← the answer"} {
					if !strings.Contains(s, want) {
						t.Errorf("without colour, %q is missing:\n%s", want, s)
					}
				}
				if !strings.Contains(s, "▸") && q.phase == phaseAsking {
					t.Error("the cursor must be a glyph, not only a colour")
				}
			})
		}
	}
}

// TestEveryScreenFitsFrom40x10To300x100 renders every screen at the extreme sizes: no line
// wider than the terminal, no more lines than it has, and no panic.
func TestEveryScreenFitsFrom40x10To300x100(t *testing.T) {
	for name, h := range screensInStates(t) {
		for _, size := range [][2]int{{40, 10}, {300, 100}, {80, 24}} {
			h.send(resizeMsg(size[0], size[1]))
			s := h.screen()
			lines := strings.Split(s, "\n")
			if len(lines) > size[1] {
				t.Errorf("%s at %dx%d: %d lines", name, size[0], size[1], len(lines))
			}
			for _, l := range lines {
				if w := lipglossWidth(l); w > size[0] {
					t.Errorf("%s at %dx%d: line of %d cells: %q", name, size[0], size[1], w, l)
					break
				}
			}
			if size == [2]int{40, 10} || size == [2]int{300, 100} {
				golden(t, fmt.Sprintf("size_%s_%dx%d", name, size[0], size[1]), s)
			}
		}
	}
}
