package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// optionIndex finds the 1-based position of an option's text among the "( )" lines on
// screen (options are shuffled per attempt).
func optionIndex(t *testing.T, screen, text string) int {
	t.Helper()
	n := 0
	for _, line := range strings.Split(screen, "\n") {
		if regexp.MustCompile(`\((?: |•)\) `).MatchString(line) {
			n++
			if strings.Contains(line, text) {
				return n
			}
		}
	}
	t.Fatalf("option %q not on screen:\n%s", text, screen)
	return 0
}

// A learner answers a quiz (one right, one wrong), later sees the wrong one due and reviews
// it, writes and saves a discussion answer, and finds it all in progress and journal JSON.
func TestQuizReviewAndJournal(t *testing.T) {
	home := t.TempDir()
	tm := start(t, home, 100, 30, "quiz", "ch01")
	tm.waitFor("Question 1 of", 10*time.Second)
	tm.waitFor("DevOps", 5*time.Second)
	i := optionIndex(t, tm.screen(), "DevOps")
	tm.send(string(rune('0' + i)))
	tm.send(keyEnter)
	tm.waitFor("✓ Correct", 5*time.Second)
	tm.send(keyEnter)
	tm.waitFor("Question 2 of", 5*time.Second)
	tm.send(keyEnter) // an order question is never shown in the right order: wrong
	tm.waitFor("Not quite", 5*time.Second)
	tm.send("q")
	tm.waitExit(5 * time.Second)

	// Fifteen minutes later the missed question is due.
	tm = startBinary(t, binary, append(baseEnv(home), "KAIZEN_CLOCK_OFFSET=15m"), 100, 30)
	tm.waitFor("Review: 1 card due", 10*time.Second)
	tm.send("j")
	tm.send(keyEnter)
	tm.waitFor("Question 1 of 1", 5*time.Second)
	tm.send(keyEnter) // still in the shuffled order: wrong again, and it stays due soon
	tm.waitFor("enter to see your score", 5*time.Second)
	tm.send(keyEnter)
	tm.waitFor("Review complete", 5*time.Second)
	tm.send(keyEsc)
	// Chapter 1 → Discussion → first prompt → write, save, rate.
	tm.waitFor("Introduction to MLOps", 5*time.Second)
	// Let the escape key settle first: a key right after ESC would read as alt+key.
	time.Sleep(150 * time.Millisecond)
	tm.send("g")
	tm.waitFor("▸ Start", 5*time.Second)
	tm.selectLine("Introduction to MLOps", 5*time.Second)
	tm.send(keyEnter)
	tm.waitFor("» Discussion", 5*time.Second)
	tm.selectLine("» Discussion", 5*time.Second)
	tm.send(keyEnter)
	tm.waitFor("Critical thinking", 5*time.Second)
	tm.send(keyEnter)
	tm.waitFor("Press e to write", 5*time.Second)
	tm.send("e")
	tm.waitFor("ctrl+s save", 5*time.Second)
	tm.send("Deploying one model beats training fourteen.")
	tm.waitFor("fourteen.", 5*time.Second)
	tm.send("\x13") // ctrl+s
	tm.waitFor("Rate revision 1", 5*time.Second)
	tm.send("3")
	tm.send("\x13")
	tm.waitFor("Self-assessment saved", 5*time.Second)
	tm.send("q")
	tm.waitExit(5 * time.Second)

	out, errOut, code := runCLI(t, home, "progress", "--json")
	if code != 0 {
		t.Fatalf("progress: %d %s", code, errOut)
	}
	var rep struct {
		Chapters []struct {
			ID   string `json:"id"`
			Quiz struct {
				Answered int `json:"answered"`
				Correct  int `json:"correct"`
			} `json:"quiz"`
			Discussion struct {
				Answered int `json:"answered"`
			} `json:"discussion"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	ch := rep.Chapters[0]
	if ch.Quiz.Answered != 3 || ch.Quiz.Correct != 1 || ch.Discussion.Answered != 1 {
		t.Fatalf("progress chapter 1 = %+v", ch)
	}
	out, _, code = runCLI(t, home, "journal", "--json")
	if code != 0 || !strings.Contains(out, "Deploying one model beats training fourteen.") {
		t.Fatalf("journal (%d): %s", code, out)
	}
}
