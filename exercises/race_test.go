//go:build race

package exercises

// raceEnabled is true when the tests run with -race, which makes every start of the test
// binary (the sandbox re-executes it as its helper) several times slower.
const raceEnabled = true
