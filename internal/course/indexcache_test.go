package course

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kaizen-mlops/kaizen/assets"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// sameIndex compares what an index holds (not its FS or source).
func sameIndex(t *testing.T, got, want *Catalog) {
	t.Helper()
	if got.ID != want.ID || got.Title != want.Title || got.Version != want.Version || got.Description != want.Description {
		t.Fatalf("course = %q %q %q, want %q %q %q", got.ID, got.Title, got.Version, want.ID, want.Title, want.Version)
	}
	if !reflect.DeepEqual(got.Chapters, want.Chapters) {
		for i := range want.Chapters {
			if i >= len(got.Chapters) || !reflect.DeepEqual(got.Chapters[i], want.Chapters[i]) {
				t.Fatalf("chapter %d differs after the cache:\n got %+v\nwant %+v", i, got.Chapters[i], want.Chapters[i])
			}
		}
		t.Fatalf("chapters differ: %d vs %d", len(got.Chapters), len(want.Chapters))
	}
	if !reflect.DeepEqual(got.lessonByID, want.lessonByID) || !reflect.DeepEqual(got.chapterByID, want.chapterByID) || !reflect.DeepEqual(got.promptByID, want.promptByID) {
		t.Fatal("lookup maps differ after the cache")
	}
}

func TestIndexCacheRoundTripsTheEmbeddedCourse(t *testing.T) {
	want, err := EmbeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	fp, _, err := indexFingerprint(assets.Course(), true, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeIndex(encodeIndex(want, fp), fp)
	if err != nil {
		t.Fatal(err)
	}
	sameIndex(t, got, want)

	// Through the files: a miss writes the cache, a hit reads it.
	dir := t.TempDir()
	first, err := EmbeddedIndexCached(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index-embedded.bin")); err != nil {
		t.Fatalf("no cache written: %v", err)
	}
	second, err := EmbeddedIndexCached(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameIndex(t, first, want)
	sameIndex(t, second, want)
	if second.Source != "embedded" || second.FS == nil {
		t.Fatalf("cached catalog source %q fs %v", second.Source, second.FS)
	}
	full, err := second.CompleteInBackgroundOrError()
	if err != nil || len(full.Exercises) == 0 || full.Quiz(want.Chapters[0].ID) == nil {
		t.Fatalf("completing a cached index: %v", err)
	}
}

// The codec names every field of the structs it stores; a new field must be added to it
// (and indexCacheFormat bumped), or cached indexes would silently lose it.
func TestIndexCacheKnowsEveryField(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want int
	}{
		{lessons.Chapter{}, 12}, {lessons.Lesson{}, 11}, {lessons.Heading{}, 4},
		{lessons.Link{}, 2}, {lessons.Prompt{}, 7}, {lessons.Reference{}, 3},
	} {
		if n := reflect.TypeOf(tc.v).NumField(); n != tc.want {
			t.Errorf("%T has %d fields, the index cache encodes %d: update encodeIndex/decodeIndex and indexCacheFormat", tc.v, n, tc.want)
		}
	}
}

// A cache file cut short or damaged anywhere is a miss, never a panic or a wrong index.
func TestIndexCacheRejectsDamagedFiles(t *testing.T) {
	c, probs := LoadIndex(fixture(nil), "test")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	fp := []byte("fingerprint")
	data := encodeIndex(c, fp)
	if _, err := decodeIndex(data, fp); err != nil {
		t.Fatalf("whole file: %v", err)
	}
	if _, err := decodeIndex(data, []byte("other")); err == nil {
		t.Fatal("a cache for another fingerprint was accepted")
	}
	for n := 0; n < len(data); n++ {
		if _, err := decodeIndex(data[:n], fp); err == nil {
			t.Fatalf("a file cut to %d of %d bytes was accepted", n, len(data))
		}
	}
	if _, err := decodeIndex(append(append([]byte{}, data...), 0), fp); err == nil {
		t.Fatal("trailing bytes were accepted")
	}
	for i := len(indexCacheMagic); i < len(data); i++ {
		bad := append([]byte{}, data...)
		bad[i] ^= 0xff
		// Flipping a byte inside a string can decode; it must not panic.
		_, _ = decodeIndex(bad, fp)
	}
	huge := append([]byte(indexCacheMagic), 0x01, 0x0b)
	huge = append(huge, fp...)
	huge = append(huge, 0xff, 0xff, 0xff, 0xff, 0x0f) // a title length of 4 GiB
	if _, err := decodeIndex(huge, fp); err == nil {
		t.Fatal("an impossible length was accepted")
	}
}

func writeCourse(t *testing.T, dir string, files map[string]string, mod time.Time) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDirIndexCacheSeesEdits(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	old := time.Now().Add(-time.Hour)
	writeCourse(t, dir, map[string]string{
		"course.yaml":                  goodCourse,
		"chapters/01-one/chapter.yaml": goodChapter,
		"chapters/01-one/01-a.md":      goodLesson,
		"chapters/01-one/02-b.md":      goodLesson2,
	}, old)
	load := func() *Catalog {
		t.Helper()
		c, err := DirIndexCached(dir, cache)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if load().Chapters[0].Title != "One" {
		t.Fatal("first load")
	}
	files, _ := filepath.Glob(filepath.Join(cache, "index-dir-*.bin"))
	if len(files) != 1 {
		t.Fatalf("cache files = %v", files)
	}
	if c := load(); c.Chapters[0].Title != "One" || c.Source != dir {
		t.Fatalf("cached load = %q from %q", c.Chapters[0].Title, c.Source)
	}

	// An edit of the same size, an hour later: the modification time tells.
	writeCourse(t, dir, map[string]string{"chapters/01-one/chapter.yaml": "id: ch01\nnumber: 1\ntitle: Two\nsummary: First.\nminutes: 10\n"}, old.Add(time.Minute))
	if got := load().Chapters[0].Title; got != "Two" {
		t.Fatalf("after an edit the title is %q", got)
	}

	// A link to a file that disappears: the path list tells, and the error shows.
	writeCourse(t, dir, map[string]string{
		"chapters/01-one/02-b.md":  goodLesson2 + "\nSee [the data](data.csv).\n",
		"chapters/01-one/data.csv": "a,b\n",
	}, old.Add(2*time.Minute))
	load()
	os.Remove(filepath.Join(dir, "chapters/01-one/data.csv"))
	if _, err := DirIndexCached(dir, cache); err == nil {
		t.Fatal("a broken link was hidden by the cache")
	}
}

func TestDirIndexCacheSkipsRecentEdits(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeCourse(t, dir, map[string]string{
		"course.yaml":                  goodCourse,
		"chapters/01-one/chapter.yaml": goodChapter,
		"chapters/01-one/01-a.md":      goodLesson,
		"chapters/01-one/02-b.md":      goodLesson2,
	}, time.Now())
	if _, err := DirIndexCached(dir, cache); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(cache, "*")); len(files) != 0 {
		t.Fatalf("a course edited just now was cached: %v", files)
	}
}

func TestIndexCacheNeverHidesProblems(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	old := time.Now().Add(-time.Hour)
	writeCourse(t, dir, map[string]string{
		"course.yaml":                  goodCourse,
		"chapters/01-one/chapter.yaml": goodChapter,
		"chapters/01-one/01-a.md":      goodLesson, // links to l2, which is missing
	}, old)
	for i := 0; i < 2; i++ {
		if _, err := DirIndexCached(dir, cache); err == nil {
			t.Fatalf("load %d: a course with a broken link loaded", i+1)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(cache, "*")); len(files) != 0 {
		t.Fatalf("a course with problems was cached: %v", files)
	}
}

func TestIndexCacheInAReadOnlyPlace(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere")
	}
	cache := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(cache, 0o500); err != nil {
		t.Fatal(err)
	}
	if _, err := EmbeddedIndexCached(cache); err != nil {
		t.Fatalf("a read-only cache directory failed the load: %v", err)
	}
}

func TestIndexCacheInAFileNotADirectory(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(cache, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := EmbeddedIndexCached(cache); err != nil {
		t.Fatalf("an unusable cache path failed the load: %v", err)
	}
}

// The embedded course's cache is keyed by the executable: a cache file written for this
// binary is read back as is, and one written for another is not.
func TestEmbeddedIndexCacheIsKeyedByTheExecutable(t *testing.T) {
	fp, ok := executableFingerprint()
	if !ok {
		t.Skip("no executable path on this system")
	}
	real, err := EmbeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	marked := *real
	marked.Title = "Marked by the test"
	dir := t.TempDir()
	file := filepath.Join(dir, "index-embedded.bin")
	if err := os.WriteFile(file, encodeIndex(&marked, fp), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := EmbeddedIndexCached(dir)
	if err != nil || c.Title != "Marked by the test" {
		t.Fatalf("the cache for this executable was not used: %v %q", err, c.Title)
	}
	if err := os.WriteFile(file, encodeIndex(&marked, append(fp, 'x')), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = EmbeddedIndexCached(dir)
	if err != nil || c.Title != real.Title {
		t.Fatalf("a cache for another executable was used: %v %q", err, c.Title)
	}
}

// Without an executable to stat, the embedded course is fingerprinted by content: an edit
// that keeps every size and time still changes it, and a file outside the index only
// counts by its path.
func TestContentFingerprint(t *testing.T) {
	fp := func(fsys fstest.MapFS) string {
		t.Helper()
		b, racy, err := indexFingerprint(fsys, true, time.Now())
		if err != nil || racy {
			t.Fatalf("fingerprint: %v racy=%v", err, racy)
		}
		return string(b)
	}
	base := fixture(nil)
	same := fixture(nil)
	edited := fixture(map[string]string{"chapters/01-one/chapter.yaml": strings.Replace(goodChapter, "One", "Uno", 1)})
	extra := fixture(map[string]string{"chapters/01-one/notes.txt": "x"})
	otherExtra := fixture(map[string]string{"chapters/01-one/notes.txt": "y"})
	if fp(base) != fp(same) {
		t.Fatal("the same course has two fingerprints")
	}
	if fp(base) == fp(edited) {
		t.Fatal("a same-size edit of chapter.yaml went unseen")
	}
	if fp(base) == fp(extra) {
		t.Fatal("a new file went unseen")
	}
	if fp(extra) != fp(otherExtra) {
		t.Fatal("the content of a file the index does not read changed the fingerprint")
	}
}

// Completing in one goroutine gives the same catalog as completing in parallel.
func TestCompleteInBackgroundMatchesComplete(t *testing.T) {
	idx, err := EmbeddedIndex()
	if err != nil {
		t.Fatal(err)
	}
	par, p1 := idx.Complete()
	seq, p2 := idx.CompleteInBackground()
	if len(p1) != 0 || len(p2) != 0 {
		t.Fatalf("problems: %v / %v", p1, p2)
	}
	if !reflect.DeepEqual(par.quizzes, seq.quizzes) || !reflect.DeepEqual(par.Glossary, seq.Glossary) || len(par.Cases) != len(seq.Cases) {
		t.Fatal("quizzes, glossary or cases differ")
	}
	if len(par.Exercises) != len(seq.Exercises) {
		t.Fatalf("exercises: %d vs %d", len(par.Exercises), len(seq.Exercises))
	}
	for i := range par.Exercises {
		if par.Exercises[i].ID != seq.Exercises[i].ID {
			t.Fatalf("exercise %d: %s vs %s", i, par.Exercises[i].ID, seq.Exercises[i].ID)
		}
	}
}
