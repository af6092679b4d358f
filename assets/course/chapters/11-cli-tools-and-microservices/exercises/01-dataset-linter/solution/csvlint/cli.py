"""csvlint.cli: the command-line interface. It parses, reads, prints and picks the exit status;
the rules themselves live in csvlint.checks."""
import argparse
import csv
import io
import json
import sys

from csvlint.checks import DEFAULT_MAX_NULL_RATIO, ERROR, WARNING, lint_rows

CLEAN, PROBLEMS, USAGE, UNREADABLE = 0, 1, 2, 3


def build_parser():
    parser = argparse.ArgumentParser(
        prog="csvlint",
        description="Check the structure of a CSV file before anyone trains on it.",
        epilog="exit status: 0 no errors (and, with --strict, no warnings); 1 problems found; "
               "2 usage error; 3 the input cannot be read",
    )
    parser.add_argument("path", help="the CSV file to check, or - to read standard input")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="text: one line per problem (default); json: one report object")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 on warnings too, not only on errors")
    parser.add_argument("--max-null-ratio", type=float, default=DEFAULT_MAX_NULL_RATIO,
                        metavar="R",
                        help="warn when more than this share of a column's cells is empty "
                             f"(0 to 1, default: {DEFAULT_MAX_NULL_RATIO})")
    return parser


def read_rows(path):
    """All records of the file (or of stdin for "-"), decoded as UTF-8."""
    if path == "-":
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
        return list(csv.reader(stream))
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.max_null_ratio <= 1:
        parser.error("--max-null-ratio must be between 0 and 1")
    try:
        rows = read_rows(args.path)
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        print(f"csvlint: cannot read {args.path}: {err}", file=sys.stderr)
        return UNREADABLE

    problems = lint_rows(rows, args.max_null_ratio)
    errors = sum(1 for p in problems if p["severity"] == ERROR)
    warnings = sum(1 for p in problems if p["severity"] == WARNING)
    kept = [row for row in rows if row]
    if args.format == "json":
        print(json.dumps({
            "file": args.path,
            "records": max(len(kept) - 1, 0),
            "columns": len(kept[0]) if kept else 0,
            "errors": errors,
            "warnings": warnings,
            "problems": problems,
        }, indent=2))
    else:
        for p in problems:
            print(f"{args.path}: {p['severity']} {p['code']}: {p['message']}")
        print(f"csvlint: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    if errors or (args.strict and warnings):
        return PROBLEMS
    return CLEAN
