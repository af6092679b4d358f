"""csvlint.checks: the linting rules, as plain functions.

Nothing here knows about the command line: the rules take rows (lists of strings, as
csv.reader yields them) and return problems (dicts), so tests, the CLI and any other caller
share them.
"""

ERROR = "error"
WARNING = "warning"
DEFAULT_MAX_NULL_RATIO = 0.5


def problem(code, severity, record, column, message):
    """One finding. record and column are 1-based numbers, or None when they do not apply."""
    return {"code": code, "severity": severity, "record": record, "column": column,
            "message": message}


def is_blank(cell):
    return not cell.strip()


def header_problems(header):
    """Blank, "Unnamed" and duplicate names in the header (record 1)."""
    found = []
    seen = set()
    for col, raw in enumerate(header, start=1):
        name = raw.strip()
        if not name:
            found.append(problem("blank-header", ERROR, 1, col, f"column {col} has no name"))
        elif name.startswith("Unnamed"):
            found.append(problem("unnamed-header", ERROR, 1, col,
                                 f"column {col} is called {name!r}: probably a saved index"))
        elif name in seen:
            found.append(problem("duplicate-header", ERROR, 1, col,
                                 f"column {col} repeats the name {name!r}"))
        else:
            seen.add(name)
    return found


def newline_problems(number, row):
    """Fields of one record that hold a carriage return or a line feed."""
    return [problem("embedded-newline", WARNING, number, col,
                    f"record {number}, column {col}: the field contains a line break")
            for col, cell in enumerate(row, start=1) if "\r" in cell or "\n" in cell]


def column_problems(width, data, max_null_ratio):
    """Columns that are entirely empty, or emptier than max_null_ratio allows."""
    found = []
    if not data:
        return found
    for col in range(1, width + 1):
        empty = sum(1 for row in data if col > len(row) or is_blank(row[col - 1]))
        if empty == len(data):
            found.append(problem("empty-column", WARNING, None, col,
                                 f"column {col} has no values in {len(data)} records"))
        elif empty / len(data) > max_null_ratio:
            found.append(problem("null-ratio", WARNING, None, col,
                                 f"column {col} is empty in {empty} of {len(data)} records "
                                 f"(more than {max_null_ratio:g})"))
    return found


def lint_rows(rows, max_null_ratio=DEFAULT_MAX_NULL_RATIO):
    """Return every problem of a table given as rows of strings, header first.

    Empty rows (blank lines) are ignored and get no record number.
    """
    rows = [row for row in rows if row]
    if not rows:
        return [problem("empty-file", ERROR, None, None, "the file has no header and no records")]
    header, data = rows[0], rows[1:]
    found = header_problems(header) + newline_problems(1, header)
    for number, row in enumerate(data, start=2):
        if len(row) != len(header):
            found.append(problem("ragged-row", ERROR, number, None,
                                 f"record {number} has {len(row)} fields, "
                                 f"the header has {len(header)}"))
        found.extend(newline_problems(number, row))
    found.extend(column_problems(len(header), data, max_null_ratio))
    return found
