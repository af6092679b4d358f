package tui

import (
	"container/list"
	"fmt"
	"strings"

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
// It is only touched from Update, so it needs no lock.
type RenderCache struct {
	max   int
	order *list.List
	items map[renderKey]*list.Element
}

type cacheEntry struct {
	key  renderKey
	text string
}

// NewRenderCache makes a cache holding up to max renderings.
func NewRenderCache(max int) *RenderCache {
	return &RenderCache{max: max, order: list.New(), items: map[renderKey]*list.Element{}}
}

// Get returns a cached rendering.
func (c *RenderCache) Get(k renderKey) (string, bool) {
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cacheEntry).text, true
	}
	return "", false
}

// Put stores a rendering.
func (c *RenderCache) Put(k renderKey, text string) {
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

// renderLessonCmd renders a lesson off the UI path.
func renderLessonCmd(l *lessons.Lesson, k renderKey) tea.Cmd {
	md := LessonMarkdown(l)
	return func() tea.Msg {
		text, err := RenderMarkdown(md, k.width, k.style)
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
