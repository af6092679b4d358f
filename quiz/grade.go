package quiz

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Response is a learner's answer to one question. Only the field the question's type uses is
// read:
//
//	single     Options: the one chosen option id
//	multi      Options: every chosen option id, in any order
//	order      Options: every option id, in the learner's order
//	truefalse  Bool
//	numeric    Number (parse typed input with Question.ParseNumber first)
//	text       Text, as typed
type Response struct {
	Options []string
	Bool    bool
	Number  float64
	Text    string
}

// Result is the verdict on one response.
type Result struct {
	// Correct is true only for an exactly right answer.
	Correct bool
	// Score is the credit earned, from 0 to 1; it is 1 exactly when Correct. Only multi
	// questions earn partial credit: (right picks − wrong picks) / number of right options,
	// floored at 0. Every other type scores 0 or 1.
	Score float64
	// Answer is the right answer as display text: option texts for single, multi ("; "
	// between) and order (" → " between), "True" or "False", the number with its unit and
	// tolerance, or the first accepted text answer.
	Answer string
	// Explanation is the question's explanation, shown after every answer.
	Explanation string
	// Marks judges each option of a single, multi or order question, by option id and in the
	// question's own option order, so feedback is the same however the options were shuffled.
	Marks []Mark
}

// Mark is the verdict on one option.
type Mark struct {
	ID       string // option id
	Chosen   bool   // single, multi: the learner picked it
	InAnswer bool   // single, multi: it is one of the right options
	Position int    // order: 1-based place the learner gave it; 0 if left out
	Want     int    // order: 1-based right place
	OK       bool   // the learner treated this option rightly (picked iff right, or in its place)
}

// Grade judges a response to q. It never fails: a response that does not fit the question (an
// unknown option id, say) is simply wrong.
func Grade(q *Question, r Response) Result {
	res := Result{Answer: DisplayAnswer(q), Explanation: q.Explanation}
	switch q.Type {
	case Single, Multi:
		res.Correct, res.Score, res.Marks = gradeChoice(q, r.Options)
	case Order:
		res.Correct, res.Marks = gradeOrder(q, r.Options)
	case TrueFalse:
		res.Correct = r.Bool == q.Truth
	case Numeric:
		res.Correct = numberMatches(r.Number, q.Number, q.Tolerance)
	case Text:
		res.Correct = textMatches(q, r.Text)
	}
	if res.Correct {
		res.Score = 1
	} else if q.Type != Multi {
		res.Score = 0
	}
	return res
}

// gradeChoice grades single and multi questions. For single, answer has one id and picking
// anything else (or more) is wrong; the score formula then gives 1 or 0.
func gradeChoice(q *Question, chosen []string) (bool, float64, []Mark) {
	picked := make(map[string]bool, len(chosen))
	for _, id := range chosen {
		picked[id] = true
	}
	key := make(map[string]bool, len(q.Answer))
	for _, id := range q.Answer {
		key[id] = true
	}
	right, wrong := 0, 0
	for id := range picked {
		if key[id] {
			right++
		} else {
			wrong++ // includes ids that are not options at all
		}
	}
	marks := make([]Mark, len(q.Options))
	for i, o := range q.Options {
		marks[i] = Mark{ID: o.ID, Chosen: picked[o.ID], InAnswer: key[o.ID], OK: picked[o.ID] == key[o.ID]}
	}
	if len(key) == 0 {
		return false, 0, marks
	}
	correct := right == len(key) && wrong == 0
	score := math.Max(0, float64(right-wrong)/float64(len(key)))
	if q.Type == Single && !correct {
		score = 0
	}
	return correct, score, marks
}

func gradeOrder(q *Question, given []string) (bool, []Mark) {
	pos := make(map[string]int, len(given))
	for i, id := range given {
		if _, seen := pos[id]; !seen {
			pos[id] = i + 1
		}
	}
	want := make(map[string]int, len(q.Answer))
	for i, id := range q.Answer {
		want[id] = i + 1
	}
	marks := make([]Mark, len(q.Options))
	for i, o := range q.Options {
		marks[i] = Mark{ID: o.ID, Position: pos[o.ID], Want: want[o.ID]}
		marks[i].OK = marks[i].Position == marks[i].Want && marks[i].Want > 0
	}
	if len(q.Answer) == 0 || len(given) != len(q.Answer) {
		return false, marks
	}
	for i := range given {
		if given[i] != q.Answer[i] {
			return false, marks
		}
	}
	return true, marks
}

// numberMatches reports whether |x − answer| ≤ tolerance. A relative epsilon of 1e-9 absorbs
// binary floating-point error at the boundary, so 0.26 is within 0.01 of 0.25.
func numberMatches(x, answer, tolerance float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return false
	}
	eps := 1e-9 * math.Max(math.Max(math.Abs(x), math.Abs(answer)), math.Abs(tolerance))
	return math.Abs(x-answer) <= math.Abs(tolerance)+eps
}

func textMatches(q *Question, text string) bool {
	got := Normalize(text)
	if got == "" {
		return false
	}
	for _, a := range q.Accepted {
		if Normalize(a) == got {
			return true
		}
	}
	if re := q.pattern(); re != nil && re.MatchString(got) {
		return true
	}
	return false
}

// Normalize prepares a text answer for comparison: Unicode NFC, full case folding ("Straße"
// and "STRASSE" match), runs of white space collapsed to one space, and surrounding
// punctuation dropped. Quotes (' " ‘ ’ “ ” « ») and backticks are dropped from both ends;
// sentence punctuation (. , ; : ! ?) only from the end, because a leading dot is part of
// names such as ".github/workflows" or ".env".
func Normalize(s string) string {
	s = norm.NFC.String(s)
	s = cases.Fold().String(s)
	s = norm.NFC.String(s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isQuote(r) })
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || isQuote(r) || strings.ContainsRune(".,;:!?", r)
	})
	return s
}

func isQuote(r rune) bool {
	switch r {
	case '"', '\'', '`', '‘', '’', '“', '”', '«', '»', '„', '‚':
		return true
	}
	return false
}

// DisplayAnswer renders q's right answer for the learner (see Result.Answer).
func DisplayAnswer(q *Question) string {
	switch q.Type {
	case Single, Multi, Order:
		texts := make([]string, 0, len(q.Answer))
		for _, id := range q.Answer {
			if o, ok := q.Option(id); ok {
				texts = append(texts, o.Text)
			} else {
				texts = append(texts, id)
			}
		}
		if q.Type == Order {
			return strings.Join(texts, " → ")
		}
		return strings.Join(texts, "; ")
	case TrueFalse:
		if q.Truth {
			return "True"
		}
		return "False"
	case Numeric:
		s := withUnit(formatNumber(q.Number), q.Unit)
		if q.Tolerance > 0 {
			s += " (± " + withUnit(formatNumber(q.Tolerance), q.Unit) + ")"
		}
		return s
	case Text:
		if len(q.Accepted) > 0 {
			return q.Accepted[0]
		}
	}
	return ""
}

func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// withUnit writes "25%" and "120 ms": no space before %, one before any other unit.
func withUnit(num, unit string) string {
	switch {
	case unit == "":
		return num
	case unit == "%" || strings.HasPrefix(unit, "°"):
		return num + unit
	}
	return num + " " + unit
}

// ErrNotANumber is wrapped by every error ParseNumber returns.
var ErrNotANumber = errors.New("not a number")

// ParseNumber reads a numeric answer as a learner types it, for q's unit:
//
//   - surrounding spaces are ignored, and so is q's unit after the number, with or without a
//     space and in any letter case ("120ms", "120 MS" for unit ms);
//   - "25%" is accepted only when the unit is %; then "25" means 25 too, never 0.25;
//   - a decimal comma is accepted when it is the only separator ("0,25" is 0.25), except when
//     exactly three digits follow a non-zero whole part ("1,500"), which could be a thousands
//     separator and is refused as ambiguous; thousands separators are never accepted;
//   - the Unicode minus sign "−" is read as "-"; exponents ("1e-3") are accepted;
//   - anything else (another unit, letters, NaN, infinity) is an error wrapping
//     ErrNotANumber, whose message can be shown to the learner.
//
// A refused input is not a wrong answer: the app asks again.
func (q *Question) ParseNumber(input string) (float64, error) {
	return parseNumber(input, q.Unit)
}

func parseNumber(input, unit string) (float64, error) {
	s := strings.TrimSpace(input)
	s = strings.ReplaceAll(s, "−", "-")
	if unit != "" && len(s) >= len(unit) && strings.EqualFold(s[len(s)-len(unit):], unit) {
		s = strings.TrimSpace(s[:len(s)-len(unit)])
	} else if strings.HasSuffix(s, "%") {
		if unit == "" {
			return 0, fmt.Errorf("%w: this answer is a plain number, without %%", ErrNotANumber)
		}
		return 0, fmt.Errorf("%w: this answer is in %s, not %%", ErrNotANumber, unit)
	}
	if s == "" {
		return 0, fmt.Errorf("%w: type a number", ErrNotANumber)
	}
	if strings.Contains(s, ",") {
		whole, frac, _ := strings.Cut(s, ",")
		digits := strings.TrimLeft(whole, "+-")
		switch {
		case strings.Count(s, ",") > 1 || strings.Contains(s, "."):
			return 0, fmt.Errorf("%w: write %q without thousands separators, with a dot for decimals", ErrNotANumber, input)
		case len(frac) == 3 && allDigits(frac) && strings.Trim(digits, "0") != "":
			return 0, fmt.Errorf("%w: %q is ambiguous; write %s or %s.%s", ErrNotANumber, strings.TrimSpace(input), whole+frac, whole, frac)
		}
		s = whole + "." + frac
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-.eE", r) {
			if unit != "" {
				return 0, fmt.Errorf("%w: type a number of %s, such as 12 or 0.5", ErrNotANumber, unit)
			}
			return 0, fmt.Errorf("%w: type a number, such as 12 or 0.5", ErrNotANumber)
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, fmt.Errorf("%w: %q is not a number", ErrNotANumber, strings.TrimSpace(input))
	}
	return x, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
