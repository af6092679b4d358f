package sandbox_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// testSecret is put in the test process's environment; no sandboxed command may see it.
const testSecret = "FAKE-API-TOKEN-55aa-do-not-leak"

// caps is what this machine offers, probed once in TestMain (test code only; the package
// itself keeps no state).
var caps sandbox.Capabilities

// TestMain makes the test binary its own sandbox helper, as kaizen's main does.
func TestMain(m *testing.M) {
	sandbox.Init()
	os.Setenv("SBX_TEST_API_TOKEN", testSecret)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	caps = sandbox.Probe(ctx)
	cancel()
	os.Exit(m.Run())
}
