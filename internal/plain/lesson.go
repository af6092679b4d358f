package plain

import (
	"fmt"
	"strings"
	"time"

	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// idleCap bounds how much of a pause between two answers counts as reading time. It is
// longer than the full-screen app's (2 minutes between keys) because a part here is a
// whole page, which takes a few minutes to hear.
const idleCap = 5 * time.Minute

// scrollSaveEvery is how often, at most, the reading position is saved while reading; it
// is always saved on leaving.
const scrollSaveEvery = 20 * time.Second

// LessonText is a lesson as plain lines: its title, what it teaches, and its body, with
// links to other lessons named by their titles.
func (s *Session) LessonText(l *lessons.Lesson) Text {
	return RenderMarkdown(lessonMarkdown(l), s.width, s.linkTitle)
}

// lessonMarkdown is the Markdown a lesson is read from: the full-screen app's (title,
// objectives, body), with the objectives as a list rather than a quote.
func lessonMarkdown(l *lessons.Lesson) string {
	var b strings.Builder
	body := strings.TrimSpace(l.Body)
	if strings.HasPrefix(body, "# ") {
		title, rest, _ := strings.Cut(body, "\n")
		b.WriteString(title + "\n\n")
		body = strings.TrimSpace(rest)
	} else {
		fmt.Fprintf(&b, "# %s\n\n", l.Title)
	}
	if len(l.Objectives) > 0 {
		b.WriteString("In this lesson you will:\n\n")
		for _, o := range l.Objectives {
			fmt.Fprintf(&b, "- %s\n", o)
		}
		b.WriteString("\n")
	}
	b.WriteString(body)
	return b.String()
}

// linkTitle names where a lesson: link leads.
func (s *Session) linkTitle(target string) string {
	ref, ok := strings.CutPrefix(target, "lesson:")
	if !ok {
		return ""
	}
	id, section, _ := strings.Cut(ref, "#")
	l, ok := s.cat.Lesson(id)
	if !ok {
		return ""
	}
	where := "see the lesson " + l.Title
	for _, h := range l.Headings {
		if section != "" && h.Slug == section {
			where += ", section " + h.Text
		}
	}
	return where
}

// readLessons reads a lesson and then whichever lesson the learner moves to with next or
// previous, until they go back.
func (s *Session) readLessons(l *lessons.Lesson, section string) error {
	for l != nil {
		next, err := s.readLesson(l, section)
		if err != nil {
			return err
		}
		l, section = next, ""
	}
	return nil
}

// reader is one lesson being read: the text, the position and what must be saved.
type reader struct {
	s        *Session
	l        *lessons.Lesson
	text     Text
	pos      int // first line of the part being read
	finished bool
	quiet    bool // the next show says only the prompt (after help or a refused command)

	lastActive time.Time
	active     time.Duration
	savedAt    time.Time
	savedFrac  float64
}

// readLesson reads one lesson in parts. It returns the lesson to read next (nil to go
// back). Opening, the reading position, finishing and reading time are recorded as the
// full-screen reader records them.
func (s *Session) readLesson(l *lessons.Lesson, section string) (next *lessons.Lesson, err error) {
	var state store.LessonState
	if s.st != nil {
		ls, err := s.st.Lessons(s.ctx, s.learner)
		if err != nil {
			s.Sayf("Could not read your place in this lesson: %v", err)
		}
		state = ls[l.ID]
	}
	// The saved position is read before the opening is recorded, so a first visit reads as new.
	s.save("lesson opening", func(st *store.Store) error { return st.OpenLesson(s.ctx, s.learner, l.ID) })
	r := &reader{s: s, l: l, text: s.LessonText(l), finished: state.Finished,
		lastActive: s.now(), savedAt: s.now(), savedFrac: state.Scroll}
	defer r.leave()

	total := len(r.text.Lines)
	where := ""
	index, count := 0, 0
	if ch, ok := s.cat.Chapter(l.ChapterID); ok {
		count = len(ch.Lessons)
		for i, x := range ch.Lessons {
			if x.ID == l.ID {
				index = i
			}
		}
		where = fmt.Sprintf("%s, lesson %d of %d: ", ch.Label(), index+1, count)
	}
	intro := where + sentence(l.Title)
	if l.Minutes > 0 {
		intro += fmt.Sprintf(" About %d minutes", l.Minutes)
		if parts := r.parts(); parts > 1 {
			intro += fmt.Sprintf(", in %d parts", parts)
		}
		intro += "."
	}
	if state.Finished {
		intro += " You have finished this lesson before."
	}
	s.Blank()
	s.Say(intro)
	switch {
	case section != "":
		if line, ok := r.text.Headings[section]; ok {
			r.pos = line
			s.Say("Starting at the section the question points to. Type t to start from the top.")
		}
	case state.Scroll > 0 && !state.Finished && total > s.page:
		r.pos = int(state.Scroll*float64(total-s.page) + 0.5)
		r.pos = min(r.pos/s.page*s.page, r.lastStart())
		if r.pos > 0 {
			s.Sayf("Resuming where you left off, %s of the way through. Type t to start from the top.", percent(state.Scroll))
		}
	}

	for {
		r.show()
		line, err := s.ReadLine(r.prompt())
		r.touch()
		if err != nil {
			return nil, err
		}
		w := word(line)
		switch {
		case w == "" || w == "m" || w == "more":
			if r.atEnd() {
				nl := r.neighbour(true)
				if nl == nil {
					return nil, nil // the end of the course: back to the menu
				}
				return nl, nil
			}
			r.pos += s.page
			r.maybeSaveScroll()
		case isBack(w):
			return nil, nil
		case isQuit(w):
			return nil, ErrQuit
		case w == "n" || w == "next":
			if nl := r.neighbour(true); nl != nil {
				return nl, nil
			}
			s.Say("This is the last lesson of the course.")
			r.repeat()
		case w == "p" || w == "prev" || w == "previous":
			if pl := r.neighbour(false); pl != nil {
				return pl, nil
			}
			s.Say("This is the first lesson of the course.")
			r.repeat()
		case w == "u" || w == "up":
			if r.pos == 0 {
				s.Say("This is the first part.")
			}
			r.pos = max(r.pos-s.page, 0)
		case w == "r" || w == "repeat":
		case w == "t" || w == "top":
			r.pos = 0
		case w == "e" || w == "end":
			r.pos = r.lastStart()
		case isHelp(w):
			r.help()
			r.repeat()
		default:
			s.Sayf("%s is not a command here.", quoted(line))
			r.repeat()
		}
	}
}

// repeat marks that the next show must not read the part again: only the prompt.
func (r *reader) repeat() { r.quiet = true }

func (r *reader) parts() int {
	return max((len(r.text.Lines)+r.s.page-1)/r.s.page, 1)
}

// lastStart is the first line of the last part.
func (r *reader) lastStart() int {
	return max(len(r.text.Lines)-1, 0) / r.s.page * r.s.page
}

func (r *reader) atEnd() bool { return r.pos+r.s.page >= len(r.text.Lines) }

func (r *reader) part() int {
	if r.atEnd() {
		return r.parts()
	}
	return min(r.pos/r.s.page+1, r.parts())
}

// show reads the current part aloud and, at the end, marks the lesson finished.
func (r *reader) show() {
	if r.quiet {
		r.quiet = false
		return
	}
	s := r.s
	end := min(r.pos+s.page, len(r.text.Lines))
	if r.parts() > 1 {
		s.Blank()
		s.Sayf("Part %d of %d.", r.part(), r.parts())
	}
	s.Blank()
	s.Lines(r.text.Lines[r.pos:end])
	s.Blank()
	if !r.atEnd() {
		return
	}
	if !r.finished {
		r.finished = true
		s.save("finished lesson", func(st *store.Store) error { return st.FinishLesson(s.ctx, s.learner, r.l.ID) })
		s.Say("End of lesson. Lesson finished: " + sentence(r.l.Title))
	} else {
		s.Say("End of lesson.")
	}
}

func (r *reader) prompt() string {
	if !r.atEnd() {
		return "Press enter for more, b to go back, or h for help."
	}
	prev := ""
	if r.neighbour(false) != nil {
		prev = " p for the previous lesson,"
	}
	if nl := r.neighbour(true); nl != nil {
		return fmt.Sprintf("Press enter or n for the next lesson, %s Type%s t to read again from the top, b to go back, or h for help.", sentence(nl.Title), prev)
	}
	return fmt.Sprintf("This is the last lesson of the course. Press enter or b to go back. Type%s t to read again from the top, or h for help.", prev)
}

func (r *reader) help() {
	s := r.s
	s.Say("Help. While reading a lesson you can type:")
	s.Say("- enter (an empty line) or m for the next part;")
	s.Say("- u for the previous part, r to hear this part again, t for the top, e for the last part;")
	s.Say("- n for the next lesson, p for the previous lesson;")
	s.Say("- b to go back, q to save and quit.")
	s.Say("Reaching the end of a lesson marks it finished, and kaizen remembers where you stopped.")
}

// neighbour is the next (or previous) lesson in reading order, nil at the ends.
func (r *reader) neighbour(next bool) *lessons.Lesson {
	prev, nx := r.s.cat.Neighbours(r.l.ID)
	if next {
		return nx
	}
	return prev
}

// touch counts the time since the last answer as reading time, up to idleCap.
func (r *reader) touch() {
	now := r.s.now()
	if gap := now.Sub(r.lastActive); gap > 0 && gap < idleCap {
		r.active += gap
	}
	r.lastActive = now
}

// fraction is how far through the lesson the part being read is, 0..1, as the
// full-screen reader measures it (top line over the last possible top line).
func (r *reader) fraction() float64 {
	total := len(r.text.Lines) - r.s.page
	if total <= 0 || r.atEnd() {
		return 1
	}
	return float64(r.pos) / float64(total)
}

func (r *reader) maybeSaveScroll() {
	if r.s.now().Sub(r.savedAt) >= scrollSaveEvery {
		r.saveScroll()
	}
}

func (r *reader) saveScroll() {
	frac := r.fraction()
	if frac == r.savedFrac {
		return
	}
	r.savedFrac, r.savedAt = frac, r.s.now()
	s, id := r.s, r.l.ID
	s.save("reading position", func(st *store.Store) error { return st.SaveScroll(s.ctx, s.learner, id, frac) })
}

// leave saves the reading position and the reading time.
func (r *reader) leave() {
	r.saveScroll()
	s, id, spent := r.s, r.l.ID, r.active
	r.active = 0
	s.save("reading time", func(st *store.Store) error { return st.AddLessonTime(s.ctx, s.learner, id, spent) })
}

// sentenceless drops a title's final full stop, for use inside a sentence.
func sentenceless(t string) string { return strings.TrimRight(t, ".") }
