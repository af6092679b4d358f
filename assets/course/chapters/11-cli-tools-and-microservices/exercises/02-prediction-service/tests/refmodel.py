"""The checker's reference for the model: a logistic score, clamped, rounded to 6 places."""
import math


def score(model, features):
    z = model["bias"]
    for w, x in zip(model["weights"], features):
        z += w * float(x)
    if z > 50:
        z = 50.0
    if z < -50:
        z = -50.0
    return round(1 / (1 + math.exp(-z)), 6)
