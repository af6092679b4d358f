"""Run the learner's importance.py on this attempt's hidden models and tables; compare with impref.py.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages say what differs and, where a known
mistake gives exactly the learner's numbers, which mistake.
"""
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import impref  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
TOL = 1e-9
results = []

MISTAKES = {
    "reseed": "each column got a new random.Random(seed): make one generator before the loop "
              "over the columns, so the shuffles go on from one column to the next",
    "per_repeat": "each shuffle got a new random.Random(seed): make one generator for the whole "
                  "run",
    "inplace": "the shuffles changed the rows themselves: shuffle a copy of the column's values "
               "and score copies of the rows, so every shuffle starts from the real data",
    "flipped": "the sign is the wrong way round: drop = baseline accuracy - shuffled accuracy",
    "sorted": "the columns were shuffled in name order: go through them in the order of the "
              "file's header",
    "model_only": "only the model's features were shuffled: every column except the target gets "
                  "its shuffles, and the generator goes on from one column to the next",
}
RECIPE = ("README.md gives the exact recipe: one random.Random(seed) for the whole run, the columns "
          "in header order, and for each, --repeats calls of rng.shuffle() on a copy of its values")


def report(name, message):
    results.append({"name": name, "status": "fail" if message else "pass", "message": message})


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def close(a, b):
    return number(a) and abs(a - b) <= TOL


def last_line(text):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "(nothing on stderr)"


def run(r):
    args = [sys.executable, "importance.py", os.path.join(GEN, r["model"]), os.path.join(GEN, r["data"]),
            "--repeats", str(r["repeats"]), "--seed", str(r["seed"])]
    if "forbid" in r:
        args += ["--forbid", r["forbid"], "--max-drop", str(r["max_drop"])]
    r["label"] = " ".join(f"--{k.replace('_', '-')} {r[k]}" for k in ("repeats", "seed", "forbid", "max_drop")
                          if k in r)
    try:
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=30)
    except subprocess.TimeoutExpired:
        r["code"], r["got"], r["err"] = None, None, "importance.py did not finish within 30 s"
        return
    r["code"] = proc.returncode
    r["got"], r["err"] = None, ""
    if proc.returncode not in (0, 1):
        r["err"] = f"importance.py exited with status {proc.returncode}: {last_line(proc.stderr)}"
        return
    try:
        got = json.loads(proc.stdout)
    except ValueError:
        r["err"] = (f"importance.py did not print one JSON object on stdout (exit status "
                    f"{proc.returncode}: {last_line(proc.stderr)})")
        return
    if not isinstance(got, dict):
        r["err"] = "importance.py must print a JSON object"
        return
    r["got"] = got


def entries(got):
    """The learner's ranking as {feature: entry}, or raise ValueError with a message."""
    ranking = got.get("ranking")
    if not isinstance(ranking, list) or not all(isinstance(e, dict) for e in ranking):
        raise ValueError("\"ranking\" must be a list of objects")
    return {e.get("feature"): e for e in ranking}


def check_each(name, runs, problem):
    """Report the first problem over the runs; a checker crash on an odd output is an error."""
    for r in runs:
        try:
            msg = r["err"] or problem(r)
        except ValueError as err:
            msg = str(err)
        except Exception as err:  # noqa: BLE001
            results.append({"name": name, "status": "error",
                            "message": f"the checker broke on this output: {type(err).__name__}: {err}"})
            return
        if msg:
            return report(name, f"{r['model']} with {r['label']}: {msg}")
    report(name, "")


def main():
    with open(os.path.join(GEN, "runs.json")) as f:
        runs = {r["name"]: r for r in json.load(f)}
    for r in runs.values():
        spec, columns, rows, labels = impref.load(os.path.join(GEN, r["model"]), os.path.join(GEN, r["data"]))
        r.update(spec=spec, columns=columns, rows=rows, labels=labels,
                 base=impref.accuracy(spec, rows, labels))
        r["want"] = impref.drops(spec, columns, rows, labels, r["repeats"], r["seed"])
        r["ranking"] = impref.ranking(r["want"], columns)
        run(r)

    def baseline_ok(r):
        got = r["got"].get("baseline_accuracy")
        if not close(got, r["base"]):
            msg = f"baseline_accuracy is {got!r}, expected {r['base']!r}"
            after = impref.drops(r["spec"], r["columns"], r["rows"], r["labels"], r["repeats"],
                                 r["seed"], "inplace")["_accuracy_after"]
            if close(got, after):
                return msg + (": that is the accuracy after the shuffles changed the rows; "
                              "shuffle a copy of each column and leave the rows as they are")
            return msg + ": the share of rows whose prediction equals the label"
        return ""

    check_each("Hidden data: baseline_accuracy is the share of right predictions",
               [runs["linear"], runs["tree"]], baseline_ok)

    def columns_ok(r):
        found = entries(r["got"])
        names = [e.get("feature") for e in r["got"]["ranking"]]
        target = r["spec"]["target"]
        if target in found:
            return f"the target {target!r} is ranked too: shuffle every column except the target"
        missing = [c for c in r["columns"] if c not in found]
        if missing:
            extra = (": shuffle every column of the file, also those the model does not read"
                     if missing[0] not in r["spec"]["features"] else "")
            return f"the ranking has no entry for {missing[0]!r}{extra}"
        if len(names) != len(r["columns"]):
            return f"the ranking must list each of the {len(r['columns'])} columns once"
        return ""

    check_each("Hidden data: every column except the target is ranked, once",
               [runs["linear"], runs["tree"]], columns_ok)

    def mistake_for(r):
        """The known mistake that gives every one of the learner's drop lists, or ""."""
        found = entries(r["got"])
        got = {c: e.get("drops") for c, e in found.items() if isinstance(e.get("drops"), list)}
        for mistake, why in MISTAKES.items():
            other = impref.drops(r["spec"], r["columns"], r["rows"], r["labels"], r["repeats"],
                                 r["seed"], mistake)
            shared = [c for c in got if c in other and c != "_accuracy_after"]
            if shared and all(len(got[c]) == len(other[c]) and all(close(g, w) for g, w in zip(got[c], other[c]))
                              for c in shared):
                return why
        return RECIPE

    def drops_ok(r):
        found = entries(r["got"])
        for column in r["columns"]:
            want, got = r["want"][column], (found.get(column) or {}).get("drops")
            if column not in found:
                continue  # the test above names missing columns
            if not isinstance(got, list) or len(got) != len(want):
                return (f"{column}: drops must be a list of --repeats = {r['repeats']} numbers, got "
                        f"{short(got)}")
            if not all(close(g, w) for g, w in zip(got, want)):
                return f"{column}: drops are {short(got)}, expected {short(want)}: {mistake_for(r)}"
        return ""

    check_each("Hidden data: every column's drops, for this seed (within 1e-9)", [runs["linear"]],
               drops_ok)

    def summary_ok(r):
        found = entries(r["got"])
        for e in r["ranking"]:
            g = found.get(e["feature"])
            if g is None:
                continue
            if not close(g.get("mean_drop"), e["mean_drop"]):
                msg = f"{e['feature']}: mean_drop is {g.get('mean_drop')!r}, expected {e['mean_drop']!r}"
                own = g.get("drops")
                if not (isinstance(own, list) and len(own) == len(e["drops"])
                        and all(close(a, b) for a, b in zip(own, e["drops"]))):
                    msg += " (its drops differ too: get them right first)"
                return msg
            if not close(g.get("std_drop"), e["std_drop"]):
                msg = f"{e['feature']}: std_drop is {g.get('std_drop')!r}, expected {e['std_drop']!r}"
                if len(e["drops"]) > 1 and close(g.get("std_drop"), statistics.stdev(e["drops"])):
                    msg += (": that is the sample standard deviation; use the population one, "
                            "statistics.pstdev")
                return msg
        return ""

    check_each("Hidden data: mean_drop and std_drop (the population standard deviation)",
               [runs["linear"], runs["tree"]], summary_ok)

    def order_ok(r):
        entries(r["got"])
        ranking = r["got"]["ranking"]
        position = {c: i for i, c in enumerate(r["columns"])}
        if any(e.get("feature") not in position or not number(e.get("mean_drop")) for e in ranking):
            return "fix the entries first: each needs a column name and a number mean_drop"
        want = sorted(ranking, key=lambda e: (-round(e["mean_drop"], 9), position[e["feature"]]))
        for i, (g, w) in enumerate(zip(ranking, want), start=1):
            if g["feature"] != w["feature"]:
                tie = round(g["mean_drop"], 9) == round(w["mean_drop"], 9)
                why = (": they have the same mean drop, so the one further left in the file's "
                       "header comes first" if tie else
                       ": by your own numbers, a higher mean_drop ranks first")
                return f"entry {i} is {g['feature']!r}, expected {w['feature']!r}{why}"
        return ""

    check_each("The ranking: higher mean drop first, ties in the file's column order",
               [runs["linear"], runs["tree"]], order_ok)

    def unread_ok(r):
        found = entries(r["got"])
        unread = [c for c in r["columns"] if c not in impref.used_columns(r["spec"])]
        for column in unread:
            g = found.get(column)
            if g is None:
                return f"the ranking has no entry for {column!r}, a column the model never reads"
            if g.get("mean_drop") != 0 or any(d != 0 for d in (g.get("drops") or [1])):
                return (f"{column} is never read by the model, so shuffling it cannot change a "
                        f"prediction, yet its drops are {short(g.get('drops'))}: compare each "
                        "shuffled score with the same baseline, and change only that column")
        return ""

    check_each("Columns the model never reads (an ID, a copy of a feature) get exactly 0",
               [runs["tree"], runs["linear"]], unread_ok)

    def again_ok(r):
        found = entries(r["got"])
        for column in r["columns"]:
            got = (found.get(column) or {}).get("drops")
            want = r["want"][column]
            if not isinstance(got, list) or len(got) != len(want) or not all(
                    close(g, w) for g, w in zip(got, want)):
                msg = f"{column}: drops are {short(got)}, expected {short(want)}"
                return msg + (f": {mistake_for(r)}" if isinstance(got, list) else "")
        return ""

    check_each("Another model, another seed, and --repeats 1 give the reference's drops too",
               [runs["tree"], runs["tree_once"]], again_ok)

    def forbid_ok(r):
        flagged = [e["feature"] for e in r["ranking"]
                   if e["feature"] in r["forbid"].split(",") and round(e["mean_drop"], 9) > r["max_drop"]]
        got = r["got"].get("flagged")
        if got != flagged:
            msg = f"flagged is {short(got)}, expected {short(flagged)}"
            own = entries(r["got"])
            if got and not flagged and isinstance(got, list) and all(
                    (own.get(c) or {}).get("mean_drop") == 0 for c in got if isinstance(c, str)):
                msg += ": a mean drop of 0 is not above --max-drop 0; flag only when it is greater"
            else:
                msg += (": the --forbid columns whose mean drop is above --max-drop, in ranking "
                        "order")
            return msg
        want_code = 1 if flagged else 0
        if r["code"] != want_code:
            return (f"flagged is right, but the exit status is {r['code']}; expected {want_code} "
                    "(1 when a column is flagged, else 0)")
        return ""

    check_each("--forbid flags a forbidden column above --max-drop and exits with status 1",
               [runs["forbid_hit"]], forbid_ok)
    check_each("Forbidden columns at exactly 0 are not above --max-drop 0: nothing flagged, exit 0",
               [runs["forbid_clear"]], forbid_ok)


def short(value):
    if isinstance(value, list) and all(number(v) for v in value):
        text = "[" + ", ".join(f"{v:.4f}" for v in value[:6]) + (", ..." if len(value) > 6 else "") + "]"
    else:
        text = json.dumps(value)
    return text if len(text) <= 90 else text[:87] + "..."


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # a bug in this checker: say so instead of blaming the learner
        results.append({"name": "The checker ran", "status": "error",
                        "message": f"{type(err).__name__}: {err}"})
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
