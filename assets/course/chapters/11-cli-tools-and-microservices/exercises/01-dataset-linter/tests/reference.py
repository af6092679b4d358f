"""The checker's own linter: the rules of README.md, written independently of the solution.

Problems are compared as (code, severity, record, column) keys; messages are free text.
"""
import csv
import io


def keys(rows, max_null_ratio=0.5):
    """Sorted problem keys for rows as csv.reader yields them."""
    table = [r for r in rows if len(r) > 0]
    if len(table) == 0:
        return [("empty-file", "error", None, None)]
    head = table[0]
    body = table[1:]
    out = []
    names = []
    for i, cell in enumerate(head):
        name = cell.strip()
        if name == "":
            out.append(("blank-header", "error", 1, i + 1))
        elif name[:7] == "Unnamed":
            out.append(("unnamed-header", "error", 1, i + 1))
        elif name in names:
            out.append(("duplicate-header", "error", 1, i + 1))
        else:
            names.append(name)
    for n, row in enumerate(table, start=1):
        if n > 1 and len(row) != len(head):
            out.append(("ragged-row", "error", n, None))
        for i, cell in enumerate(row):
            if "\n" in cell or "\r" in cell:
                out.append(("embedded-newline", "warning", n, i + 1))
    if body:
        for i in range(len(head)):
            blanks = len([r for r in body if len(r) <= i or r[i].strip() == ""])
            if blanks == len(body):
                out.append(("empty-column", "warning", None, i + 1))
            elif blanks / len(body) > max_null_ratio:
                out.append(("null-ratio", "warning", None, i + 1))
    return sort_keys(out)


def sort_keys(items):
    return sorted(items, key=lambda k: (str(k[0]), str(k[1]), -1 if k[2] is None else k[2],
                                        -1 if k[3] is None else k[3]))


def read(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def report(path, max_null_ratio=0.5):
    rows = read(path)
    table = [r for r in rows if r]
    k = keys(rows, max_null_ratio)
    return {
        "records": max(len(table) - 1, 0),
        "columns": len(table[0]) if table else 0,
        "errors": sum(1 for x in k if x[1] == "error"),
        "warnings": sum(1 for x in k if x[1] == "warning"),
        "keys": k,
    }


def describe(key):
    code, _, record, column = key
    where = []
    if record is not None:
        where.append(f"record {record}")
    if column is not None:
        where.append(f"column {column}")
    return code + (" at " + ", ".join(where) if where else "")
