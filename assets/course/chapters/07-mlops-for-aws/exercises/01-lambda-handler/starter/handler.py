"""handler.py: a Lambda function behind API Gateway (proxy integration) that predicts weight
from height with the linear model in model.json.

Routes: POST /predict with a JSON body {"height_cm": 180}, and GET /health.
README.md has the full contract. This first draft works on the author's laptop, once, from the
right folder. The TODOs say what it gets wrong.
"""
import base64  # noqa: F401  (for isBase64Encoded bodies)
import json
import math  # noqa: F401  (math.isfinite)
import os  # noqa: F401  (to find model.json next to this file)

MIN_HEIGHT_CM = 50
MAX_HEIGHT_CM = 250


def lambda_handler(event, context):
    # TODO: this reads model.json on every request, and from the current directory. Load it
    # once, at module level, from the folder this file is in.
    with open("model.json") as f:
        model = json.load(f)

    # TODO: route on event["httpMethod"] and event["path"]: GET /health, POST /predict, 405
    # for another method on a known path, 404 for anything else.

    # TODO: handle a missing body, a base64 body (isBase64Encoded), a body that is not JSON or
    # not an object, a missing, non-numeric, boolean or out-of-range height_cm: all 400.
    height = json.loads(event["body"])["height_cm"]
    weight = model["slope"] * height + model["intercept"]

    # TODO: proxy integration wants "body" as a JSON *string*, plus the Content-Type and
    # X-Model-Version headers.
    return {"statusCode": 200, "body": {"weight_kg": round(weight, 1)}}
