#!/usr/bin/env python3
"""automl.py: a tiny, honest AutoML search over decision stumps and k-nearest neighbours.

Usage:
    python3 automl.py TRAIN.csv [--target churned] [--folds 5] [--out DIR]

Scores every candidate with the same fixed folds (row i is in fold i % folds), writes
DIR/leaderboard.json and DIR/best_model.json (the winner refit on every row), and prints the
leaderboard. Exits 2 when the data or the options are unusable. README.md has the full rules.
"""
import argparse
import csv
import json
import math
import os
import statistics
import sys

K_VALUES = (1, 3, 5, 7)
DISTANCES = ("euclidean", "manhattan")


class InputError(Exception):
    """The data cannot be used; the message says why."""


def load(path, target):
    """Return (feature names, rows of floats, labels) from a CSV file with a header."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            columns = list(reader.fieldnames or [])
            if target not in columns:
                raise InputError(f"{path}: no target column {target!r}")
            features = [c for c in columns if c != target]
            if not features:
                raise InputError(f"{path}: no feature columns")
            rows, labels = [], []
            for record in reader:
                where = f"{path}:{reader.line_num}"
                label = (record[target] or "").strip()
                if label not in ("0", "1"):
                    raise InputError(f"{where}: the target must be 0 or 1, not {label!r}")
                try:
                    row = [float(record[c]) for c in features]
                except (TypeError, ValueError):
                    raise InputError(f"{where}: every feature must be a number") from None
                if not all(math.isfinite(v) for v in row):
                    raise InputError(f"{where}: every feature must be a finite number")
                rows.append(row)
                labels.append(int(label))
    except OSError as err:
        raise InputError(str(err)) from None
    return features, rows, labels


# ---- the two model families -------------------------------------------------------------

def fit_stump(rows, labels, j):
    """The best one-threshold rule on feature j, as a dict (see README.md)."""
    values = sorted({row[j] for row in rows})
    best = None
    for a, b in zip(values, values[1:]):
        t = (a + b) / 2
        above = sum(1 for row, y in zip(rows, labels) if (1 if row[j] > t else 0) == y)
        for polarity, correct in (("above", above), ("below", len(rows) - above)):
            if best is None or correct > best[0]:
                best = (correct, t, polarity)
    if best is None:  # a constant feature: predict the majority label (0 on a tie)
        ones = sum(labels)
        return {"threshold": None, "polarity": "constant",
                "label": 1 if ones * 2 > len(labels) else 0}
    return {"threshold": best[1], "polarity": best[2]}


def predict_stump(stump, j, row):
    if stump["polarity"] == "constant":
        return stump["label"]
    above = 1 if row[j] > stump["threshold"] else 0
    return above if stump["polarity"] == "above" else 1 - above


def min_max(rows):
    columns = list(zip(*rows))
    return [min(c) for c in columns], [max(c) for c in columns]


def scale(row, lo, hi):
    return [(v - a) / (b - a) if b > a else 0.0 for v, a, b in zip(row, lo, hi)]


def distance(p, q, kind):
    if kind == "euclidean":
        return math.sqrt(sum((a - b) ** 2 for a, b in zip(p, q)))
    return sum(abs(a - b) for a, b in zip(p, q))


def knn_predict(train_scaled, labels, query_scaled, k, kind):
    """Majority label of the k nearest training rows; ties in distance go to the earlier row."""
    order = sorted(range(len(train_scaled)),
                   key=lambda i: (distance(query_scaled, train_scaled[i], kind), i))
    votes = sum(labels[i] for i in order[:k])
    return 1 if votes * 2 > min(k, len(order)) else 0


# ---- candidates, cross-validation, ranking ------------------------------------------------

def candidates(features):
    """Every candidate, simplest first: stumps in column order, then k-NN."""
    out = [{"name": f"stump({f})", "model": "stump", "params": {"feature": f}} for f in features]
    for k in K_VALUES:
        for kind in DISTANCES:
            out.append({"name": f"knn(k={k},{kind})", "model": "knn",
                        "params": {"k": k, "distance": kind}})
    return out


def fit_predict(candidate, features, train_rows, train_labels, test_rows):
    """Fit the candidate on the training rows and predict the test rows."""
    if candidate["model"] == "stump":
        j = features.index(candidate["params"]["feature"])
        stump = fit_stump(train_rows, train_labels, j)
        return [predict_stump(stump, j, row) for row in test_rows]
    lo, hi = min_max(train_rows)  # learned from the training part only
    train_scaled = [scale(row, lo, hi) for row in train_rows]
    k, kind = candidate["params"]["k"], candidate["params"]["distance"]
    return [knn_predict(train_scaled, train_labels, scale(row, lo, hi), k, kind)
            for row in test_rows]


def cross_validate(candidate, features, rows, labels, folds):
    scores = []
    for f in range(folds):
        train = [i for i in range(len(rows)) if i % folds != f]
        valid = [i for i in range(len(rows)) if i % folds == f]
        predicted = fit_predict(candidate, features, [rows[i] for i in train],
                                [labels[i] for i in train], [rows[i] for i in valid])
        hits = sum(1 for p, i in zip(predicted, valid) if p == labels[i])
        scores.append(hits / len(valid))
    return scores


def search(features, rows, labels, folds):
    board = []
    for index, candidate in enumerate(candidates(features)):
        scores = cross_validate(candidate, features, rows, labels, folds)
        entry = dict(candidate, mean_accuracy=statistics.mean(scores),
                     std_accuracy=statistics.stdev(scores), fold_accuracies=scores)
        key = (-round(entry["mean_accuracy"], 6), round(entry["std_accuracy"], 6), index)
        board.append((*key, entry))
    board.sort(key=lambda item: item[:3])
    leaderboard = []
    for rank, (*_, entry) in enumerate(board, start=1):
        leaderboard.append(dict(rank=rank, **entry))
    return leaderboard


def refit(winner, features, rows, labels, target):
    """The winner trained on every row, in the form predict.py reads."""
    model = {"model": winner["model"], "name": winner["name"], "target": target,
             "features": features, "cv_mean_accuracy": winner["mean_accuracy"]}
    if winner["model"] == "stump":
        j = features.index(winner["params"]["feature"])
        model["feature"] = winner["params"]["feature"]
        model.update(fit_stump(rows, labels, j))
    else:
        lo, hi = min_max(rows)
        model.update(k=winner["params"]["k"], distance=winner["params"]["distance"],
                     min=lo, max=hi, rows=rows, labels=labels)
    return model


def write_json(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Search stumps and k-NN with fixed-fold CV.")
    parser.add_argument("train", help="a CSV file: numeric features and a 0/1 target")
    parser.add_argument("--target", default="churned", help="the label column (default churned)")
    parser.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    parser.add_argument("--out", default=".", help="where to write the two JSON files")
    args = parser.parse_args(argv)
    try:
        features, rows, labels = load(args.train, args.target)
        if not 2 <= args.folds <= len(rows):
            raise InputError(f"--folds must be between 2 and the number of rows ({len(rows)})")
    except InputError as err:
        print(f"automl.py: {err}", file=sys.stderr)
        return 2
    leaderboard = search(features, rows, labels, args.folds)
    os.makedirs(args.out, exist_ok=True)
    write_json(os.path.join(args.out, "leaderboard.json"), leaderboard)
    write_json(os.path.join(args.out, "best_model.json"),
               refit(leaderboard[0], features, rows, labels, args.target))
    for entry in leaderboard:
        print(f"{entry['rank']:>2}  {entry['name']:<28} accuracy {entry['mean_accuracy']:.3f}"
              f" +/- {entry['std_accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
