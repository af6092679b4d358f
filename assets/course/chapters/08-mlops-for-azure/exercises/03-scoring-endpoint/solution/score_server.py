"""score_server.py: the weight model behind HTTP, protected by a key.

    SCORING_KEY=... PORT=8080 python3 score_server.py

Every request needs "Authorization: Bearer $SCORING_KEY". Every request adds a line to
telemetry.jsonl, and GET /metrics summarises the requests to /score since start-up.
"""
import hmac
import json
import os
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

MAX_BODY = 100_000
TELEMETRY_PATH = "telemetry.jsonl"


def load_model(path):
    """Read the model file: name, version, intercept and coefficients."""
    with open(path, encoding="utf-8") as f:
        model = json.load(f)
    if not isinstance(model.get("coefficients"), dict) or not model["coefficients"]:
        raise ValueError(f"{path}: coefficients must be a non-empty object")
    return model


def predict(model, body):
    """Predictions for a request body {"data": [{feature: number, ...}, ...]}.

    Raises ValueError with a message for the caller when the body is unusable.
    """
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise ValueError('the body must be a JSON object with a "data" list')
    out = []
    for i, row in enumerate(body["data"]):
        if not isinstance(row, dict):
            raise ValueError(f"data[{i}] must be an object")
        y = model["intercept"]
        for name, coef in model["coefficients"].items():
            value = row.get(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"data[{i}].{name} must be a number")
            y += coef * value
        out.append(round(y, 3))
    return out


def p95(values):
    """Nearest-rank 95th percentile: the value at rank ceil(0.95 * n); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[-(-95 * len(ordered) // 100) - 1]


class Telemetry:
    """One JSON line per request in a file, plus the numbers GET /metrics reports."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.durations = []   # duration_ms of every request to /score
        self.failures = 0     # how many of them got a status of 400 or more

    def record(self, ts, path, status, duration_ms):
        line = json.dumps({"ts": ts, "path": path, "status": status, "duration_ms": duration_ms})
        with self.lock:
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(line + "\n")
            if path == "/score":
                self.durations.append(duration_ms)
                self.failures += status >= 400

    def metrics(self):
        with self.lock:
            return {"count": len(self.durations), "failures": self.failures,
                    "p95_ms": p95(self.durations)}


def make_handler(model, key, telemetry):
    key_bytes = key.encode("utf-8")
    label = f"{model['name']}:{model['version']}"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.serve("GET")

        def do_POST(self):
            self.serve("POST")

        def serve(self, method):
            started = time.monotonic()
            ts = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            path = urlsplit(self.path).path
            status, payload, headers = self.route(method, path)
            body = json.dumps(payload).encode()
            duration_ms = round((time.monotonic() - started) * 1000, 3)
            telemetry.record(ts, path, status, duration_ms)  # before the answer: a client that
            self.send_response(status)                        # has it can count on the record
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def authorized(self):
            scheme, _, token = self.headers.get("Authorization", "").partition(" ")
            # Bytes, not str: compare_digest refuses str with non-ASCII characters.
            return scheme.lower() == "bearer" and hmac.compare_digest(token.encode("utf-8"), key_bytes)

        def route(self, method, path):
            if not self.authorized():
                return 401, {"error": "missing or wrong key"}, [("WWW-Authenticate", "Bearer")]
            if method == "POST" and path == "/score":
                return self.score()
            if method == "GET" and path == "/metrics":
                return 200, telemetry.metrics(), []
            return 404, {"error": "not found"}, []

        def score(self):
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                return 400, {"error": "Content-Length must be a number"}, []
            if length > MAX_BODY:
                return 413, {"error": "body too large"}, []
            try:
                predictions = predict(model, json.loads(self.rfile.read(length) or b"null"))
            except ValueError as err:
                return 400, {"error": str(err)}, []
            return 200, {"predictions": predictions, "model": label}, []

    return Handler


def main():
    key = os.environ.get("SCORING_KEY", "")
    if not key:
        print("score_server.py: SCORING_KEY is not set; refusing to start without a key",
              file=sys.stderr)
        return 1
    model_path = os.environ.get("MODEL_PATH", "model.json")
    try:
        model = load_model(model_path)
    except (OSError, ValueError) as err:
        print(f"score_server.py: cannot load the model: {err}", file=sys.stderr)
        return 1
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(model, key, Telemetry(TELEMETRY_PATH)))
    print(f"serving {model['name']}:{model['version']} on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
