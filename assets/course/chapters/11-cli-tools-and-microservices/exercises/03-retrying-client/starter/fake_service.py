"""fake_service.py: a stand-in prediction service that answers from a script, to try mlcli.py on.

Usage:
    python3 fake_service.py [--port 8086] STEP [STEP ...]

Each request gets the next step; the last step repeats. A step is:

    200          {"prediction": 0.731059, "model_version": "fake-1"}
    400, 503...  that status with {"error": "..."}; any status from 400 to 599
    503:2        that status with the header Retry-After: 2
    close        close the connection without answering
    hang         say nothing until the client gives up (or 30 s pass)

Example: python3 fake_service.py 503 503:0 200   (fail twice, then answer)
It logs each request on stderr, with the Authorization header's scheme but not the token.
Stop it with Ctrl-C. Start it again to replay the script from the first step.
"""
import argparse
import json
import re
import select
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STEP = re.compile(r"^(?:200|[45]\d\d(?::\S+)?|close|hang)$")


class Script:
    def __init__(self, steps):
        self.steps = steps
        self.count = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            self.count += 1
            return self.count, self.steps[min(self.count, len(self.steps)) - 1]


def make_handler(script):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            number, step = script.next()
            auth = self.headers.get("Authorization")
            shown = "none" if auth is None else (auth.split(" ", 1)[0] + " <token>")
            print(f"request {number}: {self.command} {self.path} Authorization: {shown} "
                  f"body: {body[:80]} -> {step}", file=sys.stderr, flush=True)
            if step == "close":
                self.close_connection = True
                return
            if step == "hang":
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    ready, _, _ = select.select([self.connection], [], [], 0.1)
                    if ready and not self.connection.recv(1):
                        break                     # the client gave up and closed
                self.close_connection = True
                return
            status, _, retry_after = step.partition(":")
            status = int(status)
            if status == 200:
                doc = {"prediction": 0.731059, "model_version": "fake-1"}
            else:
                doc = {"error": f"scripted failure {status}"}
            data = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if retry_after:
                self.send_header("Retry-After", retry_after)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_DELETE = do_POST

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description="A scripted stand-in for the prediction service.")
    parser.add_argument("--port", type=int, default=8086)
    parser.add_argument("steps", nargs="+", metavar="STEP", help="200, 503, 503:2, close or hang")
    args = parser.parse_args()
    for step in args.steps:
        if not STEP.match(step):
            parser.error(f"unknown step {step!r}: use 200, a status from 400 to 599 "
                         "(optionally :RETRY_AFTER), close or hang")
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(Script(args.steps)))
    print(f"fake service on http://127.0.0.1:{args.port}, script: {' '.join(args.steps)}",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
