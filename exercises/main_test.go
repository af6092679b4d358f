package exercises

import (
	"os"
	"testing"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// TestMain makes the test binary its own sandbox helper, as kaizen's main does, so that the
// integration tests can check exercises through sandbox.Run.
func TestMain(m *testing.M) {
	sandbox.Init()
	os.Exit(m.Run())
}
