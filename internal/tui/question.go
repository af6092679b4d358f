package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/quiz"
)

// QuestionKeys answer a question.
type QuestionKeys struct {
	Up         key.Binding
	Down       key.Binding
	Toggle     key.Binding
	MoveUp     key.Binding
	MoveDown   key.Binding
	Submit     key.Binding
	Confidence key.Binding
	Lesson     key.Binding
}

// NewQuestionKeys returns the keys of the question widget.
func NewQuestionKeys() QuestionKeys {
	return QuestionKeys{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Toggle:     key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "pick")),
		MoveUp:     key.NewBinding(key.WithKeys("shift+up", "K"), key.WithHelp("K", "move item up")),
		MoveDown:   key.NewBinding(key.WithKeys("shift+down", "J"), key.WithHelp("J", "move item down")),
		Submit:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "submit")),
		Confidence: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "sure/unsure")),
		Lesson:     key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "open the lesson")),
	}
}

// answerWidget takes one answer to one question: a list of options (pick, toggle or
// reorder) or a line of text, plus the learner's confidence.
type answerWidget struct {
	q       *quiz.Question
	order   []string // option ids in display order
	cursor  int
	chosen  map[string]bool
	input   textinput.Model
	unsure  bool
	invalid string // why the typed answer was refused (e.g. not a number)
}

func newAnswerWidget(q *quiz.Question, seed int64) *answerWidget {
	w := &answerWidget{q: q, chosen: map[string]bool{}}
	switch q.Type {
	case quiz.TrueFalse:
		w.order = quiz.TrueFalseOptions()
	case quiz.Single, quiz.Multi, quiz.Order:
		w.order = quiz.Shuffle(q, seed)
	default:
		w.input = textinput.New()
		w.input.SetStyles(steadyInput(w.input.Styles()))
		w.input.Prompt = "› "
		w.input.CharLimit = 200
		if q.Type == quiz.Numeric {
			w.input.Placeholder = "a number"
			if q.Unit != "" {
				w.input.Placeholder += " (" + q.Unit + ")"
			}
		} else {
			w.input.Placeholder = "your answer"
		}
		w.input.Focus()
	}
	return w
}

// typing reports whether keys go to a text field.
func (w *answerWidget) typing() bool {
	return w.q.Type == quiz.Numeric || w.q.Type == quiz.Text
}

func (w *answerWidget) setWidth(width int) {
	if w.typing() {
		w.input.SetWidth(max(width-4, 10))
	}
}

// update handles a key; it returns submit=true when the learner submits a valid answer.
func (w *answerWidget) update(msg tea.KeyPressMsg, keys QuestionKeys) (submit bool, cmd tea.Cmd) {
	if key.Matches(msg, keys.Confidence) {
		w.unsure = !w.unsure
		return false, nil
	}
	if key.Matches(msg, keys.Submit) {
		if r, ok := w.response(); ok {
			_ = r
			return true, nil
		}
		return false, nil
	}
	if w.typing() {
		w.invalid = ""
		w.input, cmd = w.input.Update(msg)
		return false, cmd
	}
	n := len(w.order)
	switch {
	case key.Matches(msg, keys.MoveUp) && w.q.Type == quiz.Order:
		if w.cursor > 0 {
			w.order[w.cursor], w.order[w.cursor-1] = w.order[w.cursor-1], w.order[w.cursor]
			w.cursor--
		}
	case key.Matches(msg, keys.MoveDown) && w.q.Type == quiz.Order:
		if w.cursor < n-1 {
			w.order[w.cursor], w.order[w.cursor+1] = w.order[w.cursor+1], w.order[w.cursor]
			w.cursor++
		}
	case key.Matches(msg, keys.Up):
		w.cursor = max(w.cursor-1, 0)
	case key.Matches(msg, keys.Down):
		w.cursor = min(w.cursor+1, n-1)
	case key.Matches(msg, keys.Toggle):
		id := w.order[w.cursor]
		switch w.q.Type {
		case quiz.Multi:
			w.chosen[id] = !w.chosen[id]
		case quiz.Single, quiz.TrueFalse:
			w.chosen = map[string]bool{id: true}
		}
	default:
		// Number keys pick an option directly: 1 is the first shown.
		if s := msg.String(); len(s) == 1 && s[0] >= '1' && s[0] <= '9' && int(s[0]-'1') < n && w.q.Type != quiz.Order {
			w.cursor = int(s[0] - '1')
			id := w.order[w.cursor]
			if w.q.Type == quiz.Multi {
				w.chosen[id] = !w.chosen[id]
			} else {
				w.chosen = map[string]bool{id: true}
			}
		}
	}
	return false, nil
}

// response builds the graded response; ok is false (with w.invalid set) when the answer
// is not complete yet.
func (w *answerWidget) response() (quiz.Response, bool) {
	var r quiz.Response
	switch w.q.Type {
	case quiz.Single:
		// Enter on an option picks it.
		if len(w.chosen) == 0 {
			w.chosen[w.order[w.cursor]] = true
		}
		for _, id := range w.order {
			if w.chosen[id] {
				r.Options = []string{id}
			}
		}
	case quiz.Multi:
		for _, id := range w.order {
			if w.chosen[id] {
				r.Options = append(r.Options, id)
			}
		}
		if len(r.Options) == 0 {
			w.invalid = "Pick at least one option with space, then press enter."
			return r, false
		}
	case quiz.TrueFalse:
		if len(w.chosen) == 0 {
			w.chosen[w.order[w.cursor]] = true
		}
		r.Bool = w.chosen["true"]
	case quiz.Order:
		r.Options = append([]string(nil), w.order...)
	case quiz.Numeric:
		x, err := w.q.ParseNumber(w.input.Value())
		if err != nil {
			w.invalid = "Type a number" + unitHint(w.q.Unit) + "."
			return r, false
		}
		r.Number = x
	case quiz.Text:
		if strings.TrimSpace(w.input.Value()) == "" {
			w.invalid = "Type an answer first."
			return r, false
		}
		r.Text = w.input.Value()
	}
	w.invalid = ""
	return r, true
}

func unitHint(unit string) string {
	if unit == "" {
		return ""
	}
	return " (in " + unit + ")"
}

// answerText describes the learner's answer for the record.
func (w *answerWidget) answerText(r quiz.Response) string {
	switch w.q.Type {
	case quiz.Single, quiz.Multi, quiz.Order:
		return strings.Join(r.Options, ",")
	case quiz.TrueFalse:
		return fmt.Sprint(r.Bool)
	case quiz.Numeric:
		return fmt.Sprint(r.Number)
	}
	return r.Text
}

// view draws the answer area. With a result, it marks each option right or wrong, always
// with a symbol as well as a colour.
func (w *answerWidget) view(st *Styles, width int, res *quiz.Result) string {
	var b strings.Builder
	marks := map[string]quiz.Mark{}
	if res != nil {
		for _, m := range res.Marks {
			marks[m.ID] = m
		}
	}
	if w.typing() {
		if res == nil {
			b.WriteString(w.input.View() + "\n")
		} else {
			b.WriteString(st.Muted.Render("You answered: ") + st.Text.Render(w.input.Value()) + "\n")
		}
	} else {
		for i, id := range w.order {
			cursor := "  "
			if i == w.cursor && res == nil {
				cursor = st.Cursor.Render("▸ ")
			}
			box := ""
			switch w.q.Type {
			case quiz.Multi:
				box = "[ ] "
				if w.chosen[id] {
					box = "[x] "
				}
			case quiz.Single, quiz.TrueFalse:
				box = "( ) "
				if w.chosen[id] {
					box = "(•) "
				}
			case quiz.Order:
				box = fmt.Sprintf("%d. ", i+1)
			}
			label := w.q.OptionLabel(id)
			line := box + label
			if res != nil {
				verdict := ""
				if m, ok := marks[id]; ok {
					switch {
					case w.q.Type == quiz.Order && m.OK:
						verdict = st.Good.Render("  ✓")
					case w.q.Type == quiz.Order:
						verdict = st.Bad.Render(fmt.Sprintf("  ✗ belongs at %d", m.Want))
					case m.InAnswer && m.Chosen:
						verdict = st.Good.Render("  ✓ right")
					case m.InAnswer && w.q.Type == quiz.Single:
						verdict = st.Good.Render("  ← the answer")
					case m.InAnswer:
						verdict = st.Bad.Render("  ✗ missed: this one is right too")
					case m.Chosen:
						verdict = st.Bad.Render("  ✗ not right")
					}
				} else if w.q.Type == quiz.TrueFalse {
					right := (id == "true") == w.q.Truth
					switch {
					case right && w.chosen[id]:
						verdict = st.Good.Render("  ✓ right")
					case right:
						verdict = st.Good.Render("  ← the answer")
					case w.chosen[id]:
						verdict = st.Bad.Render("  ✗ not right")
					}
				}
				b.WriteString(cursor + wrapHanging(line, width-len(cursor)-14, len(box)) + verdict + "\n")
				continue
			}
			ts := st.Text
			if i == w.cursor {
				ts = st.Title
			}
			b.WriteString(cursor + ts.Render(wrapHanging(line, width-len(cursor), len(box))) + "\n")
		}
	}
	if res == nil {
		conf := st.Good.Render("sure")
		if w.unsure {
			conf = st.Warn.Render("unsure")
		}
		b.WriteString("\n" + st.Muted.Render("confidence: ") + conf + st.Muted.Render("  (tab to change)"))
		if w.invalid != "" {
			b.WriteString("\n" + st.Warn.Render(w.invalid))
		}
	}
	return b.String()
}

// wrapHanging wraps text to width, indenting continuation lines by indent cells.
func wrapHanging(s string, width, indent int) string {
	if width < 10 {
		return s
	}
	lines := strings.Split(wrapText(s, width), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Repeat(" ", indent) + lines[i]
	}
	return strings.Join(lines, "\n")
}

// questionHint is the one-line instruction for a question type.
func questionHint(t quiz.Type) string {
	switch t {
	case quiz.Single:
		return "Pick one answer (↑/↓ or 1–9), then enter."
	case quiz.Multi:
		return "Pick every right answer with space (or 1–9), then enter."
	case quiz.TrueFalse:
		return "True or false? Pick one, then enter."
	case quiz.Numeric:
		return "Type a number, then enter."
	case quiz.Text:
		return "Type a short answer, then enter."
	case quiz.Order:
		return "Put the items in order: move the selected one with K/J (or shift+↑/↓), then enter."
	}
	return ""
}

// steadyInput turns off cursor blinking in a text input.
func steadyInput(st textinput.Styles) textinput.Styles {
	st.Cursor.Blink = false
	return st
}
