#!/usr/bin/env python3
"""service.py: a prediction service that keeps the Cloud Run container contract.

    PORT=8080 HOST=0.0.0.0 MODEL_PATH=model.json python3 service.py

GET /healthz, POST /predict[?delay=SECONDS]; JSON log lines on stdout; graceful shutdown on
SIGTERM. README.md has the full contract.
"""
import json
import math
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

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


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def predict(model, instances):
    """Probabilities for a list of instances; raise ValueError for unusable input."""
    if not isinstance(instances, list) or not instances:
        raise ValueError('"instances" must be a non-empty list')
    out = []
    for i, inst in enumerate(instances):
        if not isinstance(inst, dict):
            raise ValueError(f"instance {i} is not an object")
        z = model["bias"]
        for name, w in zip(model["features"], model["weights"]):
            value = inst.get(name)
            if not is_number(value):
                raise ValueError(f"instance {i}: {name} must be a number")
            z += w * value
        out.append(1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z)))
    return out


def make_handler(model):
    label = f"{model.get('name', 'model')}:{model.get('version', '0')}"

    class Handler(BaseHTTPRequestHandler):
        def send_json(self, status, payload):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.status = status

        def handle_one_request(self):
            self.started, self.status = time.monotonic(), None
            super().handle_one_request()
            if self.status is not None:
                self.log_request_json()

        def log_request_json(self):
            severity = "ERROR" if self.status >= 500 else "WARNING" if self.status >= 400 else "INFO"
            log(severity, f"{self.command} {self.path} {self.status}", httpRequest={
                "requestMethod": self.command,
                "requestUrl": self.path,
                "status": self.status,
                "latency": f"{time.monotonic() - self.started:.3f}s",
            })

        def do_GET(self):
            if urlsplit(self.path).path == "/healthz":
                self.send_json(200, {"status": "ok"})
            else:
                self.send_json(404, {"error": "not found"})

        def do_POST(self):
            url = urlsplit(self.path)
            if url.path != "/predict":
                return self.send_json(404, {"error": "not found"})
            try:
                delay = float(parse_qs(url.query).get("delay", ["0"])[0])
                size = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(size) or b"null")
                if not isinstance(body, dict):
                    raise ValueError("the body must be a JSON object")
                predictions = predict(model, body.get("instances"))
            except ValueError as err:
                return self.send_json(400, {"error": str(err)})
            time.sleep(min(max(delay, 0.0), MAX_DELAY))  # stands in for a slow model
            self.send_json(200, {"predictions": predictions, "model": label})

        def log_message(self, fmt, *args):
            pass  # every request is logged once, as JSON, by log_request_json()

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() then waits for requests in flight


def main():
    port = int(os.environ.get("PORT", "8080"))
    host = os.environ.get("HOST", "0.0.0.0")
    path = os.environ.get("MODEL_PATH", "model.json")
    try:
        model = load_model(path)
    except ValueError as err:
        log("ERROR", str(err))
        return 1
    server = Server((host, port), make_handler(model))

    def on_sigterm(signum, frame):
        log("INFO", "SIGTERM received: finishing requests in flight")
        threading.Thread(target=server.shutdown).start()  # shutdown() would deadlock here

    signal.signal(signal.SIGTERM, on_sigterm)
    log("INFO", f"listening on {host}:{port}", model=f"{model.get('name')}:{model.get('version')}")
    server.serve_forever()
    server.server_close()
    log("INFO", "stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
