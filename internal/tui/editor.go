package tui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
)

// maxEditorFile bounds what the built-in editor loads (exercise files are small).
const maxEditorFile = 512 << 10

// FileEditor is the built-in editor used where the learner has no $EDITOR (class mode over
// SSH): one file of a workspace in a text area with line numbers; ctrl+s saves. Files are
// opened through an os.Root of the workspace, so a path can never leave it.
type FileEditor struct {
	c      *Common
	dir    string   // the workspace
	files  []string // the files the learner may edit, relative to dir
	index  int      // which file is open
	area   textarea.Model
	saved  string // content as last saved or loaded
	keys   EditorKeys
	err    error
	width  int
	height int
}

var _ Screen = (*FileEditor)(nil)

// EditorKeys are the built-in editor's keys (the same everywhere they are shown).
type EditorKeys struct {
	Save  key.Binding
	Next  key.Binding
	Close key.Binding
}

// NewEditorKeys returns the editor's keys.
func NewEditorKeys() EditorKeys {
	return EditorKeys{
		Save:  key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Next:  key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "next file")),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close (asks to save)")),
	}
}

// NewFileEditor opens the first of files in dir.
func NewFileEditor(c *Common, dir string, files []string) *FileEditor {
	s := &FileEditor{c: c, dir: dir, files: files, keys: NewEditorKeys()}
	s.area = textarea.New()
	s.area.ShowLineNumbers = true
	s.area.CharLimit = 0
	s.area.MaxHeight = 0
	st := s.area.Styles()
	st.Cursor.Blink = false
	s.area.SetStyles(st)
	return s
}

// fileLoadedMsg carries a file's content.
type fileLoadedMsg struct {
	name string
	text string
	err  error
}

// fileSavedMsg reports a save.
type fileSavedMsg struct {
	name string
	text string
	err  error
}

func (s *FileEditor) current() string {
	if len(s.files) == 0 {
		return ""
	}
	return s.files[s.index]
}

// Init loads the first file.
func (s *FileEditor) Init() tea.Cmd { return tea.Batch(s.load(), s.area.Focus()) }

func (s *FileEditor) load() tea.Cmd {
	dir, name := s.dir, s.current()
	return func() tea.Msg {
		r, err := os.OpenRoot(dir)
		if err != nil {
			return fileLoadedMsg{name: name, err: err}
		}
		defer r.Close()
		f, err := r.Open(filepath.FromSlash(name))
		if os.IsNotExist(err) {
			return fileLoadedMsg{name: name} // a new file
		}
		if err != nil {
			return fileLoadedMsg{name: name, err: err}
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxEditorFile+1))
		if err == nil && len(data) > maxEditorFile {
			err = fmt.Errorf("%s is larger than %d KiB; the built-in editor only opens small files", name, maxEditorFile>>10)
		}
		return fileLoadedMsg{name: name, text: string(data), err: err}
	}
}

func (s *FileEditor) save() tea.Cmd {
	dir, name, text := s.dir, s.current(), s.area.Value()
	return func() tea.Msg {
		r, err := os.OpenRoot(dir)
		if err != nil {
			return fileSavedMsg{name: name, err: err}
		}
		defer r.Close()
		if d := filepath.Dir(filepath.FromSlash(name)); d != "." {
			if err := r.MkdirAll(d, 0o755); err != nil {
				return fileSavedMsg{name: name, err: err}
			}
		}
		err = r.WriteFile(filepath.FromSlash(name), []byte(text), 0o644)
		return fileSavedMsg{name: name, text: text, err: err}
	}
}

// Title names the screen.
func (s *FileEditor) Title() string { return "Edit " + s.current() }

// Capturing is always true: every key is text.
func (s *FileEditor) Capturing() bool { return true }

// Help lists the keys.
func (s *FileEditor) Help() [][]key.Binding {
	return [][]key.Binding{{s.keys.Save, s.keys.Next, s.keys.Close}}
}

// SetSize sets the body size.
func (s *FileEditor) SetSize(w, h int) {
	s.width, s.height = w, h
	s.area.SetWidth(w)
	s.area.SetHeight(max(h-2, 1))
}

func (s *FileEditor) dirty() bool { return s.area.Value() != s.saved }

// Update handles editing and saving.
func (s *FileEditor) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case fileLoadedMsg:
		if msg.name != s.current() {
			return s, nil
		}
		s.err = msg.err
		s.area.SetValue(msg.text)
		s.area.MoveToBegin()
		s.saved = msg.text
		return s, nil
	case fileSavedMsg:
		if msg.err != nil {
			return s, func() tea.Msg { return errMsg{fmt.Errorf("save %s: %w", msg.name, msg.err)} }
		}
		if msg.name == s.current() {
			s.saved = msg.text
		}
		return s, func() tea.Msg { return statusMsg("✓ Saved " + msg.name) }
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.keys.Save):
			return s, s.save()
		case key.Matches(msg, s.keys.Next):
			if len(s.files) < 2 {
				return s, nil
			}
			var cmds []tea.Cmd
			if s.dirty() {
				cmds = append(cmds, s.save())
			}
			s.index = (s.index + 1) % len(s.files)
			return s, tea.Batch(append(cmds, s.load())...)
		case key.Matches(msg, s.keys.Close):
			if s.dirty() {
				// Closing never loses typing: unsaved text is saved on the way out.
				return s, tea.Sequence(s.save(), popCmd())
			}
			return s, s.c.pop()
		}
	}
	var cmd tea.Cmd
	s.area, cmd = s.area.Update(msg)
	return s, cmd
}

// Leave saves unsaved text when the app quits or the session ends.
func (s *FileEditor) Leave() tea.Cmd {
	if s.dirty() && s.err == nil {
		return s.save()
	}
	return nil
}

// View draws the file name, the text area and a status line.
func (s *FileEditor) View() string {
	st := s.c.Styles
	state := st.Good.Render("saved")
	if s.dirty() {
		state = st.Warn.Render("modified")
	}
	head := st.Title.Render(s.current()) + "  " + state
	if len(s.files) > 1 {
		head += st.Muted.Render(fmt.Sprintf("  (file %d of %d: %s)", s.index+1, len(s.files), strings.Join(s.files, ", ")))
	}
	if s.err != nil {
		return head + "\n" + st.Bad.Render(s.err.Error())
	}
	return truncate(head, s.width) + "\n" + s.area.View()
}
