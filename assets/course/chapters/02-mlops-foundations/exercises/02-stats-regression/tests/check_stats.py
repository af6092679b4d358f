"""Check the learner's stats.py against a reference on this attempt's hidden tables.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages name the value that differs and, where a
common mistake explains it, say which.
"""
import ast
import csv
import json
import math
import os
import statistics
import subprocess
import sys

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
TOL = 1e-6
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


# ---- reference ---------------------------------------------------------------------------

def usable(cell):
    if cell is None:
        return None
    try:
        v = float(cell)  # float() ignores surrounding white space
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def reference(path, xcol, ycol):
    with open(path, newline="") as f:
        records = list(csv.DictReader(f))
    rows, skipped, padded, nonfinite = [], 0, 0, 0
    for number, rec in enumerate(records, start=1):
        x, y = usable(rec.get(xcol)), usable(rec.get(ycol))
        if x is None or y is None:
            skipped += 1
            cells = [rec.get(xcol) or "", rec.get(ycol) or ""]
            if any(c.strip().lower() in ("nan", "inf", "-inf") for c in cells):
                nonfinite += 1
        else:
            rows.append((number, x, y))
            if any(c != c.strip() for c in (rec[xcol], rec[ycol])):
                padded += 1
    xs, ys = [r[1] for r in rows], [r[2] for r in rows]
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys))
    n = len(rows)

    def summary(col, vals, mean, ss):
        return {"column": col, "mean": mean, "median": statistics.median(vals),
                "stdev": math.sqrt(ss / (n - 1)), "min": min(vals), "max": max(vals)}

    want = {"n": n, "skipped": skipped, "x": summary(xcol, xs, mx, sxx), "y": summary(ycol, ys, my, syy),
            "pearson_r": sxy / math.sqrt(sxx * syy), "slope": sxy / sxx,
            "intercept": my - sxy / sxx * mx}
    sd = want["y"]["stdev"]
    want["outliers"] = [num for num, _, y in rows if abs(y - my) > 3 * sd]
    extra = {"padded": padded, "nonfinite": nonfinite, "pstdev_y": math.sqrt(syy / n),
             "swapped_slope": sxy / syy, "rows": rows, "lines": len(records)}
    return want, extra


# ---- running the learner's program -------------------------------------------------------

class RunError(Exception):
    pass


def run(case):
    cmd = [sys.executable, "stats.py", os.path.join(GEN, case["file"]), "--x", case["x"], "--y", case["y"]]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        raise RunError("stats.py did not finish within 20 s")
    return proc.returncode, proc.stdout.decode(errors="replace"), \
        proc.stderr.decode(errors="replace").strip().splitlines()


def run_report(case):
    code, out, err = run(case)
    if code != 0:
        last = err[-1] if err else "(nothing on stderr)"
        if "numerator" in last or "nan" in last.lower() or "infinity" in last.lower():
            last += " (did a NaN or inf cell get through parse_number()? see math.isfinite)"
        raise RunError(f"stats.py exited with status {code} on a usable table: {last}")
    try:
        got = json.loads(out)
    except ValueError:
        raise RunError("stats.py did not print one JSON object on stdout")
    if not isinstance(got, dict):
        raise RunError("stats.py must print a JSON object")
    return got


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def close(got, want):
    return number(got) and abs(got - want) <= TOL * max(1.0, abs(want))


def get(obj, path):
    for key in path.split("."):
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def first_difference(got, want, paths):
    for path in paths:
        g, w = get(got, path), get(want, path)
        if isinstance(w, (int, float)) and not isinstance(w, bool):
            if not close(g, w):
                return path, g, w
        elif g != w:
            return path, g, w
    return None


def fmt(v):
    return f"{v:.6g}" if number(v) else repr(v)


STAT_PATHS = [f"{a}.{k}" for a in ("x", "y") for k in ("column", "mean", "median", "stdev", "min", "max")]
LINE_PATHS = ["pearson_r", "slope", "intercept"]
ALL_PATHS = ["n", "skipped"] + STAT_PATHS + LINE_PATHS + ["outliers"]


def main():
    with open(os.path.join(GEN, "cases.json")) as f:
        cases = {c["name"]: c for c in json.load(f)}
    people = cases["people"]
    want, extra = reference(os.path.join(GEN, people["file"]), people["x"], people["y"])
    names = {
        "counts": "Hidden table: n counts the usable rows, skipped the others",
        "stats": "Hidden table: mean, median, stdev, min and max of both columns",
        "line": "Hidden table: pearson_r, slope and intercept",
        "outliers": "Hidden table: rows more than 3 standard deviations from the mean of y",
    }
    try:
        got = run_report(people)
        msg = ""
        if got.get("n") != want["n"] or got.get("skipped") != want["skipped"]:
            msg = (f"n is {got.get('n')!r} and skipped {got.get('skipped')!r}, expected {want['n']} and "
                   f"{want['skipped']}")
            if number(got.get("skipped")) and got.get("skipped") == want["skipped"] - extra["nonfinite"]:
                msg += ": NaN and inf parse with float() but are not finite numbers (math.isfinite)"
            elif number(got.get("skipped")) and got.get("skipped") == want["skipped"] + extra["padded"]:
                msg += ": a number with spaces around it is usable (strip the cell)"
            else:
                msg += (": a row is usable when both cells are finite numbers; a blank cell, a short row "
                        "or text makes it skipped")
        report(names["counts"], not msg, msg)

        diff = first_difference(got, want, STAT_PATHS)
        msg = ""
        if diff:
            path, g, w = diff
            msg = f"{path} is {fmt(g)}, expected {fmt(w)}"
            if path == "y.stdev" and close(g, extra["pstdev_y"]):
                msg += ": that is the population version; the sample standard deviation divides by n - 1"
            elif path.endswith(".stdev"):
                msg += " (the sample standard deviation, which divides by n - 1)"
            elif got.get("n") != want["n"]:
                msg += " (first get n and skipped right: the statistics use only the usable rows)"
        report(names["stats"], not msg, msg)

        diff = first_difference(got, want, LINE_PATHS)
        msg = ""
        if diff:
            path, g, w = diff
            msg = f"{path} is {fmt(g)}, expected {fmt(w)}"
            if path == "slope" and close(g, extra["swapped_slope"]):
                msg += ": that is the slope of x on y; divide the covariance by the variance of x"
            elif path == "intercept":
                msg += " (intercept = mean of y - slope * mean of x)"
        report(names["line"], not msg, msg)

        g = got.get("outliers")
        msg = ""
        if g != want["outliers"]:
            msg = f"outliers is {g!r}, expected {want['outliers']!r}"
            positions = [i for i, row in enumerate(extra["rows"], start=1) if row[0] in want["outliers"]]
            if g == positions:
                msg += (": number the rows as they appear after the header, counting the skipped "
                        "ones too, not only the usable rows")
            elif g == [r + 1 for r in want["outliers"]]:
                msg += ": row 1 is the first row after the header, not line 1 of the file"
            else:
                msg += " (|y - mean of y| > 3 * stdev of y, strictly)"
        report(names["outliers"], not msg, msg)
    except RunError as err:
        for name in names.values():
            report(name, False, str(err))

    for key, name in [
        ("other", "--x and --y choose other columns, wherever they are in the header"),
        ("tiny", "A table with three usable rows gives the right statistics"),
    ]:
        case = cases[key]
        try:
            got = run_report(case)
            want, _ = reference(os.path.join(GEN, case["file"]), case["x"], case["y"])
            diff = first_difference(got, want, ALL_PATHS)
            msg = ""
            if diff:
                path, g, w = diff
                msg = f"with --x {case['x']} --y {case['y']}: {path} is {fmt(g)}, expected {fmt(w)}"
            report(name, not msg, msg)
        except RunError as err:
            report(name, False, f"with --x {case['x']} --y {case['y']}: {err}")

    name = "Unusable tables exit with status 2 and a message on stderr"
    msg = ""
    for case in cases.values():
        if not case.get("error"):
            continue
        try:
            code, _, err = run(case)
        except RunError as e:
            msg = f"a table that {case['why']}: {e}"
            break
        if code != 2:
            said = f" ({err[-1]})" if err and code != 0 else ""
            msg = f"a table that {case['why']} must exit with status 2, got {code}{said}"
            break
        if not err:
            msg = f"a table that {case['why']} exits with 2, but say why on stderr"
            break
    report(name, not msg, msg)

    name = "Only the standard library is imported (no numpy, no pandas)"
    try:
        extra_mods = non_stdlib_imports("stats.py")
        report(name, not extra_mods, "stats.py imports " + ", ".join(extra_mods) +
               ", which is not in Python's standard library")
    except (OSError, SyntaxError, ValueError) as err:
        report(name, False, f"stats.py cannot be parsed: {err}")


def non_stdlib_imports(path):
    known = getattr(sys, "stdlib_module_names", None)
    if known is None:  # Python < 3.10
        known = {"argparse", "csv", "json", "math", "statistics", "sys", "os", "io", "collections",
                 "itertools", "functools", "typing", "dataclasses", "pathlib", "decimal", "fractions",
                 "operator", "re", "string"}
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return sorted(m for m in found if m not in known and m != "__future__")


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
