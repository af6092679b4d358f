// Command minimaltea is the smallest Bubble Tea v2 program: a reference point for the
// first-frame benchmark (how much of kaizen's start-up is Bubble Tea's own).
package main

import (
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
)

type model struct{}

func (model) Init() tea.Cmd { return nil }
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return m, tea.Quit
	}
	return m, nil
}
func (model) View() tea.View {
	v := tea.NewView("Introduction to MLOps")
	v.AltScreen = true
	return v
}

func main() {
	opts := []tea.ProgramOption{}
	if os.Getenv("FPS120") != "" {
		opts = append(opts, tea.WithFPS(120))
	}
	if _, err := tea.NewProgram(model{}, opts...).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
