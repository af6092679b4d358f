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
    """The best one-threshold rule on feature j, as a dict (see README.md).

    TODO: the candidate thresholds are the midpoints (a + b) / 2 of consecutive distinct values
    of feature j, in increasing order. For each threshold try "above" (predict 1 when x > t,
    else 0), then "below" (the opposite). Keep the first that gets the most training rows
    right. Return {"threshold": t, "polarity": "above" or "below"}. When feature j has a single
    value, return {"threshold": None, "polarity": "constant", "label": the majority label, 0 on
    a tie}.
    """
    raise NotImplementedError("fit_stump")


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
    """TODO: "euclidean": the square root of the sum of squared differences;
    "manhattan": the sum of absolute differences."""
    raise NotImplementedError("distance")


def knn_predict(train_scaled, labels, query_scaled, k, kind):
    """Majority label of the k nearest training rows; ties in distance go to the earlier row.

    TODO: sort the training rows by (distance to the query, position), take the first k and
    return 1 when more than half of their labels are 1, else 0.
    """
    raise NotImplementedError("knn_predict")


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
    # TODO: k-NN. Scale the training rows and the test rows with min_max() and scale(), then
    # call knn_predict() for each test row. Which rows may the min and max come from?
    raise NotImplementedError("fit_predict for k-NN")


def cross_validate(candidate, features, rows, labels, folds):
    """The candidate's accuracy on each fold, as a list of `folds` numbers.

    TODO: row i (counting from 0, in file order) belongs to fold i % folds. For each fold f,
    fit on the rows outside it and score on the rows inside it: accuracy = hits / rows in f.
    """
    raise NotImplementedError("cross_validate")


def search(features, rows, labels, folds):
    """The leaderboard: one entry per candidate, best first (see README.md).

    TODO: for each candidate, in the order candidates() gives them, compute its fold
    accuracies, their mean (statistics.mean) and sample standard deviation (statistics.stdev).
    Rank by mean rounded to 6 places (higher first), then std rounded to 6 places (lower
    first), then the candidate's position in candidates() (simpler first). Each entry is the
    candidate's dict plus "rank", "mean_accuracy", "std_accuracy" and "fold_accuracies".
    """
    raise NotImplementedError("search")


def refit(winner, features, rows, labels, target):
    """The winner trained on every row, in the form predict.py reads (see README.md).

    TODO: start from {"model", "name", "target", "features", "cv_mean_accuracy"}; a stump adds
    "feature" and what fit_stump() returns; a k-NN adds "k", "distance", "min", "max" (of all
    rows), "rows" and "labels".
    """
    raise NotImplementedError("refit")


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
