package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A learner plays the case study to an ending in the app and finds it in progress.
func TestPlayCaseStudyToAnEnding(t *testing.T) {
	home := t.TempDir()
	tm := start(t, home, 120, 36, "case", "play", "fanvoy")
	tm.waitFor("Press enter to begin", 10*time.Second)
	tm.send(keyEnter)
	tm.waitFor("Dashboard", 5*time.Second)
	for i := 0; i < 11 && !strings.Contains(tm.screen(), "Ending:"); i++ {
		before := tm.screen()
		tm.send("b")
		deadline := time.Now().Add(3 * time.Second)
		for tm.screen() == before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	tm.waitFor("Ending:", 5*time.Second)
	tm.send("q")
	tm.waitExit(5 * time.Second)

	out, errOut, code := runCLI(t, home, "progress", "--json")
	if code != 0 {
		t.Fatalf("progress: %d %s", code, errOut)
	}
	var rep struct {
		Cases []struct {
			ID           string   `json:"id"`
			EndingsFound []string `json:"endings_found"`
			Runs         int      `json:"runs"`
		} `json:"case_studies"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Cases) != 1 || rep.Cases[0].Runs != 1 || len(rep.Cases[0].EndingsFound) != 1 {
		t.Fatalf("case progress = %+v", rep.Cases)
	}
}

func TestScriptedCasePlay(t *testing.T) {
	home := t.TempDir()
	out, errOut, code := runCLI(t, home, "case", "play", "fanvoy", "--choices", "B,C,B,A,B,B,B,B,B,B,B", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Over   bool   `json:"over"`
		Ending string `json:"ending"`
		Steps  []any  `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Over || res.Ending == "" || len(res.Steps) != 11 {
		t.Fatalf("%v %+v", err, res)
	}
	_, errOut, code = runCLI(t, home, "case", "play", "fanvoy", "--choices", "B,Z", "--json")
	if code != 2 || !strings.Contains(errOut, "valid: A, B, C") {
		t.Fatalf("invalid choice: exit %d %q", code, errOut)
	}
}
