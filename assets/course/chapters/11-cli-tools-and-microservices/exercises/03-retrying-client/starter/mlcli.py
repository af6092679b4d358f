"""mlcli.py: score one customer with the remote prediction service, from the command line.

Usage:
    MLCLI_TOKEN=... python3 mlcli.py predict --url http://127.0.0.1:8080 --features 3,80,4,2

A prototype: it works while the network and the service do. README.md says what it must do
when they don't. Wait with time.sleep(): the checker replaces it with a clock of its own, so
your waits are measured without anyone sitting through them.
"""
import argparse
import json
import os
import sys
import time  # noqa: F401
import urllib.error  # noqa: F401
import urllib.request

TIMEOUT_S = 2.0       # for each attempt
RETRIES = 3           # retries after the first attempt, so at most 4 attempts in all
BASE_DELAY_S = 0.5    # the wait before retry 1; it doubles for each later retry
MAX_DELAY_S = 10.0    # the longest wait a Retry-After header can ask for

EXIT_OK = 0           # the answer is on stdout
EXIT_FAILED = 1       # the service refused the request (4xx) or gave an unusable answer
EXIT_USAGE = 2        # bad arguments or no token: nothing was sent
EXIT_GAVE_UP = 3      # every attempt failed with a 5xx answer or a connection error


def parse_features(text):
    """"3, 80,4.5" -> [3.0, 80.0, 4.5].

    TODO: raise ValueError, with a message naming the bad item, when an item is empty or not a
    finite number (float() accepts "nan" and "inf").
    """
    return [float(item) for item in text.split(",")]


def retry_delay(retry, retry_after=None):
    """Seconds to wait before retry number `retry` (1, 2 or 3).

    retry_after is the Retry-After header of the failed answer (text), or None.
    TODO: a Retry-After made only of the digits 0-9 (spaces around are fine) is the wait in
    seconds, but never more than MAX_DELAY_S. Otherwise (no header, a date, "1.5", "-1"), the
    wait is BASE_DELAY_S, doubled for each retry after the first: 0.5, 1.0, 2.0.
    """
    return 0.0


def is_retryable(status):
    """TODO: True when an answer with this HTTP status is worth another attempt (5xx)."""
    return False


def send(url, features, token):
    """One attempt: POST {"features": [...]} to URL/predict and return the answer's JSON."""
    body = json.dumps({"features": features}).encode()
    request = urllib.request.Request(url + "/predict", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def predict(url, features, token):
    """Call the service, retrying what may succeed next time; return the answer's JSON object.

    TODO: send the token, give each attempt TIMEOUT_S, retry 5xx answers and connection
    errors up to RETRIES times with retry_delay() between attempts, never retry a 4xx, and
    report failure in a way main() can turn into exit status 1 or 3.
    """
    return send(url, features, token)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mlcli.py", description="Call the prediction service.")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("predict", help="score one customer")
    command.add_argument("--url", required=True,
                         help="the service's base URL, e.g. http://127.0.0.1:8080")
    command.add_argument("--features", required=True,
                         help="comma-separated numbers, e.g. 3,80,4,2")
    args = parser.parse_args(argv)

    features = parse_features(args.features)
    token = os.environ.get("MLCLI_TOKEN", "")
    answer = predict(args.url, features, token)
    print(json.dumps(answer))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
