#!/usr/bin/env python3
"""canary.py: replay a canary rollout's request log and decide, window by window, whether to
promote the canary to the next traffic step, hold, or roll it back.

Usage:
    python3 canary.py LOG.jsonl --policy POLICY.json

Prints a JSON report on stdout. Exit status: 0 promoted, 1 rolled back, 3 still in progress
when the log ends, 2 when the log or the policy is unusable. README.md has the full rules.
"""
import argparse
import json
import math
import sys

POLICY_KEYS = ("steps", "window_s", "min_requests", "max_error_rate_increase", "max_p95_ratio")


class InputError(Exception):
    """The log or the policy cannot be used; the message says why."""


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def p95(values):
    """The 95th percentile of values by the nearest-rank method: sorted, rank ceil(0.95 n)."""
    ordered = sorted(values)
    rank = -(-95 * len(ordered) // 100)  # ceil(0.95 * n) without floating point
    return ordered[rank - 1]


def validate_policy(policy):
    """Raise ValueError, with a message that says what is wrong, for an unusable policy."""
    if not isinstance(policy, dict):
        raise ValueError("the policy must be a JSON object")
    for key in POLICY_KEYS:
        if key not in policy:
            raise ValueError(f"the policy has no {key!r}")
    steps = policy["steps"]
    if (not isinstance(steps, list) or len(steps) < 2
            or not all(is_number(s) and 0 < s <= 100 for s in steps)):
        raise ValueError("steps must be a list of at least two shares between 0 and 100")
    if any(b <= a for a, b in zip(steps, steps[1:])) or steps[-1] != 100:
        raise ValueError("steps must increase strictly and end at 100")
    window = policy["window_s"]
    if not isinstance(window, int) or isinstance(window, bool) or window <= 0:
        raise ValueError("window_s must be a positive whole number of seconds")
    minimum = policy["min_requests"]
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        raise ValueError("min_requests must be a whole number of at least 1")
    for key in ("max_error_rate_increase", "max_p95_ratio"):
        if not is_number(policy[key]) or policy[key] < 0:
            raise ValueError(f"{key} must be a number of at least 0")


def arm_stats(requests):
    """(requests, errors, error rate, p95) of one arm's [(status, latency_ms), ...]."""
    n = len(requests)
    errors = sum(1 for status, _ in requests if status >= 500)
    if n == 0:
        return n, errors, None, None
    return n, errors, errors / n, p95([ms for _, ms in requests])


def evaluate_window(stable, canary, policy):
    """Return (action, reasons) for one window: ("hold", ["too_few_requests"]),
    ("rollback", ["error_rate"] and/or ["p95"]) or ("promote", [])."""
    if len(stable) < policy["min_requests"] or len(canary) < policy["min_requests"]:
        return "hold", ["too_few_requests"]
    _, _, s_err, s_p95 = arm_stats(stable)
    _, _, c_err, c_p95 = arm_stats(canary)
    reasons = []
    if c_err > s_err + policy["max_error_rate_increase"]:
        reasons.append("error_rate")
    if c_p95 > policy["max_p95_ratio"] * s_p95:
        reasons.append("p95")
    return ("rollback", reasons) if reasons else ("promote", [])


def replay(requests, policy):
    """Replay the requests (dicts with ts, version, status, latency_ms); return the report."""
    window_s = policy["window_s"]
    steps = policy["steps"]
    windows = {}  # window start -> {"stable": [...], "canary": [...]}
    ignored = 0
    for r in requests:
        if r["version"] not in ("stable", "canary"):
            ignored += 1
            continue
        start = int(r["ts"] // window_s) * window_s
        arms = windows.setdefault(start, {"stable": [], "canary": []})
        arms[r["version"]].append((r["status"], r["latency_ms"]))

    step = 0
    decision = "in_progress"
    trace = []
    for start in sorted(windows):
        stable, canary = windows[start]["stable"], windows[start]["canary"]
        action, reasons = evaluate_window(stable, canary, policy)
        s_n, s_e, s_rate, s_p95 = arm_stats(stable)
        c_n, c_e, c_rate, c_p95 = arm_stats(canary)
        trace.append({
            "window_start": start,
            "share": steps[step],
            "canary_requests": c_n,
            "stable_requests": s_n,
            "canary_errors": c_e,
            "stable_errors": s_e,
            "canary_error_rate": None if c_rate is None else round(c_rate, 4),
            "stable_error_rate": None if s_rate is None else round(s_rate, 4),
            "canary_p95_ms": c_p95,
            "stable_p95_ms": s_p95,
            "action": action,
            "reasons": reasons,
        })
        if action == "rollback":
            decision = "rolled_back"
            break
        if action == "promote":
            step += 1
            if step == len(steps) - 1:
                decision = "promoted"
                break
    final_share = {"promoted": 100, "rolled_back": 0}.get(decision, steps[step])
    return {"decision": decision, "final_share": final_share, "ignored_requests": ignored,
            "windows": trace}


def read_log(path):
    """Return the log's requests as dicts; raise InputError naming the first bad line."""
    requests = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except ValueError:
                    raise InputError(f"{path}:{number}: not JSON") from None
                ok = (isinstance(r, dict) and is_number(r.get("ts"))
                      and isinstance(r.get("version"), str)
                      and isinstance(r.get("status"), int) and not isinstance(r.get("status"), bool)
                      and is_number(r.get("latency_ms")) and r["latency_ms"] >= 0)
                if not ok:
                    raise InputError(f"{path}:{number}: expected ts, version, status and "
                                     "latency_ms")
                requests.append(r)
    except OSError as err:
        raise InputError(str(err)) from None
    return requests


def load_policy(path):
    try:
        with open(path, encoding="utf-8") as f:
            policy = json.load(f)
    except (OSError, ValueError) as err:
        raise InputError(f"{path}: {err}") from None
    try:
        validate_policy(policy)
    except ValueError as err:
        raise InputError(f"{path}: {err}") from None
    return policy


EXIT = {"promoted": 0, "rolled_back": 1, "in_progress": 3}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Decide promote, hold or rollback for a canary.")
    parser.add_argument("log", help="the rollout's request log, one JSON object per line")
    parser.add_argument("--policy", required=True, help="the rollout policy, a JSON file")
    args = parser.parse_args(argv)
    try:
        policy = load_policy(args.policy)
        requests = read_log(args.log)
    except InputError as err:
        print(f"canary.py: {err}", file=sys.stderr)
        return 2
    report = replay(requests, policy)
    print(json.dumps(report, indent=2))
    return EXIT[report["decision"]]


if __name__ == "__main__":
    sys.exit(main())
