package course

import "testing"

// BenchmarkLoadEmbedded measures parsing the whole built-in course (done at start-up).
func BenchmarkLoadEmbedded(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Embedded(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadEmbeddedIndex measures what the app parses before its first frame: the
// course description, chapters and lessons (quizzes, exercises and cases come after).
func BenchmarkLoadEmbeddedIndex(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := EmbeddedIndex(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadEmbeddedIndexCached measures the same index read from a warm cache file
// (what a returning learner's app does), fingerprint included.
func BenchmarkLoadEmbeddedIndexCached(b *testing.B) {
	dir := b.TempDir()
	if _, err := EmbeddedIndexCached(dir); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := EmbeddedIndexCached(dir); err != nil {
			b.Fatal(err)
		}
	}
}
