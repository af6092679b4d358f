"""server.py: a JSON prediction service using only the standard library.

    PORT=8080 MODEL_PATH=model.json python3 server.py

GET /health and POST /predict; README.md has the full contract.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import core

MAX_BODY = 10_000                                   # bytes; a feature vector is tiny
ROUTES = {"/health": "GET", "/predict": "POST"}


class Handler(BaseHTTPRequestHandler):
    model = None                                    # set once by main(), before serving

    def send_json(self, status, payload, headers=()):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def routed(self, method):
        """Answer 404 or 405 and return False unless method and path match a route."""
        path = urlsplit(self.path).path
        allowed = ROUTES.get(path)
        if allowed is None:
            self.send_json(404, {"error": f"no route {path}"})
            return False
        if method != allowed:
            self.send_json(405, {"error": f"use {allowed} for {path}"}, [("Allow", allowed)])
            return False
        return True

    def do_GET(self):
        if self.routed("GET"):
            self.send_json(200, {"status": "ok", "model_version": self.model["model_version"]})

    def do_POST(self):
        if not self.routed("POST"):
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            return self.send_json(400, {"error": "Content-Length must be a number"})
        if length < 0:
            return self.send_json(400, {"error": "Content-Length must not be negative"})
        if length > MAX_BODY:
            return self.send_json(413, {"error": f"request body is larger than {MAX_BODY} bytes"})
        try:
            data = json.loads(self.rfile.read(length))
            if not isinstance(data, dict) or "features" not in data:
                raise core.InvalidInput('expected a JSON object like {"features": [...]}')
            prediction = core.predict(self.model, data["features"])
        except ValueError as err:                   # bad JSON and InvalidInput alike
            return self.send_json(400, {"error": str(err)})
        self.send_json(200, {"prediction": prediction,
                             "model_version": self.model["model_version"]})


class Server(ThreadingHTTPServer):
    """One thread per request, and room for a burst of connections waiting to be accepted."""
    request_queue_size = 64                         # socketserver's default backlog is 5


def main():
    path = os.environ.get("MODEL_PATH", "model.json")
    port = int(os.environ.get("PORT", "8080"))
    try:
        Handler.model = core.load_model(path)       # once, before the port opens
    except (OSError, core.ModelError) as err:
        print(f"server: cannot load the model: {err}", file=sys.stderr)
        return 1
    server = Server(("127.0.0.1", port), Handler)
    print(f"server: {Handler.model['model_version']} on 127.0.0.1:{port}", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
