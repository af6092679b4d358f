package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileEditorEditsSavesAndStaysInTheWorkspace(t *testing.T) {
	c := testCommon(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.py"), []byte("print(1)\n"), 0o644)
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("secret"), 0o600)
	os.Symlink(outside, filepath.Join(dir, "b.py")) // planted link: must not be followed
	h := newHarness(t, c, 80, 24)
	h.send(pushMsg{NewFileEditor(c, dir, []string{"a.py", "b.py"})})
	ed := h.m.top().(*FileEditor)
	if !strings.Contains(h.screen(), "print(1)") || !strings.Contains(h.screen(), "saved") {
		t.Fatalf("file not shown:\n%s", h.screen())
	}
	typeText(h, "x = 2 # q?")
	if h.m.quitting || h.m.showHelp {
		t.Fatal("q and ? must be text in the editor")
	}
	h.key("ctrl+s")
	data, _ := os.ReadFile(filepath.Join(dir, "a.py"))
	if !strings.Contains(string(data), "x = 2 # q?") {
		t.Fatalf("not saved: %q", data)
	}
	// The next file is a link out of the workspace: the editor refuses it.
	h.send(keyPressCtrl('n'))
	if ed.err == nil {
		t.Fatal("a link leaving the workspace must not open")
	}
	if got, _ := os.ReadFile(outside); string(got) != "secret" {
		t.Fatal("the file outside the workspace changed")
	}
	// esc closes, saving unsaved text first.
	h.send(keyPressCtrl('n'))
	typeText(h, "y")
	h.key("esc")
	if _, ok := h.m.top().(*FileEditor); ok {
		t.Fatal("esc should close the editor")
	}
	data, _ = os.ReadFile(filepath.Join(dir, "a.py"))
	if !strings.Contains(string(data), "y") {
		t.Fatalf("unsaved text lost on close: %q", data)
	}
}
