package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kaizen-mlops/kaizen/internal/course"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// BenchmarkRenderLesson renders the longest built-in lesson at 100 columns, cold (what a
// first open costs, off the UI path).
func BenchmarkRenderLesson(b *testing.B) {
	cat, err := course.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	var longest = cat.Chapters[0].Lessons[0]
	for _, ch := range cat.Chapters {
		for _, l := range ch.Lessons {
			if l.Words > longest.Words {
				longest = l
			}
		}
	}
	md := LessonMarkdown(longest)
	b.ReportMetric(float64(longest.Words), "words")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := RenderMarkdown(md, 100, "dark"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLessonKeyCached is one keypress in an open lesson (scroll + View): the path that
// must never wait on rendering or SQLite.
func BenchmarkLessonKeyCached(b *testing.B) {
	c := testCommon(b)
	h := &harness{t: nil, m: New(c, Options{IsDark: ptr(true)})}
	h.m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	ch, _ := c.Catalog.Chapter("ch01")
	l := NewLesson(c, ch.Lessons[0])
	l.SetSize(98, 28)
	text, _ := RenderMarkdown(LessonMarkdown(ch.Lessons[0]), 98, "dark")
	l.want = l.currentKey()
	l.setContent(text)
	down := keyPress("j")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Update(down)
		_ = l.View()
	}
}

// BenchmarkOpenReview5000 loads 5,000 due cards from the store and builds the review screen
// (what happens when a learner with a large backlog opens Review).
func BenchmarkOpenReview5000(b *testing.B) {
	ctx := context.Background()
	cat, err := course.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, ":memory:", store.Options{CourseID: cat.ID, CourseVersion: cat.Version, Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	l, _ := st.EnsureLearner(ctx, store.LocalLearnerKey, "")
	var ids []string
	for _, ch := range cat.Chapters {
		if qz := cat.Quiz(ch.ID); qz != nil {
			for _, q := range qz.Questions {
				ids = append(ids, q.ID)
			}
		}
	}
	for i := 0; i < 5000; i++ {
		if err := st.RecordAnswer(ctx, l.ID, fmt.Sprintf("%s-%d", ids[i%len(ids)], i), store.AnswerData{ChapterID: "ch01", Correct: false}); err != nil {
			b.Fatal(err)
		}
	}
	c := &Common{Ctx: ctx, Catalog: cat, Store: st, Learner: l.ID, Styles: NewStyles(true), Cache: NewRenderCache(8), Now: func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) }}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := NewReview(c)
		msg := r.Init()()
		r.Update(msg)
		r.SetSize(98, 28)
		_ = r.View()
	}
}

func ptr[T any](v T) *T { return &v }

// BenchmarkHomeFrame draws the whole home screen of the built-in course at 100×30 (what
// every message on the home screen costs; a class server pays it per student).
func BenchmarkHomeFrame(b *testing.B) {
	c := testCommon(b)
	cat, err := course.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	c.Catalog = cat
	m := New(c, Options{IsDark: ptr(true)})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}
