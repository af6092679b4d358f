package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/kaizen-mlops/kaizen/casestudies"
	"github.com/kaizen-mlops/kaizen/internal/store"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// homeItemKind says what a home entry opens.
type homeItemKind int

const (
	homeContinue homeItemKind = iota
	homeReview
	homeCase
	homeGlossary
	homeChapter
	homeProgress
)

type homeItem struct {
	kind    homeItemKind
	chapter *lessons.Chapter
	lesson  *lessons.Lesson
	cs      *casestudies.Case
}

// Home is the first screen: the course, "continue where you left off", and the chapters
// with a progress bar each.
type Home struct {
	c       *Common
	keys    ListKeys
	cursor  int
	offset  int
	width   int
	height  int
	loaded  bool
	lessons map[string]store.LessonState
	last    string
	due     int
	endings map[string]map[string]bool
	items   []homeItem
}

var _ Screen = (*Home)(nil)

// NewHome builds the home screen.
func NewHome(c *Common) *Home {
	h := &Home{c: c, keys: NewListKeys(), lessons: map[string]store.LessonState{}}
	h.buildItems()
	return h
}

// Init loads progress.
func (h *Home) Init() tea.Cmd {
	if h.loaded {
		return nil // given with the course at start-up
	}
	return loadProgressCmd(h.c)
}

// Title names the screen.
func (h *Home) Title() string { return "Home" }

// Help lists the keys.
func (h *Home) Help() [][]key.Binding {
	return [][]key.Binding{{h.keys.Open, h.keys.Up, h.keys.Down}, {h.keys.Top, h.keys.Bottom}}
}

// SetSize sets the body size.
func (h *Home) SetSize(w, ht int) { h.width, h.height = w, ht }

func (h *Home) buildItems() {
	prevSel := h.selected()
	h.items = h.items[:0]
	if l, ok := h.c.Catalog.Lesson(h.last); ok && h.last != "" {
		h.items = append(h.items, homeItem{kind: homeContinue, lesson: l})
	} else if ids := h.c.Catalog.LessonIDs(); len(ids) > 0 && !h.loaded {
		// Before progress loads, offer the first lesson so the first frame is useful.
		l, _ := h.c.Catalog.Lesson(ids[0])
		h.items = append(h.items, homeItem{kind: homeContinue, lesson: l})
	} else if len(ids) > 0 {
		l, _ := h.c.Catalog.Lesson(ids[0])
		h.items = append(h.items, homeItem{kind: homeContinue, lesson: l})
	}
	if h.due > 0 {
		h.items = append(h.items, homeItem{kind: homeReview})
	}
	for _, ch := range h.c.Catalog.Chapters {
		h.items = append(h.items, homeItem{kind: homeChapter, chapter: ch})
	}
	for _, cs := range h.c.Catalog.Cases {
		h.items = append(h.items, homeItem{kind: homeCase, cs: cs})
	}
	if len(h.c.Catalog.Glossary) > 0 {
		h.items = append(h.items, homeItem{kind: homeGlossary})
	}
	h.items = append(h.items, homeItem{kind: homeProgress})
	// Keep the cursor on the same entry when the list is rebuilt.
	for i, it := range h.items {
		if prevSel != nil && it.kind == prevSel.kind && it.chapter == prevSel.chapter && it.cs == prevSel.cs {
			h.cursor = i
			return
		}
	}
	h.cursor = min(h.cursor, max(len(h.items)-1, 0))
}

func (h *Home) selected() *homeItem {
	if h.cursor < 0 || h.cursor >= len(h.items) {
		return nil
	}
	it := h.items[h.cursor]
	return &it
}

// Update handles keys and loaded data.
func (h *Home) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case progressMsg:
		if msg.err != nil {
			return h, func() tea.Msg { return errMsg{msg.err} }
		}
		h.loaded = true
		h.lessons, h.last, h.due, h.endings = msg.lessons, msg.last, msg.due, msg.endings
		h.buildItems()
	case refreshMsg:
		return h, loadProgressCmd(h.c)
	case catalogChangedMsg:
		h.buildItems()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, h.keys.Up):
			h.cursor = max(h.cursor-1, 0)
		case key.Matches(msg, h.keys.Down):
			h.cursor = min(h.cursor+1, len(h.items)-1)
		case key.Matches(msg, h.keys.Top):
			h.cursor = 0
		case key.Matches(msg, h.keys.Bottom):
			h.cursor = len(h.items) - 1
		case key.Matches(msg, h.keys.Open):
			return h, h.open()
		}
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			h.cursor = max(h.cursor-1, 0)
		} else if msg.Button == tea.MouseWheelDown {
			h.cursor = min(h.cursor+1, len(h.items)-1)
		}
	}
	return h, nil
}

func (h *Home) open() tea.Cmd {
	it := h.selected()
	if it == nil {
		return nil
	}
	switch it.kind {
	case homeContinue:
		return h.c.push(NewLesson(h.c, it.lesson))
	case homeChapter:
		return h.c.push(NewChapter(h.c, it.chapter))
	case homeReview:
		return h.c.push(NewReview(h.c))
	case homeCase:
		return h.c.push(NewCaseStudy(h.c, it.cs))
	case homeGlossary:
		return h.c.push(NewGlossary(h.c))
	case homeProgress:
		return h.c.push(NewProgress(h.c))
	}
	return nil
}

// homeGroup groups home entries for spacing: what to do now, the chapters, the rest.
func homeGroup(k homeItemKind) int {
	switch k {
	case homeContinue, homeReview:
		return 0
	case homeChapter:
		return 1
	}
	return 2
}

// chapterDone counts finished lessons of a chapter.
func chapterDone(ch *lessons.Chapter, ls map[string]store.LessonState) int {
	n := 0
	for _, l := range ch.Lessons {
		if ls[l.ID].Finished {
			n++
		}
	}
	return n
}

// View draws the home screen.
func (h *Home) View() string {
	st := h.c.Styles
	cat := h.c.Catalog
	var top strings.Builder
	top.WriteString(st.Title.Render(cat.Title) + "\n")
	if cat.Description != "" && h.height >= 16 {
		top.WriteString(st.Muted.Render(wrapText(cat.Description, min(h.width, 100))) + "\n")
	}
	top.WriteString("\n")
	header := top.String()
	avail := h.height - lipgloss.Height(header)
	if avail < 3 {
		header = st.Title.Render(truncate(cat.Title, h.width)) + "\n"
		avail = h.height - 1
	}
	rows := make([]string, 0, len(h.items))
	for i, it := range h.items {
		row := h.row(i, it)
		// A blank line separates the groups: continue/review, chapters, the rest.
		if i > 0 && homeGroup(h.items[i-1].kind) != homeGroup(it.kind) {
			row = "\n" + row
		}
		rows = append(rows, row)
	}
	h.offset = listWindow(h.cursor, h.offset, avail, len(rows))
	end := min(h.offset+avail, len(rows))
	return header + strings.Join(rows[h.offset:end], "\n")
}

func (h *Home) row(i int, it homeItem) string {
	st := h.c.Styles
	sel := i == h.cursor
	marker := "  "
	if sel {
		marker = st.Cursor.Render("▸ ")
	}
	w := listWidth(h.width) - 2
	var line string
	switch it.kind {
	case homeContinue:
		verb := "Start"
		if h.last != "" {
			verb = "Continue"
		}
		where := ""
		if ch, ok := h.c.Catalog.Chapter(it.lesson.ChapterID); ok {
			where = ch.Label()
		}
		if s, ok := h.lessons[it.lesson.ID]; ok && !s.Finished && s.Scroll > 0 {
			where += " · " + percent(s.Scroll)
		}
		line = st.Accent.Render(verb+": ") + st.Text.Render(it.lesson.Title) + st.Muted.Render("  "+where)
		line = truncate(line, w)
	case homeReview:
		noun := "cards"
		if h.due == 1 {
			noun = "card"
		}
		line = st.Accent.Render("Review: ") + st.Text.Render(fmt.Sprintf("%d %s due", h.due, noun)) + st.Muted.Render("  spaced review of questions you answered")
		line = truncate(line, w)
	case homeCase:
		found := len(h.endings[it.cs.ID])
		right := fmt.Sprintf("endings found %d/%d", found, len(it.cs.Endings))
		prefix := st.Accent.Render("Case study: ")
		titleW := w - lipgloss.Width(prefix) - len(right) - 2
		line = prefix + st.Text.Render(padRight(truncate(it.cs.Title, titleW), titleW)) + "  " + st.Muted.Render(right)
	case homeGlossary:
		line = st.Accent.Render("Glossary: ") + st.Text.Render(fmt.Sprintf("%d key terms, searchable", len(h.c.Catalog.Glossary)))
	case homeProgress:
		line = truncate(st.Accent.Render("Progress: ")+st.Text.Render("streak, activity, charts and portfolio links"), w)
	case homeChapter:
		ch := it.chapter
		num := fmt.Sprintf("%2s ", ch.Number)
		if ch.Appendix {
			num = fmt.Sprintf("%2s ", ch.Number)
		}
		var right string
		rightW := 0
		if len(ch.Lessons) == 0 {
			right = st.SoonLabel.Render("coming soon")
			rightW = 11
		} else if w >= 50 {
			done := chapterDone(ch, h.lessons)
			barW := 10
			count := fmt.Sprintf(" %d/%d", done, len(ch.Lessons))
			right = bar(st, done, len(ch.Lessons), barW) + st.Muted.Render(count)
			rightW = barW + len(count)
		} else {
			done := chapterDone(ch, h.lessons)
			right = st.Muted.Render(fmt.Sprintf("%d/%d", done, len(ch.Lessons)))
			rightW = lipgloss.Width(right)
		}
		titleW := w - rightW - len(num) - 2
		title := truncate(ch.Title, titleW)
		ts := st.Text
		if sel {
			ts = st.Title
		}
		line = st.Muted.Render(num) + ts.Render(padRight(title, titleW)) + "  " + right
	}
	return marker + line
}
