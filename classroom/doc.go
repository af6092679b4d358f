// Package classroom is the plain-Go part of kaizen's class mode: the roster that says who may
// join a class server, and the gradebook (one row per learner, and its formats: text table,
// LMS-ready CSV, JSON, Markdown and standalone HTML) built from learners' records. It speaks
// neither SQL nor Bubble Tea: the store supplies Records and the commands and screens show
// what Build returns.
package classroom
