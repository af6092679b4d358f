package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaizen-mlops/kaizen/internal/app"
)

// run executes a command line with an isolated home and returns stdout, stderr and the
// exit code.
func run(t *testing.T, home string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	all := append([]string{"--home", home}, args...)
	code := Run(context.Background(), all, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestExitCodesAndMessages(t *testing.T) {
	home := t.TempDir()
	broken := t.TempDir()
	os.WriteFile(filepath.Join(broken, "course.yaml"), []byte("id: x\ntitle: X\nversion: 1\nchapters: [01-a]\n"), 0o644)
	os.MkdirAll(filepath.Join(broken, "chapters", "01-a"), 0o755)
	os.WriteFile(filepath.Join(broken, "chapters", "01-a", "chapter.yaml"), []byte("id: ch1\nnumber: 1\ntitle: A\n"), 0o644)
	cases := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"version", []string{"version"}, 0, "kaizen ", ""},
		{"unknown flag", []string{"--bogus"}, 2, "", "unknown flag"},
		{"unknown command", []string{"frobnicate"}, 2, "", "unknown command"},
		{"read without id", []string{"read"}, 2, "", "takes 1 argument"},
		{"read unknown id", []string{"read", "nope"}, 1, "", `no lesson with id "nope"`},
		{"read piped", []string{"read", "ch01-what-is-mlops"}, 0, "What is MLOps?", ""},
		{"missing course dir", []string{"--course", "/does/not/exist", "progress"}, 1, "", "/does/not/exist"},
		{"lint broken course", []string{"course", "lint", broken}, 1, `chapters/01-a/chapter.yaml:1: missing required field "summary"`, "1 problem(s)"},
		{"lint built-in", []string{"course", "lint"}, 0, "", "no problems"},
		{"stats json", []string{"course", "stats", "--json"}, 0, `"chapters"`, ""},
		{"quiz unknown chapter", []string{"quiz", "ch99"}, 1, "", `no chapter with id "ch99"`},
		{"case unknown", []string{"case", "stats", "nope"}, 1, "", `no case study with id "nope"`},
		{"no tty", nil, 1, "", "kaizen read"},
		{"journal both formats", []string{"journal", "--json", "--markdown"}, 2, "", "choose one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, home, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if tc.inStdout != "" && !strings.Contains(out, tc.inStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.inStdout, out)
			}
			if tc.inStderr != "" && !strings.Contains(errOut, tc.inStderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.inStderr, errOut)
			}
		})
	}
}

func TestBadClockOffsetIsAUsageError(t *testing.T) {
	t.Setenv("KAIZEN_CLOCK_OFFSET", "soon")
	_, errOut, code := run(t, t.TempDir(), "version")
	if code != 2 || !strings.Contains(errOut, "KAIZEN_CLOCK_OFFSET") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestCorruptAndNewerDatabasesAreRefusedUntouched(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"garbage", bytes.Repeat([]byte("not a database "), 40), "not a kaizen progress database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			db := filepath.Join(home, "progress.db")
			os.WriteFile(db, tc.content, 0o600)
			_, errOut, code := run(t, home, "progress")
			if code != 1 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			after, _ := os.ReadFile(db)
			if !bytes.Equal(after, tc.content) {
				t.Fatal("database file changed")
			}
		})
	}
}

func TestUnwritableHomeStillReadsWithAWarning(t *testing.T) {
	// A home that is a regular file cannot hold a database, for root too.
	dir := t.TempDir()
	home := filepath.Join(dir, "file-not-dir")
	os.WriteFile(home, []byte("x"), 0o600)
	out, errOut, code := run(t, home, "progress", "--json")
	if code != 0 || !strings.Contains(errOut, "progress is not being saved") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep ProgressReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Chapters) < 12 {
		t.Fatalf("progress JSON: %v", err)
	}
}

func TestCourseInitCopiesAndRefusesNonEmpty(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my-course")
	out, errOut, code := run(t, t.TempDir(), "course", "init", dir)
	if code != 0 || !strings.Contains(out, "Wrote") {
		t.Fatalf("init: %d %s %s", code, out, errOut)
	}
	if _, _, code := run(t, t.TempDir(), "course", "lint", dir); code != 0 {
		t.Fatal("the copied course should lint clean")
	}
	if _, errOut, code := run(t, t.TempDir(), "course", "init", dir); code != 1 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("second init: %d %s", code, errOut)
	}
}

func TestResolvePaths(t *testing.T) {
	env := func(vars map[string]string) app.Env {
		return app.Env{Getenv: func(k string) string { return vars[k] }, HomeDir: func() (string, error) { return "/home/ada", nil }}
	}
	cases := []struct {
		flag  string
		vars  map[string]string
		home  string
		conf  string
		cache string
	}{
		{"", nil, "/home/ada/.local/share/kaizen", "/home/ada/.config/kaizen", "/home/ada/.cache/kaizen"},
		{"", map[string]string{"XDG_DATA_HOME": "/x/data", "XDG_CONFIG_HOME": "/x/conf", "XDG_CACHE_HOME": "/x/cache"}, "/x/data/kaizen", "/x/conf/kaizen", "/x/cache/kaizen"},
		{"", map[string]string{"KAIZEN_HOME": "/k"}, "/k", "/k", "/k/cache"},
		{"/flag", map[string]string{"KAIZEN_HOME": "/k"}, "/flag", "/flag", "/flag/cache"},
	}
	for _, tc := range cases {
		p, err := app.ResolvePaths(tc.flag, env(tc.vars))
		if err != nil || p.Home != tc.home || p.ConfigDir != tc.conf || p.Cache != tc.cache || p.DB != filepath.Join(tc.home, "progress.db") {
			t.Errorf("%q %v: %+v %v", tc.flag, tc.vars, p, err)
		}
	}
}
