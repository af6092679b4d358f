// Package exercises loads, lints, starts, checks and watches kaizen's automation exercises.
//
// An exercise is a directory in a course (chapters/NN-slug/exercises/SLUG/) holding
// exercise.yaml (the spec and its checks), README.md (the task shown to the learner),
// starter/ (copied to the learner's workspace), solution/ (the reference answer, laid over the
// starter) and tests/ (hidden fixtures, a fixture generator and check scripts). The format is
// documented for authors in docs/authoring/exercises.md.
//
// The flow:
//
//   - [LoadCourse] or [Load] parse exercises from an fs.FS (the embedded default course or a
//     directory) and report every problem with file:line; [Lint] is the same for a course linter.
//   - [Start] copies the starter into <root>/<id>/ without overwriting anything, [Reset] moves the
//     learner's work to a timestamped backup first, [RevealSolution] writes the reference answer
//     next to it (the caller decides when that is allowed).
//   - [Check] copies the workspace (regular files only, never through links) and the hidden tests
//     into a fresh temporary directory and runs every check through a [Runner] (in production,
//     sandbox.Run) with a clean environment and a per-attempt seed, returning a [Report].
//   - [Watch] calls back on every save, debounced and never concurrently.
//   - [VerifyCourse] proves, for every exercise, that the starter fails and the reference
//     solution passes repeatedly.
//
// The package draws nothing and stores nothing: it imports neither Bubble Tea nor SQLite and holds
// no package-level mutable state.
package exercises
