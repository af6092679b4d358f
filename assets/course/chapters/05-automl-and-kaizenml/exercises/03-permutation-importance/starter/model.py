"""model.py: load a saved classifier and make predictions with it (given; do not change it).

A model file is JSON in one of two forms. Both name the target column and the features the model
reads; every feature value is a number.

A decision tree: an inner node sends a row to "left" when row[feature] <= threshold, else to
"right"; a leaf holds the predicted label.

    {"kind": "tree", "target": "churned", "features": ["posts_7d", "cancel_visits"],
     "root": {"feature": "cancel_visits", "threshold": 0.5,
              "left": {"feature": "posts_7d", "threshold": 2.5,
                       "left": {"label": 1}, "right": {"label": 0}},
              "right": {"label": 1}}}

A linear classifier: predict 1 when bias + the sum of weight * value is above 0, else 0.

    {"kind": "linear", "target": "churned", "features": ["posts_7d", "sessions_7d"],
     "weights": {"posts_7d": -0.4, "sessions_7d": -0.1}, "bias": 2.5}

Only predict() matters to permutation importance: it works the same for any kind of model.
"""
import json


class ModelError(Exception):
    """The model file cannot be used; the message says why."""


class Model:
    def __init__(self, spec):
        self.kind = spec["kind"]
        self.target = spec["target"]
        self.features = list(spec["features"])
        self._spec = spec

    def predict(self, row):
        """The predicted label, 0 or 1, of one row: a dict from column name to number."""
        if self.kind == "linear":
            score = self._spec["bias"] + sum(self._spec["weights"][f] * row[f] for f in self.features)
            return 1 if score > 0 else 0
        node = self._spec["root"]
        while "label" not in node:
            node = node["left"] if row[node["feature"]] <= node["threshold"] else node["right"]
        return node["label"]


def load_model(path):
    """Read and check a model file; raise ModelError when it cannot be used."""
    try:
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
    except OSError as err:
        raise ModelError(f"cannot read {path}: {err.strerror}") from None
    except ValueError as err:
        raise ModelError(f"{path} is not valid JSON: {err}") from None
    if not isinstance(spec, dict) or spec.get("kind") not in ("tree", "linear"):
        raise ModelError(f"{path}: \"kind\" must be \"tree\" or \"linear\"")
    features = spec.get("features")
    if not isinstance(spec.get("target"), str) or not isinstance(features, list) or not all(
            isinstance(f, str) for f in features):
        raise ModelError(f"{path}: needs a \"target\" name and a list of \"features\"")
    if spec["kind"] == "linear":
        weights = spec.get("weights")
        if not isinstance(weights, dict) or set(weights) != set(features) or not all(
                _number(w) for w in weights.values()) or not _number(spec.get("bias")):
            raise ModelError(f"{path}: a linear model needs a number \"bias\" and one weight per feature")
    else:
        _check_node(spec.get("root"), set(features), path)
    return Model(spec)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_node(node, features, path):
    if isinstance(node, dict) and node.get("label") in (0, 1) and not isinstance(node["label"], bool):
        return
    if not isinstance(node, dict) or node.get("feature") not in features or not _number(node.get("threshold")):
        raise ModelError(f"{path}: every tree node needs a label 0 or 1, or a feature of the model "
                         "and a number threshold")
    for side in ("left", "right"):
        _check_node(node.get(side), features, path)
