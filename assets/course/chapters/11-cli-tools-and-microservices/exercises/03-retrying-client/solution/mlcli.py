"""mlcli.py: score one customer with the remote prediction service, from the command line.

Usage:
    MLCLI_TOKEN=... python3 mlcli.py predict --url http://127.0.0.1:8080 --features 3,80,4,2

Each attempt has a timeout; 5xx answers and connection errors are retried with deterministic
waits (or the service's Retry-After); a 4xx is final. Waits use time.sleep(), which the
checker replaces with a clock of its own.
"""
import argparse
import http.client
import json
import math
import os
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_S = 2.0       # for each attempt
RETRIES = 3           # retries after the first attempt, so at most 4 attempts in all
BASE_DELAY_S = 0.5    # the wait before retry 1; it doubles for each later retry
MAX_DELAY_S = 10.0    # the longest wait a Retry-After header can ask for

EXIT_OK = 0           # the answer is on stdout
EXIT_FAILED = 1       # the service refused the request (4xx) or gave an unusable answer
EXIT_USAGE = 2        # bad arguments or no token: nothing was sent
EXIT_GAVE_UP = 3      # every attempt failed with a 5xx answer or a connection error


class CallFailed(Exception):
    """The call did not produce an answer; exit_status says which kind of failure it was."""

    def __init__(self, message, exit_status):
        super().__init__(message)
        self.exit_status = exit_status


def parse_features(text):
    """"3, 80,4.5" -> [3.0, 80.0, 4.5]; ValueError naming the first bad item."""
    values = []
    for position, item in enumerate(text.split(","), start=1):
        try:
            value = float(item)
        except ValueError:
            raise ValueError(f"feature {position} ({item.strip()!r}) is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"feature {position} ({item.strip()!r}) is not a finite number")
        values.append(value)
    return values


def retry_delay(retry, retry_after=None):
    """Seconds to wait before retry number `retry` (1, 2 or 3)."""
    if retry_after is not None:
        text = retry_after.strip()
        if text and all(c in "0123456789" for c in text):
            return float(min(int(text), MAX_DELAY_S))
    return BASE_DELAY_S * 2 ** (retry - 1)


def is_retryable(status):
    return 500 <= status <= 599


def error_message(err):
    """The service's own "error" text from an HTTPError's JSON body, or ""."""
    try:
        doc = json.loads(err.read().decode("utf-8"))
    except (OSError, http.client.HTTPException, ValueError):
        return ""
    if isinstance(doc, dict) and isinstance(doc.get("error"), str):
        return doc["error"]
    return ""


def describe(err):
    """A short reason for an attempt that got no HTTP answer."""
    reason = getattr(err, "reason", err)             # URLError wraps the socket error
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"no answer within {TIMEOUT_S:g} s"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the connection closed without an answer"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return f"{type(reason).__name__}: {reason}"


def send(url, features, token):
    """One attempt: POST {"features": [...]} to URL/predict and return the answer's JSON object."""
    body = json.dumps({"features": features}).encode()
    request = urllib.request.Request(
        url.rstrip("/") + "/predict", data=body, method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        raw = response.read()
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError:                                # UnicodeDecodeError is a ValueError too
        doc = None
    if not isinstance(doc, dict):
        raise CallFailed(f"the service answered {response.status} without a JSON object", EXIT_FAILED)
    return doc


def predict(url, features, token):
    """Call the service, retrying what may succeed next time; return the answer's JSON object."""
    attempts = 1 + RETRIES
    for attempt in range(1, attempts + 1):
        retry_after = None
        try:
            return send(url, features, token)
        except urllib.error.HTTPError as err:         # an answer: before OSError, it is one too
            message = error_message(err)
            reason = f"HTTP {err.code}" + (f": {message}" if message else "")
            if not is_retryable(err.code):
                raise CallFailed(reason, EXIT_FAILED) from None
            retry_after = err.headers.get("Retry-After")
        except (OSError, http.client.HTTPException) as err:   # no answer at all
            reason = describe(err)
        if attempt == attempts:
            raise CallFailed(f"gave up after {attempts} attempts; the last: {reason}", EXIT_GAVE_UP)
        delay = retry_delay(attempt, retry_after)
        print(f"mlcli: attempt {attempt} failed ({reason}), retrying in {delay:g} s", file=sys.stderr)
        time.sleep(delay)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mlcli.py", description="Call the prediction service.")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("predict", help="score one customer")
    command.add_argument("--url", required=True,
                         help="the service's base URL, e.g. http://127.0.0.1:8080")
    command.add_argument("--features", required=True,
                         help="comma-separated numbers, e.g. 3,80,4,2")
    args = parser.parse_args(argv)

    parts = urllib.parse.urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        parser.error(f"--url must start with http:// or https://, got {args.url!r}")
    try:
        features = parse_features(args.features)
    except ValueError as err:
        parser.error(f"--features: {err}")
    token = os.environ.get("MLCLI_TOKEN", "").strip()
    if not token:
        parser.error("set MLCLI_TOKEN to the bearer token for the service")

    try:
        answer = predict(args.url, features, token)
    except CallFailed as err:
        print(f"mlcli: {err}", file=sys.stderr)
        return err.exit_status
    print(json.dumps(answer))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
