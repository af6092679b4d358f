#!/usr/bin/env python3
"""client.py: call the service without curl.

    python3 client.py health                       GET /healthz
    python3 client.py predict request.json         POST /predict with the file as the body
    python3 client.py predict request.json --delay 2
    python3 client.py get /some/path               any GET

The port comes from PORT (default 8080). Prints the status and the body.
"""
import http.client
import os
import sys


def call(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", int(os.environ.get("PORT", "8080")), timeout=15)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
        resp = conn.getresponse()
        print(resp.status, resp.read().decode(errors="replace"))
        return 0 if resp.status < 400 else 1
    except OSError as err:
        print(f"client.py: {method} {path}: {err}", file=sys.stderr)
        return 2
    finally:
        conn.close()


def main(argv):
    if argv[:1] == ["health"]:
        return call("GET", "/healthz")
    if argv[:1] == ["get"] and len(argv) == 2:
        return call("GET", argv[1])
    if argv[:1] == ["predict"] and len(argv) in (2, 4):
        with open(argv[1], "rb") as f:
            body = f.read()
        path = "/predict" + (f"?delay={argv[3]}" if len(argv) == 4 and argv[2] == "--delay" else "")
        return call("POST", path, body)
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
