"""Run the learner's canary.py on this attempt's hidden rollouts and compare with the reference.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages name windows by their start time and say
what differs, without quoting the hidden logs.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from traffic import reference  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
EXIT = {"promoted": 0, "rolled_back": 1, "in_progress": 3}
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def read_requests(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def run(case):
    cmd = [sys.executable, "canary.py", case["log"], "--policy", case["policy"]]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        return None, None, "canary.py did not finish within 20 s"
    err_lines = proc.stderr.decode(errors="replace").strip().splitlines()
    last = err_lines[-1][:200] if err_lines else ""
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        out = None
    if not isinstance(out, dict) or not isinstance(out.get("windows"), list):
        why = f": {last}" if last else ""
        return None, proc.returncode, (f"canary.py exited with status {proc.returncode} without "
                                       f"printing a JSON report with a \"windows\" list{why}")
    return out, proc.returncode, ""


def label(case):
    return f"rollout {case['name']!r}"


def plan(windows):
    return [(w.get("window_start"), w.get("share"), w.get("action"), w.get("reasons"))
            for w in windows if isinstance(w, dict)]


def decision_problem(got, code, want):
    for key in ("decision", "final_share"):
        if got.get(key) != want[key]:
            return f"\"{key}\" is {got.get(key)!r}, expected {want[key]!r}"
    if code != EXIT[want["decision"]]:
        return f"the decision is {want['decision']}, so the exit status must be {EXIT[want['decision']]}, got {code}"
    return ""


def plan_problem(got, want):
    g, w = plan(got["windows"]), plan(want["windows"])
    for i, (gw, ww) in enumerate(zip(g, w)):
        if gw[0] != ww[0]:
            return (f"window {i + 1} starts at {gw[0]!r}, expected {ww[0]} (a request belongs to "
                    "the window int(ts // window_s) * window_s; windows run in time order)")
        if gw[1] != ww[1]:
            return f"window {ww[0]}: share is {gw[1]!r}, expected {ww[1]}"
        if gw[2] != ww[2] or gw[3] != ww[3]:
            return (f"window {ww[0]} (share {ww[1]}%): action {gw[2]!r} with reasons {gw[3]!r}, "
                    f"expected {ww[2]!r} with reasons {ww[3]!r}")
    if len(g) > len(w):
        return (f"the report lists {len(g)} windows, expected {len(w)}: stop at the first "
                "rollback, and once the canary is promoted to the last step")
    if len(g) < len(w):
        return f"the report lists {len(g)} windows, expected {len(w)}"
    return ""


def numbers_problem(got, want):
    by_start = {w.get("window_start"): w for w in got["windows"] if isinstance(w, dict)}
    for w in want["windows"]:
        g = by_start.get(w["window_start"])
        if g is None:
            return f"the window that starts at {w['window_start']} is missing from the report"
        for key in ("canary_requests", "stable_requests", "canary_errors", "stable_errors"):
            if g.get(key) != w[key]:
                return f"window {w['window_start']}: {key} is {g.get(key)!r}, expected {w[key]}"
        for key, tol in (("canary_error_rate", 1e-4), ("stable_error_rate", 1e-4),
                         ("canary_p95_ms", 1e-9), ("stable_p95_ms", 1e-9)):
            gv, wv = g.get(key), w[key]
            if wv is None:
                if gv is not None:
                    return f"window {w['window_start']}: {key} must be null for an arm with no requests"
                continue
            if not isinstance(gv, (int, float)) or isinstance(gv, bool) or abs(gv - wv) > tol:
                hint = " (nearest rank: sorted values, rank ceil(0.95 * n))" if "p95" in key else ""
                return f"window {w['window_start']}: {key} is {gv!r}, expected {wv}{hint}"
    return ""


def main():
    with open(os.path.join(GEN, "cases.json")) as f:
        cases = json.load(f)
    numeric = [c for c in cases if c["want"] != "error"]
    runs = {}
    for case in numeric:
        with open(case["policy"]) as f:
            policy = json.load(f)
        want = reference(read_requests(case["log"]), policy)
        assert want["decision"] == case["want"], (case["name"], want["decision"])
        runs[case["name"]] = (run(case), want)

    def first(check, names=None):
        for case in numeric:
            if names and case["name"] not in names:
                continue
            (got, code, err), want = runs[case["name"]]
            msg = err or check(got, code, want)
            if msg:
                return f"{label(case)}: {msg}"
        return ""

    msg = first(decision_problem)
    report("Hidden rollouts: the decision, final share and exit status", not msg, msg)
    msg = first(lambda g, c, w: plan_problem(g, w))
    report("Hidden rollouts: every window's share, action and reasons, and nothing after the "
           "decision", not msg, msg)
    msg = first(lambda g, c, w: numbers_problem(g, w))
    report("Hidden rollouts: requests, errors, error rates and nearest-rank p95 per window",
           not msg, msg)
    msg = first(lambda g, c, w: plan_problem(g, w) or decision_problem(g, c, w), {"quiet"})
    report("Windows with too few requests in either arm hold, and a log that ends early is "
           "in progress", not msg, msg)
    msg = first(lambda g, c, w: plan_problem(g, w), {"boundary"})
    if "action 'rollback'" in msg and "expected 'promote'" in msg:
        msg += " (a canary exactly at a limit passes: compare with >, not >=)"
    report("Limits are strict: exactly at a limit promotes, just over it rolls back", not msg, msg)

    def ignored(got, code, want):
        if got.get("ignored_requests") != want["ignored_requests"]:
            return (f"\"ignored_requests\" is {got.get('ignored_requests')!r}, expected "
                    f"{want['ignored_requests']} (requests whose version is neither stable nor canary)")
        return numbers_problem(got, want)
    msg = first(ignored, {"healthy", "errors", "latency"})
    report("Shadow requests are ignored and late lines still count in their own window",
           not msg, msg)
    msg = first(lambda g, c, w: plan_problem(g, w) or numbers_problem(g, w)
                or decision_problem(g, c, w), {"custom"})
    report("Another policy's steps, window, minimum and limits are honoured", not msg, msg)

    msg = ""
    for case in cases:
        if case["want"] != "error":
            continue
        cmd = [sys.executable, "canary.py", case["log"], "--policy", case["policy"]]
        try:
            code = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=20).returncode
        except subprocess.TimeoutExpired:
            code = "a timeout"
        if code != 2:
            what = {
                "bad_order": "whose steps do not increase",
                "bad_end": "whose steps do not end at 100",
                "bad_min": "whose min_requests is 0",
                "bad_missing": "that lacks a key",
            }.get(case["name"], f"and a log whose line {case.get('line')} is not a valid request")
            msg = f"given a policy {what}, canary.py must exit with status 2, got {code}"
            if case["name"] == "bad_line":
                msg = (f"given a log whose line {case.get('line')} is not a valid request, "
                       f"canary.py must exit with status 2, got {code}")
            break
    report("An unusable policy or log line exits with status 2", not msg, msg)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
