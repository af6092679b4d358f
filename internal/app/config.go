package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config holds the learner's settings, kept in config.yaml in the config directory.
type Config struct {
	Theme        string `yaml:"theme,omitempty"`         // auto, dark, light, high-contrast, colorblind
	Accessible   bool   `yaml:"accessible,omitempty"`    // plain line-by-line mode
	ReadingWidth int    `yaml:"reading_width,omitempty"` // maximum lesson line width, 40–200
}

// ConfigFile is the settings file's name in the config directory.
const ConfigFile = "config.yaml"

// DefaultReadingWidth is the lesson line width when none is set.
const DefaultReadingWidth = 100

// ConfigKeys lists the settings `kaizen config set` accepts, with what each takes.
func ConfigKeys() map[string]string {
	return map[string]string{
		"theme":         "auto | dark | light | high-contrast | colorblind",
		"accessible":    "true | false",
		"reading_width": "a number of columns from 40 to 200 (default 100)",
	}
}

// LoadConfig reads the settings; a missing file gives the defaults. A malformed file is an
// error naming the file and line, so a typo is never silently ignored.
func LoadConfig(dir string) (Config, error) {
	var c Config
	path := filepath.Join(dir, ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		// No file, or a home that cannot hold one (not a directory, unreadable): defaults.
		// Only a file that exists and says something wrong is an error.
		return c, nil
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return c, fmt.Errorf("settings file %s: %v", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return c, c.Validate()
}

// Validate checks values.
func (c Config) Validate() error {
	switch c.Theme {
	case "", "auto", "dark", "light", "high-contrast", "colorblind":
	default:
		return fmt.Errorf("setting theme: unknown theme %q (%s)", c.Theme, ConfigKeys()["theme"])
	}
	if c.ReadingWidth != 0 && (c.ReadingWidth < 40 || c.ReadingWidth > 200) {
		return fmt.Errorf("setting reading_width: %d is outside 40–200", c.ReadingWidth)
	}
	return nil
}

// Set changes one setting from its text form.
func (c *Config) Set(key, value string) error {
	switch key {
	case "theme":
		c.Theme = value
	case "accessible":
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("accessible takes true or false, not %q", value)
		}
		c.Accessible = b
	case "reading_width":
		n, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("reading_width takes a number, not %q", value)
		}
		c.ReadingWidth = n
	default:
		var keys []string
		for k := range ConfigKeys() {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return fmt.Errorf("unknown setting %q (settings: %s)", key, strings.Join(keys, ", "))
	}
	return c.Validate()
}

// SaveConfig writes the settings atomically (a temporary file renamed over the old one).
func SaveConfig(dir string, c Config) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	data, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".config-*.yaml")
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if _, err := tmp.Write(append([]byte("# kaizen settings (kaizen config set KEY VALUE)\n"), data...)); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, ConfigFile))
}
