"""handler.py: a Lambda function behind API Gateway (proxy integration) that predicts weight
from height with the linear model in model.json.

Routes: POST /predict with a JSON body {"height_cm": 180}, and GET /health.
README.md has the full contract.
"""
import base64
import binascii
import json
import math
import os

MIN_HEIGHT_CM = 50
MAX_HEIGHT_CM = 250

# Module level: runs once per execution environment (the cold start). Every warm invocation
# that follows reuses MODEL. The path is next to this file, not the current directory.
MODEL_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model.json")
with open(MODEL_PATH, encoding="utf-8") as _f:
    MODEL = json.load(_f)


def reply(status, payload, extra_headers=None):
    headers = {"Content-Type": "application/json", "X-Model-Version": str(MODEL["version"])}
    headers.update(extra_headers or {})
    return {"statusCode": status, "headers": headers, "body": json.dumps(payload)}


def read_height(event):
    """Return (height, None) for a usable request body, or (None, error message)."""
    body = event.get("body")
    if body is None:
        return None, "the request has no body"
    if event.get("isBase64Encoded") is True:
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, ValueError, TypeError):
            return None, "the body is marked base64 but does not decode"
    try:
        data = json.loads(body)
    except (TypeError, ValueError):
        return None, 'the body must be JSON such as {"height_cm": 180}'
    if not isinstance(data, dict) or "height_cm" not in data:
        return None, 'the body must be a JSON object with "height_cm"'
    height = data["height_cm"]
    is_number = isinstance(height, (int, float)) and not isinstance(height, bool)
    if not is_number or not math.isfinite(height):
        return None, "height_cm must be a number"
    if not MIN_HEIGHT_CM <= height <= MAX_HEIGHT_CM:
        return None, f"height_cm must be between {MIN_HEIGHT_CM} and {MAX_HEIGHT_CM}"
    return height, None


def lambda_handler(event, context):
    if not isinstance(event, dict):
        event = {}
    method, path = event.get("httpMethod"), event.get("path")
    if path == "/health":
        if method != "GET":
            return reply(405, {"error": "use GET /health"}, {"Allow": "GET"})
        return reply(200, {"status": "ok", "model_version": str(MODEL["version"])})
    if path == "/predict":
        if method != "POST":
            return reply(405, {"error": "use POST /predict"}, {"Allow": "POST"})
        height, error = read_height(event)
        if error:
            return reply(400, {"error": error})
        weight = MODEL["slope"] * height + MODEL["intercept"]
        return reply(200, {"weight_kg": round(weight, 1), "model_version": str(MODEL["version"])})
    return reply(404, {"error": f"no route for {method} {path}"})
