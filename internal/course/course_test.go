package course

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kaizen-mlops/kaizen/assets"
)

const goodCourse = "id: demo\ntitle: Demo\nversion: 1.0.0\nchapters:\n  - 01-one\n"
const goodChapter = "id: ch01\nnumber: 1\ntitle: One\nsummary: First.\nminutes: 10\n"
const goodLesson = "---\nid: l1\ntitle: Lesson one\nminutes: 5\n---\n# Lesson one\n\n## Start here\n\nText [next](lesson:l2#part-two).\n"
const goodLesson2 = "---\nid: l2\ntitle: Lesson two\nminutes: 5\n---\n# Lesson two\n\n## Part two\n\nMore text.\n"

func fixture(overrides map[string]string) fstest.MapFS {
	files := map[string]string{
		"course.yaml":                  goodCourse,
		"chapters/01-one/chapter.yaml": goodChapter,
		"chapters/01-one/01-a.md":      goodLesson,
		"chapters/01-one/02-b.md":      goodLesson2,
	}
	for k, v := range overrides {
		if v == "" {
			delete(files, k)
		} else {
			files[k] = v
		}
	}
	fsys := fstest.MapFS{}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return fsys
}

func TestLoadGoodCourse(t *testing.T) {
	c, probs := Load(fixture(nil), "test")
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if c.ID != "demo" || len(c.Chapters) != 1 || len(c.Chapters[0].Lessons) != 2 {
		t.Fatalf("catalog = %+v", c)
	}
	prev, next := c.Neighbours("l1")
	if prev != nil || next == nil || next.ID != "l2" {
		t.Fatalf("neighbours of l1 = %v %v", prev, next)
	}
	l, _ := c.Lesson("l1")
	if !l.HasAnchor("start-here") || l.ChapterID != "ch01" {
		t.Fatalf("lesson = %+v", l)
	}
}

// Each fixture breaks one thing; lint must name the file and line.
func TestLintReportsEachKindOfProblem(t *testing.T) {
	cases := []struct {
		name      string
		overrides map[string]string
		want      string // substring of one problem, "file:line: message"
	}{
		{"bad yaml", map[string]string{"course.yaml": "id: demo\n  title: x\n"}, "course.yaml:2: invalid YAML"},
		{"missing course title", map[string]string{"course.yaml": "id: demo\nversion: 1\nchapters: [01-one]\n"}, `course.yaml:1: missing required field "title"`},
		{"unknown key", map[string]string{"course.yaml": goodCourse + "chapterz: []\n"}, `course.yaml:6: unknown key "chapterz"`},
		{"missing chapter dir", map[string]string{"course.yaml": goodCourse + "  - 02-missing\n"}, `course.yaml:6: chapter "02-missing": cannot read chapters/02-missing/chapter.yaml`},
		{"chapter missing summary", map[string]string{"chapters/01-one/chapter.yaml": "id: ch01\nnumber: 1\ntitle: One\n"}, `chapters/01-one/chapter.yaml:1: missing required field "summary"`},
		{"bad id", map[string]string{"chapters/01-one/chapter.yaml": "id: Chapter One\nnumber: 1\ntitle: One\nsummary: s\n"}, `chapters/01-one/chapter.yaml:1: id "Chapter One" must be`},
		{"duplicate lesson id", map[string]string{"chapters/01-one/02-b.md": strings.Replace(goodLesson2, "id: l2", "id: l1", 1)}, `duplicate id "l1"`},
		{"no front matter", map[string]string{"chapters/01-one/02-b.md": "# Just text\n"}, "chapters/01-one/02-b.md:1: lesson must start with YAML front matter"},
		{"unclosed front matter", map[string]string{"chapters/01-one/02-b.md": "---\nid: l2\n"}, "chapters/01-one/02-b.md:1: front matter is not closed"},
		{"lesson missing minutes", map[string]string{"chapters/01-one/02-b.md": "---\nid: l2\ntitle: T\n---\n## Part two\ntext\n"}, `chapters/01-one/02-b.md:2: missing required field "minutes"`},
		{"front matter typo", map[string]string{"chapters/01-one/02-b.md": "---\nid: l2\ntitle: T\nminutes: 3\ntitel: x\n---\n## Part two\ntext\n"}, `chapters/01-one/02-b.md:5: unknown key "titel"`},
		{"empty lesson", map[string]string{"chapters/01-one/02-b.md": "---\nid: l2\ntitle: T\nminutes: 3\n---\n\n"}, `chapters/01-one/02-b.md:6: lesson "l2" has no text`},
		{"unknown lesson link", map[string]string{"chapters/01-one/01-a.md": strings.Replace(goodLesson, "lesson:l2#part-two", "lesson:nope", 1)}, `chapters/01-one/01-a.md:10: broken link lesson:nope: unknown lesson "nope"`},
		{"unknown section link", map[string]string{"chapters/01-one/01-a.md": strings.Replace(goodLesson, "part-two", "part-three", 1)}, `lesson "l2" has no section "part-three"`},
		{"broken relative link", map[string]string{"chapters/01-one/01-a.md": goodLesson + "\nSee [file](../missing.md).\n"}, "chapters/01-one/01-a.md:12: broken relative link ../missing.md"},
		{"bad trait", map[string]string{"chapters/01-one/discussion.yaml": "prompts:\n  - id: d1\n    traits: [bravery]\n    prompt: p\n    guidance: g\n"}, `chapters/01-one/discussion.yaml:3: unknown trait "bravery"`},
		{"prompt without guidance", map[string]string{"chapters/01-one/discussion.yaml": "prompts:\n  - id: d1\n    traits: [courage]\n    prompt: p\n"}, `chapters/01-one/discussion.yaml:2: missing required field "guidance"`},
		{"glossary unknown chapter", map[string]string{"glossary.yaml": "terms:\n  - term: CI\n    definition: d\n    chapter: ch99\n"}, `glossary.yaml:2: term "CI" names unknown chapter "ch99"`},
		{"glossary duplicate", map[string]string{"glossary.yaml": "terms:\n  - term: CI\n    definition: d\n  - term: ci\n    definition: e\n"}, `glossary.yaml:4: term "ci" already defined at line 2`},
		{"no course file", map[string]string{"course.yaml": ""}, "course.yaml: cannot read the course description"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := Load(fixture(tc.overrides), "test")
			var lines []string
			for _, p := range probs {
				lines = append(lines, p.String())
				if strings.Contains(p.String(), tc.want) {
					return
				}
			}
			t.Fatalf("want a problem containing %q, got:\n%s", tc.want, strings.Join(lines, "\n"))
		})
	}
}

func TestLintReportsAllProblemsInOneRun(t *testing.T) {
	_, probs := Load(fixture(map[string]string{
		"chapters/01-one/chapter.yaml": "id: ch01\nnumber: 1\ntitle: One\n",
		"chapters/01-one/02-b.md":      "# no front matter\n",
	}), "test")
	if len(probs) < 2 {
		t.Fatalf("want at least 2 problems, got %v", probs)
	}
}

func TestEmbeddedCourseIsClean(t *testing.T) {
	c, probs := Lint(assets.Course(), "embedded")
	for _, p := range probs {
		t.Error(p)
	}
	if len(c.Chapters) < 12 {
		t.Fatalf("embedded course has %d chapters, want 12", len(c.Chapters))
	}
	if ch, _ := c.Chapter("ch01"); ch == nil || len(ch.Lessons) < 3 {
		t.Fatal("chapter 1 must be written")
	}
}
