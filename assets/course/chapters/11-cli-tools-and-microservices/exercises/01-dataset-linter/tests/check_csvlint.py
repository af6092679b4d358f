"""Check the learner's csvlint package against the reference on this attempt's hidden files.

Writes {"tests": [...]} to $KAIZEN_RESULTS; never prints hidden data.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
results = []

HARNESS = r"""
import json, sys
cases = json.load(open(sys.argv[1]))
from csvlint.checks import lint_rows
out = []
for case in cases:
    found = lint_rows(case["rows"], case["ratio"])
    out.append(found)
with open(sys.argv[2], "w") as f:
    json.dump(out, f)
"""


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def gen(name):
    return os.path.join(GEN, name)


def last_line(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else "(no error output)"


class RunError(Exception):
    pass


_runs = {}


def run(*args, stdin=None):
    """Run `python3 -m csvlint ARGS` (once per arguments); return (exit status, stdout, stderr)."""
    key = (args, stdin)
    if key not in _runs:
        _runs[key] = _run(args, stdin)
    if isinstance(_runs[key], RunError):
        raise _runs[key]
    return _runs[key]


def _run(args, stdin):
    try:
        proc = subprocess.run([sys.executable, "-m", "csvlint", *args], input=stdin,
                              stdin=subprocess.DEVNULL if stdin is None else None,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=15)
    except subprocess.TimeoutExpired:
        return RunError("`python3 -m csvlint " + " ".join(map(label, args)) + "` did not finish within 15 s")
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def label(arg):
    return os.path.basename(arg) if arg.startswith(GEN) else arg


def run_json(*args, stdin=None):
    code, out, err = run(*args, stdin=stdin)
    cmd = "`python3 -m csvlint " + " ".join(map(label, args)) + "`"
    if code not in (0, 1):
        raise RunError(f"{cmd} exited with status {code}: {last_line(err)}")
    try:
        doc = json.loads(out)
    except ValueError:
        raise RunError(f"{cmd} did not print one JSON object on stdout")
    if not isinstance(doc, dict) or not isinstance(doc.get("problems"), list):
        raise RunError(f'{cmd}: the report must be a JSON object with a "problems" list')
    return code, doc


def problem_keys(problems):
    """(code, severity, record, column) of each problem, or a message about the first bad one."""
    out = []
    for p in problems:
        if not isinstance(p, dict):
            return None, "each problem must be a JSON object"
        for key in ("code", "severity", "record", "column", "message"):
            if key not in p:
                return None, f'a problem has no "{key}" field (every problem has code, severity, record, column and message)'
        if not isinstance(p["message"], str) or not p["message"].strip():
            return None, f"problem {p.get('code')!r} has an empty message"
        rec, col = p["record"], p["column"]
        for what, v in (("record", rec), ("column", col)):
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                return None, f"problem {p.get('code')!r}: {what} must be a number or null, got {v!r}"
        out.append((p["code"], p["severity"], rec, col))
    return reference.sort_keys(out), ""


def compare(got, want):
    """A learner-facing description of the first difference between two sorted key lists."""
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    if missing:
        k = missing[0]
        near = [g for g in got if g[0] == k[0]]
        hint = ""
        if k[0] in ("ragged-row", "embedded-newline") and near:
            hint = (" (found one at record " + str(near[0][2]) + ": count records as the csv module "
                    "reads them, with the header as record 1 and blank lines skipped)")
        return f"missing {reference.describe(k)} ({k[1]})" + hint + (f", and {len(missing) - 1} more" if len(missing) > 1 else "")
    if extra:
        k = extra[0]
        return f"unexpected {reference.describe(k)} ({k[1]})" + (f", and {len(extra) - 1} more" if len(extra) > 1 else "")
    if len(got) != len(want):
        return "a problem is reported twice"
    return ""


def check_file(name, *options, stdin=None, path=None):
    """Run the JSON report on a hidden file; return (exit status, message about the first difference)."""
    ratio = 0.5
    if "--max-null-ratio" in options:
        ratio = float(options[options.index("--max-null-ratio") + 1])
    want = reference.report(gen(name), ratio)
    code, doc = run_json(path or gen(name), "--format", "json", *options, stdin=stdin)
    got, why = problem_keys(doc["problems"])
    if got is None:
        return code, doc, f"on {name}: {why}"
    msg = compare(got, want["keys"])
    if msg:
        return code, doc, f"on {name}: {msg}"
    for key in ("records", "columns", "errors", "warnings"):
        if doc.get(key) != want[key]:
            return code, doc, f'on {name}: "{key}" is {doc.get(key)!r}, expected {want[key]}'
    return code, doc, ""


def attempt(name, fn):
    try:
        ok, msg = fn()
    except RunError as err:
        ok, msg = False, str(err)
    except (OSError, ValueError, KeyError, TypeError) as err:
        ok, msg = False, f"the check could not read the output: {err}"
    report(name, ok, msg)


def t_import():
    tmp_out = os.path.join(os.environ.get("TMPDIR", "/tmp"), "csvlint-unit.json")
    try:
        proc = subprocess.run([sys.executable, "-c", HARNESS, gen("rows.json"), tmp_out],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=15)
    except subprocess.TimeoutExpired:
        return False, "calling lint_rows() did not return within 15 s"
    if proc.returncode != 0:
        return False, "importing csvlint.checks and calling lint_rows(rows, ratio) failed: " + last_line(proc.stderr.decode(errors="replace"))
    if proc.stdout.strip():
        return False, "importing csvlint.checks or calling lint_rows() printed to stdout: the rules must return problems, not print them"
    with open(tmp_out) as f:
        got_all = json.load(f)
    cases = json.load(open(gen("rows.json")))
    for i, (case, got) in enumerate(zip(cases, got_all), start=1):
        if not isinstance(got, list):
            return False, "lint_rows() must return a list of problem dicts"
        keys, why = problem_keys(got)
        if keys is None:
            return False, f"table {i}: {why}"
        msg = compare(keys, reference.keys(case["rows"], case["ratio"]))
        if msg:
            return False, f"table {i} of {len(cases)} (max_null_ratio {case['ratio']}): {msg}"
    return True, ""


def t_clean():
    code, _, msg = check_file("clean.csv")
    if msg:
        return False, msg + " (quoted commas and quotes belong to one field: read with the csv module)"
    if code != 0:
        return False, f"a clean file must exit 0, got {code}"
    code, _, msg = check_file("clean.csv", "--strict")
    return (not msg and code == 0), msg or f"a clean file must exit 0 even with --strict, got {code}"


def t_messy():
    code, _, msg = check_file("messy.csv")
    return not msg, msg


def t_records():
    for name in ("warn.csv", "messy.csv"):
        want = reference.report(gen(name))
        _, doc = run_json(gen(name), "--format", "json")
        for key in ("records", "columns"):
            if doc.get(key) != want[key]:
                return False, (f'on {name}: "{key}" is {doc.get(key)!r}, expected {want[key]}: a quoted field '
                               "may hold line breaks, so count CSV records (blank lines skipped), not lines")
    return True, ""


def t_errors_exit():
    code, _ = run_json(gen("messy.csv"), "--format", "json")
    if code != 1:
        return False, f"a file with errors must exit 1, got {code}"
    code, doc = run_json(gen("empty.csv"), "--format", "json")
    keys, why = problem_keys(doc["problems"])
    if keys is None:
        return False, f"on an empty file: {why}"
    if [k[:2] for k in keys] != [("empty-file", "error")]:
        return False, "an empty file must give exactly one problem: empty-file, an error"
    if code != 1:
        return False, f"an empty file must exit 1, got {code}"
    return True, ""


def t_strict():
    code, _, msg = check_file("warn.csv")
    if msg:
        return False, msg
    if code != 0:
        return False, f"a file with warnings only must exit 0 without --strict, got {code}"
    code, _, msg = check_file("warn.csv", "--strict")
    if msg:
        return False, msg
    if code != 1:
        return False, f"with --strict, a file with warnings must exit 1, got {code}"
    return True, ""


def t_ratio():
    for ratio in ("0.25", "0.5"):
        code, _, msg = check_file("ratio.csv", "--max-null-ratio", ratio)
        if msg:
            return False, (f"with --max-null-ratio {ratio}, {msg} (a column is flagged only when its share of "
                           "empty cells is greater than the ratio: exactly at it is fine)")
        if code != 0:
            return False, f"warnings alone must exit 0 without --strict, got {code}"
    return True, ""


def t_unreadable():
    cases = [(gen("no-such-file.csv"), "a file that does not exist"),
             (GEN, "a directory"),
             (gen("latin1.csv"), "a file that is not UTF-8")]
    for path, what in cases:
        code, out, err = run(path, "--format", "json")
        if code != 3:
            extra = ""
            if "Traceback" in err:
                extra = " (it crashed: " + last_line(err) + ")"
            return False, f"on {what} the exit status must be 3, got {code}{extra}"
        if out.strip():
            return False, f"on {what} nothing may be printed on stdout (the message goes to stderr)"
        if not err.strip():
            return False, f"on {what} print a message on stderr that says what went wrong"
    return True, ""


def t_usage():
    cases = [(["--format", "xml", gen("clean.csv")], "--format xml"),
             (["--max-null-ratio", "1.5", gen("clean.csv")], "--max-null-ratio 1.5"),
             (["--max-null-ratio", "-0.1", gen("clean.csv")], "--max-null-ratio -0.1"),
             ([], "no file argument")]
    for args, what in cases:
        code, out, err = run(*args)
        if code != 2:
            return False, f"with {what} the exit status must be 2 (a usage error), got {code}"
        if not err.strip():
            return False, f"with {what}, say what is wrong on stderr (parser.error does)"
    return True, ""


def t_stdin():
    for name in ("messy.csv", "warn.csv"):
        code_file, doc_file = run_json(gen(name), "--format", "json")
        code, doc = run_json("-", "--format", "json", stdin=open(gen(name), "rb").read())
        if doc.get("file") != "-":
            return False, f'reading standard input, "file" must be "-", got {doc.get("file")!r}'
        got, why = problem_keys(doc["problems"])
        if got is None:
            return False, "reading standard input: " + why
        if got != problem_keys(doc_file["problems"])[0]:
            return False, (f"{name} read from standard input gives other problems than the same file "
                           "read by name: read both the same way (newline=\"\", UTF-8)")
        for key in ("records", "columns"):
            if doc.get(key) != doc_file.get(key):
                return False, f'{name} read from standard input: "{key}" is {doc.get(key)!r}, from the file {doc_file.get(key)!r}'
        if code != code_file:
            return False, f"{name} read from standard input exits {code}, read by name {code_file}"
    return True, ""


def t_json_shape():
    _, doc = run_json(gen("messy.csv"), "--format", "json")
    if doc.get("file") != gen("messy.csv"):
        return False, '"file" must be the path as it was given on the command line'
    for key in ("records", "columns", "errors", "warnings"):
        if isinstance(doc.get(key), bool) or not isinstance(doc.get(key), int):
            return False, f'"{key}" must be a whole number, got {doc.get(key)!r}'
    severities = {p.get("severity") for p in doc["problems"] if isinstance(p, dict)}
    if not severities <= {"error", "warning"}:
        return False, 'every "severity" must be "error" or "warning"'
    return True, ""


def t_text():
    path = gen("messy.csv")
    code_json, doc = run_json(path, "--format", "json")
    want, why = problem_keys(doc["problems"])
    if want is None:
        return False, "the JSON report is not usable yet: " + why
    code, out, err = run(path)
    lines = [line for line in out.splitlines() if line.strip()]
    if len(lines) != len(want):
        return False, (f"in text mode stdout must hold one line per problem: the JSON report has {len(want)}, "
                       f"the text output {len(lines)} lines (put summaries and messages on stderr)")
    pattern = re.compile(r"^" + re.escape(path) + r": (error|warning) ([a-z-]+): \S")
    got = []
    for line in lines:
        m = pattern.match(line)
        if not m:
            return False, "each text line must look like `FILE: SEVERITY CODE: message`, e.g. `data.csv: error ragged-row: record 7 has 5 fields`"
        got.append((m.group(2), m.group(1)))
    if sorted(got) != sorted((k[0], k[1]) for k in want):
        return False, "the text lines name other problems than the JSON report does"
    if code != code_json:
        return False, f"the exit status must not depend on the format: {code_json} with --format json, {code} with text"
    return True, ""


def main():
    attempt("lint_rows() can be imported and called without the command line", t_import)
    attempt("A clean file with quoted commas and quotes has no problems and exits 0", t_clean)
    attempt("Every problem of a messy file is found, at the right record and column", t_messy)
    attempt("Records are counted as CSV records, not as lines", t_records)
    attempt("The JSON report has the documented fields", t_json_shape)
    attempt("Errors exit 1, and an empty file is an error", t_errors_exit)
    attempt("Warnings alone exit 0, and 1 with --strict", t_strict)
    attempt("--max-null-ratio is honoured, and a column exactly at the ratio passes", t_ratio)
    attempt("An unreadable input exits 3, with the message on stderr", t_unreadable)
    attempt("Usage errors exit 2", t_usage)
    attempt("- reads the CSV from standard input", t_stdin)
    attempt("Text output: one `FILE: SEVERITY CODE: message` line per problem", t_text)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
