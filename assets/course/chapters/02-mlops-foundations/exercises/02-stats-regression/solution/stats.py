#!/usr/bin/env python3
"""stats.py: profile two numeric columns of a CSV file and fit a straight line through them.

Usage:
    python3 stats.py FILE.csv [--x height_cm] [--y weight_kg]

Prints one JSON object: both columns' mean, median, sample standard deviation, min and max,
Pearson's r, the least-squares line y = slope * x + intercept, and the rows whose y lies more than
3 standard deviations from the mean. Exits with status 2 when the file or the columns are
unusable. README.md has the full rules.
"""
import argparse
import csv
import json
import math
import statistics
import sys

OUTLIER_SDS = 3.0


class InputError(Exception):
    """The input cannot give a report; main() prints it and exits with status 2."""


def parse_number(cell):
    """Return the cell as a finite float, or None when it is blank or not a finite number."""
    if cell is None:
        return None
    try:
        value = float(cell.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_rows(path, xcol, ycol):
    """Return ([(row_number, x, y), ...], skipped) for the rows where both cells are usable.

    Row 1 is the first row after the header; skipped rows keep their number.
    """
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            for name in (xcol, ycol):
                if name not in header:
                    raise InputError(f"{path}: no column named {name!r}")
            rows, skipped = [], 0
            for number, record in enumerate(reader, start=1):
                x, y = parse_number(record.get(xcol)), parse_number(record.get(ycol))
                if x is None or y is None:
                    skipped += 1
                else:
                    rows.append((number, x, y))
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}")
    return rows, skipped


def describe(values):
    """Mean, median, sample standard deviation, min and max of at least two values."""
    return {
        "mean": statistics.mean(values),
        "median": statistics.median(values),
        "stdev": statistics.stdev(values),
        "min": min(values),
        "max": max(values),
    }


def pearson_r(xs, ys):
    """Pearson's correlation coefficient of two equally long lists with some spread."""
    mx, my = statistics.mean(xs), statistics.mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def fit_line(xs, ys):
    """Ordinary least squares: (slope, intercept) of the line y = slope * x + intercept."""
    mx, my = statistics.mean(xs), statistics.mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sxy / sxx
    return slope, my - slope * mx


def outlier_rows(rows, mean_y, stdev_y, sds=OUTLIER_SDS):
    """Row numbers of the rows whose y is more than sds standard deviations from mean_y."""
    return [number for number, _, y in rows if abs(y - mean_y) > sds * stdev_y]


def build_report(rows, skipped, xcol, ycol):
    if len(rows) < 2:
        raise InputError(f"need at least 2 usable rows, found {len(rows)}")
    xs = [x for _, x, _ in rows]
    ys = [y for _, _, y in rows]
    if min(xs) == max(xs) or min(ys) == max(ys):
        raise InputError("a column has no spread (all its values are equal): r and the line are undefined")
    x_stats, y_stats = describe(xs), describe(ys)
    slope, intercept = fit_line(xs, ys)
    return {
        "n": len(rows),
        "skipped": skipped,
        "x": {"column": xcol, **x_stats},
        "y": {"column": ycol, **y_stats},
        "pearson_r": pearson_r(xs, ys),
        "slope": slope,
        "intercept": intercept,
        "outliers": outlier_rows(rows, y_stats["mean"], y_stats["stdev"]),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Profile two CSV columns and fit y = slope * x + intercept.")
    parser.add_argument("file", help="a CSV file with a header row")
    parser.add_argument("--x", default="height_cm", help="the explanatory column (default: height_cm)")
    parser.add_argument("--y", default="weight_kg", help="the column to predict (default: weight_kg)")
    args = parser.parse_args(argv)
    try:
        rows, skipped = read_rows(args.file, args.x, args.y)
        report = build_report(rows, skipped, args.x, args.y)
    except InputError as err:
        print(f"stats.py: {err}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
