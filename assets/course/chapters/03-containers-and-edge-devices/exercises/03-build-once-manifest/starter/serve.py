"""serve.py: the prediction service the image runs. You do not need to change it.

It loads the model once, answers GET /healthz and POST /predict with
{"instances": [{"tenure_months": 3, ...}, ...]}, and listens on $PORT (default 8080).
"""
import json
import math
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

with open(os.environ.get("MODEL_PATH", "model/model.json")) as f:
    MODEL = json.load(f)


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/healthz":
            self.answer(200, {"status": "ok"})
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/predict":
            self.answer(404, {"error": "not found"})
            return
        try:
            length = int(self.headers.get("Content-Length", 0))
            instances = json.loads(self.rfile.read(length))["instances"]
            scores = []
            for row in instances:
                pairs = zip(MODEL["features"], MODEL["weights"])
                z = MODEL["bias"] + sum(w * float(row[name]) for name, w in pairs)
                scores.append(1 / (1 + math.exp(-z)))
        except (ValueError, KeyError, TypeError) as err:
            self.answer(400, {"error": f"bad request: {err}"})
            return
        self.answer(200, {"predictions": scores})


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8080"))), Handler).serve_forever()
