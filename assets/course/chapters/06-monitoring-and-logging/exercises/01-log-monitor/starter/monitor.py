#!/usr/bin/env python3
"""monitor.py: turn JSON-lines request logs into per-window alerts.

Usage:
    python3 monitor.py app.log [--window 60] [--max-error-rate 0.05]
                               [--max-p95-ms 300] [--min-requests 20]

Prints a JSON report on stdout and exits 1 when any window breaches a threshold, 0 when none
does, and 2 when the arguments or the file are unusable. README.md has the full rules.
"""
import argparse
import json
import math  # noqa: F401  (useful for isfinite)
import sys


def p95(values):
    """Return the 95th percentile of values by the nearest-rank method.

    TODO: sort the values; the nearest rank is ceil(0.95 * n), best computed with integers:
    -(-95 * n // 100). Return the value at that rank (ranks start at 1).
    """
    raise NotImplementedError("p95")


def parse_line(line):
    """Return (ts, status, latency_ms) for a valid log line, or None for a malformed one.

    TODO: a valid line is a JSON object whose ts is a finite number, status an integer and
    latency_ms a finite number >= 0 (true and false are not numbers here).
    """
    raise NotImplementedError("parse_line")


def summarize(lines, window=60, max_error_rate=0.05, max_p95_ms=300.0, min_requests=20):
    """Read log lines one at a time and return the report as a dict.

    TODO: skip blank lines; count the others in "lines" and the malformed ones in "malformed";
    group valid requests by window start, int(ts // window) * window; then build the alerts.
    """
    raise NotImplementedError("summarize")


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
