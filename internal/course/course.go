// Package course loads a course directory (the embedded default or one given with
// --course) into a Catalog, and lints it: every problem in every file, each with its
// file and line, in one run.
package course

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/kaizen-mlops/kaizen/assets"
	"github.com/kaizen-mlops/kaizen/casestudies"
	"github.com/kaizen-mlops/kaizen/exercises"
	"github.com/kaizen-mlops/kaizen/internal/diag"
	"github.com/kaizen-mlops/kaizen/internal/yamlx"
	"github.com/kaizen-mlops/kaizen/lessons"
	"github.com/kaizen-mlops/kaizen/quiz"
)

// Catalog is a loaded course.
type Catalog struct {
	ID          string
	Title       string
	Version     string
	Description string
	Source      string // "embedded" or the directory it was loaded from
	Chapters    []*lessons.Chapter
	Glossary    []lessons.GlossaryTerm
	Cases       []*casestudies.Case
	Exercises   []*exercises.Exercise // in chapter order, then directory order
	FS          fs.FS

	lessonByID   map[string]*lessons.Lesson
	chapterByID  map[string]*lessons.Chapter
	promptByID   map[string]*lessons.Prompt
	quizzes      map[string]*quiz.Quiz // by chapter id
	questionByID map[string]*quiz.Question
	questionChap map[string]string // question id -> chapter id
	completed    bool
}

// Quiz returns a chapter's quiz (nil when it has none).
func (c *Catalog) Quiz(chapterID string) *quiz.Quiz { return c.quizzes[chapterID] }

// Exercise returns an exercise by id.
func (c *Catalog) Exercise(id string) (*exercises.Exercise, bool) {
	for _, ex := range c.Exercises {
		if ex.ID == id {
			return ex, true
		}
	}
	return nil, false
}

// ExercisesOf lists a chapter's exercises.
func (c *Catalog) ExercisesOf(chapterID string) []*exercises.Exercise {
	var out []*exercises.Exercise
	for _, ex := range c.Exercises {
		if ex.Chapter == chapterID {
			out = append(out, ex)
		}
	}
	return out
}

// Case returns a case study by id.
func (c *Catalog) Case(id string) (*casestudies.Case, bool) {
	for _, cs := range c.Cases {
		if cs.ID == id {
			return cs, true
		}
	}
	return nil, false
}

// Question returns a question by id and the chapter it belongs to.
func (c *Catalog) Question(id string) (*quiz.Question, string, bool) {
	q, ok := c.questionByID[id]
	return q, c.questionChap[id], ok
}

// Lesson returns a lesson by id.
func (c *Catalog) Lesson(id string) (*lessons.Lesson, bool) {
	l, ok := c.lessonByID[id]
	return l, ok
}

// ChapterLabels names chapters for a learner ("Chapter 3, Appendix B"); unknown ids are
// shown as they are.
func (c *Catalog) ChapterLabels(ids []string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		if ch, ok := c.chapterByID[id]; ok {
			names = append(names, ch.Label())
		} else {
			names = append(names, id)
		}
	}
	return strings.Join(names, ", ")
}

// Chapter returns a chapter by id.
func (c *Catalog) Chapter(id string) (*lessons.Chapter, bool) {
	ch, ok := c.chapterByID[id]
	return ch, ok
}

// Prompt returns a discussion prompt by id.
func (c *Catalog) Prompt(id string) (*lessons.Prompt, bool) {
	p, ok := c.promptByID[id]
	return p, ok
}

// LessonIDs lists every lesson id in reading order.
func (c *Catalog) LessonIDs() []string {
	var out []string
	for _, ch := range c.Chapters {
		for _, l := range ch.Lessons {
			out = append(out, l.ID)
		}
	}
	return out
}

// Neighbours returns the lessons before and after id in reading order (nil at the ends).
func (c *Catalog) Neighbours(id string) (prev, next *lessons.Lesson) {
	ids := c.LessonIDs()
	for i, x := range ids {
		if x == id {
			if i > 0 {
				prev = c.lessonByID[ids[i-1]]
			}
			if i+1 < len(ids) {
				next = c.lessonByID[ids[i+1]]
			}
		}
	}
	return prev, next
}

// ErrInvalid is returned (wrapped) when a course has problems.
var ErrInvalid = errors.New("course has problems")

// ProblemsError carries every problem found in a course.
type ProblemsError struct {
	Source   string
	Problems diag.List
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "course %s has %d problem(s):", e.Source, len(e.Problems))
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more (run `kaizen course lint`)", len(e.Problems)-20)
			break
		}
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

func (e *ProblemsError) Unwrap() error { return ErrInvalid }

// Embedded loads the default course.
func Embedded() (*Catalog, error) {
	return load(assets.Course(), "embedded")
}

// EmbeddedIndex loads the first-screen part of the default course (see LoadIndex).
func EmbeddedIndex() (*Catalog, error) {
	return loadIndex(assets.Course(), "embedded")
}

// DirIndex loads the first-screen part of a course directory (see LoadIndex).
func DirIndex(dir string) (*Catalog, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	return loadIndex(os.DirFS(dir), dir)
}

func loadIndex(fsys fs.FS, source string) (*Catalog, error) {
	c, probs := LoadIndex(fsys, source)
	if len(probs) > 0 {
		return nil, &ProblemsError{Source: source, Problems: probs}
	}
	return c, nil
}

// CompleteInBackgroundOrError is CompleteInBackground turning problems into an error.
func (c *Catalog) CompleteInBackgroundOrError() (*Catalog, error) {
	full, probs := c.CompleteInBackground()
	if len(probs) > 0 {
		return nil, &ProblemsError{Source: c.Source, Problems: probs}
	}
	return full, nil
}

func checkDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("course directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("course directory %s: not a directory", dir)
	}
	return nil
}

// Dir loads a course from a directory on disk.
func Dir(dir string) (*Catalog, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	return load(os.DirFS(dir), dir)
}

func load(fsys fs.FS, source string) (*Catalog, error) {
	c, probs := Load(fsys, source)
	if len(probs) > 0 {
		return nil, &ProblemsError{Source: source, Problems: probs}
	}
	return c, nil
}

// Load reads a whole course and lints it. It returns the catalog (possibly partial) and
// every problem found, sorted by file and line.
func Load(fsys fs.FS, source string) (*Catalog, diag.List) {
	idx, probs := LoadIndex(fsys, source)
	full, more := idx.Complete()
	probs = append(probs, more...)
	probs.Sort()
	return full, probs
}

// LoadIndex reads what the app's first screens need: the course description, chapters,
// lessons and discussion prompts. Quizzes, the glossary and case studies are added by
// Complete, which the app runs after its first frame.
func LoadIndex(fsys fs.FS, source string) (*Catalog, diag.List) {
	var probs diag.List
	c := newCatalog(source, fsys)
	data, err := fs.ReadFile(fsys, "course.yaml")
	if err != nil {
		probs.Add("course.yaml", 0, "cannot read the course description: %v", unwrapPathError(err))
		return c, probs
	}
	root := yamlx.Parse("course.yaml", data, &probs)
	if root == nil {
		return c, probs
	}
	f := yamlx.Fields("course.yaml", root, []string{"id", "title", "version", "description", "chapters", "appendices"}, &probs)
	c.ID = yamlx.String("course.yaml", f, "id", true, root, &probs)
	if c.ID != "" && !yamlx.ValidID(c.ID) {
		probs.Add("course.yaml", f["id"].Line, "id %q must be lower-case letters, digits and dashes", c.ID)
	}
	c.Title = yamlx.String("course.yaml", f, "title", true, root, &probs)
	c.Version = yamlx.String("course.yaml", f, "version", true, root, &probs)
	c.Description = yamlx.String("course.yaml", f, "description", false, root, &probs)

	type entry struct {
		dir      string
		line     int
		appendix bool
	}
	var entries []entry
	for _, key := range []string{"chapters", "appendices"} {
		for _, n := range yamlx.Seq("course.yaml", f, key, &probs) {
			entries = append(entries, entry{dir: strings.TrimSpace(n.Value), line: n.Line, appendix: key == "appendices"})
		}
	}
	if len(entries) == 0 {
		probs.Add("course.yaml", root.Line, "the course lists no chapters")
	}
	// Chapters parse in parallel: loading sits on the path to the app's first frame.
	type loaded struct {
		ch    *lessons.Chapter
		probs diag.List
	}
	results := make([]loaded, len(entries))
	seenDir := map[string]bool{}
	var wg sync.WaitGroup
	for i, e := range entries {
		if seenDir[e.dir] {
			probs.Add("course.yaml", e.line, "chapter directory %q listed twice", e.dir)
			continue
		}
		seenDir[e.dir] = true
		if e.dir == "" || strings.Contains(e.dir, "/") || strings.HasPrefix(e.dir, ".") {
			probs.Add("course.yaml", e.line, "chapter entry %q must be a directory name under chapters/", e.dir)
			continue
		}
		wg.Add(1)
		go func(i int, e entry) {
			defer wg.Done()
			var p diag.List
			results[i] = loaded{ch: loadChapter(fsys, e.dir, e.line, &p), probs: p}
		}(i, e)
	}
	wg.Wait()
	for i, e := range entries {
		r := results[i]
		probs = append(probs, r.probs...)
		if r.ch == nil {
			continue
		}
		if e.appendix {
			r.ch.Appendix = true
		}
		c.chapterByID[r.ch.ID] = r.ch
		for _, l := range r.ch.Lessons {
			c.lessonByID[l.ID] = l
		}
		for _, p := range r.ch.Prompts {
			c.promptByID[p.ID] = p
		}
		c.Chapters = append(c.Chapters, r.ch)
	}
	c.checkLinks(fsys, &probs)
	probs.Sort()
	return c, probs
}

// newCatalog returns an empty catalog with its lookup maps made.
func newCatalog(source string, fsys fs.FS) *Catalog {
	return &Catalog{
		Source:       source,
		FS:           fsys,
		lessonByID:   map[string]*lessons.Lesson{},
		chapterByID:  map[string]*lessons.Chapter{},
		promptByID:   map[string]*lessons.Prompt{},
		quizzes:      map[string]*quiz.Quiz{},
		questionByID: map[string]*quiz.Question{},
		questionChap: map[string]string{},
	}
}

// Complete returns a new catalog with the index's chapters plus quizzes, the glossary and
// case studies, and checks ids across all of them. The index itself is not changed, so
// screens holding it stay valid.
func (idx *Catalog) Complete() (*Catalog, diag.List) {
	return idx.complete(runtime.GOMAXPROCS(0))
}

// CompleteInBackground is Complete parsing in the calling goroutine only, for a program
// that completes its catalog while it is already interactive: the other processors stay
// free for its UI, which would otherwise wait for the Go scheduler to preempt the parsing.
func (idx *Catalog) CompleteInBackground() (*Catalog, diag.List) {
	return idx.complete(1)
}

// runJobs runs jobs on up to workers goroutines (in the caller's goroutine, in order, for 1).
func runJobs(workers int, jobs []func()) {
	if workers <= 1 {
		for _, job := range jobs {
			job()
		}
		return
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			job()
		}()
	}
	wg.Wait()
}

func (idx *Catalog) complete(workers int) (*Catalog, diag.List) {
	var probs diag.List
	c := &Catalog{
		ID: idx.ID, Title: idx.Title, Version: idx.Version, Description: idx.Description,
		Source: idx.Source, FS: idx.FS, Chapters: idx.Chapters,
		lessonByID: idx.lessonByID, chapterByID: idx.chapterByID, promptByID: idx.promptByID,
		quizzes:      map[string]*quiz.Quiz{},
		questionByID: map[string]*quiz.Question{},
		questionChap: map[string]string{},
	}
	fsys := idx.FS
	quizzes := make([]*quiz.Quiz, len(c.Chapters))
	quizProbs := make([]diag.List, len(c.Chapters))
	var (
		cases     []*casestudies.Case
		caseProbs diag.List
		exs       []*exercises.Exercise
		exProbs   diag.List
	)
	jobs := []func(){
		func() { cases, caseProbs = casestudies.LoadAll(fsys, ".") },
		func() { exs, exProbs = exercises.LoadCourse(fsys) },
	}
	for i, ch := range c.Chapters {
		jobs = append(jobs, func() { quizzes[i] = loadQuiz(fsys, ch.Dir, &quizProbs[i]) })
	}
	runJobs(workers, jobs)

	ids := idIndex{}
	ids.add(c.ID, "course", "course.yaml", 1, &probs)
	for i, ch := range c.Chapters {
		probs = append(probs, quizProbs[i]...)
		ids.add(ch.ID, "chapter", ch.File, 1, &probs)
		for _, l := range ch.Lessons {
			ids.add(l.ID, "lesson", l.File, 2, &probs)
		}
		for _, p := range ch.Prompts {
			ids.add(p.ID, "discussion prompt", p.File, p.Line, &probs)
		}
		if qz := quizzes[i]; qz != nil && len(qz.Questions) > 0 {
			c.quizzes[ch.ID] = qz
			for _, q := range qz.Questions {
				ids.add(q.ID, "question", qz.File, q.Line, &probs)
				c.questionByID[q.ID] = q
				c.questionChap[q.ID] = ch.ID
			}
			// Quiz questions point at lesson sections.
			probs = append(probs, qz.CheckLessons(func(id, section string) error {
				ref := id
				if section != "" {
					ref += "#" + section
				}
				return c.ResolveLesson(ref)
			})...)
		}
	}
	if gdata, err := fs.ReadFile(fsys, "glossary.yaml"); err == nil {
		c.Glossary = lessons.ParseGlossary("glossary.yaml", gdata, &probs)
		for _, t := range c.Glossary {
			if t.ChapterID != "" {
				if _, ok := c.chapterByID[t.ChapterID]; !ok {
					probs.Add("glossary.yaml", t.Line, "term %q names unknown chapter %q", t.Term, t.ChapterID)
				}
			}
		}
	}
	probs = append(probs, caseProbs...)
	for _, cs := range cases {
		for _, ref := range cs.IDs() {
			ids.add(ref.ID, ref.Kind, cs.File, ref.Line, &probs)
		}
	}
	c.Cases = cases
	probs = append(probs, exProbs...)
	// Exercises in chapter order (the course's order, not the directory names').
	for _, ch := range c.Chapters {
		for _, ex := range exs {
			if ex.Chapter == ch.ID {
				ids.add(ex.ID, "exercise", ex.SpecPath(), ex.Line, &probs)
				c.Exercises = append(c.Exercises, ex)
			}
		}
	}
	for _, ex := range exs {
		if _, ok := c.chapterByID[ex.Chapter]; !ok {
			probs.Add(ex.SpecPath(), ex.Line, "exercise %q names unknown chapter %q", ex.ID, ex.Chapter)
		}
	}
	c.completed = true
	probs.Sort()
	return c, probs
}

// Completed reports whether quizzes, glossary and case studies are loaded.
func (c *Catalog) Completed() bool { return c.completed }

func loadChapter(fsys fs.FS, dir string, line int, probs *diag.List) *lessons.Chapter {
	base := path.Join("chapters", dir)
	file := path.Join(base, "chapter.yaml")
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		probs.Add("course.yaml", line, "chapter %q: cannot read %s: %v", dir, file, unwrapPathError(err))
		return nil
	}
	ch := lessons.ParseChapter(file, data, probs)
	if ch == nil {
		return nil
	}
	ch.Dir = dir
	entries, err := fs.ReadDir(fsys, base)
	if err != nil {
		probs.Add(file, 0, "cannot list chapter directory: %v", err)
		return ch
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".md") && !strings.EqualFold(n, "README.md") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		lf := path.Join(base, n)
		ldata, err := fs.ReadFile(fsys, lf)
		if err != nil {
			probs.Add(lf, 0, "cannot read lesson: %v", err)
			continue
		}
		if l := lessons.ParseLesson(lf, ldata, probs); l != nil {
			l.ChapterID = ch.ID
			ch.Lessons = append(ch.Lessons, l)
		}
	}
	df := path.Join(base, "discussion.yaml")
	if ddata, err := fs.ReadFile(fsys, df); err == nil {
		ch.Prompts = lessons.ParseDiscussion(df, ddata, probs)
		for _, p := range ch.Prompts {
			p.ChapterID = ch.ID
		}
	}
	return ch
}

// loadQuiz parses a chapter's quiz.yaml, if it has one.
func loadQuiz(fsys fs.FS, dir string, probs *diag.List) *quiz.Quiz {
	file := path.Join("chapters", dir, "quiz.yaml")
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil
	}
	qz, p := quiz.Parse(file, data)
	*probs = append(*probs, p...)
	return qz
}

// checkLinks verifies lesson: links and relative file links in every lesson.
func (c *Catalog) checkLinks(fsys fs.FS, probs *diag.List) {
	for _, ch := range c.Chapters {
		for _, l := range ch.Lessons {
			for _, link := range l.Links {
				t := link.Target
				switch {
				case strings.HasPrefix(t, "lesson:"):
					if err := c.ResolveLesson(strings.TrimPrefix(t, "lesson:")); err != nil {
						probs.Add(l.File, link.Line, "broken link %s: %v", t, err)
					}
				case strings.HasPrefix(t, "#"):
					if !l.HasAnchor(t[1:]) {
						probs.Add(l.File, link.Line, "broken link %s: this lesson has no such section", t)
					}
				case strings.Contains(t, "://") || strings.HasPrefix(t, "mailto:"):
				default:
					target := path.Clean(path.Join(path.Dir(l.File), strings.SplitN(t, "#", 2)[0]))
					if _, err := fs.Stat(fsys, target); err != nil {
						probs.Add(l.File, link.Line, "broken relative link %s: %s does not exist", t, target)
					}
				}
			}
		}
	}
}

// ResolveLesson checks a reference of the form "LESSON_ID" or "LESSON_ID#section".
func (c *Catalog) ResolveLesson(ref string) error {
	id, anchor, _ := strings.Cut(ref, "#")
	l, ok := c.lessonByID[id]
	if !ok {
		return fmt.Errorf("unknown lesson %q", id)
	}
	if anchor != "" && !l.HasAnchor(anchor) {
		return fmt.Errorf("lesson %q has no section %q", id, anchor)
	}
	return nil
}

// idIndex finds ids used twice anywhere in a course.
type idIndex map[string]string

func (x idIndex) add(id, kind, file string, line int, probs *diag.List) {
	if id == "" {
		return
	}
	where := fmt.Sprintf("%s %s:%d", kind, file, line)
	if prev, dup := x[id]; dup {
		probs.Add(file, line, "duplicate id %q (already used by %s)", id, prev)
		return
	}
	x[id] = where
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
