// Package portfolio turns a learner's record into evidence they can show: a README.md ready
// for a GitHub profile or repository, and one standalone index.html page (inline CSS and SVG,
// no network requests, good on paper and on a phone).
//
// The package is plain Go: it neither reads the progress database nor draws on a terminal.
// internal/progress builds a [Model] from the store and the course; this package renders it
// ([Markdown], [HTML], the SVG charts), validates the links a learner attaches ([ValidateURL]),
// copies their solution files under strict rules ([CopyFiles]) and writes the whole export
// into one directory without touching anything it did not write itself ([Export]).
//
// Only what the learner did is shown: passed exercises, finished case-study runs, and the
// discussion answers they marked for the portfolio. Self-ratings, notes and drafts stay
// private.
package portfolio

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kaizen-mlops/kaizen/activity"
)

// Model is everything the progress views and the portfolio show. It is plain data.
type Model struct {
	Course  Course
	Learner string // the learner's display name, "" when unknown
	// Now is when the model was built; its location is the learner's time zone, in which
	// days, streaks and weeks are counted.
	Now       time.Time
	Chapters  []Chapter
	Exercises []Exercise // the course's exercises in course order, then any others the learner touched
	Cases     []Case
	Essays    []Essay // only the discussion answers marked for the portfolio
	// Activity counts the learner's events per local day (every event: reading, answering,
	// checking, playing).
	Activity activity.Counts
	// Answers are the quiz and review answers, for accuracy over time.
	Answers  []activity.Sample
	DueCards int // review cards due now
	Cards    int // review cards in all
}

// Course names the course.
type Course struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version"`
}

// Chapter is one chapter's record: the rows of the skills matrix.
type Chapter struct {
	ID       string
	Number   string
	Title    string
	Appendix bool

	Lessons     int // lessons in the course
	LessonsDone int
	Seconds     int64 // active reading time

	Questions     int // questions in the chapter's quiz
	QuestionsSeen int // distinct questions answered
	Answered      int // answers given (quiz and review)
	Correct       int

	Exercises       int // exercises in the course (or touched, when the course does not say)
	ExercisesPassed int

	Prompts         int // discussion prompts
	PromptsAnswered int

	Due int // review cards due now
}

// Label names the chapter as lists do: "Chapter 3" or "Appendix B".
func (c Chapter) Label() string {
	if c.Appendix {
		return "Appendix " + c.Number
	}
	return "Chapter " + c.Number
}

// Accuracy is the share of correct answers; false when nothing was answered.
func (c Chapter) Accuracy() (float64, bool) {
	if c.Answered == 0 {
		return 0, false
	}
	return float64(c.Correct) / float64(c.Answered), true
}

// Finished reports whether every lesson of a chapter that has lessons is done.
func (c Chapter) Finished() bool { return c.Lessons > 0 && c.LessonsDone >= c.Lessons }

// Empty reports whether the chapter has nothing to do yet (no lessons, quiz, exercises or
// prompts): "coming soon".
func (c Chapter) Empty() bool {
	return c.Lessons == 0 && c.Questions == 0 && c.Exercises == 0 && c.Prompts == 0
}

// Skill is one number per chapter for the skills chart: the mean of the parts the chapter
// has, each 0..1: lessons finished, quiz accuracy scaled by the share of questions seen (one
// lucky answer is not mastery), exercises passed and prompts answered. False for an empty
// chapter.
func (c Chapter) Skill() (float64, bool) {
	var sum float64
	n := 0
	if c.Lessons > 0 {
		sum += ratio(c.LessonsDone, c.Lessons)
		n++
	}
	if c.Questions > 0 {
		acc, _ := c.Accuracy()
		sum += acc * ratio(c.QuestionsSeen, c.Questions)
		n++
	}
	if c.Exercises > 0 {
		sum += ratio(c.ExercisesPassed, c.Exercises)
		n++
	}
	if c.Prompts > 0 {
		sum += ratio(c.PromptsAnswered, c.Prompts)
		n++
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

func ratio(a, b int) float64 {
	if b <= 0 {
		return 0
	}
	return min(float64(a)/float64(b), 1)
}

// Exercise is the learner's record of one exercise.
type Exercise struct {
	ID        string
	ChapterID string
	Title     string
	Summary   string // what the exercise does, one or two sentences
	Language  string // bash, python3, make
	Known     bool   // the course describes it (title and summary come from the course)

	Started   bool
	Passed    bool
	PassedAt  time.Time
	Attempts  int
	Points    float64 // of the attempt Checks come from
	MaxPoints float64
	Checks    []Check // the check results of the latest passing attempt (else the latest)
	Links     Links

	// Workspace is the directory holding the learner's files ("" when unknown).
	Workspace string
	// Files are the learner's files copied into the portfolio (set by Export), paths
	// relative to the exercise's folder, slash-separated.
	Files []File
}

// Check is one criterion of a check run.
type Check struct {
	Name      string  `json:"name"`
	Status    string  `json:"status"` // pass, fail, error
	Points    float64 `json:"points"`
	MaxPoints float64 `json:"max_points"`
}

// File is one copied solution file.
type File struct {
	Path string
	Size int64
}

// Links are what a learner attached to an exercise or a case study.
type Links struct {
	Repo  string `json:"repo,omitempty"`
	Video string `json:"video,omitempty"`
}

// Empty reports whether no link is set.
func (l Links) Empty() bool { return l.Repo == "" && l.Video == "" }

// Case is the learner's record of one case study.
type Case struct {
	ID      string
	Title   string
	Summary string
	Endings int // endings the case has
	Runs    []Run
	Links   Links
}

// EndingsFound counts the distinct endings reached.
func (c Case) EndingsFound() int {
	seen := map[string]bool{}
	for _, r := range c.Runs {
		seen[r.Ending] = true
	}
	return len(seen)
}

// Run is one finished play of a case study.
type Run struct {
	At          time.Time
	Ending      string // ending id
	EndingTitle string
	Decisions   []Decision
}

// Decision is one choice made in a run.
type Decision struct {
	Scene  string // the scene's title
	Choice string // the choice's label
	Taught string // the teaching point of the choice
}

// Essay is a discussion answer the learner chose to show.
type Essay struct {
	PromptID  string
	ChapterID string
	Prompt    string
	Traits    []string // names of the critical-thinking traits the prompt exercises
	Body      string   // the latest saved revision
	SavedAt   time.Time
	Revisions int
}

// ExerciseInfo is what the course says about one exercise.
type ExerciseInfo struct {
	ID        string
	ChapterID string
	Title     string
	Summary   string // optional; else taken from the README's first paragraph
	Language  string
	README    string // optional: the task text (Markdown)
}

// ExerciseCatalog lists a course's exercises in course order. The exercises package (through
// an adapter) implements it; a nil catalog means the course says nothing, and exercises are
// named by their ids from the progress store.
type ExerciseCatalog interface {
	ExerciseInfos() []ExerciseInfo
}

// Today is the learner's current day.
func (m *Model) Today() activity.Day { return activity.DayOf(m.Now) }

// Streak is the learner's daily streak as of Now.
func (m *Model) Streak() activity.Streak { return activity.Streaks(m.Activity, m.Today()) }

// Heatmap lays out the last weeks of activity.
func (m *Model) Heatmap(weeks int) activity.Grid {
	return activity.Heatmap(m.Activity, m.Today(), weeks)
}

// Weekly is quiz accuracy per week for the last weeks, oldest first.
func (m *Model) Weekly(weeks int) []activity.Week {
	return activity.Weekly(m.Answers, m.Now.Location(), m.Today(), weeks)
}

// Passed lists the passed exercises in course order.
func (m *Model) Passed() []Exercise {
	var out []Exercise
	for _, e := range m.Exercises {
		if e.Passed {
			out = append(out, e)
		}
	}
	return out
}

// PlayedCases lists the case studies with at least one finished run.
func (m *Model) PlayedCases() []Case {
	var out []Case
	for _, c := range m.Cases {
		if len(c.Runs) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// Chapter returns a chapter by id.
func (m *Model) Chapter(id string) (Chapter, bool) {
	for _, c := range m.Chapters {
		if c.ID == id {
			return c, true
		}
	}
	return Chapter{}, false
}

// Totals sums the chapters.
type Totals struct {
	Chapters         int // chapters with something to do
	ChaptersFinished int
	Lessons          int
	LessonsDone      int
	Seconds          int64
	Answered         int
	Correct          int
	Exercises        int
	ExercisesPassed  int
	Prompts          int
	PromptsAnswered  int
}

// Totals sums the chapters.
func (m *Model) Totals() Totals {
	var t Totals
	for _, c := range m.Chapters {
		if !c.Empty() {
			t.Chapters++
		}
		if c.Finished() {
			t.ChaptersFinished++
		}
		t.Lessons += c.Lessons
		t.LessonsDone += c.LessonsDone
		t.Seconds += c.Seconds
		t.Answered += c.Answered
		t.Correct += c.Correct
		t.Exercises += c.Exercises
		t.ExercisesPassed += c.ExercisesPassed
		t.Prompts += c.Prompts
		t.PromptsAnswered += c.PromptsAnswered
	}
	return t
}

// SummaryOf returns a one-paragraph summary of an exercise from its README when the course
// gives none: the first paragraph that is not a heading, with line breaks joined.
func SummaryOf(readme string) string {
	var para []string
	for _, line := range strings.Split(strings.ReplaceAll(readme, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "" && len(para) > 0:
			return strings.Join(para, " ")
		case t == "", strings.HasPrefix(t, "#"), strings.HasPrefix(t, "```"), strings.HasPrefix(t, "<!--"):
			continue
		default:
			para = append(para, t)
		}
	}
	return strings.Join(para, " ")
}

// SortExercises orders exercises as the course lists them: known ones in course order
// (given by order), then unknown ones by chapter and id.
func SortExercises(ex []Exercise, order map[string]int) {
	sort.SliceStable(ex, func(i, j int) bool {
		oi, ki := order[ex[i].ID]
		oj, kj := order[ex[j].ID]
		switch {
		case ki && kj:
			return oi < oj
		case ki != kj:
			return ki
		case ex[i].ChapterID != ex[j].ChapterID:
			return ex[i].ChapterID < ex[j].ChapterID
		}
		return ex[i].ID < ex[j].ID
	})
}

// Duration formats seconds of reading as "2h 05m", "42m" or "<1m" ("0m" for none).
func Duration(secs int64) string {
	switch {
	case secs <= 0:
		return "0m"
	case secs < 60:
		return "<1m"
	case secs < 3600:
		return itoa(secs/60) + "m"
	}
	m := (secs % 3600) / 60
	mm := itoa(m)
	if m < 10 {
		mm = "0" + mm
	}
	return itoa(secs/3600) + "h " + mm + "m"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
