package quiz

import "regexp"

// Type is the kind of a question, as written in the type field of quiz.yaml.
type Type string

// The question types of quiz.yaml.
const (
	Single    Type = "single"    // pick exactly one option
	Multi     Type = "multi"     // pick every right option
	TrueFalse Type = "truefalse" // true or false
	Numeric   Type = "numeric"   // a number, with an optional tolerance and unit
	Text      Type = "text"      // a short typed answer
	Order     Type = "order"     // put every option in the right order
)

// Types lists every question type in the order the authoring guide gives them.
func Types() []Type { return []Type{Single, Multi, TrueFalse, Numeric, Text, Order} }

// Valid reports whether t is one of the question types.
func (t Type) Valid() bool {
	switch t {
	case Single, Multi, TrueFalse, Numeric, Text, Order:
		return true
	}
	return false
}

// HasOptions reports whether questions of type t list options (single, multi and order).
func (t Type) HasOptions() bool { return t == Single || t == Multi || t == Order }

// optionRange is the number of options a type allows, inclusive.
func (t Type) optionRange() (lo, hi int) {
	switch t {
	case Single:
		return 2, 6
	case Multi:
		return 2, 8
	case Order:
		return 3, 8
	}
	return 0, 0
}

// Quiz is one chapter's quiz.yaml.
type Quiz struct {
	File      string      // path the problems were reported against
	Questions []*Question // in file order; only questions that passed validation
}

// Question returns the question with the given id.
func (qz *Quiz) Question(id string) (*Question, bool) {
	for _, q := range qz.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return nil, false
}

// Option is one choice of a single, multi or order question.
type Option struct {
	ID   string // stable within its question; feedback and answers refer to it
	Text string // Markdown shown to the learner
	Line int    // 1-based line in the quiz file; 0 when built in code
}

// Question is one quiz question. Which answer field is meaningful depends on Type:
//
//	single     Answer holds the one right option id
//	multi      Answer holds every right option id (order does not matter)
//	order      Answer holds every option id in the right order
//	truefalse  Truth
//	numeric    Number, Tolerance (absolute, inclusive) and Unit
//	text       Accepted (compared after Normalize) and Pattern
type Question struct {
	ID          string
	Type        Type
	Prompt      string // Markdown
	Options     []Option
	Answer      []string
	Truth       bool
	Number      float64
	Tolerance   float64
	Unit        string
	Accepted    []string
	Pattern     string // regular expression matched against the normalised answer, case-insensitively; "" for none
	Explanation string // Markdown, shown after every answer
	LessonID    string // the lesson that teaches this question
	Section     string // heading anchor inside that lesson; "" for the whole lesson

	Line       int // 1-based line where the question starts; 0 when built in code
	LessonLine int // 1-based line of the lesson field; 0 when built in code

	re    *regexp.Regexp // Pattern compiled by Parse
	reSrc string         // the Pattern re was compiled from
}

// pattern returns the compiled Pattern, or nil when there is none (or it does not compile,
// which Parse reports).
func (q *Question) pattern() *regexp.Regexp {
	if q.Pattern == "" {
		return nil
	}
	if q.re != nil && q.reSrc == q.Pattern {
		return q.re
	}
	re, err := compilePattern(q.Pattern)
	if err != nil {
		return nil
	}
	return re
}

// Option returns the option with the given id.
func (q *Question) Option(id string) (Option, bool) {
	for _, o := range q.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}

// Lesson returns the lesson reference as written in quiz.yaml: "lesson-id" or
// "lesson-id#section".
func (q *Question) Lesson() string {
	if q.Section == "" {
		return q.LessonID
	}
	return q.LessonID + "#" + q.Section
}

// OptionLabel is how an option is shown: its text, or "True"/"False" for a true/false
// question's two fixed options (ids "true" and "false"). An unknown id is shown as itself.
func (q *Question) OptionLabel(id string) string {
	if q.Type == TrueFalse {
		if id == "true" {
			return "True"
		}
		return "False"
	}
	if o, ok := q.Option(id); ok {
		return o.Text
	}
	return id
}
