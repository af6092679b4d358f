// Package plain is kaizen's accessible mode: the whole app as plain lines that a screen
// reader reads in order. Nothing is redrawn, nothing moves, and no escape sequence is ever
// written: menus are numbered lists answered by typing a number (or a letter for common
// commands), lessons are wrapped text read in parts, and every answer is a line of input.
// It works as well without a terminal (input from a pipe) as with one.
//
// It shares the course catalog and the progress store with the full-screen app and records
// progress the same way, so a learner can switch between the two.
package plain

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kaizen-mlops/kaizen/classroom"
	"github.com/kaizen-mlops/kaizen/exercises"
	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/sandbox"
)

// ErrQuit ends the session: the learner typed q, input ended, or the program was asked to
// stop. Every screen saves what it must on the way out; Run turns it into a clean exit.
var ErrQuit = errors.New("quit")

// Options configure a Session.
type Options struct {
	// Ctx stops the session when cancelled (a signal): waiting for input ends, and what
	// must be saved is saved.
	Ctx context.Context
	// Catalog must be complete (quizzes, glossary and case studies loaded).
	Catalog *course.Catalog
	// Store keeps progress; nil keeps nothing.
	Store   *store.Store
	Learner int64
	Now     func() time.Time
	In      io.Reader
	Out     io.Writer
	// Width wraps text (default 80).
	Width int
	// PageLines is how many lines of a long text are read before asking for more
	// (default 40).
	PageLines int
	// Warning is said first (e.g. that progress is kept in memory only).
	Warning string
	// Workspace is the directory exercise workspaces live in; "" leaves exercises out.
	Workspace string
	// Runner runs exercise checks (nil: the sandbox).
	Runner exercises.Runner
	// Edit, when set, opens the learner's editor on files in dir and returns when it
	// closes. Set it only when there is a terminal for the editor.
	Edit func(dir string, files []string) error
	// Remote says the learner cannot reach the workspace's files (a session over SSH): an
	// exercise's files are heard and written through the session (typed or pasted), and
	// workspace paths are not mentioned.
	Remote bool
	// AskName asks, before the home menu, for the name an instructor will see, and saves
	// it as the learner's name (a new student of an open class).
	AskName bool
	// MinLevel is the least sandbox isolation exercise checks may run with, and CheckGate
	// (when set) is asked before each check: a class server's rules (see app.Practice).
	MinLevel  sandbox.Level
	CheckGate func() (release func(), ok bool)
}

// Session is one learner's accessible-mode session: a reader of lines, a writer of
// sentences, and the same catalog and store the full-screen app uses.
type Session struct {
	// ctx is for store calls: it is never cancelled, so what must be saved on the way out
	// is saved even when the session is stopped. stopped ends waiting for input.
	ctx     context.Context
	stopped context.Context
	cat     *course.Catalog
	st      *store.Store
	learner int64
	now     func() time.Time
	out     io.Writer
	width   int
	page    int
	warning string

	workspace string
	runner    exercises.Runner
	edit      func(dir string, files []string) error
	remote    bool
	askName   bool
	minLevel  sandbox.Level
	checkGate func() (release func(), ok bool)

	lines      chan string
	want       chan struct{} // asks the reader for a line
	readerDone chan struct{} // closed when input has ended
	stop       chan struct{}
	ended      error // why input ended (io.EOF or the context's error), once it has
	started    bool
}

// New makes a session. Nothing is read or written until Run (or another Run method).
func New(o Options) *Session {
	s := &Session{ctx: o.Ctx, cat: o.Catalog, st: o.Store, learner: o.Learner, now: o.Now, out: o.Out,
		width: o.Width, page: o.PageLines, warning: o.Warning, workspace: o.Workspace, runner: o.Runner, edit: o.Edit,
		remote: o.Remote, askName: o.AskName, minLevel: o.MinLevel, checkGate: o.CheckGate}
	if s.ctx == nil {
		s.ctx = context.Background()
	}
	s.stopped, s.ctx = s.ctx, context.WithoutCancel(s.ctx)
	if s.now == nil {
		s.now = time.Now
	}
	if s.out == nil {
		s.out = io.Discard
	}
	if s.width <= 0 {
		s.width = 80
	}
	s.width = max(s.width, 20)
	if s.page <= 0 {
		s.page = 40
	}
	in := o.In
	if in == nil {
		in = strings.NewReader("")
	}
	s.lines = make(chan string)
	s.want = make(chan struct{})
	s.readerDone = make(chan struct{})
	s.stop = make(chan struct{})
	go s.readLines(in)
	return s
}

// MaxLineBytes is the longest input line kept; the rest of a longer line is read and
// dropped, so input that never ends a line (over SSH, from anyone) cannot fill memory.
const MaxLineBytes = 64 << 10

// readLine reads up to and including the next newline, keeping at most MaxLineBytes.
func readLine(r *bufio.Reader) (string, error) {
	var b []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if room := MaxLineBytes - len(b); room > 0 {
			b = append(b, chunk[:min(len(chunk), room)]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return string(b), err
	}
}

// readLines reads one input line each time the session asks for one, so nothing is read
// ahead of what the learner answers, and a program the session starts (an editor) has the
// terminal to itself meanwhile.
func (s *Session) readLines(in io.Reader) {
	defer close(s.readerDone)
	r := bufio.NewReader(in)
	for {
		select {
		case <-s.want:
		case <-s.stop:
			return
		}
		line, err := readLine(r)
		if line != "" || err == nil {
			select {
			case s.lines <- strings.TrimRight(line, "\r\n"):
			case <-s.stop:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Run opens the home menu and returns when the learner quits or input ends. Progress is
// saved as the learner goes; Run returns an error only when the session cannot start.
func (s *Session) Run() error { return s.run(s.home) }

// RunQuiz goes straight into a chapter's quiz (kaizen quiz CHAPTER_ID), then to its
// chapter menu.
func (s *Session) RunQuiz(chapterID string) error {
	ch, ok := s.cat.Chapter(chapterID)
	if !ok {
		return fmt.Errorf("no chapter with id %q", chapterID)
	}
	return s.run(func() error {
		if err := s.quiz(ch); err != nil {
			return err
		}
		return s.chapter(ch)
	})
}

// RunReview goes straight into the spaced review of due cards (kaizen review).
func (s *Session) RunReview() error {
	return s.run(func() error {
		if err := s.review(); err != nil {
			return err
		}
		return s.home()
	})
}

// RunCase goes straight into a case study (kaizen case play ID).
func (s *Session) RunCase(caseID string) error {
	cs, ok := s.cat.Case(caseID)
	if !ok {
		return fmt.Errorf("no case study with id %q", caseID)
	}
	return s.run(func() error {
		if err := s.caseStudy(cs); err != nil {
			return err
		}
		return s.home()
	})
}

func (s *Session) run(fn func() error) error {
	if s.started {
		return errors.New("plain: a session runs once")
	}
	s.started = true
	defer close(s.stop)
	s.Say("kaizen, accessible mode. " + s.cat.Title + ".")
	if s.warning != "" {
		s.Say("Warning: " + s.warning)
	}
	s.Say("Type a number to choose, h for help, b to go back, q to quit.")
	err := s.nameFirst()
	if err == nil {
		err = fn()
	}
	if err != nil && !errors.Is(err, ErrQuit) {
		return err
	}
	saved := "Your progress is saved."
	if s.st == nil || s.warning != "" {
		saved = "Your progress was not saved to disk."
	}
	switch {
	case errors.Is(s.ended, io.EOF):
		s.Say("End of input. " + saved + " Goodbye.")
	case s.ended != nil:
		// On a terminal, ctrl+c left "^C" on the line: start a new one.
		s.Blank()
		s.Say("Stopped. " + saved + " Goodbye.")
	default:
		s.Say(saved + " Goodbye.")
	}
	return nil
}

// nameFirst asks for the learner's name when Options.AskName says so, until one is given.
func (s *Session) nameFirst() error {
	if !s.askName || s.st == nil {
		return nil
	}
	for {
		name, err := s.ReadLine("What name should your instructor see? Type it and press enter (q quits).")
		if err != nil {
			return err
		}
		if isQuit(word(name)) {
			return ErrQuit
		}
		if name, err = classroom.CleanName(name); err != nil {
			s.Sayf("Sorry: %v. A name is asked once, so your instructor knows whose progress this is.", err)
			continue
		}
		l, err := s.st.LearnerByID(s.ctx, s.learner)
		if err == nil {
			err = s.st.SetLearnerProfile(s.ctx, s.learner, name, l.StudentID)
		}
		if err != nil {
			s.Sayf("Could not save your name: %v", err)
			return nil
		}
		s.Sayf("Thank you, %s.", name)
		return nil
	}
}

// Say writes text wrapped at the session's width, followed by a newline. Lines inside the
// text are kept.
func (s *Session) Say(text string) {
	for _, l := range wrap(text, s.width, "", "") {
		io.WriteString(s.out, l+"\n")
	}
}

// Sayf is Say with formatting.
func (s *Session) Sayf(format string, args ...any) { s.Say(fmt.Sprintf(format, args...)) }

// Blank writes an empty line, which separates parts of the output.
func (s *Session) Blank() { io.WriteString(s.out, "\n") }

// Lines writes lines as they are (already wrapped, or code).
func (s *Session) Lines(lines []string) {
	for _, l := range lines {
		io.WriteString(s.out, l+"\n")
	}
}

// Heading announces a heading: "Heading level 2: Quiz".
func (s *Session) Heading(level int, text string) {
	s.Blank()
	s.Sayf("Heading level %d: %s", level, text)
}

// ReadLine says prompt (when not empty) and returns the next line of input, trimmed of
// surrounding spaces. It returns ErrQuit when input has ended or the session is stopped.
func (s *Session) ReadLine(prompt string) (string, error) {
	line, err := s.readRaw(prompt)
	return strings.TrimSpace(line), err
}

// readRaw is ReadLine without trimming (for writing text).
func (s *Session) readRaw(prompt string) (string, error) {
	if prompt != "" {
		s.Say(prompt)
	}
	if s.ended != nil {
		return "", ErrQuit
	}
	select {
	case s.want <- struct{}{}:
	case <-s.readerDone:
		s.ended = io.EOF
		return "", ErrQuit
	case <-s.stopped.Done():
		s.ended = s.stopped.Err()
		return "", ErrQuit
	}
	select {
	case line := <-s.lines:
		return line, nil
	case <-s.readerDone:
		s.ended = io.EOF
		return "", ErrQuit
	case <-s.stopped.Done():
		s.ended = s.stopped.Err()
		return "", ErrQuit
	}
}

// word is what a command line means, whatever its case and surrounding punctuation.
func word(line string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(line), ".!"))
}

// isBack, isQuit and isHelp recognise the commands every prompt accepts.
func isBack(w string) bool { return w == "b" || w == "back" }
func isQuit(w string) bool { return w == "q" || w == "quit" || w == "exit" }
func isHelp(w string) bool { return w == "h" || w == "help" || w == "?" }

// save runs a store write and says so when it fails; the session goes on.
func (s *Session) save(what string, fn func(st *store.Store) error) {
	if s.st == nil {
		return
	}
	if err := fn(s.st); err != nil {
		s.Sayf("Could not save the %s: %v", what, err)
	}
}

// quoted shows what the learner typed inside a sentence, shortened when long.
func quoted(line string) string {
	r := []rune(line)
	if len(r) > 40 {
		line = string(r[:37]) + "..."
	}
	return `"` + line + `"`
}

// Page says lines in parts of the session's page length, asking between parts whether to
// go on. It returns nil when the text is done or the learner goes back.
func (s *Session) Page(lines []string) error {
	pos, quiet := 0, false
	for pos < len(lines) {
		end := min(pos+s.page, len(lines))
		if !quiet {
			s.Lines(lines[pos:end])
		}
		quiet = false
		if end >= len(lines) {
			return nil
		}
		line, err := s.ReadLine("Press enter for more, b to go back.")
		if err != nil {
			return err
		}
		switch w := word(line); {
		case w == "" || w == "m" || w == "more":
			pos = end
		case isBack(w):
			return nil
		case isQuit(w):
			return ErrQuit
		case isHelp(w):
			s.Say("Help. Press enter to hear the next part, b to stop reading and go back, or q to save and quit.")
			quiet = true
		default:
			s.Sayf("%s is not a command here.", quoted(line))
			quiet = true
		}
	}
	return nil
}
