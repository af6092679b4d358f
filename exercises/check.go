package exercises

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// Runner runs one command in isolation. sandbox.Run satisfies it through RunnerFunc; tests use a
// fake or a plain os/exec runner.
type Runner interface {
	Run(ctx context.Context, spec sandbox.Spec) (sandbox.Result, error)
}

// RunnerFunc adapts a function such as sandbox.Run to Runner.
type RunnerFunc func(ctx context.Context, spec sandbox.Spec) (sandbox.Result, error)

// Run calls f.
func (f RunnerFunc) Run(ctx context.Context, spec sandbox.Spec) (sandbox.Result, error) {
	return f(ctx, spec)
}

// DefaultPath is the PATH of every command a check runs.
const DefaultPath = "/usr/local/bin:/usr/bin:/bin"

// Limits applied to every command of a check.
const (
	maxOutput      = 1 << 20
	maxFileSize    = 64 << 20
	diskBytes      = 256 << 20
	maxResultBytes = 512 << 10
	maxReadBytes   = 4 << 20
	maxScriptTests = 200
	excerptBytes   = 2000
)

// Options configure a Check.
type Options struct {
	Runner  Runner // required: sandbox.Run in production
	Seed    uint64 // per attempt; the same seed gives the same fixtures and the same report
	TempDir string // where work directories are made (default os.TempDir())
	Path    string // PATH for commands (default DefaultPath)
	// Port is passed as $PORT to loopback exercises; 0 picks a free port on 127.0.0.1.
	Port int
	// MinLevel is handed to the sandbox: it refuses to run below it (class servers).
	MinLevel          sandbox.Level
	MaxWorkspaceBytes int64 // default DefaultMaxWorkspaceBytes
	MaxWorkspaceFiles int   // default DefaultMaxWorkspaceFiles
}

// Status is the outcome of one check.
type Status string

// The outcomes of a check: it held, it did not (the learner's work is wrong), or it could not be
// decided (the exercise, the sandbox or the machine is at fault).
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Error Status = "error"
)

// Result is the outcome of one check, or of one test a check script reported.
type Result struct {
	Check     string        `json:"check"`            // the check's name in exercise.yaml
	Name      string        `json:"name"`             // what the learner sees: the check's name or the script test's
	Status    Status        `json:"status"`           // pass | fail | error
	Reason    string        `json:"reason,omitempty"` // why it did not pass, for the learner
	Detail    string        `json:"detail,omitempty"` // the generated reason when the author's fail text is shown
	Output    string        `json:"output,omitempty"` // the end of what the command printed, on failure
	Points    int           `json:"points"`
	MaxPoints int           `json:"max_points"`
	Wall      time.Duration `json:"wall_ns"`
}

// Report is the outcome of checking a workspace once.
type Report struct {
	Exercise  string        `json:"exercise"`
	Seed      uint64        `json:"seed"`
	Passed    bool          `json:"passed"` // every result passed
	Points    int           `json:"points"`
	MaxPoints int           `json:"max_points"`
	Results   []Result      `json:"results"`
	Skipped   []string      `json:"skipped,omitempty"` // workspace entries not copied, and why
	Runs      int           `json:"runs"`              // sandboxed commands run
	Level     sandbox.Level `json:"level"`             // the weakest isolation any run had
	Isolation string        `json:"isolation"`         // Level in words: none, basic, strict
	Layers    []string      `json:"layers,omitempty"`  // layers every run had
	Missing   []string      `json:"missing,omitempty"` // layers some run lacked, with why
	Wall      time.Duration `json:"wall_ns"`
}

// Failed returns the results that did not pass.
func (r *Report) Failed() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Status != Pass {
			out = append(out, res)
		}
	}
	return out
}

// ScriptResult is one line of a check script's results file (see docs/authoring/exercises.md).
type ScriptResult struct {
	Name    string `json:"name"`
	Status  string `json:"status"` // pass | fail | error
	Message string `json:"message"`
	Points  *int   `json:"points"`
}

// Check checks the learner's workspace against the exercise: it copies the workspace and the
// hidden tests into a fresh temporary directory, runs the generator with the seed, then every
// check, each from a fresh copy, through opts.Runner. A returned error means the check could not
// start (no runner, no workspace, a cancelled context); problems the learner or the author must
// fix are reported as results with status fail or error.
func Check(ctx context.Context, ex *Exercise, workspace string, opts Options) (*Report, error) {
	start := time.Now()
	if opts.Runner == nil {
		return nil, errors.New("exercises: Check needs a Runner")
	}
	if err := validID(ex); err != nil {
		return nil, err
	}
	if st, err := os.Stat(workspace); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("exercises: no workspace at %s (start the exercise first)", workspace)
	}
	if opts.Path == "" {
		opts.Path = DefaultPath
	}
	if opts.MaxWorkspaceBytes <= 0 {
		opts.MaxWorkspaceBytes = DefaultMaxWorkspaceBytes
	}
	if opts.MaxWorkspaceFiles <= 0 {
		opts.MaxWorkspaceFiles = DefaultMaxWorkspaceFiles
	}
	tmp, err := os.MkdirTemp(opts.TempDir, "kaizen-check-")
	if err != nil {
		return nil, fmt.Errorf("exercises: make work directory: %w", err)
	}
	defer removeAll(tmp)
	c := &checker{ex: ex, opts: opts, tmp: tmp, wsDir: workspace, rep: &Report{Exercise: ex.ID, Seed: opts.Seed, Level: sandbox.LevelStrict}}
	if err := c.run(ctx); err != nil {
		return nil, err
	}
	c.rep.finish(time.Since(start))
	return c.rep, nil
}

type checker struct {
	ex       *Exercise
	opts     Options
	tmp      string
	wsDir    string
	base     string
	port     int
	rep      *Report
	scrub    *scrubber
	layerSet map[string]int
	missing  map[string]bool
}

func (c *checker) run(ctx context.Context) error {
	ex := c.ex
	// 1. the learner's files, safely
	c.base = filepath.Join(c.tmp, "base")
	skipped, err := copyTree(c.wsDir, c.base, copyOptions{maxBytes: c.opts.MaxWorkspaceBytes, maxFiles: c.opts.MaxWorkspaceFiles, skipHidden: true})
	c.rep.Skipped = skipped
	var tl *TooLargeError
	if errors.As(err, &tl) {
		c.errorAll(fmt.Sprintf("%s: remove large or generated files from it (limit %s, %d files)",
			tl.Error(), humanBytes(c.opts.MaxWorkspaceBytes), c.opts.MaxWorkspaceFiles), "")
		return nil
	}
	if err != nil {
		return fmt.Errorf("exercises: copy workspace: %w", err)
	}
	root, err := os.OpenRoot(c.base)
	if err != nil {
		return err
	}
	defer root.Close()
	// 2. the files the learner may not change come back from the starter
	if _, err := writeFS(ex.FS, path.Join(ex.Dir, StarterDir), root, "", true, func(rel string) bool {
		return !slices.Contains(ex.Files, rel)
	}); err != nil {
		return fmt.Errorf("exercises: restore starter files: %w", err)
	}
	// 3. the hidden tests and kaizen's folders
	if _, err := writeFS(ex.FS, path.Join(ex.Dir, TestsDir), root, HiddenTestsDir, true, nil); err != nil {
		return fmt.Errorf("exercises: copy tests: %w", err)
	}
	for _, d := range []string{GenDir, JSONDir} {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	// 4. the tools must be there
	if missing := missingTools(ex.Tools, c.opts.Path); len(missing) > 0 {
		c.errorAll(fmt.Sprintf("this exercise needs %s, which is not installed on this machine (looked in %s)",
			strings.Join(missing, ", "), c.opts.Path), "")
		return nil
	}
	// 5. YAML files the check scripts want as JSON
	for _, f := range ex.YAMLToJSON {
		data, err := readWorkFile(root, f, maxReadBytes)
		if err != nil {
			continue
		}
		v, err := ParseYAML(data)
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		v.toJSON(&buf)
		target := path.Join(JSONDir, f+".json")
		if err := root.MkdirAll(path.Dir(target), 0o755); err != nil {
			return err
		}
		if err := root.WriteFile(target, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if c.ex.Network == sandbox.NetworkLoopback {
		c.port = c.opts.Port
		if c.port == 0 {
			c.port = freePort()
		}
	}
	// 6. the per-attempt fixtures
	c.scrub = newScrubber()
	if ex.Generate != "" {
		interp, _ := scriptInterpreter(ex.Generate)
		res, err := c.exec(ctx, c.base, []string{interp, path.Join(HiddenDir, ex.Generate)}, nil, "", ex.Timeout)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil || res.ExitCode != 0 || res.TimedOut {
			c.scrub.addHidden(root)
			why := "exit status " + strconv.Itoa(res.ExitCode)
			if err != nil {
				why = err.Error()
			} else if res.Reason != "" {
				why = res.Reason
			}
			c.errorAll("the exercise's fixture generator failed ("+why+"): this is a bug in the exercise, not in your work",
				c.scrub.scrub(excerpt(res.Stdout, res.Stderr)))
			return nil
		}
	}
	c.scrub.addHidden(root)
	c.scrub.forgetVisible(ex)
	// 7. the checks, each from a fresh copy
	for i := range ex.Checks {
		results, err := c.check(ctx, i)
		if err != nil {
			return err
		}
		c.rep.Results = append(c.rep.Results, results...)
	}
	return nil
}

// errorAll marks every check as an error with one reason.
func (c *checker) errorAll(reason, output string) {
	for _, ch := range c.ex.Checks {
		c.rep.Results = append(c.rep.Results, Result{Check: ch.Name, Name: ch.Name, Status: Error, Reason: reason, Output: output, MaxPoints: ch.Points})
	}
	if len(c.ex.Checks) == 0 {
		c.rep.Results = append(c.rep.Results, Result{Check: "setup", Name: "setup", Status: Error, Reason: reason, Output: output})
	}
}

func (r *Report) finish(wall time.Duration) {
	r.Wall = wall
	r.Passed = len(r.Results) > 0
	for _, res := range r.Results {
		r.Points += res.Points
		r.MaxPoints += res.MaxPoints
		if res.Status != Pass {
			r.Passed = false
		}
	}
	if r.Runs == 0 {
		r.Level = sandbox.LevelNone
	}
	r.Isolation = r.Level.String()
}

// env is the environment of a command. The sandbox adds HOME (the work directory) and TMPDIR
// (a private temporary directory), which only it knows.
func (c *checker) env(extra map[string]string) map[string]string {
	e := map[string]string{
		"PATH":                    c.opts.Path,
		"LANG":                    "C.UTF-8",
		"LC_ALL":                  "C.UTF-8",
		"TZ":                      "UTC",
		"TERM":                    "dumb",
		"PYTHONHASHSEED":          "0",
		"PYTHONDONTWRITEBYTECODE": "1",
		"PYTHONIOENCODING":        "utf-8",
		"KAIZEN_SEED":             strconv.FormatUint(c.opts.Seed, 10),
		"KAIZEN_EXERCISE":         c.ex.ID,
		"KAIZEN_TESTS":            HiddenTestsDir,
		"KAIZEN_GEN":              GenDir,
		"KAIZEN_JSON":             JSONDir,
		"KAIZEN_RESULTS":          ResultsFile,
	}
	if c.port != 0 {
		e["PORT"] = strconv.Itoa(c.port)
	}
	for k, v := range extra {
		e[k] = v
	}
	return e
}

// exec runs one command in dir through the runner and records the isolation it had.
func (c *checker) exec(ctx context.Context, dir string, argv []string, env map[string]string, stdin string, timeout time.Duration) (sandbox.Result, error) {
	spec := sandbox.Spec{
		Argv:        argv,
		Dir:         dir,
		Env:         c.env(env),
		Timeout:     timeout,
		Network:     c.ex.Network,
		CPUTime:     timeout,
		MaxFileSize: maxFileSize,
		MaxOutput:   maxOutput,
		DiskBytes:   diskBytes,
		MinLevel:    c.opts.MinLevel,
	}
	if stdin != "" {
		spec.Stdin = []byte(stdin)
	}
	res, err := c.opts.Runner.Run(ctx, spec)
	if err != nil {
		return res, err
	}
	c.record(res)
	return res, nil
}

func (c *checker) record(res sandbox.Result) {
	r := c.rep
	r.Runs++
	if res.Level < r.Level {
		r.Level = res.Level
	}
	if c.layerSet == nil {
		c.layerSet = map[string]int{}
		c.missing = map[string]bool{}
	}
	for _, l := range slices.Compact(slices.Sorted(slices.Values(res.Layers))) {
		c.layerSet[l]++
	}
	for _, m := range res.Missing {
		c.missing[m] = true
	}
	r.Layers = r.Layers[:0]
	for l, n := range c.layerSet {
		if n == r.Runs {
			r.Layers = append(r.Layers, l)
		}
	}
	sort.Strings(r.Layers)
	r.Missing = r.Missing[:0]
	for m := range c.missing {
		r.Missing = append(r.Missing, m)
	}
	sort.Strings(r.Missing)
}

// check runs check i in a fresh copy of the prepared directory.
func (c *checker) check(ctx context.Context, i int) ([]Result, error) {
	ch := &c.ex.Checks[i]
	start := time.Now()
	dir := filepath.Join(c.tmp, fmt.Sprintf("check-%03d", i))
	defer removeAll(dir)
	one := func(st Status, reason, detail, output string) []Result {
		r := Result{Check: ch.Name, Name: ch.Name, Status: st, MaxPoints: ch.Points, Wall: time.Since(start)}
		if st == Pass {
			r.Points = ch.Points
			return []Result{r}
		}
		r.Reason, r.Detail, r.Output = c.scrub.scrub(reason), c.scrub.scrub(detail), c.scrub.scrub(output)
		if ch.Fail != "" && st == Fail {
			r.Reason, r.Detail = ch.Fail, r.Reason
		}
		return []Result{r}
	}
	if _, err := copyTree(c.base, dir, copyOptions{maxBytes: maxWorkBytes, maxFiles: maxWorkFiles}); err != nil {
		return one(Error, "could not prepare the work directory: "+err.Error(), "", ""), nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()

	timeout := c.ex.Timeout
	if ch.Timeout > 0 {
		timeout = ch.Timeout
	}
	var res sandbox.Result
	ran := false
	var argv []string
	switch {
	case ch.Script != "":
		interp, _ := scriptInterpreter(ch.Script)
		argv = append([]string{interp, path.Join(HiddenDir, ch.Script)}, ch.Args...)
	case ch.Run != "":
		argv = []string{"bash", "-c", ch.Run}
	}
	what := "the check script"
	if ch.Run != "" {
		what = "`" + shorten(firstLine(ch.Run), 60) + "`"
	}
	if argv != nil {
		res, err = c.exec(ctx, dir, argv, ch.Env, ch.Stdin, timeout)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			return one(Error, "the sandbox could not run this check: "+err.Error(), "", ""), nil
		}
		ran = true
		if res.TimedOut {
			return one(Fail, fmt.Sprintf("%s did not finish within %s", what, timeout), "", excerpt(res.Stdout, res.Stderr)), nil
		}
		if res.Truncated {
			return one(Fail, fmt.Sprintf("%s printed more than %s", what, humanBytes(maxOutput)), "", ""), nil
		}
	}
	if ch.Script != "" {
		return c.scriptResults(ch, root, res, start), nil
	}
	out := ""
	if ran {
		out = excerpt(res.Stdout, res.Stderr)
		if msg := exitMismatch(ch.Exit, res, what); msg != "" {
			return one(Fail, msg, "", out), nil
		}
		for _, t := range []struct {
			exp   *TextExpect
			text  []byte
			where string
		}{{ch.Stdout, res.Stdout, "the output (stdout)"}, {ch.Stderr, res.Stderr, "the error output (stderr)"},
			{ch.Output, append(append([]byte{}, res.Stdout...), res.Stderr...), "the output"}} {
			if msg := evalText(t.exp, string(t.text), t.where); msg != "" {
				return one(Fail, msg, "", out), nil
			}
		}
	}
	for _, f := range ch.Files {
		data, err := readWorkFile(root, f.Path, maxReadBytes)
		name := "`" + f.Path + "`"
		if !f.Exists {
			if _, lerr := root.Lstat(f.Path); lerr == nil {
				return one(Fail, name+" should not exist", "", out), nil
			}
			continue
		}
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return one(Fail, name+" does not exist", "", out), nil
			}
			return one(Fail, name+" "+err.Error(), "", out), nil
		}
		if msg := evalText(&f.Text, string(data), name); msg != "" {
			return one(Fail, msg, "", out), nil
		}
	}
	docs := map[string]*Value{}
	for _, kind := range []string{"json", "yaml"} {
		list := ch.JSON
		if kind == "yaml" {
			list = ch.YAML
		}
		for j := range list {
			d := &list[j]
			key := kind + ":" + d.File
			doc, ok := docs[key]
			where := "`" + d.File + "`"
			if d.File == "" {
				where = "the output (stdout)"
			}
			if !ok {
				var data []byte
				if d.File == "" {
					data = res.Stdout
				} else {
					data, err = readWorkFile(root, d.File, maxReadBytes)
					if err != nil {
						if errors.Is(err, fs.ErrNotExist) {
							return one(Fail, where+" does not exist", "", out), nil
						}
						return one(Fail, where+" "+err.Error(), "", out), nil
					}
				}
				if kind == "json" {
					doc, err = ParseJSON(data)
				} else {
					doc, err = ParseYAML(data)
				}
				if err != nil {
					return one(Fail, fmt.Sprintf("%s is not valid %s: %s", where, strings.ToUpper(kind), cleanParseErr(err)), "", out), nil
				}
				docs[key] = doc
			}
			if msg := evalData(d, doc, where); msg != "" {
				return one(Fail, msg, "", out), nil
			}
		}
	}
	return one(Pass, "", "", ""), nil
}

func cleanParseErr(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	return s
}

func exitMismatch(e ExitExpect, res sandbox.Result, what string) string {
	switch {
	case e.Any:
		return ""
	case res.ExitCode < 0:
		why := res.Reason
		if why == "" {
			why = res.Signal
		}
		return fmt.Sprintf("%s was stopped (%s)", what, why)
	case e.NonZero:
		if res.ExitCode == 0 {
			return fmt.Sprintf("%s succeeded (exit status 0), but it must fail here", what)
		}
	case res.ExitCode != e.Code:
		if e.Code == 0 {
			return fmt.Sprintf("%s failed with exit status %d", what, res.ExitCode)
		}
		return fmt.Sprintf("%s exited with status %d, expected %d", what, res.ExitCode, e.Code)
	}
	return ""
}

// scriptResults turns a check script's results file into results.
func (c *checker) scriptResults(ch *CheckSpec, root *os.Root, res sandbox.Result, start time.Time) []Result {
	wall := time.Since(start)
	base := Result{Check: ch.Name, Name: ch.Name, MaxPoints: ch.Points, Wall: wall}
	fail := func(st Status, reason string) []Result {
		r := base
		r.Status = st
		r.Reason = c.scrub.scrub(reason)
		r.Output = c.scrub.scrub(excerpt(res.Stdout, res.Stderr))
		return []Result{r}
	}
	data, err := readWorkFile(root, ResultsFile, maxResultBytes)
	if err != nil {
		why := "exit status " + strconv.Itoa(res.ExitCode)
		if res.ExitCode < 0 && res.Reason != "" {
			why = res.Reason
		}
		return fail(Error, fmt.Sprintf("the check script wrote no results (%s, %s)", why, err))
	}
	tests, top, err := parseScriptResults(data)
	if err != nil {
		return fail(Error, "the check script's results are not valid: "+err.Error())
	}
	if top != nil {
		st := Status(top.Status)
		if st != Fail {
			st = Error
		}
		return fail(st, top.Message)
	}
	if len(tests) == 0 {
		return fail(Error, "the check script reported no tests")
	}
	out := make([]Result, 0, len(tests))
	for i, t := range tests {
		r := base
		r.Name = c.scrub.scrub(t.Name)
		if r.Name == "" {
			r.Name = fmt.Sprintf("%s #%d", ch.Name, i+1)
		}
		r.MaxPoints = ch.Points
		if t.Points != nil && *t.Points >= 0 {
			r.MaxPoints = *t.Points
		}
		switch Status(t.Status) {
		case Pass:
			r.Status, r.Points = Pass, r.MaxPoints
		case Fail:
			r.Status, r.Reason = Fail, c.scrub.scrub(t.Message)
		default:
			r.Status, r.Reason = Error, c.scrub.scrub(t.Message)
		}
		if r.Status != Pass && ch.Fail != "" && r.Status == Fail {
			r.Reason, r.Detail = ch.Fail, r.Reason
		}
		out = append(out, r)
	}
	return out
}

// parseScriptResults reads {"tests": [...]} (Exercism's shape), {"status": "error", "message":
// ...} for a script that gave up, or JSON lines of tests.
func parseScriptResults(data []byte) ([]ScriptResult, *ScriptResult, error) {
	trimmed := bytes.TrimSpace(data)
	var doc struct {
		Name    *string        `json:"name"`
		Status  string         `json:"status"`
		Message string         `json:"message"`
		Tests   []ScriptResult `json:"tests"`
	}
	if err := json.Unmarshal(trimmed, &doc); err == nil && doc.Name == nil {
		if doc.Tests == nil && doc.Status != "" && doc.Status != string(Pass) {
			return nil, &ScriptResult{Status: doc.Status, Message: doc.Message}, nil
		}
		if doc.Tests != nil {
			return validTests(doc.Tests)
		}
	}
	var tests []ScriptResult
	for n, line := range bytes.Split(trimmed, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var t ScriptResult
		if err := json.Unmarshal(line, &t); err != nil {
			return nil, nil, fmt.Errorf("line %d: %v", n+1, err)
		}
		tests = append(tests, t)
	}
	return validTests(tests)
}

func validTests(tests []ScriptResult) ([]ScriptResult, *ScriptResult, error) {
	if len(tests) > maxScriptTests {
		return nil, nil, fmt.Errorf("more than %d tests", maxScriptTests)
	}
	for i, t := range tests {
		switch Status(t.Status) {
		case Pass, Fail, Error:
		default:
			return nil, nil, fmt.Errorf("test %d: status %q is not pass, fail or error", i+1, t.Status)
		}
	}
	return tests, nil, nil
}

// excerpt is the end of a command's output, for feedback.
func excerpt(stdout, stderr []byte) string {
	s := strings.TrimRight(string(stdout), "\n")
	if e := strings.TrimRight(string(stderr), "\n"); e != "" {
		if s != "" {
			s += "\n"
		}
		s += e
	}
	if len(s) > excerptBytes {
		cut := len(s) - excerptBytes
		for cut < len(s) && !utf8RuneStart(s[cut]) {
			cut++
		}
		if nl := strings.IndexByte(s[cut:], '\n'); nl >= 0 && nl < 200 {
			cut += nl + 1
		}
		s = "…\n" + s[cut:]
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// missingTools returns the declared tools that are not on PATH.
func missingTools(tools []string, pathList string) []string {
	var out []string
	for _, t := range tools {
		bin := t
		if t == "coreutils" {
			bin = "cat"
		}
		if !onPath(bin, pathList) {
			out = append(out, t)
		}
	}
	return out
}

func onPath(bin, pathList string) bool {
	for _, d := range filepath.SplitList(pathList) {
		if d == "" {
			continue
		}
		st, err := os.Stat(filepath.Join(d, bin))
		if err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return true
		}
	}
	return false
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 18080
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// IsolationSummary names, in a few words a learner understands, what kept this check's runs
// apart from the machine: "namespaces, landlock, seccomp, cgroup, no network".
func (r *Report) IsolationSummary() string {
	has := map[string]bool{}
	for _, l := range r.Layers {
		has[l] = true
	}
	var out []string
	if has["userns"] || has["pidns"] || has["netns"] || has["mountns"] {
		out = append(out, "namespaces")
	}
	for _, l := range []string{"landlock", "seccomp", "cgroup"} {
		if has[l] {
			out = append(out, l)
		}
	}
	if has["netns"] {
		out = append(out, "no network")
	}
	if len(out) == 0 {
		out = append(out, r.Layers...)
		sort.Strings(out)
	}
	return strings.Join(out, ", ")
}
