package quiz

import (
	"os"
	"testing"
	"time"
)

// Benchmarks for the work done on every answer and every review. Run with
//
//	go test -run '^$' -bench . -benchmem ./quiz/

func benchQuiz(b *testing.B) *Quiz {
	b.Helper()
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		b.Fatal(err)
	}
	qz, probs := Parse("valid.yaml", data)
	if len(probs) > 0 {
		b.Fatal(probs)
	}
	return qz
}

func BenchmarkGrade(b *testing.B) {
	qz := benchQuiz(b)
	cases := []struct {
		name string
		id   string
		r    Response
	}{
		{"single", "ch01-q-hierarchy-base", Response{Options: []string{"b"}}},
		{"multi", "ch01-q-rule-of-25", Response{Options: []string{"devops", "data", "hardware"}}},
		{"truefalse", "ch01-q-notebooks", Response{Bool: false}},
		{"numeric", "ch01-q-latency", Response{Number: 250.5}},
		{"text", "ch01-q-workflows", Response{Text: "  `.GitHub/Workflows/`. "}},
		{"order", "ch01-q-hierarchy-order", Response{Options: []string{"devops", "platform", "dataops", "mlops"}}},
	}
	for _, c := range cases {
		q, ok := qz.Question(c.id)
		if !ok {
			b.Fatalf("no question %s", c.id)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Grade(q, c.r)
			}
		})
	}
}

func BenchmarkParseNumber(b *testing.B) {
	q := &Question{Type: Numeric, Unit: "ms"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := q.ParseNumber(" 0,25 ms"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShuffle(b *testing.B) {
	q := benchQuiz(b).Questions[1]
	b.ReportAllocs()
	var seed int64
	for b.Loop() {
		seed++
		Shuffle(q, seed)
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Parse("valid.yaml", data)
	}
}

func BenchmarkSchedule(b *testing.B) {
	s := NewScheduler()
	// A card in Review, reviewed when due: the common case.
	c, _ := s.Schedule(Card{}, Easy, start)
	b.Run("review", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Schedule(c, Good, c.Due)
		}
	})
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Schedule(Card{}, Good, start)
		}
	})
	fuzzed := s
	fuzzed.Fuzz = true
	b.Run("review-fuzz", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			fuzzed.Schedule(c, Good, c.Due)
		}
	})
	b.Run("default", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Schedule(c, Good, c.Due)
		}
	})
}

func BenchmarkRetrievability(b *testing.B) {
	s := NewScheduler()
	c, _ := s.Schedule(Card{}, Easy, start)
	now := start.Add(30 * 24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		s.Retrievability(c, now)
	}
}
