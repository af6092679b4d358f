// Package quiz holds kaizen's quiz questions and spaced review: it parses and validates a
// chapter's quiz.yaml (docs/AUTHORING.md, section quiz.yaml), grades a learner's response to
// every question type, shuffles options per attempt, and schedules reviews with the FSRS-6
// spaced-repetition algorithm.
//
// The package is plain Go: it draws nothing and stores nothing. Parse reports every problem
// in a file as a diag.List with file and 1-based line; Grade, Shuffle and Scheduler.Schedule
// are pure functions of their arguments, so they are safe to call from any goroutine and give
// the same answer every time.
//
// A typical attempt:
//
//	qz, probs := quiz.Parse("chapters/01-intro/quiz.yaml", data)
//	q := qz.Questions[0]
//	order := quiz.Shuffle(q, attemptSeed)              // option ids, in display order
//	res := quiz.Grade(q, quiz.Response{Options: []string{"b"}})
//	card, log := quiz.Schedule(card, quiz.RatingFor(res.Correct, unsure), now)
package quiz
