"""client.py: call the scoring service without curl.

    PORT=8080 SCORING_KEY=... python3 client.py score request.json
    PORT=8080 SCORING_KEY=... python3 client.py metrics
    PORT=8080 python3 client.py score request.json --key wrong-key
    PORT=8080 python3 client.py score request.json --no-key

It prints the status, the WWW-Authenticate header when there is one, and the body.
"""
import argparse
import http.client
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description="Call score_server.py on 127.0.0.1:$PORT.")
    parser.add_argument("what", choices=["score", "metrics", "get"])
    parser.add_argument("arg", nargs="?", help="score: a JSON file; get: a path")
    parser.add_argument("--key", default=os.environ.get("SCORING_KEY"), help="default: $SCORING_KEY")
    parser.add_argument("--no-key", action="store_true", help="send no Authorization header")
    args = parser.parse_args(argv)

    headers = {}
    if args.key and not args.no_key:
        headers["Authorization"] = "Bearer " + args.key
    body = None
    if args.what == "score":
        method, path = "POST", "/score"
        with open(args.arg or "request.json", "rb") as f:
            body = f.read()
        headers["Content-Type"] = "application/json"
    elif args.what == "metrics":
        method, path = "GET", "/metrics"
    else:
        method, path = "GET", args.arg or "/"

    conn = http.client.HTTPConnection("127.0.0.1", int(os.environ.get("PORT", "8080")), timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
    except OSError as err:
        print(f"client.py: {method} {path} failed: {err}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    print(resp.status, resp.reason)
    if resp.getheader("WWW-Authenticate"):
        print("WWW-Authenticate:", resp.getheader("WWW-Authenticate"))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
