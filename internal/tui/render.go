package tui

import (
	"container/list"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"

	"github.com/kaizen-mlops/kaizen/lessons"
)

// renderKey identifies one rendering of a lesson.
type renderKey struct {
	id    string
	width int
	style string
}

// RenderCache keeps rendered lessons by (id, width, style), least recently used first out.
// It is safe for concurrent use, so a class server shares one between all its sessions:
// when a whole class opens the same lesson, it is rendered once (Render waits for a
// rendering already under way) and kept once.
type RenderCache struct {
	mu       sync.Mutex
	max      int
	order    *list.List
	items    map[renderKey]*list.Element
	inflight map[renderKey]*renderCall
}

type cacheEntry struct {
	key  renderKey
	text string
}

// renderCall is a rendering under way; done closes when text and err are set.
type renderCall struct {
	done chan struct{}
	text string
	err  error
}

// NewRenderCache makes a cache holding up to max renderings.
func NewRenderCache(max int) *RenderCache {
	return &RenderCache{max: max, order: list.New(), items: map[renderKey]*list.Element{}, inflight: map[renderKey]*renderCall{}}
}

// Get returns a cached rendering.
func (c *RenderCache) Get(k renderKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cacheEntry).text, true
	}
	return "", false
}

// Put stores a rendering.
func (c *RenderCache) Put(k renderKey, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(k, text)
}

func (c *RenderCache) putLocked(k renderKey, text string) {
	if e, ok := c.items[k]; ok {
		e.Value.(*cacheEntry).text = text
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&cacheEntry{k, text})
	for c.order.Len() > c.max {
		last := c.order.Back()
		delete(c.items, last.Value.(*cacheEntry).key)
		c.order.Remove(last)
	}
}

// Render returns the cached rendering for k, or waits for one already under way, or runs
// render and keeps its result. Call it from a command, never from Update: it may wait.
func (c *RenderCache) Render(k renderKey, render func() (string, error)) (string, error) {
	c.mu.Lock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		text := e.Value.(*cacheEntry).text
		c.mu.Unlock()
		return text, nil
	}
	if call, ok := c.inflight[k]; ok {
		c.mu.Unlock()
		<-call.done
		return call.text, call.err
	}
	call := &renderCall{done: make(chan struct{})}
	c.inflight[k] = call
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.inflight, k)
		if call.err == nil {
			c.putLocked(k, call.text)
		}
		c.mu.Unlock()
		close(call.done)
	}()
	call.err = errors.New("rendering failed") // replaced below unless render panics
	call.text, call.err = render()
	return call.text, call.err
}

// renderedMsg carries a finished rendering back to Update.
type renderedMsg struct {
	key  renderKey
	text string
	err  error
}

// LessonMarkdown is the Markdown a lesson is rendered from: its title, objectives and body.
func LessonMarkdown(l *lessons.Lesson) string {
	var b strings.Builder
	body := strings.TrimSpace(l.Body)
	if strings.HasPrefix(body, "# ") {
		// Keep the lesson's own title first, then the objectives.
		title, rest, _ := strings.Cut(body, "\n")
		b.WriteString(title + "\n\n")
		body = strings.TrimSpace(rest)
	} else {
		fmt.Fprintf(&b, "# %s\n\n", l.Title)
	}
	if len(l.Objectives) > 0 {
		b.WriteString("> **In this lesson you will**\n>\n")
		for _, o := range l.Objectives {
			fmt.Fprintf(&b, "> - %s\n", o)
		}
		b.WriteString("\n")
	}
	b.WriteString(rewriteLessonLinks(body))
	return b.String()
}

// rewriteLessonLinks turns lesson:ID#section links into readable text, since a terminal
// cannot follow them.
func rewriteLessonLinks(md string) string {
	return strings.ReplaceAll(md, "](lesson:", "](#lesson:")
}

// RenderMarkdown renders Markdown for the terminal at a wrap width with a glamour style.
func RenderMarkdown(md string, width int, style string) (string, error) {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width))
	if err != nil {
		return "", err
	}
	out, err := r.Render(md)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(out, "\n") + "\n", nil
}

// renderLessonCmd renders a lesson off the UI path, through the cache.
func renderLessonCmd(cache *RenderCache, l *lessons.Lesson, k renderKey) tea.Cmd {
	md := LessonMarkdown(l)
	return renderMarkdownCmd(cache, k, func() (string, error) { return md, nil })
}

// renderMarkdownCmd renders the Markdown markdown() returns off the UI path, through the
// cache.
func renderMarkdownCmd(cache *RenderCache, k renderKey, markdown func() (string, error)) tea.Cmd {
	return func() tea.Msg {
		text, err := cache.Render(k, func() (string, error) {
			md, err := markdown()
			if err != nil {
				return "", err
			}
			return RenderMarkdown(md, k.width, k.style)
		})
		return renderedMsg{key: k, text: text, err: err}
	}
}

// readingWidth is the wrap width for lessons in a body of width cells: a comfortable line
// length (the reading_width setting, 100 by default), centred by the caller when the
// terminal is wider.
func readingWidth(width, setting int) int {
	if setting <= 0 {
		setting = 100
	}
	return min(width, setting)
}

// fnvHash is a 64-bit FNV-1a hash of s, a cache key for text that has no id.
func fnvHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
