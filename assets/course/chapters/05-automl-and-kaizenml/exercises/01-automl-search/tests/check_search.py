"""Run the learner's automl.py on this attempt's hidden tables and compare with the reference.

Writes {"tests": [...]} to $KAIZEN_RESULTS.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from searchref import leaderboard, read, refit_predict, stump_fit  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
SCRATCH = tempfile.mkdtemp(prefix="automl-")
TOL = 1e-9
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def last_line(text):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "(nothing on stderr)"


def run(case):
    """Run automl.py on a case; return (leaderboard, best_model, error message)."""
    out = os.path.join(SCRATCH, case["name"])
    os.makedirs(out, exist_ok=True)
    cmd = [sys.executable, "automl.py", case["path"], "--target", case["target"],
           "--folds", str(case["folds"]), "--out", out]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=40)
    except subprocess.TimeoutExpired:
        return None, None, "automl.py did not finish within 40 s"
    if proc.returncode != 0:
        return None, None, f"automl.py exited with status {proc.returncode}: {last_line(proc.stderr)}"
    found = []
    for name in ("leaderboard.json", "best_model.json"):
        try:
            with open(os.path.join(out, name)) as f:
                found.append(json.load(f))
        except OSError:
            return None, None, f"automl.py did not write {name} into --out"
        except ValueError:
            return None, None, f"{name} is not valid JSON"
    board, best = found
    if not isinstance(board, list) or not all(isinstance(e, dict) for e in board):
        return None, None, "leaderboard.json must hold a list of objects"
    return board, best, ""


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def scores_problem(board, want, leaky=None, blocks=None):
    """The first difference in fold accuracies, mean or std, by candidate name."""
    got = {e.get("name"): e for e in board}
    for w in sorted(want, key=lambda e: e["name"]):
        g = got.get(w["name"])
        if g is None:
            return f"the leaderboard has no entry named {w['name']!r}"
        folds = g.get("fold_accuracies")
        same_folds = (isinstance(folds, list) and len(folds) == len(w["fold_accuracies"])
                      and all(number(a) and abs(a - b) <= TOL for a, b in zip(folds, w["fold_accuracies"])))
        if not same_folds or not number(g.get("mean_accuracy")) or not number(g.get("std_accuracy")) \
                or abs(g["mean_accuracy"] - w["mean_accuracy"]) > TOL \
                or abs(g["std_accuracy"] - w["std_accuracy"]) > TOL:
            msg = (f"{w['name']}: fold accuracies {short(folds)}, expected "
                   f"{short(w['fold_accuracies'])}")
            if same_folds:
                msg = (f"{w['name']}: mean {g.get('mean_accuracy')!r} and std "
                       f"{g.get('std_accuracy')!r}, expected {w['mean_accuracy']!r} and "
                       f"{w['std_accuracy']!r} (the sample standard deviation, statistics.stdev)")
            for other, why in ((leaky, "the min and max for scaling came from the whole table: "
                                "learn them from the training folds only"),
                               (blocks, "the folds are contiguous blocks: row i belongs to fold "
                                "i % folds")):
                if other and isinstance(folds, list) and all(
                        number(a) and abs(a - b) <= TOL for a, b in zip(folds, other[w["name"]])):
                    msg += f": {why}"
            return msg
    return ""


def short(values):
    if not isinstance(values, list):
        return repr(values)
    return "[" + ", ".join(f"{v:.4f}" if number(v) else repr(v) for v in values) + "]"


def order_problem(board, want):
    """Is the list ranked by the rule, judged on the learner's own numbers? (Wrong numbers
    are the other tests' business.)"""
    position = {w["name"]: i for i, w in enumerate(sorted(want, key=lambda w: w["index"]))}
    names = [e.get("name") for e in board]
    if sorted(map(str, names)) != sorted(position):
        return "the leaderboard must list each candidate once, by its name"
    for e in board:
        if not number(e.get("mean_accuracy")) or not number(e.get("std_accuracy")):
            return f"{e.get('name')}: mean_accuracy and std_accuracy must be numbers"
    ranked = sorted(board, key=lambda e: (-round(e["mean_accuracy"], 6), round(e["std_accuracy"], 6),
                                          position[e["name"]]))
    for i, (g, w) in enumerate(zip(board, ranked), start=1):
        if g["name"] != w["name"]:
            tie = (round(g["mean_accuracy"], 6) == round(w["mean_accuracy"], 6)
                   and round(g["std_accuracy"], 6) == round(w["std_accuracy"], 6))
            why = (": they tie on mean and std, so the simpler one ranks first (stumps before "
                   "k-NN, stumps in column order, smaller k, euclidean before manhattan)" if tie
                   else ": by your own numbers, rank by mean rounded to 6 places (higher first), "
                   "then std rounded to 6 places (lower first), best first in the list")
            return f"rank {i} is {g['name']!r}, expected {w['name']!r}{why}"
    if [e.get("rank") for e in board] != list(range(1, len(board) + 1)):
        return "each entry's \"rank\" must be its place in the list: 1, 2, 3, ..."
    return ""


def main():
    with open(os.path.join(GEN, "cases.json")) as f:
        cases = json.load(f)
    by_name = {c["name"]: c for c in cases}
    runs, refs, data = {}, {}, {}
    for case in cases:
        if case["name"].startswith("bad_"):
            continue
        features, rows, labels = read(case["path"], case["target"])
        data[case["name"]] = (features, rows, labels)
        refs[case["name"]] = leaderboard(features, rows, labels, case["folds"])
        runs[case["name"]] = run(case)

    def check(names, problem):
        for name in names:
            board, best, err = runs[name]
            msg = err or problem(name, board, best)
            if msg:
                return f"table {name!r}: {msg}"
        return ""

    def complete(name, board, best):
        want = {w["name"] for w in refs[name]}
        got = [e.get("name") for e in board]
        missing = sorted(want - set(got))
        if missing:
            return f"the leaderboard lacks {missing[0]} ({len(missing)} candidate(s) missing)"
        extra = sorted(set(map(str, got)) - want)
        if extra or len(got) != len(want):
            return f"the leaderboard must list each of the {len(want)} candidates once"
        return ""

    msg = check(["threshold"], complete)
    report("leaderboard.json lists every stump and every k-NN candidate once", not msg, msg)

    def blocks_of(name):
        features, rows, labels = data[name]
        return {e["name"]: e["fold_accuracies"]
                for e in leaderboard(features, rows, labels, by_name[name]["folds"], blocks=True)}

    def leaky_of(name):
        features, rows, labels = data[name]
        return {e["name"]: e["fold_accuracies"]
                for e in leaderboard(features, rows, labels, by_name[name]["folds"], leaky=True)}

    msg = check(["threshold", "neighbours"],
                lambda n, b, _: scores_problem(b, refs[n], leaky=leaky_of(n), blocks=blocks_of(n)))
    report("Hidden tables: fold accuracies, mean and std of every candidate (within 1e-9)",
           not msg, msg)

    msg = check(["outlier"], lambda n, b, _: scores_problem(b, refs[n], leaky=leaky_of(n)))
    report("k-NN scaling is learned inside each fold, never from the whole table", not msg, msg)

    msg = check(["twins", "threshold", "neighbours"], lambda n, b, _: order_problem(b, refs[n]))
    report("The ranking: higher mean, then lower std, then the simpler model", not msg, msg)

    msg = check(["custom"], lambda n, b, _: scores_problem(b, refs[n]) or order_problem(b, refs[n]))
    report("--target and --folds are honoured (here 4 folds of unequal size)", not msg, msg)

    def refit_problem(name, board, best):
        winner = refs[name][0]["name"]
        if not isinstance(best, dict) or best.get("name") != winner:
            return (f"best_model.json names {best.get('name') if isinstance(best, dict) else None!r},"
                    f" but the winner is {winner!r}")
        features, rows, labels = data[name]
        if winner.startswith("stump("):
            j = features.index(winner[6:-1])
            t, polarity, _ = stump_fit([r[j] for r in rows], labels)
            got_t = best.get("threshold")
            if best.get("polarity") != polarity or not number(got_t) or abs(got_t - t) > TOL:
                return (f"the refit stump is {best.get('polarity')!r} {got_t!r}, expected "
                        f"{polarity!r} {t!r}: refit the winner on every row of the table")
        else:
            lo = [min(c) for c in zip(*rows)]
            hi = [max(c) for c in zip(*rows)]
            if best.get("min") != lo or best.get("max") != hi or len(best.get("rows") or []) != len(rows):
                return ("the refit k-NN must keep every row of the table, and the min and max "
                        "of every row")
        with open(by_name[name]["new"], newline="") as f:
            new = [[float(r[c]) for c in features] for r in csv.DictReader(f)]
        want = refit_predict(winner, features, rows, labels, new)
        model = os.path.join(SCRATCH, name, "best_model.json")
        proc = subprocess.run([sys.executable, "predict.py", model, by_name[name]["new"]],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30)
        if proc.returncode != 0:
            return f"predict.py cannot use best_model.json: {last_line(proc.stderr)}"
        got = proc.stdout.split()
        wrong = [i for i, (g, w) in enumerate(zip(got, want), start=1) if g != str(w)]
        if len(got) != len(want) or wrong:
            return (f"predict.py with your best_model.json disagrees with the reference on "
                    f"{len(wrong) + abs(len(got) - len(want))} of {len(want)} new rows: refit the "
                    "winner on every row of the table (thresholds, min and max from all rows)")
        return ""

    msg = check(["threshold", "neighbours"], refit_problem)
    report("best_model.json is the winner refit on every row, and predict.py reads it", not msg, msg)

    msg = ""
    for case in cases:
        if not case["name"].startswith("bad_"):
            continue
        cmd = [sys.executable, "automl.py", case["path"], "--target", case["target"],
               "--folds", str(case["folds"]), "--out", os.path.join(SCRATCH, case["name"])]
        try:
            code = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  timeout=40).returncode
        except subprocess.TimeoutExpired:
            code = "a timeout"
        if code != 2:
            what = {"bad_cell": "a table with a feature cell that is not a number",
                    "bad_label": "a table whose target holds something other than 0 or 1",
                    "bad_folds": "--folds 1"}[case["name"]]
            msg = f"given {what}, automl.py must exit with status 2, got {code}"
            break
    report("Unusable tables and options exit with status 2", not msg, msg)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
