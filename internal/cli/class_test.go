package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/kaizen-mlops/kaizen/internal/app"
	"github.com/kaizen-mlops/kaizen/internal/store"
)

// classCourse writes a small course, so these tests do not move with the built-in one.
func classCourse(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	long := strings.Repeat("A paragraph long enough to make the lesson scroll. ", 8)
	files := map[string]string{
		"course.yaml":                  "id: class-demo\ntitle: Class Demo\nversion: 1.0.0\ndescription: A tiny course.\nchapters:\n  - 01-one\n",
		"chapters/01-one/chapter.yaml": "id: ch01\nnumber: 1\ntitle: Getting started\nsummary: The first steps.\nminutes: 20\nobjectives:\n  - Start\n",
		"chapters/01-one/quiz.yaml":    "questions:\n  - id: q1\n    type: numeric\n    prompt: How many?\n    answer: 4\n    tolerance: 0\n    explanation: Four.\n    lesson: l1\n",
	}
	for i, id := range []string{"l1", "l2", "l3", "l4"} {
		files[fmt.Sprintf("chapters/01-one/0%d-%s.md", i+1, id)] = "---\nid: " + id + "\ntitle: Lesson " + id + "\nminutes: 5\n---\n# Lesson " + id + "\n\n" + long + "\n"
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// studentHome makes a personal install with some progress in the course.
func studentHome(t *testing.T, courseDir string, lessons int) string {
	t.Helper()
	home := t.TempDir()
	cat, err := app.LoadCourse(courseDir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(home, "progress.db"), store.Options{CourseID: cat.ID, CourseVersion: cat.Version})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l, err := st.EnsureLearner(ctx, store.LocalLearnerKey, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range cat.LessonIDs()[:lessons] {
		if err := st.FinishLesson(ctx, l.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

func TestExportThenClassImportIsIdempotent(t *testing.T) {
	cd := classCourse(t)
	run := func(t *testing.T, home string, args ...string) (string, string, int) {
		return run(t, home, append([]string{"--course", cd}, args...)...)
	}
	ada, ben := studentHome(t, cd, 3), studentHome(t, cd, 1)
	files := t.TempDir()
	adaFile, benFile := filepath.Join(files, "ada.json"), filepath.Join(files, "ben.json")

	if _, errOut, code := run(t, ada, "export", "--out", adaFile); code != 2 || !strings.Contains(errOut, "--name") {
		t.Fatalf("export without a name: exit %d %s", code, errOut)
	}
	out, errOut, code := run(t, ada, "export", "--name", "Ada Lovelace", "--student-id", "42", "--out", adaFile)
	if code != 0 || !strings.Contains(out, "of Ada Lovelace (student 42)") {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	// The name is remembered.
	if out, _, code := run(t, ada, "export", "--out", adaFile); code != 0 || !strings.Contains(out, "Ada Lovelace (student 42)") {
		t.Fatalf("second export: %d %s", code, out)
	}
	if _, errOut, code := run(t, ben, "export", "--name", "Ben", "--out", benFile); code != 0 {
		t.Fatalf("ben export: %s", errOut)
	}

	inst := t.TempDir()
	data := filepath.Join(inst, "class")
	out, errOut, code = run(t, inst, "class", "import", adaFile, benFile)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"ada.json: Ada Lovelace (student 42): ", "new learner", "ben.json: Ben: ", "into " + data} {
		if !strings.Contains(out, want) {
			t.Errorf("import report lacks %q:\n%s", want, out)
		}
	}
	report := func() string {
		out, errOut, code := run(t, inst, "class", "report", "--format", "csv")
		if code != 0 {
			t.Fatalf("report: %s", errOut)
		}
		return out
	}
	before := report()
	rows, err := csv.NewReader(strings.NewReader(before)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("csv: %v\n%s", err, before)
	}
	if rows[2][0] != "Ada Lovelace" || rows[2][2] != "42" || rows[2][5] != "3" || rows[3][0] != "Ben" || rows[3][5] != "1" {
		t.Fatalf("gradebook rows:\n%s", before)
	}

	// Twice: nothing new, nothing changed.
	out, _, code = run(t, inst, "class", "import", adaFile, benFile)
	if code != 0 || !strings.Contains(out, "already imported") || !strings.Contains(out, "Merged 0 event(s)") {
		t.Fatalf("second import: %d\n%s", code, out)
	}
	if after := report(); after != before {
		t.Fatalf("a second import changed the gradebook:\n%s\n%s", before, after)
	}

	// A tampered file is refused and nothing of the batch is imported.
	raw, _ := os.ReadFile(benFile)
	tampered := filepath.Join(files, "tampered.json")
	os.WriteFile(tampered, bytes.Replace(raw, []byte(`"Ben"`), []byte(`"Bob"`), 1), 0o644)
	fresh := t.TempDir()
	_, errOut, code = run(t, fresh, "class", "import", adaFile, tampered)
	if code != 1 || !strings.Contains(errOut, "tampered.json") || !strings.Contains(errOut, "checksum does not match") || !strings.Contains(errOut, "nothing was imported") {
		t.Fatalf("tampered: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(fresh, "class", "progress.db")); err == nil {
		t.Fatal("a refused import created a class database")
	}

	// A file of another course is refused with a clear message.
	p, _ := store.ReadExport(bytes.NewReader(raw))
	p.Course.ID = "another-course"
	for i := range p.Events {
		p.Events[i].CourseID = "another-course"
	}
	var buf bytes.Buffer
	store.WriteExport(&buf, p)
	other := filepath.Join(files, "other.json")
	os.WriteFile(other, buf.Bytes(), 0o644)
	_, errOut, code = run(t, inst, "class", "import", other)
	if code != 1 || !strings.Contains(errOut, `course "another-course"`) {
		t.Fatalf("other course: exit %d %s", code, errOut)
	}
}

func TestClassReportFormatsAndErrors(t *testing.T) {
	cd := classCourse(t)
	run := func(t *testing.T, home string, args ...string) (string, string, int) {
		return run(t, home, append([]string{"--course", cd}, args...)...)
	}
	home := t.TempDir()
	if _, errOut, code := run(t, home, "class", "report"); code != 1 || !strings.Contains(errOut, "no class in") {
		t.Fatalf("no class: exit %d %s", code, errOut)
	}
	if _, errOut, code := run(t, home, "class", "import"); code != 2 || !strings.Contains(errOut, "at least one") {
		t.Fatalf("import without files: exit %d %s", code, errOut)
	}
	ada := studentHome(t, cd, 2)
	f := filepath.Join(t.TempDir(), "ada.json")
	if _, errOut, code := run(t, ada, "export", "--name", "Ada", "--out", f); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := run(t, home, "class", "import", f); code != 0 {
		t.Fatal(errOut)
	}
	if _, errOut, code := run(t, home, "class", "report", "--format", "pdf"); code != 2 || !strings.Contains(errOut, "table, csv, json, md, html") {
		t.Fatalf("bad format: exit %d %s", code, errOut)
	}
	out, _, code := run(t, home, "class", "report")
	if code != 0 || !strings.Contains(out, "NAME") || !strings.Contains(out, "Ada") || !strings.Contains(out, "1 learner(s)") {
		t.Fatalf("table: %d\n%s", code, out)
	}
	page := filepath.Join(t.TempDir(), "grades.html")
	out, _, code = run(t, home, "class", "report", "--out", page)
	if code != 0 || !strings.Contains(out, "(html)") {
		t.Fatalf("html: %d %s", code, out)
	}
	b, _ := os.ReadFile(page)
	if !bytes.HasPrefix(b, []byte("<!doctype html>")) || !bytes.Contains(b, []byte("Ada")) {
		t.Fatalf("html file:\n%s", b)
	}
	// A roster adds the students who never showed up.
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	k, _ := gossh.NewPublicKey(pub)
	roster := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(roster, []byte("name,student_id,public_key\nZed Absent,99,"+strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))+"\n"), 0o644)
	out, _, code = run(t, home, "class", "report", "--format", "md", "--roster", roster)
	if code != 0 || !strings.Contains(out, "| Zed Absent | 99 |") || !strings.Contains(out, "never") {
		t.Fatalf("roster report: %d\n%s", code, out)
	}
}

// lockedBuffer is written by the server while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestServeCommand(t *testing.T) {
	cd := classCourse(t)
	run := func(t *testing.T, home string, args ...string) (string, string, int) {
		return run(t, home, append([]string{"--course", cd}, args...)...)
	}
	home := t.TempDir()
	// Flag and roster mistakes.
	if _, errOut, code := run(t, home, "serve", "--max-sessions", "0"); code != 2 || !strings.Contains(errOut, "--max-sessions") {
		t.Fatalf("max sessions 0: %d %s", code, errOut)
	}
	badRoster := filepath.Join(t.TempDir(), "r.csv")
	os.WriteFile(badRoster, []byte("name,student_id,public_key\nAda,1,not-a-key\n"), 0o644)
	if _, errOut, code := run(t, home, "serve", "--roster", badRoster, "--listen", "127.0.0.1:0"); code != 1 || !strings.Contains(errOut, "line 2: the public key is not in authorized_keys form") {
		t.Fatalf("bad roster: %d %s", code, errOut)
	}

	// A real server on a free loopback port, stopped by cancelling (as SIGTERM does).
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(priv)
	roster := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(roster, []byte("name,student_id,public_key\nAda,1,"+strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))+"\n"), 0o644)
	data := filepath.Join(t.TempDir(), "class")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--home", home, "--course", cd, "serve", "--listen", "127.0.0.1:0", "--data", data, "--roster", roster, "--log-format", "json", "--allow-weak-sandbox"}, strings.NewReader(""), &bytes.Buffer{}, &stderr)
	}()
	re := regexp.MustCompile(`"msg":"listening","addr":"([0-9.:]+)"`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("no listening line:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), `"allow_weak_sandbox":true`) {
		t.Errorf("the sandbox flag is not in the config: %s", stderr.String())
	}
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "ada", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, _ := client.NewSession()
	sess.RequestPty("xterm", 24, 80, nil)
	var out lockedBuffer
	sess.Stdout = &out
	stdin, _ := sess.StdinPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "Home") && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
	}
	if !strings.Contains(out.String(), "Home") {
		t.Fatalf("no app over ssh: %q", out.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d:\n%s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	stdin.Close()
	if !strings.Contains(out.String(), "shutting down") {
		t.Errorf("the session was not told: %q", out.String())
	}
	if st, err := os.Stat(filepath.Join(data, "ssh_host_ed25519_key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", st, err)
	}
	// The instructor's report sees the student who logged in.
	out2, errOut, code := run(t, home, "class", "report", "--data", data, "--format", "json")
	if code != 0 || !strings.Contains(out2, `"name": "Ada"`) || !strings.Contains(out2, `"last_seen"`) {
		t.Fatalf("report after serve: %d %s %s", code, out2, errOut)
	}
}
