#!/usr/bin/env python3
"""importance.py: which columns does a saved model rely on? Permutation importance.

Usage:
    python3 importance.py MODEL.json DATA.csv [--repeats 10] [--seed 0]
                          [--forbid COLUMN,...] [--max-drop 0.01]

Scores the model on DATA.csv, then shuffles one column at a time and scores it again: the loss of
accuracy is that column's importance. Prints one JSON object with the columns ranked, most
important first. Exits 1 when a --forbid column's mean drop is above --max-drop, and 2 when the
model, the data or the options are unusable. README.md has the full rules.
"""
import argparse
import csv
import json
import math
import random  # noqa: F401  (random.Random)
import statistics  # noqa: F401  (mean, pstdev)
import sys

from model import ModelError, load_model

ROUND = 9  # mean drops are compared after rounding to this many decimal places


class InputError(Exception):
    """The data cannot be used; main() prints the message and exits with status 2."""


def load_table(path, target, needed):
    """(columns, rows, labels): the header without the target, one dict of numbers per row, and
    the target's 0/1 labels. needed lists the columns the model reads."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header = list(reader.fieldnames or [])
            if target not in header:
                raise InputError(f"{path}: no target column {target!r}")
            missing = [c for c in needed if c not in header]
            if missing:
                raise InputError(f"{path}: the model needs the column {missing[0]!r}")
            columns = [c for c in header if c != target]
            rows, labels = [], []
            for record in reader:
                where = f"{path}:{reader.line_num}"
                label = (record[target] or "").strip()
                if label not in ("0", "1"):
                    raise InputError(f"{where}: the target must be 0 or 1, not {label!r}")
                try:
                    row = {c: float(record[c]) for c in columns}
                except (TypeError, ValueError):
                    raise InputError(f"{where}: every column must hold numbers") from None
                if not all(math.isfinite(v) for v in row.values()):
                    raise InputError(f"{where}: every value must be a finite number")
                rows.append(row)
                labels.append(int(label))
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    if not rows:
        raise InputError(f"{path}: no rows")
    return columns, rows, labels


def accuracy(model, rows, labels):
    """The share of rows whose prediction equals their label.

    TODO: model.predict(row) gives one row's prediction, 0 or 1.
    """
    raise NotImplementedError("accuracy")


def permutation_drops(model, rows, labels, columns, repeats, seed):
    """{column: [drop, ...]}: the baseline accuracy minus the accuracy with that column shuffled,
    `repeats` times per column, with one random.Random(seed) for the whole run.

    TODO: README.md gives the exact order of the shuffles. Shuffle a copy of the column's
    values with rng.shuffle() and score copies of the rows: rows must stay as they are.
    """
    raise NotImplementedError("permutation_drops")


def rank(drops, columns):
    """One entry per column, most important first: higher mean drop (rounded to ROUND places)
    first, then column order.

    TODO: each entry is {"feature": column, "mean_drop": the mean of its drops (statistics.mean),
    "std_drop": their population standard deviation (statistics.pstdev), "drops": the list}.
    """
    raise NotImplementedError("rank")


def flagged(ranking, forbid, max_drop):
    """The forbidden columns whose mean drop, rounded to ROUND places, is above max_drop, in
    ranking order.

    TODO: a list of feature names, possibly empty.
    """
    raise NotImplementedError("flagged")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Permutation importance of a saved model.")
    parser.add_argument("model", help="the model file (JSON, see model.py)")
    parser.add_argument("data", help="a CSV file with the model's features and its target")
    parser.add_argument("--repeats", type=int, default=10, help="shuffles per column (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the shuffles (default 0)")
    parser.add_argument("--forbid", default="", help="columns the model must not rely on: a,b")
    parser.add_argument("--max-drop", type=float, default=0.01,
                        help="the largest mean drop a forbidden column may have (default 0.01)")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    forbid = [c for c in args.forbid.split(",") if c]
    try:
        model = load_model(args.model)
        columns, rows, labels = load_table(args.data, model.target, model.features)
        unknown = [c for c in forbid if c not in columns]
        if unknown:
            raise InputError(f"--forbid names {unknown[0]!r}, which is not a column of {args.data}")
    except (ModelError, InputError) as err:
        print(f"importance.py: {err}", file=sys.stderr)
        return 2

    drops = permutation_drops(model, rows, labels, columns, args.repeats, args.seed)
    ranking = rank(drops, columns)
    bad = flagged(ranking, forbid, args.max_drop)
    print(json.dumps({"rows": len(rows), "target": model.target,
                      "baseline_accuracy": accuracy(model, rows, labels),
                      "repeats": args.repeats, "seed": args.seed,
                      "ranking": ranking, "flagged": bad}, indent=2))
    for column in bad:
        print(f"importance.py: the model relies on {column}: mean accuracy drop "
              f"{next(e['mean_drop'] for e in ranking if e['feature'] == column):.4f} > "
              f"{args.max_drop}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
