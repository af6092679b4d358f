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
    """The 95th percentile of values by the nearest-rank method.

    TODO: sort the values and return the one at rank ceil(0.95 * n), counting from 1. With
    integers only: rank = -(-95 * n // 100). For 1, 2, ..., 100 the answer is 95.
    """
    raise NotImplementedError("p95")


def validate_policy(policy):
    """Raise ValueError, with a message that says what is wrong, for an unusable policy.

    TODO: every key of POLICY_KEYS is present; steps is a list of at least two numbers in
    (0, 100] that increase strictly and end at 100; window_s is a positive integer; min_requests
    is an integer of at least 1; max_error_rate_increase and max_p95_ratio are numbers >= 0.
    """


def arm_stats(requests):
    """(requests, errors, error rate, p95) of one arm's [(status, latency_ms), ...]."""
    n = len(requests)
    errors = sum(1 for status, _ in requests if status >= 500)
    if n == 0:
        return n, errors, None, None
    return n, errors, errors / n, p95([ms for _, ms in requests])


def evaluate_window(stable, canary, policy):
    """Return (action, reasons) for one window: ("hold", ["too_few_requests"]),
    ("rollback", ["error_rate"] and/or ["p95"]) or ("promote", []).

    stable and canary are lists of (status, latency_ms) pairs.
    TODO: hold when either arm has fewer than min_requests requests. Otherwise roll back when
    canary error rate > stable error rate + max_error_rate_increase ("error_rate") or
    canary p95 > max_p95_ratio * stable p95 ("p95"), and promote when neither holds.
    """
    raise NotImplementedError("evaluate_window")


def replay(requests, policy):
    """Replay the requests (dicts with ts, version, status, latency_ms); return the report.

    TODO:
    1. Ignore (and count in "ignored_requests") requests whose version is neither "stable" nor
       "canary". Put the others in windows: int(ts // window_s) * window_s.
    2. Walk the windows in time order, starting at the first step. Add one entry per window
       (see README.md for its keys; arm_stats() gives the numbers) with the action of
       evaluate_window(). A rollback ends the rollout; a promote moves to the next step, and
       reaching the last step ends it as promoted.
    3. "decision" is "promoted", "rolled_back" or "in_progress"; "final_share" is 100, 0, or
       the current step's share.
    """
    return {"decision": "in_progress", "final_share": policy["steps"][0], "ignored_requests": 0,
            "windows": []}


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
