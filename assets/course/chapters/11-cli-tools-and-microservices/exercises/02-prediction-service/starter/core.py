"""core.py: the model and its input rules, shared by server.py, scripts and tests.

Nothing here knows about HTTP: functions take Python values and raise InvalidInput (a
ValueError) for input the caller must fix.
"""
import json
import math


class InvalidInput(ValueError):
    """Input the caller must fix; the server turns it into a 400."""


class ModelError(ValueError):
    """The model file is unusable; the server refuses to start."""


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_model(path):
    """Read and check a model file; return it as a dict. Raises OSError or ModelError."""
    with open(path, encoding="utf-8") as f:
        try:
            model = json.load(f)
        except ValueError as err:
            raise ModelError(f"{path} is not valid JSON: {err}") from None
    if not isinstance(model, dict):
        raise ModelError(f"{path}: expected a JSON object")
    names, weights = model.get("features"), model.get("weights")
    if not isinstance(model.get("model_version"), str) or not model["model_version"]:
        raise ModelError(f"{path}: model_version must be a non-empty string")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ModelError(f"{path}: features must be a non-empty list of names")
    if not isinstance(weights, list) or len(weights) != len(names):
        raise ModelError(f"{path}: weights must be a list with one number per feature")
    if not all(is_number(w) and math.isfinite(w) for w in weights + [model.get("bias")]):
        raise ModelError(f"{path}: weights and bias must be finite numbers")
    return model


def validate(model, features):
    """Return the features as floats, or raise InvalidInput saying what is wrong.

    TODO: features must be a list with one value per name in model["features"]; each value a
    finite int or float (True and False are not numbers here, and neither are NaN or Infinity,
    which Python's json module accepts). Say in the message which feature is wrong.
    """
    return features


def predict(model, features):
    """The probability of churn for one customer, rounded to 6 decimal places."""
    x = validate(model, features)
    z = model["bias"] + sum(w * v for w, v in zip(model["weights"], x))
    # TODO: clamp z to [-50, 50]: math.exp() overflows for large inputs
    return round(1.0 / (1.0 + math.exp(-z)), 6)
