package portfolio

import (
	"os"
	"testing"
)

// TestPreviewExport writes the fixture portfolio to $PORTFOLIO_PREVIEW, to look at in a
// browser: PORTFOLIO_PREVIEW=/tmp/pf go test ./portfolio -run Preview
func TestPreviewExport(t *testing.T) {
	dir := os.Getenv("PORTFOLIO_PREVIEW")
	if dir == "" {
		t.Skip("set PORTFOLIO_PREVIEW=DIR to write the fixture portfolio there")
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	exportBoth(t, fixtureModel(t), dir, false)
}
