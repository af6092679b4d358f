package classroom

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Course is what the gradebook needs to know about a course.
type Course struct {
	ID       string
	Title    string
	Version  string
	Chapters []Chapter
	Cases    []Case
	// Exercises lists the course's exercises when it knows them; exercises that only appear
	// in learners' records are added after these.
	Exercises []Exercise
}

// Chapter is one chapter of a course.
type Chapter struct {
	ID        string
	Number    string
	Title     string
	Lessons   []string // lesson ids
	Questions int      // quiz questions
	Prompts   int      // discussion prompts
}

// Case is one case study.
type Case struct {
	ID      string
	Title   string
	Endings int
}

// Exercise is one exercise.
type Exercise struct {
	ID        string
	ChapterID string
	Title     string
	Points    float64
}

// Record is one learner's activity as the store summarises it.
type Record struct {
	LearnerID int64
	Key       string
	Name      string
	StudentID string
	Lessons   []string                 // finished lesson ids
	Quiz      map[string]QuizTally     // by chapter id
	Exercises map[string]ExerciseTally // by exercise id
	Answers   map[string]int           // discussion answers saved, by chapter id
	Endings   map[string][]string      // case-study endings found, by case id
	FirstSeen time.Time
	LastSeen  time.Time
	Events    int
}

// QuizTally sums a learner's answers in one chapter (quiz and review).
type QuizTally struct {
	Answered  int
	Correct   int
	Attempts  int     // finished quiz attempts
	BestScore float64 // fraction 0..1 of the best finished attempt
}

// ExerciseTally is a learner's record in one exercise.
type ExerciseTally struct {
	ChapterID  string
	Attempts   int
	BestPoints float64
	MaxPoints  float64
	Passed     bool
	Hints      int
	GaveUp     bool
}

// Item kinds: what a graded column measures.
const (
	ItemLessons    = "lessons"
	ItemQuiz       = "quiz"
	ItemExercise   = "exercise"
	ItemDiscussion = "discussion"
	ItemCase       = "case"
)

// QuizPoints is what a chapter quiz is worth in the gradebook: accuracy × QuizPoints.
const QuizPoints = 10

// Item is one graded column of the gradebook.
type Item struct {
	ID     string  `json:"id"`   // "lessons", "quiz:ch01", "exercise:ID", "discussion", "case:ID"
	Kind   string  `json:"kind"` // lessons | quiz | exercise | discussion | case
	Title  string  `json:"title"`
	Points float64 `json:"points"` // points possible
}

// Count is done out of total.
type Count struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// ChapterQuiz is a learner's quiz record in one chapter.
type ChapterQuiz struct {
	Chapter   string  `json:"chapter"`
	Number    string  `json:"number"`
	Answered  int     `json:"answered"`
	Correct   int     `json:"correct"`
	Accuracy  float64 `json:"accuracy"` // correct / answered, 0 when none
	Attempts  int     `json:"attempts"`
	BestScore float64 `json:"best_score"`
}

// ExerciseSummary sums a learner's exercises.
type ExerciseSummary struct {
	Passed   int `json:"passed"`
	Started  int `json:"started"`
	Total    int `json:"total"`
	Attempts int `json:"attempts"`
	Hints    int `json:"hints"`
	GaveUp   int `json:"gave_up"`
}

// Row is one learner's line of the gradebook.
type Row struct {
	LearnerID    int64              `json:"-"`
	Key          string             `json:"learner"`
	Name         string             `json:"name"`
	StudentID    string             `json:"student_id"`
	Lessons      Count              `json:"lessons"`
	Quiz         []ChapterQuiz      `json:"quiz"` // chapters with questions, course order
	QuizAnswered int                `json:"quiz_answered"`
	QuizCorrect  int                `json:"quiz_correct"`
	QuizAccuracy float64            `json:"quiz_accuracy"`
	Exercises    ExerciseSummary    `json:"exercises"`
	Discussion   Count              `json:"discussion"`
	Endings      Count              `json:"case_endings"`
	FirstSeen    *time.Time         `json:"first_seen,omitempty"`
	LastSeen     *time.Time         `json:"last_seen,omitempty"`
	Grades       map[string]float64 `json:"grades"` // points by item id
	Total        float64            `json:"total"`
	Possible     float64            `json:"possible"`
}

// DisplayName is the name to show, falling back to the student id or the learner key.
func (r Row) DisplayName() string {
	switch {
	case r.Name != "":
		return r.Name
	case r.StudentID != "":
		return "student " + r.StudentID
	}
	return r.Key
}

// CourseRef names a course in reports.
type CourseRef struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Version string `json:"version"`
}

// Gradebook is the whole class: the graded items and one row per learner.
type Gradebook struct {
	FormatVersion int       `json:"format_version"`
	Course        CourseRef `json:"course"`
	GeneratedAt   time.Time `json:"generated_at"`
	Items         []Item    `json:"items"`
	Rows          []Row     `json:"learners"`
	// QuizChapters are the chapters that have a quiz, in course order (the row's Quiz
	// entries follow it).
	QuizChapters []Chapter `json:"-"`
}

// Build turns records into a gradebook, rows sorted by name.
func Build(c Course, recs []Record, now time.Time) Gradebook {
	gb := Gradebook{FormatVersion: 1, Course: CourseRef{c.ID, c.Title, c.Version}, GeneratedAt: now}
	lessonTotal, promptTotal, endingTotal := 0, 0, 0
	inCourse := map[string]bool{}
	for _, ch := range c.Chapters {
		lessonTotal += len(ch.Lessons)
		promptTotal += ch.Prompts
		for _, l := range ch.Lessons {
			inCourse[l] = true
		}
		if ch.Questions > 0 {
			gb.QuizChapters = append(gb.QuizChapters, ch)
		}
	}
	for _, cs := range c.Cases {
		endingTotal += cs.Endings
	}
	exercises := exerciseList(c, recs)

	if lessonTotal > 0 {
		gb.Items = append(gb.Items, Item{ID: ItemLessons, Kind: ItemLessons, Title: "Lessons finished", Points: float64(lessonTotal)})
	}
	for _, ch := range gb.QuizChapters {
		gb.Items = append(gb.Items, Item{ID: ItemQuiz + ":" + ch.ID, Kind: ItemQuiz, Title: "Quiz " + ch.Number + ": " + ch.Title, Points: QuizPoints})
	}
	for _, ex := range exercises {
		gb.Items = append(gb.Items, Item{ID: ItemExercise + ":" + ex.ID, Kind: ItemExercise, Title: "Exercise: " + ex.Title, Points: ex.Points})
	}
	if promptTotal > 0 {
		gb.Items = append(gb.Items, Item{ID: ItemDiscussion, Kind: ItemDiscussion, Title: "Discussion answers", Points: float64(promptTotal)})
	}
	for _, cs := range c.Cases {
		if cs.Endings > 0 {
			gb.Items = append(gb.Items, Item{ID: ItemCase + ":" + cs.ID, Kind: ItemCase, Title: "Case study: " + cs.Title, Points: float64(cs.Endings)})
		}
	}

	for _, rec := range recs {
		r := Row{LearnerID: rec.LearnerID, Key: rec.Key, Name: rec.Name, StudentID: rec.StudentID, Grades: map[string]float64{}}
		r.Lessons.Total = lessonTotal
		for _, l := range rec.Lessons {
			if inCourse[l] {
				r.Lessons.Done++
			}
		}
		for _, ch := range gb.QuizChapters {
			t := rec.Quiz[ch.ID]
			cq := ChapterQuiz{Chapter: ch.ID, Number: ch.Number, Answered: t.Answered, Correct: t.Correct, Attempts: t.Attempts, BestScore: t.BestScore}
			if t.Answered > 0 {
				cq.Accuracy = float64(t.Correct) / float64(t.Answered)
			}
			r.Quiz = append(r.Quiz, cq)
			r.QuizAnswered += t.Answered
			r.QuizCorrect += t.Correct
			r.Grades[ItemQuiz+":"+ch.ID] = round2(cq.Accuracy * QuizPoints)
		}
		if r.QuizAnswered > 0 {
			r.QuizAccuracy = float64(r.QuizCorrect) / float64(r.QuizAnswered)
		}
		r.Exercises.Total = len(exercises)
		for _, ex := range exercises {
			t, ok := rec.Exercises[ex.ID]
			if !ok {
				r.Grades[ItemExercise+":"+ex.ID] = 0
				continue
			}
			r.Exercises.Started++
			r.Exercises.Attempts += t.Attempts
			r.Exercises.Hints += t.Hints
			if t.Passed {
				r.Exercises.Passed++
			}
			if t.GaveUp {
				r.Exercises.GaveUp++
			}
			r.Grades[ItemExercise+":"+ex.ID] = round2(math.Min(t.BestPoints, ex.Points))
		}
		r.Discussion.Total = promptTotal
		for _, n := range rec.Answers {
			r.Discussion.Done += n
		}
		if promptTotal > 0 {
			r.Discussion.Done = min(r.Discussion.Done, promptTotal)
		}
		r.Endings.Total = endingTotal
		for _, cs := range c.Cases {
			found := distinct(rec.Endings[cs.ID])
			n := min(found, cs.Endings)
			r.Endings.Done += n
			if cs.Endings > 0 {
				r.Grades[ItemCase+":"+cs.ID] = float64(n)
			}
		}
		if lessonTotal > 0 {
			r.Grades[ItemLessons] = float64(r.Lessons.Done)
		}
		if promptTotal > 0 {
			r.Grades[ItemDiscussion] = float64(r.Discussion.Done)
		}
		if !rec.FirstSeen.IsZero() {
			t := rec.FirstSeen
			r.FirstSeen = &t
		}
		if !rec.LastSeen.IsZero() {
			t := rec.LastSeen
			r.LastSeen = &t
		}
		for _, it := range gb.Items {
			r.Total += r.Grades[it.ID]
			r.Possible += it.Points
		}
		r.Total = round2(r.Total)
		gb.Rows = append(gb.Rows, r)
	}
	SortRows(gb.Rows, SortName, false)
	return gb
}

// exerciseList is the course's exercises, then any other exercise learners touched, by
// chapter and id; an exercise's points are the most any attempt could score.
func exerciseList(c Course, recs []Record) []Exercise {
	out := slices.Clone(c.Exercises)
	known := map[string]int{}
	for i, ex := range out {
		known[ex.ID] = i
	}
	var extra []Exercise
	for _, rec := range recs {
		for id, t := range rec.Exercises {
			if i, ok := known[id]; ok {
				if i >= len(out) {
					e := &extra[i-len(out)]
					e.Points = math.Max(e.Points, t.MaxPoints)
				} else if out[i].Points == 0 {
					out[i].Points = t.MaxPoints
				}
				continue
			}
			known[id] = len(out) + len(extra)
			extra = append(extra, Exercise{ID: id, ChapterID: t.ChapterID, Title: id, Points: t.MaxPoints})
		}
	}
	order := map[string]int{}
	for i, ch := range c.Chapters {
		order[ch.ID] = i
	}
	sort.Slice(extra, func(i, j int) bool {
		oi, iok := order[extra[i].ChapterID]
		oj, jok := order[extra[j].ChapterID]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return extra[i].ID < extra[j].ID
	})
	return append(out, extra...)
}

func distinct(xs []string) int {
	seen := map[string]bool{}
	for _, x := range xs {
		seen[x] = true
	}
	return len(seen)
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// SortKey names a gradebook column to sort by.
type SortKey int

// Sort keys, in the order the dashboard cycles through them.
const (
	SortName SortKey = iota
	SortStudentID
	SortLessons
	SortQuiz
	SortExercises
	SortDiscussion
	SortEndings
	SortLastSeen
	SortTotal
	sortKeys
)

// SortKeys lists every sort key.
func SortKeys() []SortKey {
	out := make([]SortKey, sortKeys)
	for i := range out {
		out[i] = SortKey(i)
	}
	return out
}

func (k SortKey) String() string {
	switch k {
	case SortName:
		return "name"
	case SortStudentID:
		return "student id"
	case SortLessons:
		return "lessons"
	case SortQuiz:
		return "quiz"
	case SortExercises:
		return "exercises"
	case SortDiscussion:
		return "discussion"
	case SortEndings:
		return "endings"
	case SortLastSeen:
		return "last seen"
	case SortTotal:
		return "total"
	}
	return "?"
}

// SortRows sorts rows by a column; ties fall back to the name, then the learner key.
func SortRows(rows []Row, by SortKey, desc bool) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		c := compareBy(a, b, by)
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c := strings.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName())); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}

func compareBy(a, b Row, by SortKey) int {
	switch by {
	case SortName:
		return strings.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName()))
	case SortStudentID:
		return compareNatural(a.StudentID, b.StudentID)
	case SortLessons:
		return cmp.Compare(a.Lessons.Done, b.Lessons.Done)
	case SortQuiz:
		return cmp.Compare(a.QuizAccuracy, b.QuizAccuracy)
	case SortExercises:
		if c := cmp.Compare(a.Exercises.Passed, b.Exercises.Passed); c != 0 {
			return c
		}
		return cmp.Compare(b.Exercises.Hints, a.Exercises.Hints) // fewer hints ranks higher
	case SortDiscussion:
		return cmp.Compare(a.Discussion.Done, b.Discussion.Done)
	case SortEndings:
		return cmp.Compare(a.Endings.Done, b.Endings.Done)
	case SortLastSeen:
		return cmp.Compare(unixOrZero(a.LastSeen), unixOrZero(b.LastSeen))
	case SortTotal:
		return cmp.Compare(a.Total, b.Total)
	}
	return 0
}

func unixOrZero(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return t.UnixMilli()
}

// compareNatural orders "2" before "10" when both are numbers.
func compareNatural(a, b string) int {
	if len(a) != len(b) && isDigits(a) && isDigits(b) {
		return cmp.Compare(len(a), len(b))
	}
	return strings.Compare(a, b)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
