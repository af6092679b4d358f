package plain

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/internal/store"
)

func mustContain(t *testing.T, said string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(said, w) {
			t.Fatalf("missing %q in:\n%s", w, said)
		}
	}
}

// Reading a lesson part by part to its end marks it finished; next and previous move
// between lessons; the chapter menu then reads the lesson as finished.
func TestReadLessonToEndMarksFinishedAndNextMovesOn(t *testing.T) {
	e := newEnv(t)
	e.page = 12
	ctx := context.Background()
	lv := e.live(func(s *Session) error { return s.Run() })
	home := lv.expect("h for help.")
	mustContain(t, home, "Heading level 1: Home: Demo Course", "1. Start: First lesson. Chapter 1.", "Chapter 1: Getting started. 0 of 2 lessons finished.",
		"Chapter 3: Not written yet. Coming soon.", "Case study: Mini Startup. 0 of 3 endings found.", "Glossary: 3 key terms, searchable.")
	lv.send(option(t, home, "Chapter 1"))
	chapter := lv.expect("h for help.")
	mustContain(t, chapter, "Heading level 1: Chapter 1: Getting started", "The first steps.", "You will be able to:",
		"Lesson 1: First lesson. Not opened yet. 7 minutes.", "Quiz: 6 questions.", "Discussion: 2 critical-thinking prompts, 0 answered.")
	lv.send(option(t, chapter, "Lesson 1"))
	first := lv.expect("Press enter for more, b to go back, or h for help.")
	mustContain(t, first, "Chapter 1, lesson 1 of 2: First lesson. About 7 minutes, in", "Part 1 of", "Heading level 1: First lesson",
		"In this lesson you will:", "- Read to the end")
	if st, _ := e.st.Lessons(ctx, e.learner); st["l1"].OpenedAt.IsZero() || st["l1"].Finished {
		t.Fatalf("opening not recorded, or finished too soon: %+v", st["l1"])
	}
	var all strings.Builder
	all.WriteString(first)
	for i := 0; ; i++ {
		if i > 20 {
			t.Fatal("never reached the end of the lesson")
		}
		lv.send("")
		chunk := lv.expect("h for help.")
		if strings.Contains(chunk, "Press enter or n for the next lesson") {
			all.WriteString(chunk)
			break
		}
		all.WriteString(chunk)
	}
	mustContain(t, all.String(), "Heading level 2: Section F", "Code block, bash:\nmake test\nEnd of code block.",
		"Table, 1 row and 2 columns.", "Row 1: Tool: make; Purpose: builds.", "End of lesson. Lesson finished: First lesson.",
		"Press enter or n for the next lesson, Second lesson.")
	if st, _ := e.st.Lessons(ctx, e.learner); !st["l1"].Finished {
		t.Fatalf("l1 not finished: %+v", st["l1"])
	}
	lv.send("n")
	mustContain(t, lv.expect("h for help."), "Chapter 1, lesson 2 of 2: Second lesson.")
	lv.send("p")
	mustContain(t, lv.expect("h for help."), "Chapter 1, lesson 1 of 2: First lesson.", "You have finished this lesson before.")
	lv.send("b")
	mustContain(t, lv.expect("h for help."), "Lesson 1: First lesson. Finished.", "Lesson 2: Second lesson. Started.")
	mustContain(t, lv.end(), "End of input. Your progress is saved. Goodbye.")
	st, _ := e.st.Lessons(ctx, e.learner)
	if !st["l1"].Finished || st["l2"].Finished || st["l2"].OpenedAt.IsZero() {
		t.Fatalf("lessons = %+v", st)
	}
}

// Leaving a lesson halfway saves the place and the reading time; continue resumes there.
func TestLessonResumesWhereLeftOff(t *testing.T) {
	e := newEnv(t)
	e.page = 12
	e.clock.step = 10 * time.Second
	ctx := context.Background()
	out := e.run("1", "", "b", "q")
	mustContain(t, out, "Part 2 of", "Your progress is saved. Goodbye.")
	st, _ := e.st.Lessons(ctx, e.learner)
	if st["l1"].Scroll <= 0 || st["l1"].Scroll >= 1 || st["l1"].Finished || st["l1"].Seconds <= 0 {
		t.Fatalf("after leaving part 2: %+v", st["l1"])
	}
	out = e.run("c")
	mustContain(t, out, "Continue: First lesson. Chapter 1, ", "% read.", "Resuming where you left off", "Part 2 of")
	if strings.Contains(out[strings.Index(out, "Resuming"):], "Part 1 of") {
		t.Fatalf("resumed at the top:\n%s", out)
	}
	// t starts from the top.
	out = e.run("c", "t")
	mustContain(t, out[strings.LastIndex(out, "Type t to start from the top."):], "Part 1 of")
}

// A chapter quiz answered once right and once wrong: feedback sentences, the score, and
// the answers, cards and result in the store.
func TestQuizOneRightOneWrong(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lv := e.live(func(s *Session) error { return s.RunQuiz("ch02") })
	q1 := lv.expect("Type the number of your answer, 1 to 2.")
	mustContain(t, q1, "Heading level 1: Quiz: Chapter 2, Second steps", "2 questions.", "Question 1 of 2. Single choice.", "What does CI stand for?")
	lv.send(option(t, q1, "Continuous integration"))
	lv.expect("or type u if you are unsure.")
	lv.send("")
	fb := lv.expect("Press enter for the next question.")
	mustContain(t, fb, "Correct.", "CI is continuous integration.", "Read more: the lesson Third lesson. Type l to open it.")
	lv.send("")
	q2 := lv.expect("Type 1 or t for true, 2 or f for false.")
	mustContain(t, q2, "Question 2 of 2. True or false.", "Drift never happens to a good model.", "1. True", "2. False")
	lv.send("t")
	lv.expect("or type u if you are unsure.")
	lv.send("u")
	fb = lv.expect("Press enter to see your score.")
	mustContain(t, fb, "Not quite. The answer: False.", "You answered true.", "The world changes under every model.")
	lv.send("")
	sum := lv.expect("Type r to retake the quiz, or press enter to go back.")
	mustContain(t, sum, "Quiz complete. 1 of 2 right (50%).", "To review (they come back sooner in Review):", "- Drift never happens to a good model.")
	lv.end()

	answers, err := e.st.Answers(ctx, e.learner)
	if err != nil || len(answers) != 2 {
		t.Fatalf("answers = %+v, %v", answers, err)
	}
	if !answers[0].Correct || answers[0].Confidence != "sure" || answers[1].Correct || answers[1].Confidence != "unsure" || answers[1].Source != "quiz" {
		t.Fatalf("answers = %+v", answers)
	}
	stats, _ := e.st.QuizStatsByChapter(ctx, e.learner)
	if s := stats["ch02"]; s.Attempts != 1 || s.BestScore != 0.5 {
		t.Fatalf("quiz result = %+v", s)
	}
	cards, _ := e.st.Cards(ctx, e.learner)
	if len(cards) != 2 {
		t.Fatalf("cards = %+v", cards)
	}
}

// Every question type is answered by typing: numbers, numbers in order, true/false, a
// number with its unit, and text. Refused input is explained and asked again.
func TestQuizAllSixQuestionTypes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lv := e.live(func(s *Session) error { return s.RunQuiz("ch01") })
	answer := func(lines ...string) {
		lv.send(lines...)
		lv.expect("or type u if you are unsure.")
		lv.send("")
		mustContain(t, lv.expect("Press enter"), "Correct.")
		lv.send("")
	}
	q := lv.expect("Type the number of your answer, 1 to 3.")
	mustContain(t, q, "Which layer is the foundation?") // emphasis markers dropped
	lv.send("seven")
	mustContain(t, lv.expect("Type one number from 1 to 3."), `"seven" is not the number of an answer.`)
	lv.send("4")
	mustContain(t, lv.expect("Type a number from 1 to 3."), "There is no answer 4.")
	answer(option(t, q, "DevOps"))

	q = lv.expect("separated by commas or spaces.")
	mustContain(t, q, "Multiple choice, pick every right answer.")
	lv.send("9")
	mustContain(t, lv.expect("numbered 1 to 3."), "There is no answer 9.")
	answer(option(t, q, "DevOps") + ", " + option(t, q, "Data"))

	lv.expect("Type 1 or t for true, 2 or f for false.")
	lv.send("maybe")
	lv.expect("is neither true nor false.")
	answer("false")

	lv.expect("Type a number (in ms).")
	lv.send("seven")
	mustContain(t, lv.expect("such as 12 or 0.5."), `"seven" is not a number I can use: type a number of ms`)
	answer("250 ms")

	lv.expect("Type a short answer.")
	answer(".github/workflows")

	q = lv.expect("Type the numbers of all 3 items in the right order")
	mustContain(t, q, "Put in order.")
	lv.send("1 2")
	mustContain(t, lv.expect("each once."), "You put 2 of the 3 items in order.")
	lv.send("1 1 2")
	mustContain(t, lv.expect("all 3 of them."), "You typed 1 twice.")
	answer(option(t, q, "DevOps") + " " + option(t, q, "DataOps") + " " + option(t, q, "MLOps"))

	mustContain(t, lv.expect("press enter to go back."), "Quiz complete. 6 of 6 right (100%).", "Everything right.")
	lv.send("")
	lv.expect("Heading level 1: Chapter 1: Getting started") // kaizen quiz goes on to the chapter
	lv.end()
	answers, _ := e.st.Answers(ctx, e.learner)
	if len(answers) != 6 {
		t.Fatalf("answers = %+v", answers)
	}
	for _, a := range answers {
		if !a.Correct {
			t.Fatalf("answer %+v recorded wrong", a)
		}
	}
}

// A wrong answer comes due for review; the review asks it, records it as a review and
// leaves nothing due.
func TestReviewDueCards(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lv := e.live(func(s *Session) error { return s.RunQuiz("ch02") })
	q := lv.expect("1 to 2.")
	lv.send(option(t, q, "Constant inspection"), "") // wrong
	mustContain(t, lv.expect("Press enter for the next question."), "Not quite. The answer: Continuous integration.", "You chose: Constant inspection.")
	lv.send("", "f", "", "")
	lv.expect("Quiz complete. 1 of 2 right")
	lv.end()

	out := e.run("r")
	mustContain(t, out, "Nothing to review right now.")

	e.clock.advance(15 * time.Minute)
	lv = e.live(func(s *Session) error { return s.Run() })
	home := lv.expect("h for help.")
	mustContain(t, home, "Review: 1 card due, spaced review of questions you answered.")
	lv.send("r")
	q = lv.expect("1 to 2.")
	mustContain(t, q, "Heading level 1: Review", "1 question due.", "Question 1 of 1, Chapter 2. Single choice.")
	lv.send(option(t, q, "Continuous integration"), "")
	mustContain(t, lv.expect("Press enter to see your score."), "Correct.")
	lv.send("")
	mustContain(t, lv.expect("Press enter to go back."), "Review complete. 1 of 1 right (100%).")
	lv.send("")
	home = lv.expect("h for help.")
	if strings.Contains(home, "Review:") {
		t.Fatalf("review still offered:\n%s", home)
	}
	lv.end()
	answers, _ := e.st.Answers(ctx, e.learner)
	if len(answers) != 3 || answers[2].Source != "review" || !answers[2].Correct {
		t.Fatalf("answers = %+v", answers)
	}
	if n, _ := e.st.DueCount(ctx, e.learner, e.clock.now()); n != 0 {
		t.Fatalf("%d cards still due", n)
	}
}

// A discussion answer written over several lines, saved, self-assessed with the rubric
// read out, put in the portfolio and revised; all of it in the journal.
func TestDiscussionAnswerSavedRatedAndInJournal(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lv := e.live(func(s *Session) error { return s.Run() })
	lv.send(option(t, lv.expect("h for help."), "Chapter 1"))
	lv.send(option(t, lv.expect("h for help."), "Discussion"))
	list := lv.expect("h for help.")
	mustContain(t, list, "Heading level 1: Critical thinking: Getting started", "1. Your team trained fourteen models and none serves users. Not started.", "2. Argue the other side. Not started.")
	lv.send("1")
	p := lv.expect("h for help.")
	mustContain(t, p, "Heading level 2: Prompt 1 of 2", "Traits: Intellectual humility, Intellectual integrity.", "What counts as progress?",
		"You have not answered yet.", "1. Write your answer.", "2. Hear what a strong answer weighs.")
	lv.send("2")
	mustContain(t, lv.expect("h for help."), "What a strong answer weighs:", "admits the yardstick may be wrong.")
	lv.send("1")
	lv.expect("type a line with only a full stop (.) to save it.")
	lv.send("Deploying one model beats training fourteen.", "", "We measured the wrong thing.", ".")
	mustContain(t, lv.expect("Type 1 to 4."), "Saved as revision 1, 11 words.", "1 not yet, 2 beginning, 3 solid, 4 strong",
		"Intellectual humility, trait 1 of 2. Did I say what I don't know")
	lv.send("3")
	mustContain(t, lv.expect("Type 1 to 4."), "Intellectual integrity, trait 2 of 2. Did I hold my own view")
	lv.send("five")
	mustContain(t, lv.expect("press enter to skip this trait."), `"five" is not a rating.`)
	lv.send("4")
	lv.expect("or press enter to skip.")
	lv.send("Cite more evidence.")
	p = lv.expect("h for help.")
	mustContain(t, p, "Self-assessment saved: Intellectual humility 3 of 4; Intellectual integrity 4 of 4.",
		"You have answered: revision 1 of 1", "Write a new revision.", "Hear your answer, revision 1.")
	lv.send(option(t, p, "Include this answer in your portfolio"))
	p = lv.expect("h for help.")
	mustContain(t, p, "This answer will appear in your portfolio.", "This answer is in your portfolio.", "Leave this answer out of your portfolio.")
	// A second revision, rating skipped; the previous one can still be heard.
	lv.send("1")
	lv.expect("to save it.")
	lv.send("A better answer.", ".")
	lv.expect("Type 1 to 4.")
	lv.send("b")
	p = lv.expect("h for help.")
	mustContain(t, p, "Self-assessment skipped; your answer is saved.", "Hear your previous answer, revision 1.")
	lv.send(option(t, p, "Hear your previous answer"))
	mustContain(t, lv.expect("h for help."), "Your answer, revision 1 of 2, saved 25 November 2026:", "Deploying one model beats training fourteen.",
		"We measured the wrong thing.", "End of answer.", "Self-assessment: Intellectual humility 3 of 4; Intellectual integrity 4 of 4.", "To improve: Cite more evidence.")
	lv.send("b")
	mustContain(t, lv.expect("h for help."), "1. Your team trained fourteen models and none serves users. Answered, 2 revisions, in your portfolio.")
	lv.end()

	j, err := e.st.Journal(ctx, e.learner)
	if err != nil {
		t.Fatal(err)
	}
	entry := j["d-shelf"]
	if entry == nil || len(entry.Revisions) != 2 || !entry.Portfolio || entry.Draft != "" {
		t.Fatalf("journal = %+v", entry)
	}
	r1 := entry.Revisions[0]
	if r1.Body != "Deploying one model beats training fourteen.\n\nWe measured the wrong thing." ||
		r1.Ratings["humility"] != 3 || r1.Ratings["integrity"] != 4 || r1.Note != "Cite more evidence." {
		t.Fatalf("revision 1 = %+v", r1)
	}
	if entry.Revisions[1].Body != "A better answer." || len(entry.Revisions[1].Ratings) != 0 {
		t.Fatalf("revision 2 = %+v", entry.Revisions[1])
	}
}

// A case study played to an ending by numbers: gauges read with their changes, the
// ending, debrief and real company read out, the run stored; a replay from decision 2
// reaches another ending and is stored too.
func TestCaseStudyPlayedToEndingAndReplayed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lv := e.live(func(s *Session) error { return s.Run() })
	lv.send(option(t, lv.expect("h for help."), "Case study: Mini Startup"))
	premise := lv.expect("Press enter to begin, or b to go back.")
	mustContain(t, premise, "Heading level 1: Case study: Mini Startup", "You run a tiny startup.", "Note: Everything here is fictional.",
		"The gauges you will watch:", "- Cash: Months of money left.")
	lv.send("")
	d1 := lv.expect("Type the number of your choice, 1 to 2, or h for help.")
	mustContain(t, d1, "Heading level 2: Decision 1: First call", "The founders want a model by Friday.",
		"Dashboard:\n- Cash 3 months.\n- Quality 50 of 100.\n- Debt 10 of 100.", "Your choices:\n1. Automate the pipeline\n2. Hack it together")
	lv.send("3")
	mustContain(t, lv.expect("Type a number from 1 to 2."), "There is no choice 3.")
	lv.send("A") // choices are numbered; letters are not choices
	mustContain(t, lv.expect("Type a number from 1 to 2."), `"A" is not one of the choices.`)
	lv.send(option(t, d1, "Automate the pipeline"))
	d2 := lv.expect("or h for help.")
	mustContain(t, d2, "You chose: Automate the pipeline.", "Decision 2: Second call", "- Cash 2 months, down 1 (worse).", "- Quality 70 of 100, up 20 (better).", "- Debt 10 of 100.")
	lv.send("t")
	mustContain(t, lv.expect("or h for help."), "Your decisions so far:\n1. First call: Automate the pipeline.")
	lv.send(option(t, d2, "Monitor it"))
	end := lv.expect("h for help.")
	mustContain(t, end, "Heading level 1: Ending: Good Ending", "The model works.", "Heading level 2: Debrief: what each decision taught",
		"1. First call: you chose Automate the pipeline. Automation pays back. (revisit: Chapter 1)", "Heading level 2: Think it over",
		"What made it work?", "Heading level 2: What the real company faced", "A fact. (source: https://example.com/)",
		"- Quality 80 of 100, up 10 (better).", "This run is saved.", "1. Replay from an earlier decision")
	runs, _ := e.st.CaseRuns(ctx, e.learner, "mini")
	if len(runs) != 1 || runs[0].Data.Ending != "good" || strings.Join(runs[0].Data.Choices, ",") != "A,A" || runs[0].Data.Gauges["q"] != 80 {
		t.Fatalf("runs = %+v", runs)
	}
	lv.send("1")
	replay := lv.expect("h for help.")
	mustContain(t, replay, "Replay from which decision?", "1. First call: you chose Automate the pipeline.", "2. Second call: you chose Monitor it.")
	lv.send("2")
	d2 = lv.expect("or h for help.")
	mustContain(t, d2, "Replaying from decision 2. Your earlier run is kept.", "Decision 2: Second call")
	lv.send(option(t, d2, "Burn money"))
	mustContain(t, lv.expect("h for help."), "Ending: Broke", "The money ran out.", "- Cash -3 months, down 5 (worse).")
	lv.send("b")
	mustContain(t, lv.expect("h for help."), "Case study: Mini Startup. 2 of 3 endings found.")
	lv.end()
	runs, _ = e.st.CaseRuns(ctx, e.learner, "mini")
	if len(runs) != 2 || runs[1].Data.Ending != "broke" || strings.Join(runs[1].Data.Choices, ",") != "A,B" {
		t.Fatalf("runs = %+v", runs)
	}
}

func TestGlossarySearch(t *testing.T) {
	e := newEnv(t)
	out := e.run("g", "drift", "registry", "zzz", "all", "b")
	mustContain(t, out, "Heading level 1: Glossary", "3 key terms.",
		`2 terms match "drift":`, "1. Data drift (Chapter 1): A change in the inputs a model sees in production.",
		"2. Concept drift (Chapter 2): A change in the relation",
		`1 term matches "registry":`, "1. Model registry: A store of model versions with their lineage.",
		`No term matches "zzz". Try another word, or type all.`, "All 3 terms:")
	// Definitions match too, after terms.
	out = e.run("g", "inputs")
	mustContain(t, out, `2 terms match "inputs":`, "1. Data drift", "2. Concept drift")
}

func TestProgressReadOut(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.st.OpenLesson(ctx, e.learner, "l2"))
	must(e.st.FinishLesson(ctx, e.learner, "l2"))
	must(e.st.AddLessonTime(ctx, e.learner, "l2", 25*time.Minute))
	must(e.st.RecordAnswer(ctx, e.learner, "q-single", store.AnswerData{ChapterID: "ch01", Correct: true, Score: 1, Source: "quiz"}))
	must(e.st.FinishQuiz(ctx, e.learner, "ch01", 1, 1, 1))
	_, err := e.st.SaveAnswer(ctx, e.learner, "ch01", "d-shelf", "An answer.")
	must(err)
	must(e.st.RecordCaseRun(ctx, e.learner, "mini", store.CaseRunData{Ending: "good", Choices: []string{"A", "A"}}))
	out := e.run("p")
	mustContain(t, out, "Heading level 1: Progress",
		"Lessons: 1 of 3 finished, 25 minutes of reading.",
		"Quiz and review answers: 1, of which 1 right (100%).",
		"Review cards: 0 due now, of 1.",
		"Discussion answers saved: 1.",
		"- Chapter 1, Getting started: 1 of 2 lessons finished; quiz answers 100% right of 1, best attempt 100%; discussion 1 of 2 answered; exercises 0 of 1 passed.",
		"Exercises passed: 0 of 1.",
		"- Chapter 2, Second steps: 0 of 1 lesson finished; quiz not taken.",
		"- Chapter 3, Not written yet: coming soon.",
		"- Mini Startup: 1 of 3 endings found, in 1 run.")
}

// Bad input gets a sentence saying what to type instead; nothing crashes, and input that
// ends anywhere ends the session cleanly, saving.
func TestBadInputAndEndOfInput(t *testing.T) {
	e := newEnv(t)
	out := e.run("seven", "99", "0", "-3", "zz top", "b", "h", "")
	mustContain(t, out,
		`"seven" is not a choice here. Type a number from 1 to 7, or h for help.`,
		"There is no choice 99.", "There is no choice 0.", "There is no choice -3.",
		`"zz top" is not a choice here.`,
		"This is the first menu; there is nothing to go back to. Type q to quit.",
		"Help. In this menu you can type:",
		"End of input. Your progress is saved. Goodbye.")
	if got := e.run(); !strings.Contains(got, "End of input. Your progress is saved. Goodbye.") {
		t.Fatalf("empty input:\n%s", got)
	}

	// Input ending in the middle of each activity.
	cases := map[string][]string{
		"lesson":      {"1", ""},
		"lesson help": {"1", "h", "what"},
		"quiz":        {"3", "2", "1"},
		"confidence":  {"3", "2", "1", "perhaps"},
		"feedback":    {"3", "2", "1", "", "x"},
		"writing":     {"2", "4", "2", "1", "Half an answer"},
		"rating":      {"2", "4", "1", "1", "An answer.", ".", "2"},
		"case":        {"5", "", "1"},
		"glossary":    {"6", "drift"},
		"chapter 3":   {"4", "1"},
	}
	for name, lines := range cases {
		out := e.run(lines...)
		if !strings.HasSuffix(out, "End of input. Your progress is saved. Goodbye.\n") {
			t.Fatalf("%s: did not end cleanly:\n%s", name, out)
		}
	}
	ctx := context.Background()
	// What was typed before input ended is kept as a draft; the opened lesson kept its place.
	j, _ := e.st.Journal(ctx, e.learner)
	if j["d-shelf"] == nil || len(j["d-shelf"].Revisions) != 1 || j["d-shelf"].Draft != "" {
		t.Fatalf("journal after rating cut short = %+v", j["d-shelf"])
	}
	if j["d-other"] == nil || j["d-other"].Draft != "Half an answer" || len(j["d-other"].Revisions) != 0 {
		t.Fatalf("draft not kept at end of input: %+v", j["d-other"])
	}
	// The draft is read out and continued next time.
	out = e.run("2", "4", "2", "1", "", "And the rest.", ".", "", "", "")
	mustContain(t, out, "Your draft so far:\nHalf an answer\nEnd of draft.", "Saved as revision 1")
	j, _ = e.st.Journal(ctx, e.learner)
	if r, _ := j["d-other"].Latest(); r.Body != "Half an answer\nAnd the rest." {
		t.Fatalf("revision = %q", r.Body)
	}
}

// q quits from anywhere, saving the reading position.
func TestQuitFromALessonSaves(t *testing.T) {
	e := newEnv(t)
	e.page = 12
	out := e.run("1", "", "q", "this line is never read")
	mustContain(t, out, "Your progress is saved. Goodbye.")
	if strings.Contains(out, "End of input") {
		t.Fatalf("q should quit before input ends:\n%s", out)
	}
	st, _ := e.st.Lessons(context.Background(), e.learner)
	if st["l1"].Scroll <= 0 {
		t.Fatalf("position not saved on quit: %+v", st["l1"])
	}
}

// Random input through every menu always ends when input ends: no crash, no loop that
// stops reading.
func TestRandomInputAlwaysEnds(t *testing.T) {
	words := []string{"1", "2", "3", "4", "5", "6", "7", "", "", "", "b", "h", "r", "n", "p", "t", "u", "e", "l", "m", "d",
		"seven", "99", "-1", ".", "!", "1 2 3", "3 2 1", "true", "250", "u", "s", "all", "drift", "c", "g"}
	for seed := uint64(1); seed <= 15; seed++ {
		e := newEnv(t)
		rng := rand.New(rand.NewPCG(seed, seed))
		var lines []string
		for i := 0; i < 300; i++ {
			lines = append(lines, words[rng.IntN(len(words))])
		}
		out := e.run(lines...)
		if !strings.HasSuffix(out, "Goodbye.\n") {
			t.Fatalf("seed %d: no clean end:\n%s", seed, out[max(len(out)-2000, 0):])
		}
	}
}

// A cancelled context (a signal) stops a session waiting for input, saving.
func TestStopWhileWaiting(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	in, _ := newBlockingReader()
	var out syncBuffer
	s := New(Options{Ctx: ctx, Catalog: e.cat, Store: e.st, Learner: e.learner, Now: e.clock.now, In: in, Out: &out})
	done := make(chan error, 1)
	go func() { done <- s.Run() }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("session did not stop")
	}
	mustContain(t, out.String(), "Stopped. Your progress is saved. Goodbye.")
}

// blockingReader never returns data: input that has not come yet.
type blockingReader struct{ ch chan struct{} }

func newBlockingReader() (*blockingReader, func()) {
	r := &blockingReader{ch: make(chan struct{})}
	return r, func() { close(r.ch) }
}

func (r *blockingReader) Read(p []byte) (int, error) {
	<-r.ch
	return 0, context.Canceled
}

func TestMarkdownAnnouncesStructure(t *testing.T) {
	md := "# Title\n\nSome **bold** and `code` and a [link](https://example.com) and [a lesson](lesson:l2#section-a).\n\n" +
		"> A quote.\n\n1. one\n2. two\n   - nested\n\n```python\nprint('x')\n```\n\n---\n\n![Diagram](d.png)\n"
	s := &Session{}
	s.cat = testCourse(t)
	got := strings.Join(RenderMarkdown(md, 80, s.linkTitle).Lines, "\n")
	want := `Heading level 1: Title

Some bold and code and a link (https://example.com) and a lesson (see the lesson
Second lesson, section Section A).

Quote:
A quote.
End of quote.

Numbered list, 2 items:
1. one
2. two
   - nested

Code block, python:
print('x')
End of code block.

Separator.

Image: Diagram`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
