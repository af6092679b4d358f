#!/usr/bin/env python3
"""monitor.py: turn JSON-lines request logs into per-window alerts.

Usage:
    python3 monitor.py app.log [--window 60] [--max-error-rate 0.05]
                               [--max-p95-ms 300] [--min-requests 20]

Prints a JSON report on stdout and exits 1 when any window breaches a threshold, 0 when none
does, and 2 when the arguments or the file are unusable.
"""
import argparse
import json
import math
import sys


def p95(values):
    """Return the 95th percentile of values by the nearest-rank method.

    The nearest rank is ceil(0.95 * n), computed with integers so that floating point cannot
    round it the wrong way; the answer is the value at that rank in sorted order (1-based).
    """
    if not values:
        raise ValueError("p95 of no values")
    ordered = sorted(values)
    rank = -(-95 * len(ordered) // 100)
    return ordered[rank - 1]


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def parse_line(line):
    """Return (ts, status, latency_ms) for a valid log line, or None for a malformed one."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    ts, status, ms = record.get("ts"), record.get("status"), record.get("latency_ms")
    if not is_number(ts) or not is_number(ms) or ms < 0:
        return None
    if not isinstance(status, int) or isinstance(status, bool):
        return None
    return ts, status, ms


def summarize(lines, window=60, max_error_rate=0.05, max_p95_ms=300.0, min_requests=20):
    """Read log lines one at a time and return the report as a dict."""
    buckets = {}  # window start -> [requests, errors, latencies]
    total = malformed = 0
    for line in lines:
        if not line.strip():
            continue
        total += 1
        parsed = parse_line(line)
        if parsed is None:
            malformed += 1
            continue
        ts, status, ms = parsed
        start = int(ts // window) * window
        bucket = buckets.setdefault(start, [0, 0, []])
        bucket[0] += 1
        bucket[1] += status >= 500
        bucket[2].append(ms)
    alerts = []
    for start in sorted(buckets):
        requests, errors, latencies = buckets[start]
        if requests < min_requests:
            continue
        rate = errors / requests
        slowest = p95(latencies)
        reasons = []
        if rate > max_error_rate:
            reasons.append("error_rate")
        if slowest > max_p95_ms:
            reasons.append("p95")
        if reasons:
            alerts.append({
                "window_start": start,
                "requests": requests,
                "errors": errors,
                "error_rate": round(rate, 4),
                "p95_ms": slowest,
                "reasons": reasons,
            })
    return {"lines": total, "malformed": malformed, "windows": len(buckets), "alerts": alerts}


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Alert on error rate and p95 latency per window.")
    parser.add_argument("log", help="a JSON-lines request log")
    parser.add_argument("--window", type=int, default=60, help="window length in seconds")
    parser.add_argument("--max-error-rate", type=float, default=0.05)
    parser.add_argument("--max-p95-ms", type=float, default=300.0)
    parser.add_argument("--min-requests", type=int, default=20)
    args = parser.parse_args(argv)
    if args.window <= 0:
        parser.error("--window must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        with open(args.log, encoding="utf-8", errors="replace") as f:
            report = summarize(f, args.window, args.max_error_rate, args.max_p95_ms,
                               args.min_requests)
    except OSError as err:
        print(f"monitor.py: {err}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 1 if report["alerts"] else 0


if __name__ == "__main__":
    sys.exit(main())
