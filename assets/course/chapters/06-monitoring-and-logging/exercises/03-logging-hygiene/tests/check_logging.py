"""Run the learner's predict.py on this attempt's hidden model and athletes, under several
LOG_LEVEL settings, and compare stdout and the JSON log lines on stderr with a reference.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages say what differs without dumping the
hidden files.
"""
import ast
import csv
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
MODEL = os.path.join(GEN, "model.json")
DATA = os.path.join(GEN, "athletes.csv")
APP = ("churn.predict", "churn.scoring")
VENDOR = "vendor.http"
LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:?00)$")
results = []


class Fail(Exception):
    pass


def report(name, error=None):
    results.append({"name": name, "status": "pass" if error is None else "fail",
                    "message": "" if error is None else error})


# ---- reference ---------------------------------------------------------------------------

def reference(model, model_path, data_path):
    """(stdout text, [(level, logger, msg), ...] the app must log at DEBUG)."""
    with open(data_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    events = [("INFO", "churn.predict", f"scoring {data_path} with {model_path}"),
              ("DEBUG", "churn.scoring", f"fetching model from {model_path}"),
              ("DEBUG", "churn.scoring",
               f"model {model['name']} {model['version']} has {len(model['weights'])} weights"),
              ("DEBUG", "churn.scoring", f"read {len(rows)} rows from {data_path}")]
    out = []
    for row in rows:
        athlete = row.get("athlete") or "?"
        z = model["bias"]
        skipped = False
        for name, weight in sorted(model["weights"].items()):
            text = (row.get(name) or "").strip()
            if not text:
                value = model["defaults"][name]
                events.append(("WARNING", "churn.scoring", f"{athlete}: {name} is missing, using default {value}"))
            else:
                try:
                    value = float(text)
                except ValueError:
                    events.append(("ERROR", "churn.scoring",
                                   f"{athlete}: {name} is not a number ({text!r}), row skipped"))
                    skipped = True
                    break
            z += weight * value
        if skipped:
            continue
        score = 1.0 / (1.0 + math.exp(-z))
        events.append(("DEBUG", "churn.scoring", f"{athlete}: z={z:.3f} score={score:.4f}"))
        out.append(f"{athlete},{score:.4f}")
    events.append(("INFO", "churn.predict", f"scored {len(out)} of {len(rows)} rows"))
    return "".join(line + "\n" for line in out), events


# ---- running the learner's program -------------------------------------------------------

class Run:
    def __init__(self, label, level, data=DATA):
        self.label = label
        self.code, self.stdout, self.stderr, self.error = None, "", "", None
        self.entries, self.bad_line = [], None
        env = dict(os.environ, MODEL_PATH=MODEL)
        env.pop("LOG_LEVEL", None)
        if level is not None:
            env["LOG_LEVEL"] = level
        try:
            proc = subprocess.run([sys.executable, "predict.py", data], env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        except subprocess.TimeoutExpired:
            self.error = f"{label}: predict.py did not finish within 20 s"
            return
        self.code = proc.returncode
        self.stdout = proc.stdout.decode("utf-8", "replace")
        self.stderr = proc.stderr.decode("utf-8", "replace")
        for n, line in enumerate(self.stderr.splitlines(), start=1):
            if not line.strip():
                continue
            why = bad_entry(line)
            if why:
                if self.bad_line is None:
                    self.bad_line = f"{label}: stderr line {n} {why}: {line[:100]!r}"
                continue
            self.entries.append(json.loads(line))

    def crashed(self, expected_code=0):
        """A learner-facing sentence when the run did not end as expected, else None."""
        if self.error:
            return self.error
        if self.code != expected_code:
            lines = [ln for ln in self.stderr.strip().splitlines() if ln.strip()]
            last = lines[-1][:160] if lines else "(nothing on stderr)"
            return f"{self.label}: predict.py exited with status {self.code}, expected {expected_code}: {last}"
        return None

    def app(self):
        return [(e["level"], e["logger"], e["msg"]) for e in self.entries if e["logger"] in APP]

    def below(self, threshold):
        return [e for e in self.entries if LEVELS.get(e["level"], 0) < LEVELS[threshold]]


def bad_entry(line):
    try:
        entry = json.loads(line)
    except ValueError:
        return "is not JSON"
    if not isinstance(entry, dict):
        return "is JSON but not an object"
    for key in ("ts", "level", "logger", "msg"):
        if not isinstance(entry.get(key), str):
            return f'has no "{key}" string'
    if entry["level"] not in LEVELS:
        return f'has "level" {entry["level"]!r}, not one of DEBUG, INFO, WARNING, ERROR, CRITICAL'
    if not TS.match(entry["ts"]):
        return f'has "ts" {entry["ts"]!r}, not a UTC time such as 2024-06-24T10:15:02Z'
    return None


def describe(entry):
    return f"{entry[0]} from {entry[1]}: {entry[2]!r}"


def missing_events(run, want, hint="keep each print's text as the message and its prefix as the level"):
    """The first expected (level, logger, msg) that run lacks, described for the learner."""
    if want and not run.entries:
        return (f"{run.label}: stderr has no JSON log lines at all, so {describe(want[0])} and the rest are "
                "missing: log instead of printing, and give the root logger a JSON handler in setup_logging()")
    have = Counter(run.app())
    for event in want:
        if have[event] > 0:
            have[event] -= 1
            continue
        same_msg = [e for e in run.entries if e["msg"] == event[2]]
        if same_msg:
            e = same_msg[0]
            return (f"{run.label}: the message {event[2]!r} was logged as {e['level']} by {e['logger']!r}, "
                    f"expected {event[0]} by {event[1]!r}")
        if run.bad_line and run.entries:
            hint = "a stderr line that is not valid JSON could not be read; fix that first"
        return f"{run.label}: no log line is {describe(event)} ({hint})"
    return None


# ---- static checks -----------------------------------------------------------------------

CONFIG_CALLS = {"basicConfig", "addHandler", "setLevel", "setFormatter", "dictConfig", "fileConfig",
                "disable", "removeHandler"}


def scan(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as err:
        raise Fail(f"{path} does not parse: line {err.lineno}: {err.msg}")


def static_checks():
    tree = scan("scoring.py")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            raise Fail(f"scoring.py still calls print() on line {node.lineno}: library code logs through "
                       'logging.getLogger("churn.scoring") instead')
        if (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
                and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            raise Fail(f"scoring.py uses sys.{node.attr} on line {node.lineno}: library code logs, it does not "
                       "write to the streams itself")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CONFIG_CALLS:
            raise Fail(f"scoring.py calls {node.func.attr}() on line {node.lineno}: a library only gets its logger "
                       "and logs; levels and handlers are set once, in predict.py")
    tree = scan("predict.py")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            if any(k.arg == "file" for k in node.keywords):
                raise Fail(f"predict.py calls print(..., file=...) on line {node.lineno}: in predict.py print() "
                           "is only for the results on stdout; diagnostics go through the logger")
        if (isinstance(node, ast.Attribute) and node.attr == "write" and isinstance(node.value, ast.Attribute)
                and node.value.attr == "stderr"):
            raise Fail(f"predict.py writes to sys.stderr directly on line {node.lineno}: let the logging handler "
                       "do it, so every stderr line is a JSON record")


# ---- the tests ---------------------------------------------------------------------------

NAMES = {
    "static": "scoring.py has no print() and configures no logging; predict.py prints only results",
    "stdout": "Hidden data: stdout holds exactly the predictions, whatever LOG_LEVEL says",
    "json": "Every stderr line is a JSON object with ts, level, logger and msg",
    "debug": "LOG_LEVEL=DEBUG: every app message appears, at its level, from churn.predict or churn.scoring",
    "vendor": "LOG_LEVEL=DEBUG: vendor.http is capped at WARNING (its chatter goes, its warnings stay)",
    "default": "Without LOG_LEVEL only WARNING and above appear",
    "error": "LOG_LEVEL=ERROR shows only errors, from every logger",
    "parse": "LOG_LEVEL is read in any case, and an unknown value falls back to WARNING with a warning",
    "missing": "A missing input file gives an ERROR line, exit status 2 and nothing on stdout",
}


def main():
    with open(MODEL, encoding="utf-8") as f:
        model = json.load(f)
    want_out, want_events = reference(model, MODEL, DATA)

    def test(key, fn):
        try:
            fn()
            report(NAMES[key])
        except Fail as err:
            report(NAMES[key], str(err))

    test("static", static_checks)

    runs = {"unset": Run("without LOG_LEVEL", None), "DEBUG": Run("with LOG_LEVEL=DEBUG", "DEBUG"),
            "ERROR": Run("with LOG_LEVEL=ERROR", "ERROR"), "info": Run("with LOG_LEVEL=info", "info"),
            "verbose": Run("with LOG_LEVEL=verbose", "verbose")}

    def need(run):
        why = run.crashed()
        if why:
            raise Fail(why)
        return run

    def stdout():
        for run in runs.values():
            need(run)
            if run.stdout != want_out:
                got, want = run.stdout.splitlines(), want_out.splitlines()
                extra = [ln for ln in got if ln not in want]
                if extra:
                    raise Fail(f"{run.label}: stdout has a line that is not a prediction: {extra[0][:100]!r}; "
                               "diagnostics belong on stderr, through the logger")
                lost = [ln for ln in want if ln not in got]
                if lost:
                    raise Fail(f"{run.label}: stdout lacks the prediction {lost[0]!r}: keep printing "
                               "ATHLETE,SCORE for every usable row, exactly as before")
                raise Fail(f"{run.label}: the predictions on stdout are not in input order, or are repeated")

    def json_lines():
        for run in runs.values():
            need(run)
            if run.bad_line:
                raise Fail(run.bad_line + " (build each line with json.dumps in a logging.Formatter subclass)")
        if not runs["DEBUG"].entries:
            raise Fail("with LOG_LEVEL=DEBUG nothing was logged on stderr")

    def debug():
        run = need(runs["DEBUG"])
        why = missing_events(run, want_events)
        if why:
            raise Fail(why)

    def vendor():
        run = need(runs["DEBUG"])
        chatter = [e for e in run.entries if e["logger"] == VENDOR and LEVELS[e["level"]] < LEVELS["WARNING"]]
        if chatter:
            raise Fail(f"with LOG_LEVEL=DEBUG, vendor.http still logged at {chatter[0]['level']}: set that logger's "
                       "own level so it never goes below WARNING")
        if not any(e["logger"] == VENDOR and e["level"] == "WARNING" for e in run.entries):
            raise Fail("with LOG_LEVEL=DEBUG, vendor.http's WARNING is gone: cap the library at WARNING, don't "
                       "silence it (its warnings may matter)")

    def default():
        run = need(runs["unset"])
        low = run.below("WARNING")
        if low:
            raise Fail(f"without LOG_LEVEL a {low[0]['level']} line from {low[0]['logger']} appeared: the default "
                       "level is WARNING")
        why = missing_events(run, [e for e in want_events if LEVELS[e[0]] >= LEVELS["WARNING"]])
        if why:
            raise Fail(why)
        if not any(e["logger"] == VENDOR and e["level"] == "WARNING" for e in run.entries):
            raise Fail("without LOG_LEVEL, vendor.http's WARNING is missing: at the default level it should show")

    def error():
        run = need(runs["ERROR"])
        low = run.below("ERROR")
        if low:
            extra = ""
            if low[0]["logger"] == VENDOR:
                extra = (": a logger's own level is what filters its records, and records that pass it are "
                         "not filtered again by the root's level on their way up; cap vendor.http at WARNING "
                         "or at LOG_LEVEL, whichever is higher")
            raise Fail(f"with LOG_LEVEL=ERROR a {low[0]['level']} line from {low[0]['logger']} appeared{extra}")
        why = missing_events(run, [e for e in want_events if e[0] == "ERROR"])
        if why:
            raise Fail(why)

    def parse():
        run = need(runs["info"])
        low = run.below("INFO")
        if low:
            raise Fail(f"with LOG_LEVEL=info a {low[0]['level']} line appeared: info means INFO")
        why = missing_events(run, [e for e in want_events if e[0] != "DEBUG"],
                             hint="LOG_LEVEL is case-insensitive: info means INFO")
        if why:
            raise Fail(why)
        run = need(runs["verbose"])
        low = run.below("WARNING")
        if low:
            raise Fail(f"with LOG_LEVEL=verbose a {low[0]['level']} line appeared: an unknown level means WARNING")
        if not any(e["logger"] == "churn.predict" and e["level"] == "WARNING" and "LOG_LEVEL" in e["msg"]
                   for e in run.entries):
            raise Fail("with LOG_LEVEL=verbose, expected a WARNING from churn.predict that names LOG_LEVEL "
                       "and says WARNING is used instead")

    def missing():
        path = os.path.join(GEN, "no-such-athletes.csv")
        run = Run("with a missing input file", None, data=path)
        why = run.crashed(expected_code=2)
        if why:
            raise Fail(why)
        if run.stdout.strip():
            raise Fail(f"with a missing input file, stdout is not empty: {run.stdout.strip().splitlines()[0][:100]!r}")
        if run.bad_line:
            raise Fail(run.bad_line)
        if not any(e["level"] == "ERROR" and e["logger"] == "churn.predict" and path in e["msg"] for e in run.entries):
            raise Fail("with a missing input file, expected an ERROR from churn.predict that names the file")

    test("stdout", stdout)
    test("json", json_lines)
    test("debug", debug)
    test("vendor", vendor)
    test("default", default)
    test("error", error)
    test("parse", parse)
    test("missing", missing)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
