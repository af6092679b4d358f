#!/usr/bin/env python3
"""export.py: "framework A". A trained logistic regression, its own predict(), and an
exporter to the ONNX-lite format.

    python3 export.py coef.csv > model.json          export the model
    python3 export.py coef.csv --predict inputs.json  framework A's own predictions

The predictions are the reference a converted model must match (reference_preds.json holds
them for inputs.json).
"""
import csv
import json
import math
import sys


def read_coef(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    features = [r["feature"] for r in rows if r["feature"] != "(intercept)"]
    coef = [float(r["coefficient"]) for r in rows if r["feature"] != "(intercept)"]
    intercept = next(float(r["coefficient"]) for r in rows if r["feature"] == "(intercept)")
    return features, coef, intercept


def predict(coef, intercept, row):
    z = intercept + sum(c * x for c, x in zip(coef, row))
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def export(features, coef, intercept):
    return {
        "format_version": 1,
        "opset": 1,
        "producer": {"name": "framework-a", "version": "0.3.1", "features": features},
        "inputs": [{"name": "x", "shape": [None, len(coef)]}],
        "initializers": {"W": [[c] for c in coef], "b": [intercept]},
        "nodes": [
            {"op": "MatMul", "inputs": ["x", "W"], "output": "xw"},
            {"op": "Add", "inputs": ["xw", "b"], "output": "z"},
            {"op": "Sigmoid", "inputs": ["z"], "output": "p"},
        ],
        "outputs": ["p"],
    }


def main(argv):
    features, coef, intercept = read_coef(argv[0])
    if argv[1:2] == ["--predict"]:
        with open(argv[2]) as f:
            rows = json.load(f)["x"]
        json.dump({"p": [[predict(coef, intercept, r)] for r in rows]}, sys.stdout)
    else:
        json.dump(export(features, coef, intercept), sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
