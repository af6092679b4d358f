package plain

import (
	"os"
	"testing"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// TestMain lets this test binary serve as the sandbox's helper, as the kaizen binary does,
// so exercise checks run as they do for a learner.
func TestMain(m *testing.M) {
	sandbox.Init()
	os.Exit(m.Run())
}
