"""scoring.py: the churn model and its input rules. Library code, imported by predict.py.

Every diagnostic here is a print() with its level as a prefix, the way the prototype grew up.
"""
import csv
import math
import sys

from vendor import http


def load_model(path):
    """Fetch the model (name, version, bias, weights, defaults) from the model store."""
    print(f"[debug] fetching model from {path}")
    model = http.fetch_json(path)
    print(f"[debug] model {model['name']} {model['version']} has {len(model['weights'])} weights")
    return model


def read_rows(path):
    """Return the rows of a CSV file as dicts keyed by the header. Raises OSError."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print(f"[debug] read {len(rows)} rows from {path}")
    return rows


def score_row(model, row):
    """Return the churn probability for one athlete, or None when the row is unusable.

    A missing feature gets the model's default; a feature that is not a number skips the row.
    """
    athlete = row.get("athlete") or "?"
    z = model["bias"]
    for name, weight in sorted(model["weights"].items()):
        text = (row.get(name) or "").strip()
        if not text:
            value = model["defaults"][name]
            print(f"[warning] {athlete}: {name} is missing, using default {value}")
        else:
            try:
                value = float(text)
            except ValueError:
                print(f"[error] {athlete}: {name} is not a number ({text!r}), row skipped",
                      file=sys.stderr)
                return None
        z += weight * value
    score = 1.0 / (1.0 + math.exp(-z))
    print(f"[debug] {athlete}: z={z:.3f} score={score:.4f}")
    return score
