"""csvlint.checks: the linting rules, as plain functions.

Nothing here may know about the command line: the rules take rows (lists of strings, as
csv.reader yields them) and return problems (dicts), so tests, the CLI and any other caller
share them. README.md lists the rules.
"""

ERROR = "error"
WARNING = "warning"
DEFAULT_MAX_NULL_RATIO = 0.5


def problem(code, severity, record, column, message):
    """One finding. record and column are 1-based numbers, or None when they do not apply."""
    return {"code": code, "severity": severity, "record": record, "column": column,
            "message": message}


def lint_rows(rows, max_null_ratio=DEFAULT_MAX_NULL_RATIO):
    """Return every problem of a table given as rows of strings, header first.

    Empty rows (blank lines) are ignored and get no record number.
    """
    rows = [row for row in rows if row]
    if not rows:
        return [problem("empty-file", ERROR, None, None, "the file has no header and no records")]
    header = rows[0]
    found = []
    for col, name in enumerate(header, start=1):
        if not name.strip():
            found.append(problem("blank-header", ERROR, 1, col, f"column {col} has no name"))
    # TODO: unnamed-header and duplicate-header (record 1)
    # TODO: ragged-row and embedded-newline, record by record (the header is record 1)
    # TODO: empty-column and null-ratio, column by column (only when there are data records)
    return found
