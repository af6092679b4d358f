"""Check the learner's monitor.py against a reference on this attempt's hidden logs.

Writes {"tests": [{"name", "status", "message"}]} to $KAIZEN_RESULTS. Messages describe what
differs without quoting the hidden logs.
"""
import json
import math
import os
import subprocess
import sys
import time

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
BIG_LIMIT_S = 8.0
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


# ---- reference ---------------------------------------------------------------------------

def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def reference(path, window=60, max_error_rate=0.05, max_p95_ms=300.0, min_requests=20):
    buckets, total, bad = {}, 0, 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            if not raw.strip():
                continue
            total += 1
            try:
                rec = json.loads(raw)
            except ValueError:
                bad += 1
                continue
            if not isinstance(rec, dict):
                bad += 1
                continue
            ts, st, ms = rec.get("ts"), rec.get("status"), rec.get("latency_ms")
            if not (number(ts) and number(ms) and ms >= 0 and isinstance(st, int) and not isinstance(st, bool)):
                bad += 1
                continue
            b = buckets.setdefault(int(ts // window) * window, [0, 0, []])
            b[0] += 1
            b[1] += 1 if st >= 500 else 0
            b[2].append(ms)
    alerts = []
    for start in sorted(buckets):
        n, errors, lat = buckets[start]
        if n < min_requests:
            continue
        lat.sort()
        p = lat[-(-95 * n // 100) - 1]
        reasons = [r for r, hit in (("error_rate", errors / n > max_error_rate), ("p95", p > max_p95_ms)) if hit]
        if reasons:
            alerts.append({"window_start": start, "requests": n, "errors": errors,
                           "error_rate": round(errors / n, 4), "p95_ms": p, "reasons": reasons})
    return {"lines": total, "malformed": bad, "windows": len(buckets), "alerts": alerts}, buckets


# ---- running the learner's script --------------------------------------------------------

class RunError(Exception):
    pass


def run(log, *options, timeout=20):
    cmd = [sys.executable, "monitor.py", log, *options]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RunError(f"monitor.py did not finish within {timeout} s")
    elapsed = time.monotonic() - start
    if proc.returncode not in (0, 1):
        last = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no error output)"]
        raise RunError(f"monitor.py exited with status {proc.returncode}: {last[0]}")
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        raise RunError("monitor.py did not print a JSON report on stdout")
    if not isinstance(out, dict) or not isinstance(out.get("alerts"), list):
        raise RunError('the report must be a JSON object with an "alerts" list')
    return out, proc.returncode, elapsed


def starts(report_):
    return [a.get("window_start") for a in report_["alerts"] if isinstance(a, dict)]


def describe_windows(got, want):
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    parts = []
    if missing:
        parts.append(f"{len(missing)} window(s) that should alert did not (first: {missing[0]})")
    if extra:
        parts.append(f"{len(extra)} window(s) alerted that should not (first: {extra[0]})")
    if not parts:
        parts.append("the alerts are not sorted by window_start, or a window is listed twice")
    return "; ".join(parts)


def compare_alerts(got, want):
    """Return a message about the first difference in the numbers of matching alerts."""
    by_start = {a.get("window_start"): a for a in got["alerts"] if isinstance(a, dict)}
    for w in want["alerts"]:
        g = by_start.get(w["window_start"])
        if g is None:
            continue
        for key in ("requests", "errors"):
            if g.get(key) != w[key]:
                return f"window {w['window_start']}: {key} is {g.get(key)!r}, expected {w[key]}"
        if not number(g.get("error_rate")) or abs(g["error_rate"] - w["error_rate"]) > 1e-4:
            return f"window {w['window_start']}: error_rate is {g.get('error_rate')!r}, expected {w['error_rate']}"
        if not number(g.get("p95_ms")) or abs(g["p95_ms"] - w["p95_ms"]) > 1e-6:
            return f"window {w['window_start']}: p95_ms is {g.get('p95_ms')!r}, expected {w['p95_ms']}"
        if g.get("reasons") != w["reasons"]:
            return f"window {w['window_start']}: reasons are {g.get('reasons')!r}, expected {w['reasons']}"
    return ""


def main():
    incident = os.path.join(GEN, "incident.log")
    quiet = os.path.join(GEN, "quiet.log")
    big = os.path.join(GEN, "big.log")
    want, buckets = reference(incident)

    names = {
        "sample": "The sample app.log gives the expected report",
        "windows": "Hidden log: the right windows alert",
        "numbers": "Hidden log: requests, errors, error_rate and p95_ms of each alert",
        "malformed": "Hidden log: malformed lines are skipped and counted",
        "min": "Windows with fewer than --min-requests requests never alert",
        "edges": "Thresholds are strict: exactly 5% errors or a p95 of exactly 300 ms does not alert",
        "exit": "Exit status is 1 with alerts and 0 without",
        "options": "--window, --max-error-rate, --max-p95-ms and --min-requests are honoured",
        "big": f"A 100,000-line log is processed in under {BIG_LIMIT_S:g} s",
    }

    try:
        got_sample, _, _ = run("app.log")
        want_sample, _ = reference("app.log")
        ok = starts(got_sample) == starts(want_sample) and not compare_alerts(got_sample, want_sample)
        report(names["sample"], ok, "on app.log: " + (describe_windows(starts(got_sample), starts(want_sample))
                                                       if starts(got_sample) != starts(want_sample)
                                                       else compare_alerts(got_sample, want_sample)))
    except RunError as err:
        report(names["sample"], False, f"on app.log: {err}")

    try:
        got, code, _ = run(incident)
    except RunError as err:
        for key in ("windows", "numbers", "malformed", "min", "edges", "exit"):
            report(names[key], False, str(err))
        got = None
    if got is not None:
        ok = starts(got) == starts(want)
        report(names["windows"], ok, describe_windows(starts(got), starts(want)))
        msg = compare_alerts(got, want)
        report(names["numbers"], not msg, msg)
        msg = ""
        for key in ("lines", "malformed", "windows"):
            if got.get(key) != want[key]:
                msg = f'"{key}" is {got.get(key)!r}, expected {want[key]}'
                break
        report(names["malformed"], not msg, msg)
        small = [s for s, b in buckets.items() if b[0] < 20]
        bad = sorted(set(small) & set(starts(got)))
        report(names["min"], not bad, f"window {bad[0]} has fewer than 20 requests but alerted" if bad else "")
        edge = [s for s, b in buckets.items() if b[0] >= 20 and s not in starts(want)
                and (b[1] / b[0] == 0.05 or sorted(b[2])[-(-95 * b[0] // 100) - 1] == 300.0)]
        wrong = sorted(set(edge) & set(starts(got)))
        report(names["edges"], not wrong,
               f"window {wrong[0]} is exactly at a threshold and must not alert (use >, not >=)" if wrong else "")
        exit_msg = "" if code == 1 else f"with alerts the exit status must be 1, got {code}"
        if not exit_msg:
            try:
                got_quiet, code_quiet, _ = run(quiet)
                want_quiet, _ = reference(quiet)
                if want_quiet["alerts"]:
                    exit_msg = "internal: the quiet log has alerts"
                elif code_quiet != 0 or got_quiet["alerts"]:
                    exit_msg = f"on a log without incidents the exit status must be 0 and alerts empty, got {code_quiet}"
            except RunError as err:
                exit_msg = f"on a log without incidents: {err}"
        report(names["exit"], not exit_msg, exit_msg)

    options = ["--window", "30", "--max-error-rate", "0.1", "--max-p95-ms", "500", "--min-requests", "5"]
    try:
        got_opt, _, _ = run(incident, *options)
        want_opt, _ = reference(incident, 30, 0.1, 500.0, 5)
        if starts(got_opt) != starts(want_opt):
            msg = "with " + " ".join(options) + ": " + describe_windows(starts(got_opt), starts(want_opt))
        else:
            msg = compare_alerts(got_opt, want_opt)
            msg = ("with " + " ".join(options) + ": " + msg) if msg else ""
        report(names["options"], not msg, msg)
    except RunError as err:
        report(names["options"], False, str(err))

    try:
        got_big, _, elapsed = run(big, timeout=30)
        want_big, _ = reference(big)
        if starts(got_big) != starts(want_big) or compare_alerts(got_big, want_big):
            report(names["big"], False, "on the large log the alerts differ from the reference")
        else:
            report(names["big"], elapsed <= BIG_LIMIT_S,
                   f"it took {elapsed:.1f} s; read the file line by line and keep only per-window counts")
    except RunError as err:
        report(names["big"], False, str(err))


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
