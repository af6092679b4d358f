"""Check the learner's drift.py against a reference on this attempt's hidden CSV pairs.

Writes {"tests": [{"name", "status", "message"}]} to $KAIZEN_RESULTS.
"""
import ast
import bisect
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


def column(path, name):
    with open(path, newline="") as f:
        return [float(r[name]) for r in csv.DictReader(f) if (r.get(name) or "").strip()]


def reference(case):
    b, c = column(case["baseline"], case["column"]), column(case["current"], case["column"])
    edges = statistics.quantiles(b, n=case["bins"], method="inclusive")

    def shares(vals):
        counts = [0] * (len(edges) + 1)
        for v in vals:
            counts[bisect.bisect_left(edges, v)] += 1
        return [k / len(vals) if k else 1e-6 for k in counts]

    psi = sum((a - e) * math.log(a / e) for a, e in zip(shares(c), shares(b)))
    sb, sc = sorted(b), sorted(c)
    ks = max(abs(bisect.bisect_right(sb, x) / len(sb) - bisect.bisect_right(sc, x) / len(sc))
             for x in set(sb) | set(sc))
    status = "stable" if psi < 0.1 else "moderate" if psi < 0.25 else "major"
    return {"psi": psi, "ks_stat": ks, "status": status, "baseline_n": len(b), "current_n": len(c)}


def run(case):
    cmd = [sys.executable, "drift.py", case["baseline"], case["current"], "--column", case["column"],
           "--bins", str(case["bins"])]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        return None, None, "drift.py did not finish within 20 s"
    if proc.returncode not in (0, 1):
        last = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no error output)"]
        return None, proc.returncode, f"drift.py exited with status {proc.returncode}: {last[0]}"
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        out = None
    if not isinstance(out, dict):
        last = proc.stderr.decode(errors="replace").strip().splitlines()[-1:]
        why = f" (it said: {last[0]})" if last else ""
        return None, proc.returncode, "drift.py did not print a JSON object on stdout" + why
    return out, proc.returncode, ""


def label(case):
    return f"case {case['name']!r} ({case['column']}, {case['bins']} bins)"


def close(got, want):
    return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(got - want) <= TOL


def imports_only_stdlib(path):
    names = getattr(sys, "stdlib_module_names", None)
    tree = ast.parse(open(path).read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    if names is None:  # Python < 3.10: accept what this interpreter can import from its stdlib
        names = {"argparse", "bisect", "csv", "json", "math", "statistics", "sys", "os", "io",
                 "collections", "itertools", "functools", "typing", "dataclasses", "pathlib"}
    return sorted(m for m in found if m not in names and m != "__future__")


def main():
    with open(os.path.join(GEN, "cases.json")) as f:
        cases = json.load(f)
    numeric = [c for c in cases if not c.get("error")]
    runs = {}
    for case in numeric:
        runs[case["name"]] = (run(case), reference(case))

    def first_problem(check, names=None):
        for case in numeric:
            if names and case["name"] not in names:
                continue
            (got, code, err), want = runs[case["name"]]
            if err:
                return f"{label(case)}: {err}"
            msg = check(case, got, code, want)
            if msg:
                return f"{label(case)}: {msg}"
        return ""

    def psi_check(case, got, code, want):
        if not close(got.get("psi"), want["psi"]):
            return f"psi is {got.get('psi')!r}, expected {want['psi']:.6f}"
        return ""

    def ks_check(case, got, code, want):
        if not close(got.get("ks_stat"), want["ks_stat"]):
            return f"ks_stat is {got.get('ks_stat')!r}, expected {want['ks_stat']:.6f}"
        return ""

    def zero_check(case, got, code, want):
        if got.get("psi") != 0 or got.get("ks_stat") != 0:
            return f"identical inputs gave psi {got.get('psi')!r} and ks_stat {got.get('ks_stat')!r}, expected 0 and 0"
        return ""

    def status_check(case, got, code, want):
        if got.get("status") != want["status"]:
            return f"status is {got.get('status')!r}, but psi {want['psi']:.4f} is {want['status']!r}"
        return ""

    def exit_check(case, got, code, want):
        expected = 1 if want["status"] == "major" else 0
        if code != expected:
            return f"the drift is {want['status']}, so the exit status must be {expected}, got {code}"
        return ""

    def count_check(case, got, code, want):
        for key in ("baseline_n", "current_n"):
            if got.get(key) != want[key]:
                return f"{key} is {got.get(key)!r}, expected {want[key]} (skip blank cells only)"
        return ""

    msg = first_problem(psi_check, {"mild", "shifted", "age"})
    report("Hidden pairs: PSI matches the reference within 1e-6", not msg, msg)
    msg = first_problem(ks_check)
    report("Hidden pairs: KS matches the reference within 1e-6", not msg, msg)
    msg = first_problem(zero_check, {"identical"})
    report("Identical inputs give PSI 0 and KS 0", not msg, msg)
    msg = first_problem(psi_check, {"ties", "clipped"})
    report("Tied values, empty bins and --bins are handled", not msg, msg)
    msg = first_problem(status_check)
    report("status follows the bands: stable < 0.1 <= moderate < 0.25 <= major", not msg, msg)
    msg = first_problem(exit_check)
    report("Exit status is 1 for major drift and 0 otherwise", not msg, msg)
    msg = first_problem(count_check)
    report("Blank cells are skipped and columns are found by name", not msg, msg)

    msg = ""
    for case in cases:
        if not case.get("error"):
            continue
        cmd = [sys.executable, "drift.py", case["baseline"], case["current"], "--column", case["column"]]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = "a timeout"
        if code != 2:
            what = "has no such column" if case["name"] == "no_column" else "holds a cell that is not a number"
            msg = f"when the current file {what}, drift.py must exit with status 2, got {code}"
            break
    report("Unusable input exits with status 2", not msg, msg)

    try:
        extra = imports_only_stdlib("drift.py")
        report("Only the standard library is imported", not extra,
               "drift.py imports " + ", ".join(extra) + ", which is not in Python's standard library")
    except (OSError, SyntaxError) as err:
        report("Only the standard library is imported", False, f"drift.py cannot be parsed: {err}")


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
