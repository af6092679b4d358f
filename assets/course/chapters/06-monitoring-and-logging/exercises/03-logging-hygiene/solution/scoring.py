"""scoring.py: the churn model and its input rules. Library code, imported by predict.py.

It only asks for its logger and logs; predict.py decides where the records go and which
levels pass.
"""
import csv
import logging
import math

from vendor import http

log = logging.getLogger("churn.scoring")


def load_model(path):
    """Fetch the model (name, version, bias, weights, defaults) from the model store."""
    log.debug("fetching model from %s", path)
    model = http.fetch_json(path)
    log.debug("model %s %s has %d weights", model["name"], model["version"], len(model["weights"]))
    return model


def read_rows(path):
    """Return the rows of a CSV file as dicts keyed by the header. Raises OSError."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    log.debug("read %d rows from %s", len(rows), path)
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
            log.warning("%s: %s is missing, using default %s", athlete, name, value)
        else:
            try:
                value = float(text)
            except ValueError:
                log.error("%s: %s is not a number (%r), row skipped", athlete, name, text)
                return None
        z += weight * value
    score = 1.0 / (1.0 + math.exp(-z))
    log.debug("%s: z=%.3f score=%.4f", athlete, z, score)
    return score
