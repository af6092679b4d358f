"""Run the learner's sfn.py on this attempt's hidden machines and compare every execution with
the reference interpreter.

Writes {"tests": [...]} to $KAIZEN_RESULTS.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sfnref  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
TASKS = os.path.join(GEN, "hidden_tasks.py")
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def last_line(text):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "(nothing on stderr)"


def run(case):
    cmd = [sys.executable, "sfn.py", case["machine"], case["input"], "--tasks", TASKS]
    if case["max_steps"]:
        cmd += ["--max-steps", str(case["max_steps"])]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=20)
    except subprocess.TimeoutExpired:
        return None, None, "sfn.py did not finish within 20 s"
    if case["want"] == "refused":
        return None, proc.returncode, ""
    try:
        got = json.loads(proc.stdout)
    except ValueError:
        got = None
    if not isinstance(got, dict):
        return None, proc.returncode, (f"sfn.py exited with status {proc.returncode} without "
                                       f"printing a JSON report: {last_line(proc.stderr)}")
    return got, proc.returncode, ""


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def difference(got, want, code):
    """The first thing that differs, described for the learner, or ""."""
    for key in ("status", "error"):
        if got.get(key) != want[key]:
            return f'"{key}" is {got.get(key)!r}, expected {want[key]!r}'
    own_words = str(want["error"]).startswith(("States.", "Local."))  # the cause is free text
    if want["error"] and not own_words and got.get("cause") != want["cause"]:
        return f'"cause" is {got.get("cause")!r}, expected {want["cause"]!r}'
    trace = got.get("trace")
    if not isinstance(trace, list):
        return '"trace" must be a list with one entry per state entered'
    for i, w in enumerate(want["trace"]):
        if i >= len(trace):
            return f"the trace stops after {len(trace)} entries; entry {i + 1} should be state {w['state']!r}"
        g = trace[i] if isinstance(trace[i], dict) else {}
        for key in ("state", "type", "next"):
            if g.get(key) != w[key]:
                return f"trace entry {i + 1} ({w['state']}): {key} is {g.get(key)!r}, expected {w[key]!r}"
        if w["type"] == "Task":
            for key in ("attempts", "errors", "waits"):
                if not same(g.get(key), w[key]):
                    return (f"trace entry {i + 1} ({w['state']}): {key} is {g.get(key)!r}, "
                            f"expected {w[key]!r}")
    if len(trace) > len(want["trace"]):
        return f"the trace has {len(trace)} entries, expected {len(want['trace'])}"
    if got.get("steps") != want["steps"]:
        return f'"steps" is {got.get("steps")!r}, expected {want["steps"]}'
    if not same(got.get("output"), want["output"]):
        return f'"output" is {json.dumps(got.get("output"))[:150]}, expected {json.dumps(want["output"])[:150]}'
    expected_code = 0 if want["status"] == "SUCCEEDED" else 1
    if code != expected_code:
        return f"the execution {want['status']}, so the exit status must be {expected_code}, got {code}"
    return ""


def main():
    with open(os.path.join(GEN, "cases.json")) as f:
        cases = json.load(f)
    outcomes = []
    for case in cases:
        got, code, err = run(case)
        want = None
        if case["want"] != "refused":
            with open(case["machine"]) as f:
                machine = json.load(f)
            with open(case["input"]) as f:
                data = json.load(f)
            want = sfnref.run(machine, data, sfnref.load_tasks(TASKS), case["max_steps"] or 100)
        outcomes.append((case, got, code, err, want))

    def first(pick):
        for case, got, code, err, want in outcomes:
            if case["want"] == "refused" or not pick(case):
                continue
            msg = err or difference(got, want, code)
            if msg:
                return f"{case['label']}: {msg}"
        return ""

    groups = [
        ("A retraining pipeline: every state, its output, the quality gate and the exit status",
         "pipeline"),
        ("Retry: IntervalSeconds x BackoffRate^n waits, MaxAttempts per retrier, first match only",
         "retries"),
        ("Catch: a failed task goes to the catcher's Next with {Error, Cause}", "catch"),
        ("Choice: typed comparisons, the first match, Default, no match and a missing variable",
         "choices"),
        ("Loops run until their exit; --max-steps stops one that has none", "loop"),
        ("Pass hands on its input, or its Result", "pass"),
    ]
    for name, tag in groups:
        msg = first(lambda c: tag in c["tags"])
        report(name, not msg, msg)

    msg = ""
    for case, got, code, err, want in outcomes:
        if case["want"] == "refused" and code != 2:
            what = {
                "bad_type": "a state whose Type this interpreter does not support",
                "bad_next": "a Next that names no state",
                "bad_end": "a Task with both Next and End",
                "bad_resource": "a Task whose function is not in the tasks module",
                "bad_start": "a StartAt that names no state",
                "bad_default": "a Default that names no state",
            }[case["label"]]
            msg = (f"given a machine with {what}, sfn.py must refuse to run it: exit status 2, "
                   f"got {code if err == '' else err}")
            break
    report("Machines that cannot run are refused before they start: exit status 2", not msg, msg)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
