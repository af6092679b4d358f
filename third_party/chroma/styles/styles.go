// Package styles is the registry of highlighting styles, as glamour expects it.
package styles

import (
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// Registry holds registered styles by name. glamour reads it directly (under its own
// lock), so it stays an exported map as in the real chroma API.
var Registry = map[string]*chroma.Style{}

var mu sync.Mutex

// Fallback is used when a style is not registered.
var Fallback = chroma.MustNewStyle("fallback", chroma.StyleEntries{})

// Register adds a style.
func Register(s *chroma.Style) *chroma.Style {
	mu.Lock()
	defer mu.Unlock()
	Registry[s.Name] = s
	return s
}

// Get returns a style by name, or Fallback.
func Get(name string) *chroma.Style {
	mu.Lock()
	defer mu.Unlock()
	if s, ok := Registry[name]; ok {
		return s
	}
	return Fallback
}
