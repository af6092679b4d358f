"""influence.py: predict athletes' monthly page views from social signals, and turn the
predictions into capped payouts that fit a budget.

Usage:
    python3 influence.py fit TRAIN.csv [--features followers,wiki_views,likes]
                         [--model model.json] [--protected protected_columns.txt]
    python3 influence.py score ATHLETES.csv --rate R --budget B --cap C [--model model.json]
                         [--holdout HOLDOUT.csv] [--out payouts.csv] [--protected protected_columns.txt]

Exit status 0; 2 when an input is unusable; 5 when a protected column would be used.
README.md has the rules.
"""
import argparse
import csv
import json
import math
import sys

import linalg

TARGET = "page_views"
DEFAULT_FEATURES = "followers,wiki_views,likes"


class InputError(Exception):
    """An input cannot be used; exit status 2."""


class ProtectedColumn(Exception):
    """A protected column was asked for as a feature; exit status 5."""


def number(cell):
    """A usable cell is a finite number, 0 or more ("12", " 3.5 "); anything else gives None."""
    if cell is None:
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def read_protected(path):
    """The protected column names, case-folded. Unreadable list: InputError (fail closed)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the protected-columns list {path}: {err}; "
                         "refusing to run without it") from None
    return {line.strip().casefold() for line in lines
            if line.strip() and not line.strip().startswith("#")}


def check_features(features, protected):
    """Raise ProtectedColumn naming the first feature whose name is on the protected list."""
    for name in features:
        if name.strip().casefold() in protected:
            raise ProtectedColumn(f"{name!r} is a protected column and cannot be used to predict pay")


def fit(rows, features):
    """Least squares for log(page_views + 1) on an intercept and log(feature + 1) per feature.

    rows are dicts (csv.DictReader). A row is used when its target and every feature are
    usable numbers; the others are skipped and counted. Returns the model as a dict.
    """
    k = len(features) + 1
    xtx = [[0.0] * k for _ in range(k)]
    xty = [0.0] * k
    used = skipped = 0
    for row in rows:
        values = [number(row.get(name)) for name in features]
        y = number(row.get(TARGET))
        if y is None or None in values:
            skipped += 1
            continue
        used += 1
        x = [1.0] + [math.log(v + 1) for v in values]
        ly = math.log(y + 1)
        for i in range(k):
            xty[i] += x[i] * ly
            for j in range(k):
                xtx[i][j] += x[i] * x[j]
    if used < k:
        raise InputError(f"only {used} usable rows for {k} coefficients")
    try:
        beta = linalg.solve(xtx, xty)
    except linalg.SingularMatrix:
        raise InputError("cannot fit: a feature is constant, all zero, or a mix of the others") from None
    return {"target": TARGET, "features": list(features), "intercept": beta[0],
            "coefficients": dict(zip(features, beta[1:])), "rows": used, "skipped": skipped}


def predict_views(model, row):
    """Predicted monthly page views for one row (never below 0), or None when a feature is unusable."""
    z = model["intercept"]
    for name in model["features"]:
        value = number(row.get(name))
        if value is None:
            return None
        z += model["coefficients"][name] * math.log(value + 1)
    return max(0.0, math.exp(z) - 1)


def plan_payouts(views, rate, budget, cap):
    """Offers capped per athlete, scaled down together to fit the budget, rounded down to cents."""
    offers = [min(rate * v, cap) for v in views]
    offered = sum(offers)
    scale = budget / offered if offered > budget else 1.0
    payouts = [math.floor(offer * scale * 100) / 100 for offer in offers]
    capped = sum(1 for v in views if rate * v >= cap)
    return {"offers": offers, "offered": offered, "scale": scale, "payouts": payouts, "capped": capped}


def mape(pairs):
    """(MAPE in percent, rows used) over (actual, predicted) pairs whose actual is above 0."""
    used = [(actual, predicted) for actual, predicted in pairs if actual > 0]
    if not used:
        return None, 0
    return 100 * sum(abs(actual - predicted) / actual for actual, predicted in used) / len(used), len(used)


# ---- files and the command line (done) -------------------------------------------------------

def read_csv(path, needed):
    """The rows of a CSV file as dicts; InputError when it cannot be read or lacks a column."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [name for name in needed if name not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path} has no column {', '.join(missing)}")
            return list(reader)
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {path}: {err}") from None


def read_model(path):
    try:
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the model {path}: {err}") from None
    ok = (isinstance(model, dict) and isinstance(model.get("features"), list) and model["features"]
          and all(isinstance(n, str) for n in model["features"])
          and isinstance(model.get("coefficients"), dict)
          and all(isinstance(model["coefficients"].get(n), (int, float)) for n in model["features"])
          and isinstance(model.get("intercept"), (int, float)))
    if not ok:
        raise InputError(f"{path} is not a model written by `influence.py fit`")
    return model


def cmd_fit(args):
    protected = read_protected(args.protected)
    features = [name.strip() for name in args.features.split(",")]
    if not all(features):
        raise InputError(f"--features has an empty name: {args.features!r}")
    check_features(features, protected)
    rows = read_csv(args.train, [TARGET] + features)
    model = fit(rows, features)
    with open(args.model, "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    print(json.dumps(model))


def cmd_score(args):
    protected = read_protected(args.protected)
    model = read_model(args.model)
    check_features(model["features"], protected)
    for name in ("rate", "budget", "cap"):
        value = getattr(args, name)
        if not (math.isfinite(value) and value > 0):
            raise InputError(f"--{name} must be a number above 0, not {value:g}")
    athletes = read_csv(args.athletes, ["athlete_id"] + model["features"])
    holdout = read_csv(args.holdout, model["features"] + [TARGET]) if args.holdout else None

    scored, unscored = [], []
    for row in athletes:
        views = predict_views(model, row)
        if views is None:
            unscored.append(row["athlete_id"])
        else:
            scored.append((row["athlete_id"], views))
    plan = plan_payouts([views for _, views in scored], args.rate, args.budget, args.cap)

    error, error_rows = None, 0
    if holdout is not None:
        pairs = []
        for row in holdout:
            actual, predicted = number(row.get(TARGET)), predict_views(model, row)
            if actual is not None and predicted is not None:
                pairs.append((actual, predicted))
        error, error_rows = mape(pairs)

    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["athlete_id", "predicted_views", "payout"])
        for (athlete_id, views), payout in zip(scored, plan["payouts"]):
            writer.writerow([athlete_id, f"{views:.1f}", f"{payout:.2f}"])
    total_cents = sum(round(p * 100) for p in plan["payouts"])
    print(json.dumps({"athletes": len(scored), "unscored": unscored,
                      "offered": round(plan["offered"], 2), "scale": round(plan["scale"], 6),
                      "total": round(total_cents / 100, 2), "capped": plan["capped"],
                      "mape": None if error is None else round(error, 2), "mape_rows": error_rows}))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="influence.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("fit", help="fit the log-linear model on a training file")
    p.add_argument("train", help="CSV with page_views and the feature columns")
    p.add_argument("--features", default=DEFAULT_FEATURES, help="comma-separated column names")
    p.add_argument("--model", default="model.json", help="where to write the model")
    p.add_argument("--protected", default="protected_columns.txt", help="columns never to use")
    p.set_defaults(run=cmd_fit)
    s = commands.add_parser("score", help="predict views and propose payouts")
    s.add_argument("athletes", help="CSV with athlete_id and the model's feature columns")
    s.add_argument("--rate", type=float, required=True, help="dollars per predicted view")
    s.add_argument("--budget", type=float, required=True, help="total dollars available")
    s.add_argument("--cap", type=float, required=True, help="most dollars for one athlete")
    s.add_argument("--model", default="model.json", help="a model written by fit")
    s.add_argument("--holdout", help="CSV with page_views, to report MAPE")
    s.add_argument("--out", default="payouts.csv", help="where to write the payouts")
    s.add_argument("--protected", default="protected_columns.txt", help="columns never to use")
    s.set_defaults(run=cmd_score)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except ProtectedColumn as err:
        print(f"influence.py: refused: {err}", file=sys.stderr)
        return 5
    except InputError as err:
        print(f"influence.py: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
