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
