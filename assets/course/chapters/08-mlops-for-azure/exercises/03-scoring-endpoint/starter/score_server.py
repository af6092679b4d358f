"""score_server.py: the weight model behind HTTP, protected by a key.

    SCORING_KEY=... PORT=8080 python3 score_server.py

A prototype that works on the happy path. README.md lists what it must do before it takes
real traffic: fail fast without a key, compare keys safely, never log them, record telemetry,
and report metrics.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 100_000


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


MODEL = load_model(os.environ.get("MODEL_PATH", "model.json"))
SCORING_KEY = os.environ.get("SCORING_KEY", "dev-key")  # so it starts without any set-up


class Handler(BaseHTTPRequestHandler):
    def send_json(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorized(self):
        header = self.headers.get("Authorization", "")
        print(f"auth: got {header!r}", file=sys.stderr)  # to debug a client that kept failing
        return header == "Bearer " + SCORING_KEY

    def do_POST(self):
        if self.path != "/score":
            return self.send_json(404, {"error": "not found"})
        if not self.authorized():
            return self.send_json(401, {"error": "unauthorized"})
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.send_json(413, {"error": "body too large"})
        try:
            body = json.loads(self.rfile.read(length) or b"null")
            predictions = predict(MODEL, body)
        except ValueError as err:
            return self.send_json(400, {"error": str(err)})
        model = f"{MODEL['name']}:{MODEL['version']}"
        self.send_json(200, {"predictions": predictions, "model": model})

    def do_GET(self):
        if self.path == "/metrics":
            return self.send_json(501, {"error": "metrics are not implemented yet"})
        self.send_json(404, {"error": "not found"})


def main():
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"serving {MODEL['name']}:{MODEL['version']} on 127.0.0.1:{port}", file=sys.stderr)
    server.serve_forever()


if __name__ == "__main__":
    main()
