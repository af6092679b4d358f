#!/usr/bin/env python3
"""predict.py: score a CSV file with the model that automl.py chose and saved.

Usage:
    python3 predict.py best_model.json ROWS.csv

ROWS.csv needs the model's feature columns (any order; other columns are ignored). Prints one
predicted label, 0 or 1, per row. This file is given: automl.py must write best_model.json in
the form it reads (README.md shows both forms).
"""
import csv
import json
import math
import sys


def stump_predict(model, row):
    if model["polarity"] == "constant":
        return model["label"]
    above = 1 if row[model["features"].index(model["feature"])] > model["threshold"] else 0
    return above if model["polarity"] == "above" else 1 - above


def knn_predict(model, row):
    lo, hi = model["min"], model["max"]

    def scale(values):
        return [(v - a) / (b - a) if b > a else 0.0 for v, a, b in zip(values, lo, hi)]

    def distance(p, q):
        if model["distance"] == "euclidean":
            return math.sqrt(sum((a - b) ** 2 for a, b in zip(p, q)))
        return sum(abs(a - b) for a, b in zip(p, q))

    query = scale(row)
    train = [scale(r) for r in model["rows"]]
    order = sorted(range(len(train)), key=lambda i: (distance(query, train[i]), i))
    votes = sum(model["labels"][i] for i in order[:model["k"]])
    return 1 if votes * 2 > model["k"] else 0


def main(argv):
    if len(argv) != 3:
        print("usage: python3 predict.py best_model.json ROWS.csv", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            model = json.load(f)
        with open(argv[2], newline="", encoding="utf-8") as f:
            rows = [[float(rec[c]) for c in model["features"]] for rec in csv.DictReader(f)]
        predict = {"stump": stump_predict, "knn": knn_predict}[model["model"]]
        for row in rows:
            print(predict(model, row))
    except (OSError, ValueError, KeyError, TypeError, IndexError) as err:
        print(f"predict.py: cannot use {argv[1]} on {argv[2]}: {type(err).__name__}: {err}",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
