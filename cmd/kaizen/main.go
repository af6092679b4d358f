package main

import (
	_ "charm.land/bubbletea/v2"
	_ "charm.land/bubbles/v2/viewport"
	_ "charm.land/lipgloss/v2"
	_ "charm.land/glamour/v2"
	_ "charm.land/wish/v2"
	_ "modernc.org/sqlite"
	_ "github.com/spf13/cobra"
	_ "github.com/fsnotify/fsnotify"
	_ "go.yaml.in/yaml/v3"
	_ "github.com/creack/pty"
	_ "github.com/charmbracelet/x/vt"
	_ "github.com/landlock-lsm/go-landlock/landlock"
	_ "golang.org/x/crypto/ssh"
	_ "github.com/charmbracelet/x/exp/teatest/v2"
)

func main() {}
