package plain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBack, returned by a menu entry or command, leaves the menu as if b had been typed.
var ErrBack = errors.New("back")

// Item is one numbered entry of a menu.
type Item struct {
	// Label is read after the entry's number: "3. Chapter 2: MLOps Foundations. 1 of 5
	// lessons finished."
	Label string
	// Run is what choosing the entry does; when it returns, the menu is read again. Nil
	// marks an entry that is not available yet, and choosing it says Unavailable.
	Run         func() error
	Unavailable string
}

// Command is a letter or word a menu accepts besides numbers, such as r for review.
type Command struct {
	Keys []string // the first is the one named in help: {"r", "review"}
	Help string   // what it does, as a phrase: "start the spaced review"
	Run  func() error
}

// Menu is a numbered list answered by typing a number. Every menu also understands b
// (back), q (quit), h (help), and l or an empty line (read the list again).
type Menu struct {
	Title string
	Level int // heading level of the title (default 1)
	// Intro, when set, is said after the title each time the menu is shown.
	Intro func()
	// Items is called each time the menu is shown, so states read out are current.
	Items    func() []Item
	Commands []Command
	// Top marks the outermost menu, which b cannot leave.
	Top bool
}

// Menu runs a menu until the learner goes back (nil) or quits (ErrQuit).
func (s *Session) Menu(m Menu) error {
	if m.Level == 0 {
		m.Level = 1
	}
	items := m.Items()
	s.showMenu(m, items)
	for {
		line, err := s.ReadLine("")
		if err != nil {
			return err
		}
		w := word(line)
		switch {
		case w == "" || w == "l" || w == "list":
			items = m.Items()
			s.showMenu(m, items)
			continue
		case isBack(w):
			if m.Top {
				s.Say("This is the first menu; there is nothing to go back to. Type q to quit.")
				continue
			}
			return nil
		case isQuit(w):
			return ErrQuit
		case isHelp(w):
			s.menuHelp(m, len(items))
			continue
		}
		var run func() error
		if c, ok := m.command(w); ok {
			run = c.Run
		} else {
			n, err := strconv.Atoi(strings.TrimPrefix(w, "#"))
			switch {
			case err != nil:
				s.Sayf("%s is not a choice here. %s", quoted(line), s.menuPrompt(m, len(items)))
				continue
			case len(items) == 0:
				s.Say("There is nothing to choose here. Type b to go back.")
				continue
			case n < 1 || n > len(items):
				s.Sayf("There is no choice %d. %s", n, s.menuPrompt(m, len(items)))
				continue
			}
			it := items[n-1]
			if it.Run == nil {
				msg := it.Unavailable
				if msg == "" {
					msg = "That is not available yet."
				}
				s.Say(msg)
				continue
			}
			run = it.Run
		}
		err = run()
		switch {
		case errors.Is(err, ErrBack):
			return nil
		case err != nil:
			return err
		}
		items = m.Items()
		s.showMenu(m, items)
	}
}

func (m Menu) command(w string) (Command, bool) {
	for _, c := range m.Commands {
		for _, k := range c.Keys {
			if w == k {
				return c, true
			}
		}
	}
	return Command{}, false
}

func (s *Session) showMenu(m Menu, items []Item) {
	s.Heading(m.Level, m.Title)
	if m.Intro != nil {
		m.Intro()
	}
	switch len(items) {
	case 0:
		s.Say("There is nothing to choose here yet.")
	default:
		s.Sayf("%d %s:", len(items), plural(len(items), "choice", "choices"))
		for i, it := range items {
			num := fmt.Sprintf("%d. ", i+1)
			s.Lines(wrap(num+it.Label, s.width, "", strings.Repeat(" ", len(num))))
		}
	}
	s.Say(s.menuPrompt(m, len(items)))
}

// menuPrompt is the sentence that ends every menu: what to type.
func (s *Session) menuPrompt(m Menu, n int) string {
	var parts []string
	switch n {
	case 0:
	case 1:
		parts = append(parts, "1 to choose it")
	default:
		parts = append(parts, fmt.Sprintf("a number from 1 to %d", n))
	}
	if !m.Top {
		parts = append(parts, "b to go back")
	}
	parts = append(parts, "h for help")
	if len(parts) == 1 {
		return "Type h for help."
	}
	return "Type " + strings.Join(parts[:len(parts)-1], ", ") + ", or " + parts[len(parts)-1] + "."
}

func (s *Session) menuHelp(m Menu, n int) {
	s.Say("Help. In this menu you can type:")
	if n > 0 {
		s.Sayf("- a number from 1 to %d to choose that entry;", n)
	}
	for _, c := range m.Commands {
		s.Sayf("- %s to %s;", strings.Join(c.Keys, " or "), c.Help)
	}
	s.Say("- l, or just press enter, to hear the list again;")
	if !m.Top {
		s.Say("- b to go back;")
	}
	s.Say("- q to save and quit kaizen.")
}
