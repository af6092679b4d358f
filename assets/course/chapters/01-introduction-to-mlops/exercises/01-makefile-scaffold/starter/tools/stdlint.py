#!/usr/bin/env python3
"""stdlint: a small linter built only on the Python standard library.

Usage: python3 tools/stdlint.py [PATH ...]   (default: the current directory)

For every .py file under the given paths (skipping hidden folders, virtual environments and
caches) it reports, as FILE:LINE: message,
  - lines longer than 100 characters
  - trailing whitespace
  - tab characters
  - syntax errors (the file is compiled, not run)
It exits 1 when it found anything, 0 when the code is clean, 2 on a usage error.
"""
import os
import sys

MAX_LINE = 100
SKIP_DIRS = {"venv", "__pycache__", "node_modules", "build", "dist"}


def python_files(paths):
    for top in paths:
        if os.path.isfile(top):
            yield top
            continue
        if not os.path.isdir(top):
            raise FileNotFoundError(top)
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
            for name in sorted(files):
                if name.endswith(".py"):
                    yield os.path.join(root, name)


def lint_file(path):
    problems = []
    with open(path, encoding="utf-8") as f:
        source = f.read()
    for number, line in enumerate(source.splitlines(), start=1):
        if len(line) > MAX_LINE:
            problems.append((number, f"line is {len(line)} characters long (max {MAX_LINE})"))
        if line != line.rstrip():
            problems.append((number, "trailing whitespace"))
        if "\t" in line:
            problems.append((number, "tab character (indent with spaces)"))
    try:
        compile(source, path, "exec")
    except SyntaxError as err:
        problems.append((err.lineno or 1, f"syntax error: {err.msg}"))
    return problems


def main(argv):
    paths = argv[1:] or ["."]
    count = 0
    try:
        for path in python_files(paths):
            for line, message in lint_file(path):
                print(f"{os.path.normpath(path)}:{line}: {message}")
                count += 1
    except FileNotFoundError as err:
        print(f"stdlint: no such file or directory: {err}", file=sys.stderr)
        return 2
    if count:
        print(f"stdlint: {count} problem(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
