"""csvlint.cli: the command-line interface. It parses, reads, prints and picks the exit status;
the rules themselves live in csvlint.checks."""
import argparse
import json  # noqa: F401  (for --format json)
import sys  # noqa: F401  (for sys.stdin and sys.stderr)

from csvlint.checks import lint_rows


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="csvlint",
        description="Check the structure of a CSV file before anyone trains on it.",
    )
    parser.add_argument("path", help="the CSV file to check")
    # TODO: --format text|json, --strict, --max-null-ratio R (README.md has the details)
    args = parser.parse_args(argv)

    # TODO: read with the csv module (this split breaks on quoted commas and line breaks),
    # accept "-" for standard input, and exit 3 when the input cannot be read.
    with open(args.path) as f:
        rows = [line.rstrip("\n").split(",") for line in f]

    for p in lint_rows(rows):
        print(f"{args.path}: {p['severity']} {p['code']}: {p['message']}")
    # TODO: exit 1 on errors (and on warnings with --strict), 0 otherwise.
    return 0

