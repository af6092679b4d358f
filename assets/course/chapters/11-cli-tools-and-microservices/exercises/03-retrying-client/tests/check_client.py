"""Run the learner's mlcli.py against this check's own scripted service on $PORT.

The fake service answers each request from a script (an answer, a 5xx, a 4xx, a dropped
connection, silence) and logs every attempt. Most runs go through harness.py, which swaps
time.sleep for a recorder: the waits are checked exactly and nobody sleeps. Writes JSON lines
to $KAIZEN_RESULTS.
"""
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(HERE, "harness.py")
HOST = "127.0.0.1"
PORT = int(os.environ.get("PORT", "8080"))
BASE = f"http://{HOST}:{PORT}"
TMP = tempfile.mkdtemp(prefix="mlcli-")
HOLD_S = 8.0          # how long the silent service waits before it hangs up
RUN_S = 40            # for one run of the client
BASE_DELAY, MAX_DELAY, ATTEMPTS = 0.5, 10.0, 4

with open(os.path.join(GEN, "plan.json")) as f:
    PLAN = json.load(f)
TOKEN = PLAN["token"]
RUNS = []             # every run, for the token test


class Fail(Exception):
    """A learner-facing reason a test failed."""


def report(name, ok, message=""):
    with open(RESULTS, "a") as f:
        f.write(json.dumps({"name": name, "status": "pass" if ok else "fail",
                            "message": "" if ok else message}) + "\n")


# ---- the scripted service ------------------------------------------------------------------

class Fake:
    def __init__(self):
        self.cond = threading.Condition()
        self.script = [{"kind": "answer", "status": 200, "doc": {}}]
        self.log = []
        self.active = 0

    def reset(self, script):
        with self.cond:
            self.script, self.log = script, []

    def begin(self, entry):
        with self.cond:
            self.active += 1
            self.log.append(entry)
            return self.script[min(len(self.log), len(self.script)) - 1]

    def end(self):
        with self.cond:
            self.active -= 1
            self.cond.notify_all()

    def settle(self):
        """Wait for the handlers still running (a silent one notices the client left)."""
        with self.cond:
            self.cond.wait_for(lambda: self.active == 0, timeout=HOLD_S + 2)
            return list(self.log)


FAKE = Fake()


class Handler(BaseHTTPRequestHandler):
    def handle_any(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        body = self.rfile.read(length) if length > 0 else b""
        entry = {"method": self.command, "path": self.path, "body": body, "held": None,
                 "headers": {k.lower(): v for k, v in self.headers.items()}}
        step = FAKE.begin(entry)
        try:
            self.answer(step, entry)
        finally:
            FAKE.end()

    def answer(self, step, entry):
        if step["kind"] == "close":
            self.close_connection = True
            return
        if step["kind"] == "hold":
            began = time.monotonic()
            while time.monotonic() - began < HOLD_S:
                ready, _, _ = select.select([self.connection], [], [], 0.02)
                if ready:
                    try:
                        if not self.connection.recv(1):
                            break
                    except OSError:
                        break
            entry["held"] = time.monotonic() - began
            self.close_connection = True
            return
        if "text" in step:
            data, ctype = step["text"].encode(), "text/html"
        else:
            data, ctype = json.dumps(step["doc"]).encode(), "application/json"
        self.send_response(step["status"])
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in step.get("headers", {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def log_message(self, *args):
        pass


def ok(doc):
    return {"kind": "answer", "status": 200, "doc": doc}


def status(code, retry_after=None, message=None):
    step = {"kind": "answer", "status": code, "doc": {"error": message or f"scripted {code}"}}
    if retry_after is not None:
        step["headers"] = {"Retry-After": retry_after}
    return step


CLOSE = {"kind": "close"}
HOLD = {"kind": "hold"}


# ---- running the client --------------------------------------------------------------------

class Run:
    def __init__(self, label, code, out, err, waits, log):
        self.label, self.code, self.out, self.err, self.waits, self.log = label, code, out, err, waits, log

    def last_words(self):
        lines = [line.strip() for line in self.err.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def run_client(label, script, features, url=BASE, token=TOKEN, harness=True):
    """Run mlcli.py predict once against `script`; return a Run. token None: MLCLI_TOKEN unset."""
    FAKE.reset(script)
    env = {k: v for k, v in os.environ.items() if k != "MLCLI_TOKEN"}
    if token is not None:
        env["MLCLI_TOKEN"] = token
    args = ["predict", "--url", url, "--features=" + features]
    waits_path = os.path.join(TMP, f"waits-{len(RUNS)}.json")
    cmd = [sys.executable, HARNESS, waits_path, *args] if harness else [sys.executable, "mlcli.py", *args]
    try:
        proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=RUN_S)
    except subprocess.TimeoutExpired:
        FAKE.settle()
        raise Fail(f"{label}: mlcli.py did not finish within {RUN_S} s")
    waits = None
    if harness:
        try:
            with open(waits_path) as f:
                waits = json.load(f)["waits"]
        except (OSError, ValueError, KeyError):
            waits = []
    run = Run(label, proc.returncode, proc.stdout.decode("utf-8", "replace"),
              proc.stderr.decode("utf-8", "replace"), waits, FAKE.settle())
    RUNS.append((run, token))
    return run


def ref_delay(retry, retry_after):
    if retry_after is not None:
        text = retry_after.strip()
        if text and all(c in "0123456789" for c in text):
            return float(min(int(text), MAX_DELAY))
    return BASE_DELAY * 2 ** (retry - 1)


def expected_waits(script, attempts):
    """The waits between `attempts` attempts made against `script`."""
    waits = []
    for retry in range(1, attempts):
        step = script[min(retry, len(script)) - 1]
        waits.append(ref_delay(retry, step.get("headers", {}).get("Retry-After")))
    return waits


def fmt(waits):
    return "[" + ", ".join(f"{w:g}" if isinstance(w, float) else str(w) for w in waits) + "]"


# ---- assertions ----------------------------------------------------------------------------

def no_crash(run):
    if "Traceback (most recent call last)" in run.err:
        raise Fail(f"{run.label}: mlcli.py crashed: {run.last_words()}. Catch the errors you expect "
                   "and turn them into a one-line message and an exit status")


def exit_is(run, want, why):
    no_crash(run)
    if run.code != want:
        words = f" (its last words: {run.last_words()})" if run.last_words() else ""
        raise Fail(f"{run.label}: exit status {run.code}, expected {want}: {why}{words}")


def attempts_are(run, want, why):
    if len(run.log) != want:
        raise Fail(f"{run.label}: the service saw {len(run.log)} attempt(s), expected {want}: {why}")


def requests_are(run, features, path="/predict"):
    want = PLAN["cases"][features]["values"]
    for n, entry in enumerate(run.log, start=1):
        where = f"{run.label}, attempt {n}"
        if entry["method"] != "POST":
            raise Fail(f"{where}: the request was {entry['method']} {entry['path']}, expected POST {path}")
        if entry["path"] != path:
            raise Fail(f"{where}: the request went to {entry['path']!r}, expected {path!r} "
                       "(the --url value without a trailing /, then /predict)")
        ctype = entry["headers"].get("content-type", "")
        if ctype.split(";")[0].strip().lower() != "application/json":
            raise Fail(f"{where}: Content-Type was {ctype or '(none)'!r}, expected application/json")
        try:
            doc = json.loads(entry["body"].decode("utf-8"))
        except ValueError:
            raise Fail(f"{where}: the body was not JSON; send {{\"features\": [numbers]}}")
        got = doc.get("features") if isinstance(doc, dict) else None
        if not isinstance(got, list) or len(got) != len(want) or any(
                isinstance(g, bool) or not isinstance(g, (int, float)) or abs(g - w) > 1e-9
                for g, w in zip(got, want)):
            raise Fail(f"{where}: the body's \"features\" were {json.dumps(got)}, expected the "
                       f"{len(want)} numbers given with --features, as JSON numbers")


def waits_are(run, want):
    got = run.waits
    if len(got) != len(want) or any(not isinstance(g, float) or abs(g - w) > 1e-6 for g, w in zip(got, want)):
        extra = ""
        if len(got) == len(want) + 1:
            extra = " (one wait too many: do not wait after the last attempt)"
        elif not got and want:
            extra = " (the checker sees waits made with time.sleep(); use it)"
        raise Fail(f"{run.label}: the client waited {fmt(got)} seconds between attempts, expected "
                   f"{fmt(want)}{extra}")


def answer_printed(run, case):
    want = PLAN["cases"][case]["answer"]
    try:
        got = json.loads(run.out)
    except ValueError:
        raise Fail(f"{run.label}: stdout is not one JSON object; print only the service's answer "
                   "there (progress and errors go to stderr)")
    if got != want:
        raise Fail(f"{run.label}: stdout held {json.dumps(got)[:120]}, expected the service's answer as it "
                   "came, one JSON object")


def stdout_empty(run):
    if run.out.strip():
        raise Fail(f"{run.label}: stdout should be empty when there is no answer (messages go to "
                   f"stderr), but it held {run.out.strip()[:80]!r}")


def mentions(run, text, what):
    if text not in run.err:
        raise Fail(f"{run.label}: the message on stderr should include {what} ({text}), "
                   f"but it was: {run.last_words() or '(nothing)'}")


# ---- the tests -----------------------------------------------------------------------------

def features_of(case):
    return PLAN["cases"][case]["text"]


def answer_of(case):
    return PLAN["cases"][case]["answer"]


def t_healthy():
    run = run_client("a service that answers at once", [ok(answer_of("healthy"))],
                     features_of("healthy"), harness=False)
    exit_is(run, 0, "the service answered 200")
    attempts_are(run, 1, "the first attempt succeeded")
    requests_are(run, "healthy")
    answer_printed(run, "healthy")


def t_url_forms():
    prefix = PLAN["prefix"]
    for label, url, path in (("a --url ending in /", BASE + "/", "/predict"),
                             (f"a --url with the path {prefix}/", BASE + prefix + "/", prefix + "/predict")):
        case = "slash" if path == "/predict" else "prefix"
        run = run_client(label, [ok(answer_of(case))], features_of(case), url=url, harness=False)
        exit_is(run, 0, "the service answered 200")
        attempts_are(run, 1, "the first attempt succeeded")
        requests_are(run, case, path)
        answer_printed(run, case)


def t_retry_5xx():
    codes = PLAN["codes_5xx"]
    for case, failures in (("retry2", 2), ("retry3", 3)):
        script = [status(c) for c in codes[:failures]] + [ok(answer_of(case))]
        run = run_client(f"{failures} answers {'/'.join(map(str, codes[:failures]))}, then 200", script,
                         features_of(case))
        exit_is(run, 0, "the last attempt succeeded")
        attempts_are(run, failures + 1, "retry each 5xx answer until one succeeds, within 4 attempts")
        requests_are(run, case)
        waits_are(run, expected_waits(script, failures + 1))
        answer_printed(run, case)


def t_gave_up():
    codes = PLAN["codes_5xx"][3:7]
    script = [status(c) for c in codes]
    run = run_client(f"a service that answers {'/'.join(map(str, codes))}", script, features_of("gave_up"))
    exit_is(run, 3, "every attempt failed with a 5xx, so the client gives up with status 3")
    attempts_are(run, ATTEMPTS, "the first attempt and 3 retries, no more, no fewer")
    requests_are(run, "gave_up")
    waits_are(run, expected_waits(script, ATTEMPTS))
    stdout_empty(run)
    mentions(run, str(codes[-1]), "the last failure's status")


def t_final_4xx():
    message = PLAN["error_400"]
    run = run_client("a 400 answer", [status(400, message=message), ok(answer_of("final_400"))],
                     features_of("final_400"))
    no_crash(run)
    attempts_are(run, 1, "a 4xx answer is never retried")
    exit_is(run, 1, "a 4xx answer means the request itself is wrong: exit status 1")
    waits_are(run, [])
    stdout_empty(run)
    mentions(run, "400", "the status")
    mentions(run, message, 'the service\'s "error" message')

    code = PLAN["code_4xx"]
    run = run_client(f"a {code} answer", [status(code), ok(answer_of("final_4xx"))], features_of("final_4xx"))
    no_crash(run)
    attempts_are(run, 1, "a 4xx answer is never retried")
    exit_is(run, 1, f"a {code} is a 4xx: the request itself is wrong")
    stdout_empty(run)
    mentions(run, str(code), "the status")

    codes = PLAN["codes_5xx"][7:9]
    script = [status(c) for c in codes] + [status(400), ok(answer_of("late_4xx"))]
    run = run_client(f"{codes[0]}, {codes[1]}, then 400", script, features_of("late_4xx"))
    no_crash(run)
    attempts_are(run, 3, "two 5xx answers are retried, then the 400 ends it")
    exit_is(run, 1, "the 400 on the third attempt is final, even after retries")
    waits_are(run, expected_waits(script, 3))


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def t_connection_errors():
    port = free_port()
    run = run_client("a port where nothing listens", [], features_of("refused"), url=f"http://{HOST}:{port}")
    exit_is(run, 3, "every attempt was refused, so the client gives up with status 3")
    waits_are(run, [0.5, 1.0, 2.0])
    stdout_empty(run)

    k = PLAN["closed_count"]
    script = [CLOSE] * k + [ok(answer_of("closed"))]
    run = run_client(f"a service that hangs up {k} time(s) without answering, then answers", script,
                     features_of("closed"))
    exit_is(run, 0, "the connection errors are retried and the last attempt succeeded")
    attempts_are(run, k + 1, "a connection closed without an answer is retried")
    requests_are(run, "closed")
    waits_are(run, expected_waits(script, k + 1))
    answer_printed(run, "closed")


def t_retry_after():
    values = PLAN["retry_after"]
    order = PLAN["retry_after_order"]
    codes = PLAN["codes_5xx"][9:12]
    script = [status(c, retry_after=values[kind]) for c, kind in zip(codes, order)] + [ok(answer_of("retry_after"))]
    run = run_client("three 5xx answers with Retry-After: " + ", ".join(repr(values[k]) for k in order),
                     script, features_of("retry_after"))
    exit_is(run, 0, "the fourth attempt succeeded")
    attempts_are(run, 4, "three 5xx answers, then 200")
    want = expected_waits(script, 4)
    got = run.waits
    for n, (kind, w) in enumerate(zip(order, want), start=1):
        if n > len(got) or not isinstance(got[n - 1], float) or abs(got[n - 1] - w) > 1e-6:
            shown = f"{got[n - 1]:g} s" if n <= len(got) and isinstance(got[n - 1], float) else "nothing"
            why = {"seconds": f"Retry-After: {values[kind]} asks for {w:g} s",
                   "too_long": f"Retry-After: {values[kind]} is capped at {MAX_DELAY:g} s",
                   "not_seconds": f"Retry-After: {values[kind]} is not a whole number of seconds, so the "
                                  f"backoff applies: {w:g} s for retry {n}"}[kind]
            raise Fail(f"{run.label}: before retry {n} the client waited {shown}, expected {w:g} s: {why}")
    waits_are(run, want)
    answer_printed(run, "retry_after")


def t_timeout():
    run = run_client("a service that does not answer the first attempt", [HOLD, ok(answer_of("hold"))],
                     features_of("hold"))
    held = run.log[0]["held"] if run.log else None
    if held is not None and held >= HOLD_S - 0.5:
        raise Fail(f"{run.label}: the client waited {held:.1f} s for an answer that never came, until the "
                   "service hung up; give each attempt a 2-second timeout")
    if held is not None and held < 1.5:
        raise Fail(f"{run.label}: the client gave up after {held:.1f} s; the timeout is 2 s per attempt")
    exit_is(run, 0, "after the timeout, the retry succeeded")
    attempts_are(run, 2, "a timeout is retried like a connection error")
    waits_are(run, [0.5])
    answer_printed(run, "hold")


def t_not_json():
    for case, step, what in (
            ("not_json", {"kind": "answer", "status": 200,
                          "text": "<html><body>Service warming up</body></html>"}, "an HTML page"),
            ("json_list", ok([answer_of("json_list")["prediction"]]), "a JSON list")):
        run = run_client(f"a 200 answer holding {what}", [step, ok(answer_of(case))], features_of(case))
        no_crash(run)
        attempts_are(run, 1, "an unusable 2xx answer is not retried")
        exit_is(run, 1, "a 2xx answer without a JSON object is unusable: exit status 1")
        stdout_empty(run)


def t_usage():
    case = "usage"
    good = features_of(case)
    runs = [(f"--features={bad!r}", bad, BASE, TOKEN) for bad in PLAN["bad_features"]]
    runs += [("MLCLI_TOKEN unset", good, BASE, None), ("MLCLI_TOKEN empty", good, BASE, ""),
             (f"--url {HOST}:{PORT} (no http://)", good, f"{HOST}:{PORT}", TOKEN)]
    for label, features, url, token in runs:
        run = run_client(label, [ok(answer_of(case))], features, url=url, token=token)
        no_crash(run)
        if run.log:
            raise Fail(f"{label}: the client sent a request; check the arguments and the token before "
                       "sending anything")
        exit_is(run, 2, "bad arguments or a missing token are usage errors")
        stdout_empty(run)


def t_token():
    sent = [(run, entry) for run, token in RUNS if token for entry in run.log]
    if not sent:
        raise Fail("no run of mlcli.py reached the service, so the token could not be checked")
    for run, entry in sent:
        auth = entry["headers"].get("authorization")
        if auth is None:
            raise Fail(f"{run.label}: a request had no Authorization header; send "
                       "`Authorization: Bearer <MLCLI_TOKEN>` on every attempt")
        if auth != "Bearer " + TOKEN:
            raise Fail(f"{run.label}: the Authorization header was not `Bearer ` followed by the token "
                       "from MLCLI_TOKEN")
    for run, token in RUNS:
        if token and token in run.out + run.err:
            raise Fail(f"{run.label}: the token appears in mlcli.py's output; never print it, not even "
                       "in an error message")


def main():
    server = ThreadingHTTPServer((HOST, PORT), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    tests = [
        ("A healthy service: one POST to URL/predict, its answer printed as JSON", t_healthy),
        ("The URL may end with / or carry a path", t_url_forms),
        ("5xx answers are retried after 0.5 s, 1 s, 2 s", t_retry_5xx),
        ("After 4 failed attempts the client gives up with exit status 3", t_gave_up),
        ("4xx answers are final: no retry, exit status 1", t_final_4xx),
        ("Refused and dropped connections are retried", t_connection_errors),
        ("Retry-After sets the wait, capped at 10 s", t_retry_after),
        ("A silent service is given up on after 2 s, then retried", t_timeout),
        ("A 2xx answer without a JSON object is an error, not retried", t_not_json),
        ("Bad arguments and a missing token: exit status 2, nothing sent", t_usage),
        ("Every attempt carries the bearer token, and it is never printed", t_token),
    ]
    try:
        for name, test in tests:
            try:
                test()
                report(name, True)
            except Fail as err:
                report(name, False, str(err))
            except Exception as err:  # an answer shaped in a way no test foresaw
                report(name, False, f"unexpected result ({type(err).__name__}: {err})")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    open(RESULTS, "w").close()
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
