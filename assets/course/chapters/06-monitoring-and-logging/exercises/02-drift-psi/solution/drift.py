#!/usr/bin/env python3
"""drift.py: compare a column of a current sample with a baseline using PSI and KS.

Usage:
    python3 drift.py BASELINE.csv CURRENT.csv --column NAME [--bins 10]

Prints a JSON report on stdout. Exit status: 0 when the drift is stable or moderate, 1 when it is
major, 2 when the input is unusable.
"""
import argparse
import bisect
import csv
import json
import math
import statistics
import sys

EPSILON = 1e-6
MODERATE = 0.1
MAJOR = 0.25


class InputError(Exception):
    """The input cannot be used; the message says why."""


def read_column(path, column):
    """Return the numbers in one column of a CSV file with a header, skipping blank cells."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or column not in reader.fieldnames:
                raise InputError(f"{path}: no column named {column!r}")
            values = []
            for row in reader:
                cell = (row.get(column) or "").strip()
                if not cell:
                    continue
                try:
                    value = float(cell)
                except ValueError:
                    raise InputError(f"{path}:{reader.line_num}: {cell!r} is not a number") from None
                if not math.isfinite(value):
                    raise InputError(f"{path}:{reader.line_num}: {cell!r} is not a finite number")
                values.append(value)
    except OSError as err:
        raise InputError(str(err)) from None
    return values


def bin_edges(baseline, bins):
    """The bins - 1 cut points between the baseline's quantiles (deciles when bins is 10)."""
    return statistics.quantiles(baseline, n=bins, method="inclusive")


def shares(values, edges):
    """The share of values in each bin; a value equal to an edge belongs to the lower bin.

    Empty bins get EPSILON instead of 0, so that the logarithm in PSI stays finite.
    """
    counts = [0] * (len(edges) + 1)
    for value in values:
        counts[bisect.bisect_left(edges, value)] += 1
    return [count / len(values) if count else EPSILON for count in counts]


def psi(baseline, current, bins=10):
    """Population stability index of current against baseline, binned on baseline quantiles."""
    edges = bin_edges(baseline, bins)
    expected, actual = shares(baseline, edges), shares(current, edges)
    return sum((a - e) * math.log(a / e) for a, e in zip(actual, expected))


def ks_stat(sample1, sample2):
    """Two-sample Kolmogorov-Smirnov statistic: the largest gap between the two ECDFs."""
    s1, s2 = sorted(sample1), sorted(sample2)
    gap = 0.0
    for x in set(s1) | set(s2):
        f1 = bisect.bisect_right(s1, x) / len(s1)
        f2 = bisect.bisect_right(s2, x) / len(s2)
        gap = max(gap, abs(f1 - f2))
    return gap


def status(value):
    if value < MODERATE:
        return "stable"
    if value < MAJOR:
        return "moderate"
    return "major"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Measure drift of one column with PSI and KS.")
    parser.add_argument("baseline")
    parser.add_argument("current")
    parser.add_argument("--column", required=True)
    parser.add_argument("--bins", type=int, default=10)
    args = parser.parse_args(argv)
    if args.bins < 2:
        parser.error("--bins must be at least 2")
    try:
        baseline = read_column(args.baseline, args.column)
        current = read_column(args.current, args.column)
        if len(baseline) < 2:
            raise InputError(f"{args.baseline}: need at least 2 values in {args.column!r}")
        if not current:
            raise InputError(f"{args.current}: no values in {args.column!r}")
    except InputError as err:
        print(f"drift.py: {err}", file=sys.stderr)
        return 2
    value = psi(baseline, current, args.bins)
    report = {
        "column": args.column,
        "bins": args.bins,
        "baseline_n": len(baseline),
        "current_n": len(current),
        "psi": value,
        "ks_stat": ks_stat(baseline, current),
        "status": status(value),
    }
    print(json.dumps(report, indent=2))
    return 1 if report["status"] == "major" else 0


if __name__ == "__main__":
    sys.exit(main())
