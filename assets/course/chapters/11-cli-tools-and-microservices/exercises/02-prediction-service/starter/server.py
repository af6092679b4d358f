"""server.py: the prototype prediction service. It works on a good day; README.md lists the
promises it has to keep on every other day.

    PORT=8080 MODEL_PATH=model.json python3 server.py
"""
import json
import os
import sys  # noqa: F401  (for sys.stderr and sys.exit)
from http.server import BaseHTTPRequestHandler, HTTPServer

import core


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        model = core.load_model(os.environ.get("MODEL_PATH", "model.json"))
        body = json.dumps({"status": "ok", "model_version": model["model_version"]}).encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        model = core.load_model(os.environ.get("MODEL_PATH", "model.json"))
        length = int(self.headers["Content-Length"])
        data = json.loads(self.rfile.read(length))
        prediction = core.predict(model, data["features"])
        answer = {"prediction": prediction, "model_version": model["model_version"]}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)


def main():
    port = int(os.environ.get("PORT", "8080"))
    server = HTTPServer(("127.0.0.1", port), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
