#!/usr/bin/env python3
"""service.py: a prediction service that keeps the Cloud Run container contract.

    PORT=8080 HOST=0.0.0.0 MODEL_PATH=model.json python3 service.py

GET /healthz, POST /predict[?delay=SECONDS]; JSON log lines on stdout; graceful shutdown on
SIGTERM. README.md has the full contract.

This version starts and listens, and that is about all. The TODOs say what is missing.
"""
import json
import math  # noqa: F401  (math.exp)
import os
import signal  # noqa: F401  (signal.signal, signal.SIGTERM)
import sys
import threading
import time  # noqa: F401  (time.monotonic, time.sleep)
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer  # noqa: F401
from urllib.parse import parse_qs, urlsplit  # noqa: F401

MAX_DELAY = 5.0
_print_lock = threading.Lock()


def log(severity, message, **fields):
    """One JSON object per line on stdout: Cloud Logging turns it into a structured entry."""
    entry = {"severity": severity, "message": message}
    entry.update(fields)
    with _print_lock:
        print(json.dumps(entry), flush=True)


def load_model(path):
    """Read the model file; raise ValueError when it is missing or malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
    except OSError as err:
        raise ValueError(f"cannot read model {path}: {err.strerror}") from None
    except ValueError as err:
        raise ValueError(f"model {path} is not valid JSON: {err}") from None
    features, weights = model.get("features"), model.get("weights")
    if not isinstance(features, list) or not isinstance(weights, list) or len(features) != len(weights):
        raise ValueError(f"model {path}: features and weights must be lists of the same length")
    if not isinstance(model.get("bias"), (int, float)):
        raise ValueError(f"model {path}: bias must be a number")
    return model


def predict(model, instances):
    """Probabilities for a list of instances; raise ValueError for unusable input.

    TODO: instances must be a non-empty list of objects. For each, z = bias + the sum of
    weight * value over the model's features (each value a number, not a bool); the
    probability is 1 / (1 + exp(-z)). Other keys of an instance are ignored.
    """
    raise ValueError("predict() is not written yet")


def make_handler(model):
    label = f"{model.get('name', 'model')}:{model.get('version', '0')}"  # noqa: F841

    class Handler(BaseHTTPRequestHandler):
        def send_json(self, status, payload):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            # TODO: GET /healthz answers 200 {"status": "ok"}; every other path 404.
            self.send_json(404, {"error": "not found"})

        def do_POST(self):
            # TODO: POST /predict (route on the path without its ?query): read the JSON body,
            # answer 200 {"predictions": [...], "model": label} after sleeping ?delay seconds
            # (at most MAX_DELAY), or 400 {"error": ...} for bad input. Other paths: 404.
            self.send_json(404, {"error": "not found"})

        # TODO: log every request as one JSON line with an "httpRequest" object (README.md),
        # instead of http.server's own text lines on stderr (log_message).

    return Handler


def main():
    port = int(os.environ.get("PORT", "8080"))
    host = os.environ.get("HOST", "0.0.0.0")
    # TODO: if the model cannot be loaded, log an ERROR line and return 1.
    model = load_model(os.environ.get("MODEL_PATH", "model.json"))
    # TODO: one thread per request, and a graceful stop on SIGTERM.
    server = HTTPServer((host, port), make_handler(model))
    log("INFO", f"listening on {host}:{port}")
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
