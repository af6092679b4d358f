package course

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unsafe"

	"github.com/kaizen-mlops/kaizen/assets"
	"github.com/kaizen-mlops/kaizen/lessons"
)

// The index cache keeps a parsed course index on disk, so that the app's first frame does
// not wait for YAML and Markdown parsing (about 5 ms for the default course, more in a
// fresh process). A cache entry is used only when the course's fingerprint matches:
//
//   - for the embedded course, the executable's path, size and modification time (the
//     course cannot change without the binary changing); where the executable cannot be
//     found, every path in the course and a checksum of each file the index is built from;
//   - for a directory, every path in the course (links are checked against them) and the
//     size and modification time of each file the index is built from.
//
// A missing, stale, truncated or foreign cache file is a miss: the index is parsed as
// usual and the cache rewritten. Only an index without problems is cached, so a course
// with lint errors is always parsed and reported. Lint never uses the cache.

// indexCacheMagic starts every cache file; bump indexCacheFormat when the encoding or
// the indexed structs change.
const (
	indexCacheMagic  = "kaizen-index\n"
	indexCacheFormat = 1
)

// racyWindow: a directory course whose index files changed this recently is not cached,
// since a later edit within the file system's timestamp resolution could go unseen.
const racyWindow = 2 * time.Second

// EmbeddedIndexCached is EmbeddedIndex with a cache in cacheDir ("" for none).
func EmbeddedIndexCached(cacheDir string) (*Catalog, error) {
	fsys := assets.Course()
	return cachedIndex(fsys, "embedded", cacheDir, "index-embedded.bin", func() ([]byte, bool, error) {
		if fp, ok := executableFingerprint(); ok {
			return fp, false, nil
		}
		return indexFingerprint(fsys, true, time.Now())
	})
}

// executableFingerprint identifies the running binary by its path, size and modification
// time: the course embedded in it cannot change without the file changing, and a stat is
// cheaper than checksumming the course (which is the fallback).
func executableFingerprint() ([]byte, bool) {
	exe, err := os.Executable()
	if err != nil {
		return nil, false
	}
	st, err := os.Stat(exe)
	if err != nil {
		return nil, false
	}
	fp := append([]byte("executable\x00"), exe...)
	fp = binary.AppendVarint(append(fp, 0), st.Size())
	return binary.AppendVarint(fp, st.ModTime().UnixNano()), true
}

// DirIndexCached is DirIndex with a cache in cacheDir ("" for none).
func DirIndexCached(dir, cacheDir string) (*Catalog, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return loadIndex(os.DirFS(dir), dir)
	}
	// One cache file per course directory.
	name := fmt.Sprintf("index-dir-%08x.bin", crc32.ChecksumIEEE([]byte(abs)))
	fsys := os.DirFS(dir)
	return cachedIndex(fsys, dir, cacheDir, name, func() ([]byte, bool, error) {
		return indexFingerprint(fsys, false, time.Now())
	})
}

// cachedIndex loads an index through the cache file cacheDir/name, valid for the course
// whose fingerprint is fingerprint() (racy: valid now, but not to be written).
func cachedIndex(fsys fs.FS, source, cacheDir, name string, fingerprint func() (fp []byte, racy bool, err error)) (*Catalog, error) {
	if cacheDir == "" {
		return loadIndex(fsys, source)
	}
	fp, racy, err := fingerprint()
	if err != nil {
		return loadIndex(fsys, source)
	}
	file := filepath.Join(cacheDir, name)
	if data, err := os.ReadFile(file); err == nil {
		if c, err := decodeIndex(data, fp); err == nil {
			c.Source, c.FS = source, fsys
			return c, nil
		}
	}
	c, err := loadIndex(fsys, source)
	if err != nil || racy {
		return c, err
	}
	// A cache that cannot be written (read-only home, full disk) only costs speed.
	_ = writeFileAtomic(file, encodeIndex(c, fp))
	return c, nil
}

// indexFile reports whether the index is built from the file at p (a path in the course).
func indexFile(p string) bool {
	if p == "course.yaml" {
		return true
	}
	dir, base := path.Split(p)
	if strings.Count(dir, "/") != 2 || !strings.HasPrefix(dir, "chapters/") {
		return false
	}
	return base == "chapter.yaml" || base == "discussion.yaml" || strings.HasSuffix(base, ".md")
}

// indexFingerprint sums what the index depends on. racy reports a directory course whose
// index files changed within racyWindow of now.
func indexFingerprint(fsys fs.FS, hashContent bool, now time.Time) (fp []byte, racy bool, err error) {
	var b bytes.Buffer
	chunk := make([]byte, 32<<10)
	// Made here, not at package init, which every start of kaizen pays for (crc32 builds
	// the table once).
	castagnoli := crc32.MakeTable(crc32.Castagnoli)
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		b.WriteString(p)
		b.WriteByte(0)
		if d.IsDir() || !indexFile(p) {
			return nil
		}
		if hashContent {
			n, sumC, sumI, err := checksumFile(fsys, p, chunk, castagnoli)
			if err != nil {
				return err
			}
			b.Write(binary.AppendUvarint(nil, uint64(n)))
			b.Write(binary.BigEndian.AppendUint32(nil, sumC))
			b.Write(binary.BigEndian.AppendUint32(nil, sumI))
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		mod := info.ModTime()
		if now.Sub(mod) < racyWindow {
			racy = true
		}
		b.Write(binary.AppendVarint(nil, info.Size()))
		b.Write(binary.AppendVarint(nil, mod.UnixNano()))
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	// The list itself is summed too, so the fingerprint stays short whatever the course's size.
	sum := binary.BigEndian.AppendUint32(nil, crc32.Checksum(b.Bytes(), castagnoli))
	sum = binary.BigEndian.AppendUint32(sum, crc32.ChecksumIEEE(b.Bytes()))
	sum = binary.AppendUvarint(sum, uint64(b.Len()))
	return sum, racy, nil
}

// checksumFile reads a file through chunk (no copy of the whole file) and returns its
// length and two independent checksums.
func checksumFile(fsys fs.FS, p string, chunk []byte, castagnoli *crc32.Table) (n int64, castagnoliSum, ieeeSum uint32, err error) {
	f, err := fsys.Open(p)
	if err != nil {
		return 0, 0, 0, err
	}
	defer f.Close()
	for {
		k, err := f.Read(chunk)
		castagnoliSum = crc32.Update(castagnoliSum, castagnoli, chunk[:k])
		ieeeSum = crc32.Update(ieeeSum, crc32.IEEETable, chunk[:k])
		n += int64(k)
		if err == io.EOF {
			return n, castagnoliSum, ieeeSum, nil
		}
		if err != nil {
			return 0, 0, 0, err
		}
	}
}

// writeFileAtomic writes through a temporary file and a rename, so a reader never sees
// half a file and two kaizens writing at once leave one whole copy.
func writeFileAtomic(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".index-*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// encodeIndex writes the index part of a catalog: the magic, the format, the fingerprint,
// then the course and its chapters, lessons and prompts.
func encodeIndex(c *Catalog, fp []byte) []byte {
	var w indexWriter
	w.buf = append(w.buf, indexCacheMagic...)
	w.uint(indexCacheFormat)
	w.bytes(fp)
	w.str(c.ID)
	w.str(c.Title)
	w.str(c.Version)
	w.str(c.Description)
	w.uint(uint64(len(c.Chapters)))
	for _, ch := range c.Chapters {
		w.str(ch.ID)
		w.str(ch.Number)
		w.str(ch.Title)
		w.str(ch.Summary)
		w.int(int64(ch.Minutes))
		w.strs(ch.Objectives)
		w.uint(uint64(len(ch.References)))
		for _, r := range ch.References {
			w.str(r.Title)
			w.str(r.URL)
			w.str(r.Note)
		}
		w.bool(ch.Appendix)
		w.str(ch.Dir)
		w.str(ch.File)
		w.uint(uint64(len(ch.Lessons)))
		for _, l := range ch.Lessons {
			w.str(l.ID)
			w.str(l.Title)
			w.int(int64(l.Minutes))
			w.strs(l.Objectives)
			w.str(l.File)
			w.str(l.Body)
			w.int(int64(l.BodyLine))
			w.uint(uint64(len(l.Headings)))
			for _, h := range l.Headings {
				w.int(int64(h.Level))
				w.str(h.Text)
				w.str(h.Slug)
				w.int(int64(h.Line))
			}
			w.uint(uint64(len(l.Links)))
			for _, k := range l.Links {
				w.str(k.Target)
				w.int(int64(k.Line))
			}
			w.int(int64(l.Words))
			w.str(l.ChapterID)
		}
		w.uint(uint64(len(ch.Prompts)))
		for _, p := range ch.Prompts {
			w.str(p.ID)
			w.uint(uint64(len(p.Traits)))
			for _, t := range p.Traits {
				w.str(string(t))
			}
			w.str(p.Prompt)
			w.str(p.Guidance)
			w.str(p.File)
			w.int(int64(p.Line))
			w.str(p.ChapterID)
		}
	}
	return w.buf
}

// errStaleIndex is any reason a cache file cannot be used.
var errStaleIndex = errors.New("index cache does not match")

// decodeIndex reads what encodeIndex wrote, if it was written for fingerprint fp.
func decodeIndex(data []byte, fp []byte) (c *Catalog, err error) {
	// The strings share data's memory instead of copying half a megabyte of lesson text:
	// data is never written after this point (the caller drops it).
	r := indexReader{buf: data, all: unsafe.String(unsafe.SliceData(data), len(data))}
	if !bytes.HasPrefix(data, []byte(indexCacheMagic)) {
		return nil, errStaleIndex
	}
	r.buf = r.buf[len(indexCacheMagic):]
	if r.uint() != indexCacheFormat || !bytes.Equal(r.bytes(), fp) || r.err != nil {
		return nil, errStaleIndex
	}
	c = newCatalog("", nil)
	c.ID = r.str()
	c.Title = r.str()
	c.Version = r.str()
	c.Description = r.str()
	nch := r.count()
	for i := 0; i < nch && r.err == nil; i++ {
		ch := &lessons.Chapter{}
		ch.ID = r.str()
		ch.Number = r.str()
		ch.Title = r.str()
		ch.Summary = r.str()
		ch.Minutes = int(r.int())
		ch.Objectives = r.strs()
		nref := r.count()
		for j := 0; j < nref && r.err == nil; j++ {
			ch.References = append(ch.References, lessons.Reference{Title: r.str(), URL: r.str(), Note: r.str()})
		}
		ch.Appendix = r.bool()
		ch.Dir = r.str()
		ch.File = r.str()
		nl := r.count()
		for j := 0; j < nl && r.err == nil; j++ {
			l := &lessons.Lesson{}
			l.ID = r.str()
			l.Title = r.str()
			l.Minutes = int(r.int())
			l.Objectives = r.strs()
			l.File = r.str()
			l.Body = r.str()
			l.BodyLine = int(r.int())
			nh := r.count()
			for k := 0; k < nh && r.err == nil; k++ {
				l.Headings = append(l.Headings, lessons.Heading{Level: int(r.int()), Text: r.str(), Slug: r.str(), Line: int(r.int())})
			}
			nk := r.count()
			for k := 0; k < nk && r.err == nil; k++ {
				l.Links = append(l.Links, lessons.Link{Target: r.str(), Line: int(r.int())})
			}
			l.Words = int(r.int())
			l.ChapterID = r.str()
			ch.Lessons = append(ch.Lessons, l)
			c.lessonByID[l.ID] = l
		}
		np := r.count()
		for j := 0; j < np && r.err == nil; j++ {
			p := &lessons.Prompt{}
			p.ID = r.str()
			nt := r.count()
			for k := 0; k < nt && r.err == nil; k++ {
				p.Traits = append(p.Traits, lessons.Trait(r.str()))
			}
			p.Prompt = r.str()
			p.Guidance = r.str()
			p.File = r.str()
			p.Line = int(r.int())
			p.ChapterID = r.str()
			ch.Prompts = append(ch.Prompts, p)
			c.promptByID[p.ID] = p
		}
		c.Chapters = append(c.Chapters, ch)
		c.chapterByID[ch.ID] = ch
	}
	if r.err != nil || len(r.buf) != 0 {
		return nil, errStaleIndex
	}
	return c, nil
}

type indexWriter struct{ buf []byte }

func (w *indexWriter) uint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *indexWriter) int(v int64)   { w.buf = binary.AppendVarint(w.buf, v) }
func (w *indexWriter) bytes(b []byte) {
	w.uint(uint64(len(b)))
	w.buf = append(w.buf, b...)
}
func (w *indexWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}
func (w *indexWriter) strs(ss []string) {
	w.uint(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}
func (w *indexWriter) bool(b bool) {
	if b {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// indexReader reads indexWriter's encoding; the first error sticks and every later read
// returns a zero value, so decodeIndex checks once at the end.
type indexReader struct {
	buf []byte
	// all is the whole file as one string: strings read are slices of it, one copy in
	// all instead of one allocation per string.
	all string
	err error
}

func (r *indexReader) fail() { r.err, r.buf = errStaleIndex, nil }

func (r *indexReader) uint() uint64 {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *indexReader) int() int64 {
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

// count reads a length, refusing one longer than what is left (a corrupt file must not
// make the decoder allocate gigabytes).
func (r *indexReader) count() int {
	n := r.uint()
	if n > uint64(len(r.buf)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *indexReader) bytes() []byte {
	n := r.count()
	if r.err != nil {
		return nil
	}
	b := r.buf[:n]
	r.buf = r.buf[n:]
	return b
}

func (r *indexReader) str() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	at := len(r.all) - len(r.buf)
	r.buf = r.buf[n:]
	return r.all[at : at+n]
}

func (r *indexReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		ss = append(ss, r.str())
	}
	return ss
}

func (r *indexReader) bool() bool {
	if len(r.buf) == 0 {
		r.fail()
		return false
	}
	b := r.buf[0]
	r.buf = r.buf[1:]
	if b > 1 {
		r.fail()
	}
	return b == 1
}
