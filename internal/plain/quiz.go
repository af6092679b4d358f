package plain

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
	"github.com/kaizen-mlops/kaizen/quiz"
)

// reviewBatch is how many due cards one review session asks, most overdue first, as in the
// full-screen app.
const reviewBatch = 50

// quizItem is one question to ask, with the chapter it belongs to.
type quizItem struct {
	q         *quiz.Question
	chapterID string
}

// quizRun is a chapter's quiz or a review of due cards.
type quizRun struct {
	chapter *lessons.Chapter // nil for a review
	items   []quizItem
	backlog int // due cards beyond this review session
}

// quiz asks a chapter's quiz.
func (s *Session) quiz(ch *lessons.Chapter) error {
	qz := s.cat.Quiz(ch.ID)
	if qz == nil || len(qz.Questions) == 0 {
		s.Say("This chapter's quiz is coming soon.")
		return nil
	}
	run := &quizRun{chapter: ch}
	for _, q := range qz.Questions {
		run.items = append(run.items, quizItem{q, ch.ID})
	}
	return s.runQuiz(run)
}

// review asks the cards due now, interleaved across chapters.
func (s *Session) review() error {
	run := &quizRun{}
	if s.st != nil {
		cards, err := s.st.DueCards(s.ctx, s.learner, s.now(), reviewBatch)
		if err != nil {
			s.Sayf("Could not load the cards due for review: %v", err)
			return nil
		}
		total, err := s.st.DueCount(s.ctx, s.learner, s.now())
		if err != nil {
			s.Sayf("Could not load the cards due for review: %v", err)
			return nil
		}
		for _, dc := range cards {
			if q, ch, ok := s.cat.Question(dc.QuestionID); ok {
				run.items = append(run.items, quizItem{q, ch})
			}
		}
		run.items = quiz.Interleave(run.items, func(it quizItem) string { return it.chapterID })
		run.backlog = max(total-len(cards), 0)
	}
	if len(run.items) == 0 {
		s.Heading(1, "Review")
		s.Say("Nothing to review right now. Questions you answer in chapter quizzes come back here when they are due, sooner for the ones you missed.")
		return nil
	}
	return s.runQuiz(run)
}

// runQuiz asks every question with immediate feedback, then gives the score and offers a
// retake. Leaving before the end records the answers given but no finished attempt.
func (s *Session) runQuiz(run *quizRun) error {
	review := run.chapter == nil
	if review {
		s.Heading(1, "Review")
		s.Sayf("%d %s due.", len(run.items), plural(len(run.items), "question", "questions"))
		if run.backlog > 0 {
			s.Sayf("%d more are due after this session.", run.backlog)
		}
	} else {
		s.Heading(1, "Quiz: "+run.chapter.Label()+", "+run.chapter.Title)
		s.Sayf("%d %s.", len(run.items), plural(len(run.items), "question", "questions"))
	}
	s.Say("After each answer you hear whether it was right, and why. Type r to hear a question again, b to leave, or h for help.")
	items := run.items
	for {
		seed := s.now().UnixNano()
		correct := 0
		var missed []quizItem
		for i, it := range items {
			ok, err := s.askQuestion(run, it, i, len(items), seed+int64(i))
			if errors.Is(err, ErrBack) {
				s.Say("You left before the end; the answers you gave are saved.")
				return nil
			}
			if err != nil {
				return err
			}
			if ok {
				correct++
			} else {
				missed = append(missed, it)
			}
		}
		total := len(items)
		s.Blank()
		title := "Quiz complete."
		if review {
			title = "Review complete."
		}
		s.Sayf("%s %d of %d right (%s).", title, correct, total, percent(float64(correct)/float64(max(total, 1))))
		if len(missed) == 0 {
			s.Say("Everything right. These questions will still come back for review, spaced further apart.")
		} else {
			s.Say("To review (they come back sooner in Review):")
			for _, it := range missed {
				s.Lines(wrap("- "+firstLine(s.markdownLine(it.q.Prompt)), s.width, "", "  "))
			}
		}
		if !review {
			ch, right := run.chapter.ID, correct
			s.save("quiz result", func(st *store.Store) error {
				return st.FinishQuiz(s.ctx, s.learner, ch, right, total, float64(right)/float64(max(total, 1)))
			})
		}
		again := "Type r to retake the quiz, or press enter to go back."
		if review {
			again = "Press enter to go back."
			if len(missed) > 0 {
				again = fmt.Sprintf("Type r to go over the %d you missed again, or press enter to go back.", len(missed))
			}
		}
		retake := false
		for !retake {
			line, err := s.ReadLine(again)
			if err != nil {
				return err
			}
			switch w := word(line); {
			case w == "" || isBack(w):
				return nil
			case isQuit(w):
				return ErrQuit
			case w == "r" || w == "retake" || w == "again":
				if review && len(missed) == 0 {
					s.Say("Nothing was missed, so there is nothing to go over again.")
					continue
				}
				retake = true
			default:
				s.Sayf("%s is not a choice here.", quoted(line))
			}
		}
		if review {
			// A retake of a review asks what was missed this time.
			items = missed
		}
	}
}

// typeName says what kind of question it is.
func typeName(t quiz.Type) string {
	switch t {
	case quiz.Single:
		return "Single choice"
	case quiz.Multi:
		return "Multiple choice, pick every right answer"
	case quiz.TrueFalse:
		return "True or false"
	case quiz.Numeric:
		return "Number answer"
	case quiz.Text:
		return "Short answer"
	case quiz.Order:
		return "Put in order"
	}
	return string(t)
}

// questionHint says how to answer a question of type t with n options.
func questionHint(q *quiz.Question, n int) string {
	switch q.Type {
	case quiz.Single:
		return fmt.Sprintf("Type the number of your answer, 1 to %d.", n)
	case quiz.Multi:
		return "Type the numbers of every right answer, separated by commas or spaces."
	case quiz.TrueFalse:
		return "Type 1 or t for true, 2 or f for false."
	case quiz.Numeric:
		return "Type a number" + unitHint(q.Unit) + "."
	case quiz.Text:
		return "Type a short answer."
	case quiz.Order:
		return fmt.Sprintf("Type the numbers of all %d items in the right order, separated by commas or spaces.", n)
	}
	return ""
}

func unitHint(unit string) string {
	if unit == "" {
		return ""
	}
	return " (in " + unit + ")"
}

// markdownLine is short Markdown (a prompt, an option, an explanation) as one plain
// paragraph.
func (s *Session) markdownLine(md string) string {
	t := RenderMarkdown(md, 1<<20, s.linkTitle)
	return strings.Join(t.Lines, "\n")
}

// sayMarkdown says short Markdown as wrapped plain text.
func (s *Session) sayMarkdown(md string) {
	s.Lines(RenderMarkdown(md, s.width, s.linkTitle).Lines)
}

func firstLine(t string) string {
	t = strings.TrimSpace(t)
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		return t[:i]
	}
	return t
}

// askQuestion asks one question, grades it, records the answer and gives feedback. It
// reports whether the answer was right; ErrBack means the learner left the quiz.
func (s *Session) askQuestion(run *quizRun, it quizItem, idx, total int, seed int64) (bool, error) {
	q := it.q
	order := quiz.Shuffle(q, seed)
	head := fmt.Sprintf("Question %d of %d", idx+1, total)
	if run.chapter == nil {
		if ch, ok := s.cat.Chapter(it.chapterID); ok {
			head += ", " + ch.Label()
		}
	}
	head += ". " + typeName(q.Type) + "."
	hint := questionHint(q, len(order))
	ask := func() {
		s.Blank()
		s.Say(head)
		s.sayMarkdown(q.Prompt)
		for i, id := range order {
			s.Lines(wrap(fmt.Sprintf("%d. %s", i+1, s.markdownLine(q.OptionLabel(id))), s.width, "", "   "))
		}
		s.Say(hint)
	}
	ask()
	shownAt := s.now()
	var resp quiz.Response
	for {
		line, err := s.ReadLine("")
		if err != nil {
			return false, err
		}
		w := word(line)
		switch {
		case isBack(w):
			return false, ErrBack
		case isQuit(w):
			return false, ErrQuit
		case isHelp(w):
			s.Say("Help. " + hint + " Then say whether you are sure: unsure answers come back for review sooner. Type r to hear the question again, b to leave the quiz, or q to save and quit.")
			continue
		case w == "r" || w == "repeat":
			ask()
			continue
		}
		r, problem := parseResponse(q, order, line)
		if problem != "" {
			s.Say(problem)
			continue
		}
		resp = r
		break
	}
	unsure, err := s.askConfidence()
	if err != nil {
		return false, err
	}
	res := quiz.Grade(q, resp)
	confidence := "sure"
	if unsure {
		confidence = "unsure"
	}
	source := "quiz"
	if run.chapter == nil {
		source = "review"
	}
	answer, _ := json.Marshal(answerText(q, resp))
	data := store.AnswerData{ChapterID: it.chapterID, Answer: answer, Correct: res.Correct, Score: res.Score,
		Confidence: confidence, Seconds: s.now().Sub(shownAt).Seconds(), Source: source}
	s.save("answer", func(st *store.Store) error { return st.RecordAnswer(s.ctx, s.learner, q.ID, data) })
	if err := s.feedback(it, order, resp, res, idx == total-1); err != nil {
		return res.Correct, err
	}
	return res.Correct, nil
}

// askConfidence asks whether the learner is sure; enter means sure.
func (s *Session) askConfidence() (unsure bool, err error) {
	s.Say("Are you sure? Press enter if you are sure, or type u if you are unsure.")
	for {
		line, err := s.ReadLine("")
		if err != nil {
			return false, err
		}
		switch w := word(line); w {
		case "", "s", "sure", "y", "yes":
			return false, nil
		case "u", "unsure", "n", "no", "not sure":
			return true, nil
		case "q", "quit", "exit":
			return false, ErrQuit
		case "b", "back":
			return false, ErrBack
		default:
			s.Sayf("%s is not an answer to that. Press enter if you are sure, or type u if you are unsure.", quoted(line))
		}
	}
}

// numbers reads the numbers of a line such as "1, 3 and 4". It reports the first word that
// is not a number.
func numbers(line string) ([]int, string) {
	f := strings.FieldsFunc(strings.ToLower(line), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
	var out []int
	for _, w := range f {
		if w == "and" || w == "then" {
			continue
		}
		n, err := strconv.Atoi(strings.Trim(w, ".#"))
		if err != nil {
			return nil, w
		}
		out = append(out, n)
	}
	return out, ""
}

// parseResponse turns a typed line into a response; problem, when not empty, says why the
// line is not an answer (which is not a wrong answer: the question is asked again).
func parseResponse(q *quiz.Question, order []string, line string) (r quiz.Response, problem string) {
	n := len(order)
	switch q.Type {
	case quiz.Single:
		ns, bad := numbers(line)
		switch {
		case bad != "" || len(ns) == 0:
			return r, fmt.Sprintf("%s is not the number of an answer. Type one number from 1 to %d.", quoted(line), n)
		case len(ns) > 1:
			return r, fmt.Sprintf("Pick one answer only: type one number from 1 to %d.", n)
		case ns[0] < 1 || ns[0] > n:
			return r, fmt.Sprintf("There is no answer %d. Type a number from 1 to %d.", ns[0], n)
		}
		r.Options = []string{order[ns[0]-1]}
	case quiz.Multi:
		ns, bad := numbers(line)
		if bad != "" || len(ns) == 0 {
			return r, fmt.Sprintf("%s is not a list of answer numbers. Type the numbers of every right answer, from 1 to %d, separated by commas or spaces.", quoted(line), n)
		}
		seen := map[int]bool{}
		for _, x := range ns {
			if x < 1 || x > n {
				return r, fmt.Sprintf("There is no answer %d. The answers are numbered 1 to %d.", x, n)
			}
			if !seen[x] {
				seen[x] = true
				r.Options = append(r.Options, order[x-1])
			}
		}
	case quiz.TrueFalse:
		switch word(line) {
		case "1", "t", "true", "y", "yes":
			r.Bool = true
		case "2", "f", "false", "n", "no":
			r.Bool = false
		default:
			return r, fmt.Sprintf("%s is neither true nor false. Type 1 or t for true, 2 or f for false.", quoted(line))
		}
	case quiz.Numeric:
		x, err := q.ParseNumber(line)
		if err != nil {
			why := strings.TrimPrefix(err.Error(), quiz.ErrNotANumber.Error()+": ")
			return r, fmt.Sprintf("%s is not a number I can use: %s.", quoted(line), strings.TrimRight(why, "."))
		}
		r.Number = x
	case quiz.Text:
		if strings.TrimSpace(line) == "" {
			return r, "Type an answer first."
		}
		r.Text = line
	case quiz.Order:
		ns, bad := numbers(line)
		if bad != "" || len(ns) == 0 {
			return r, fmt.Sprintf("%s is not a list of item numbers. Type all %d numbers in the order you choose, for example %s.", quoted(line), n, exampleOrder(n))
		}
		seen := map[int]bool{}
		for _, x := range ns {
			switch {
			case x < 1 || x > n:
				return r, fmt.Sprintf("There is no item %d. The items are numbered 1 to %d.", x, n)
			case seen[x]:
				return r, fmt.Sprintf("You typed %d twice. Type each number once, all %d of them.", x, n)
			}
			seen[x] = true
			r.Options = append(r.Options, order[x-1])
		}
		if len(ns) != n {
			return r, fmt.Sprintf("You put %d of the %d items in order. Type all %d numbers, each once.", len(ns), n, n)
		}
	}
	return r, ""
}

// exampleOrder is an example answer to an order question of n items: "2 1 3".
func exampleOrder(n int) string {
	parts := []string{"2", "1"}
	for i := 3; i <= n; i++ {
		parts = append(parts, strconv.Itoa(i))
	}
	return strings.Join(parts, " ")
}

// answerText describes the learner's answer for the record, as the full-screen app does.
func answerText(q *quiz.Question, r quiz.Response) string {
	switch q.Type {
	case quiz.Single, quiz.Multi, quiz.Order:
		return strings.Join(r.Options, ",")
	case quiz.TrueFalse:
		return fmt.Sprint(r.Bool)
	case quiz.Numeric:
		return fmt.Sprint(r.Number)
	}
	return r.Text
}

// feedback says whether the answer was right, what was right and wrong in it, the
// explanation, and where to read more; then it waits for the learner to go on.
func (s *Session) feedback(it quizItem, order []string, resp quiz.Response, res quiz.Result, last bool) error {
	q := it.q
	answer := s.markdownLine(res.Answer)
	if q.Type == quiz.Order {
		// Read the order as words, not arrows.
		var texts []string
		for _, id := range q.Answer {
			texts = append(texts, s.markdownLine(q.OptionLabel(id)))
		}
		answer = strings.Join(texts, ", then ")
	}
	say := func() {
		s.Blank()
		switch {
		case res.Correct:
			s.Say("Correct.")
		case res.Score > 0:
			s.Sayf("Partly right, %s. The answer: %s", percent(res.Score), sentence(answer))
		default:
			s.Say("Not quite. The answer: " + sentence(answer))
		}
		if !res.Correct {
			if detail := s.answerDetail(q, resp, res); detail != "" {
				s.Say(detail)
			}
		}
		if res.Explanation != "" {
			s.sayMarkdown(res.Explanation)
		}
	}
	say()
	lesson, where := s.readMore(q)
	if lesson != nil {
		s.Say("Read more: " + sentence(where) + " Type l to open it.")
	}
	prompt := "Press enter for the next question."
	if last {
		prompt = "Press enter to see your score."
	}
	for {
		line, err := s.ReadLine(prompt)
		if err != nil {
			return err
		}
		switch w := word(line); {
		case w == "" || w == "n" || w == "next":
			return nil
		case isBack(w):
			return ErrBack
		case isQuit(w):
			return ErrQuit
		case (w == "l" || w == "lesson") && lesson != nil:
			if err := s.readLessons(lesson, q.Section); err != nil {
				return err
			}
			s.Blank()
			s.Say("Back to the quiz.")
		case w == "r" || w == "repeat":
			say()
		case isHelp(w):
			s.Say("Help. Press enter to go on, type r to hear the feedback again, l to read the lesson, b to leave the quiz, or q to save and quit.")
		default:
			s.Sayf("%s is not a command here.", quoted(line))
		}
	}
}

// answerDetail says, for a wrong answer, what the learner chose and how each part fared.
func (s *Session) answerDetail(q *quiz.Question, resp quiz.Response, res quiz.Result) string {
	marks := map[string]quiz.Mark{}
	for _, m := range res.Marks {
		marks[m.ID] = m
	}
	label := func(id string) string { return s.markdownLine(q.OptionLabel(id)) }
	switch q.Type {
	case quiz.Single:
		if len(resp.Options) == 1 {
			return "You chose: " + sentence(label(resp.Options[0]))
		}
	case quiz.Multi:
		var picks, missed []string
		for _, id := range resp.Options {
			verdict := "not right"
			if marks[id].InAnswer {
				verdict = "right"
			}
			picks = append(picks, label(id)+", "+verdict)
		}
		for _, m := range res.Marks {
			if m.InAnswer && !m.Chosen {
				missed = append(missed, label(m.ID))
			}
		}
		out := "Your picks: " + strings.Join(picks, "; ") + "."
		if len(missed) > 0 {
			out += " Missed, right too: " + strings.Join(missed, "; ") + "."
		}
		return out
	case quiz.Order:
		var parts []string
		for i, id := range resp.Options {
			m := marks[id]
			verdict := "in its place"
			if !m.OK {
				verdict = fmt.Sprintf("belongs at %d", m.Want)
			}
			parts = append(parts, fmt.Sprintf("%d. %s, %s", i+1, label(id), verdict))
		}
		return "Your order: " + strings.Join(parts, "; ") + "."
	case quiz.TrueFalse:
		if resp.Bool {
			return "You answered true."
		}
		return "You answered false."
	case quiz.Numeric:
		return "You answered " + strconv.FormatFloat(resp.Number, 'f', -1, 64) + "."
	case quiz.Text:
		return "You answered: " + sentence(resp.Text)
	}
	return ""
}

// readMore names the lesson (and section) that teaches a question.
func (s *Session) readMore(q *quiz.Question) (*lessons.Lesson, string) {
	l, ok := s.cat.Lesson(q.LessonID)
	if !ok {
		return nil, ""
	}
	where := "the lesson " + l.Title
	for _, h := range l.Headings {
		if h.Slug == q.Section {
			where += ", section " + h.Text
		}
	}
	return l, where
}
