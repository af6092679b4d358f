"""Start the learner's score_server.py on $PORT over the sandbox's private loopback, with this
attempt's model and key, test authentication, telemetry and metrics, and write $KAIZEN_RESULTS.

The requests are sent one after another, and the service must record each one before it
answers, so what telemetry.jsonl and /metrics must hold is known exactly: no test depends on
timing, only on generous deadlines. Every process this script starts is killed in a finally.
"""
import ast
import http.client
import json
import math
import os
import re
import socket
import subprocess
import sys
import time

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
PORT = int(os.environ.get("PORT") or 18080)
LOGS = "check-logs"
TELEMETRY = "telemetry.jsonl"
READY_S = 10.0       # for the service to open its port
REQUEST_S = 5.0      # for one answer
EXIT_S = 8.0         # for a service without a key to give up
TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:?00)$")
results = []
services = []
sent = []            # (path without query, status it got) of every request that got an answer


class Fail(Exception):
    pass


def report(name, error=None):
    results.append({"name": name, "status": "pass" if error is None else "fail",
                    "message": "" if error is None else error})


# ---- the service under test -------------------------------------------------------------

class Service:
    def __init__(self, label, key):
        os.makedirs(LOGS, exist_ok=True)
        self.stdout_path = os.path.join(LOGS, label + ".out")
        self.stderr_path = os.path.join(LOGS, label + ".err")
        env = dict(os.environ, PORT=str(PORT), MODEL_PATH=os.path.join(GEN, "model.json"))
        env.pop("SCORING_KEY", None)
        if key is not None:
            env["SCORING_KEY"] = key
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen([sys.executable, "score_server.py"], stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, env=env)
        services.append(self)

    def listening(self):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.5).close()
            return True
        except OSError:
            return False

    def wait_ready(self):
        deadline = time.monotonic() + READY_S
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                return f"score_server.py exited with status {code} before it was listening: {self.last_error()}"
            if self.listening():
                return None
            time.sleep(0.05)
        return (f"nothing accepted connections on 127.0.0.1:{PORT} within {READY_S:g} s: read the port from "
                "the PORT environment variable")

    def last_error(self):
        with open(self.stderr_path, errors="replace") as f:
            lines = [ln for ln in f.read().strip().splitlines() if ln.strip()]
        return lines[-1][:200] if lines else "(nothing on stderr)"

    def output(self):
        text = ""
        for path in (self.stdout_path, self.stderr_path):
            with open(path, "rb") as f:
                text += f.read().decode("utf-8", "replace")
        return text

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def request(method, path, auth=None, body=None, raw=None, remember=False):
    """(status, headers with lower-case names, parsed JSON or None). Raises Fail without an answer.
    With remember, the request and its status are kept for the telemetry and metrics tests."""
    headers = {}
    if auth is not None:
        headers["Authorization"] = auth
    data = None
    if raw is not None:
        data = raw.encode()
    elif body is not None:
        data = json.dumps(body).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=REQUEST_S)
    what = f"{method} {path}"
    try:
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        head = {k.lower(): v for k, v in resp.getheaders()}
    except socket.timeout:
        raise Fail(f"{what} got no answer within {REQUEST_S:g} s")
    except (OSError, http.client.HTTPException) as err:
        raise Fail(f"{what}: the service closed the connection without an answer ({type(err).__name__}); "
                   "an exception in the handler? Its stderr shows the traceback")
    finally:
        conn.close()
    if remember:
        sent.append((path.split("?")[0], resp.status))
    try:
        parsed = json.loads(payload)
    except ValueError:
        parsed = None
    return resp.status, head, parsed


def reference(model, rows):
    out = []
    for r in rows:
        y = model["intercept"]
        for name, coef in model["coefficients"].items():
            y += coef * r[name]
        out.append(round(y, 3))
    return out


def p95(values):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[-(-95 * len(ordered) // 100) - 1]


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


# ---- the tests ---------------------------------------------------------------------------

NAMES = {
    "failfast": "Without SCORING_KEY, or with an empty one, it exits non-zero and never listens",
    "start": "With SCORING_KEY set it listens on $PORT within 10 seconds",
    "zero": "GET /metrics with the key, before any scoring: count 0, failures 0, p95_ms null",
    "score": "POST /score with the key answers 200 with the model's predictions",
    "unauth": "A missing or wrong key gets 401 with WWW-Authenticate: Bearer and a JSON error",
    "bad": "A bad body with the key gets 400 with a JSON error",
    "routes": "The key is checked before routing: 404 for an unknown path only with the key",
    "telemetry": "telemetry.jsonl has one line per request, in order, with ts, path, status and duration_ms",
    "metrics": "GET /metrics matches the requests sent to /score and the durations recorded",
    "nonascii": "A token with non-ASCII characters gets 401, not a crash",
    "digest": "The token is compared with hmac.compare_digest",
    "secrets": "No key or token reaches stdout, stderr or telemetry.jsonl",
}


def check_401(status, head, body, why):
    if status != 401:
        raise Fail(f"with {why}, the answer was {status}, expected 401")
    challenge = head.get("www-authenticate", "")
    if not challenge.lower().startswith("bearer"):
        raise Fail(f"with {why}, the 401 has no \"WWW-Authenticate: Bearer\" header: HTTP requires a 401 to say "
                   "which scheme it expects")
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        raise Fail(f'with {why}, the 401 body must be a JSON object with an "error" message')


def run_main(model, sc):
    key = sc["key"]
    bearer = "Bearer " + key
    if os.path.exists(TELEMETRY):
        os.remove(TELEMETRY)
    svc = Service("main", key)
    why = svc.wait_ready()
    report(NAMES["start"], why)
    if why:
        for k in ("zero", "score", "unauth", "bad", "routes", "telemetry", "metrics", "nonascii", "secrets"):
            report(NAMES[k], "skipped: the service did not start (see the check above)")
        return None

    def test(k, fn):
        try:
            fn()
            report(NAMES[k])
        except Fail as err:
            report(NAMES[k], str(err))

    def zero():
        status, _, body = request("GET", "/metrics", auth=bearer, remember=True)
        if status != 200:
            raise Fail(f"GET /metrics with the key answered {status}, expected 200")
        want = {"count": 0, "failures": 0, "p95_ms": None}
        if not isinstance(body, dict) or any(body.get(k, "absent") != v for k, v in want.items()):
            raise Fail(f"before any request to /score, GET /metrics answered {json.dumps(body)[:120]}, "
                       'expected {"count": 0, "failures": 0, "p95_ms": null}')

    def score():
        batches = sc["batches"]
        for n, rows in enumerate(batches):
            path = "/score?source=batch" if n == 1 else "/score"
            auth = ("bearer " + key) if n == 2 else bearer
            status, _, body = request("POST", path, auth=auth, body={"data": rows}, remember=True)
            what = f"POST {path}" + (' (scheme written "bearer")' if n == 2 else "")
            if status != 200:
                hint = ""
                if n == 1:
                    hint = ": route on the path without its query string (urllib.parse.urlsplit)"
                elif n == 2:
                    hint = ": HTTP treats the scheme name without regard to case"
                raise Fail(f"{what} with the key answered {status}, expected 200{hint}")
            if not isinstance(body, dict) or not isinstance(body.get("predictions"), list):
                raise Fail(f'{what}: the answer must be a JSON object with a "predictions" list')
            want = reference(model, rows)
            got = body["predictions"]
            if len(got) != len(want) or any(not number(g) or abs(g - w) > 1e-6 for g, w in zip(got, want)):
                raise Fail(f"{what}: the predictions are {got}, expected {want}: keep predict() as it is")
            label = f"{model['name']}:{model['version']}"
            if body.get("model") != label:
                raise Fail(f'{what}: "model" is {body.get("model")!r}, expected {label!r}')

    def unauth():
        status, head, body = request("POST", "/score", body={"data": sc["batches"][0]}, remember=True)
        check_401(status, head, body, "no Authorization header")
        for case in sc["wrong"]:
            status, head, body = request("POST", "/score", auth=case["header"], body={"data": sc["batches"][0]},
                                         remember=True)
            check_401(status, head, body, case["why"])

    def bad():
        for case in sc["bad"]:
            status, _, body = request("POST", "/score", auth=bearer, body=case["json"], raw=case["raw"], remember=True)
            if status != 400:
                raise Fail(f"with {case['why']}, POST /score answered {status}, expected 400")
            if not isinstance(body, dict) or not isinstance(body.get("error"), str):
                raise Fail(f'with {case["why"]}, the 400 must be a JSON object with an "error" message')

    def routes():
        status, head, body = request("GET", "/admin", remember=True)
        if status == 404:
            raise Fail("GET /admin without a key answered 404: check the key first, so that a caller without "
                       "one learns nothing about which paths exist")
        check_401(status, head, body, "GET /admin and no key")
        status, head, body = request("GET", "/metrics", remember=True)
        check_401(status, head, body, "GET /metrics and no key")
        status, _, _ = request("GET", "/admin", auth=bearer, remember=True)
        if status != 404:
            raise Fail(f"GET /admin with the key answered {status}, expected 404")

    test("zero", zero)
    test("score", score)
    test("unauth", unauth)
    test("bad", bad)
    test("routes", routes)
    expected = list(sent)

    records = []

    def telemetry():
        if not os.path.exists(TELEMETRY):
            raise Fail("there is no telemetry.jsonl in the directory the service runs in: append one JSON line "
                       "per request to it, and write it before sending the answer")
        with open(TELEMETRY, encoding="utf-8", errors="replace") as f:
            lines = [ln for ln in f.read().splitlines() if ln.strip()]
        for n, line in enumerate(lines, start=1):
            try:
                rec = json.loads(line)
            except ValueError:
                raise Fail(f"telemetry.jsonl line {n} is not JSON")
            if not isinstance(rec, dict):
                raise Fail(f"telemetry.jsonl line {n} is not a JSON object")
            if not isinstance(rec.get("ts"), str) or not TS.match(rec["ts"]):
                raise Fail(f'telemetry.jsonl line {n}: "ts" must be a UTC time such as "2025-03-01T09:30:12.345Z", '
                           f"got {rec.get('ts')!r}")
            if not isinstance(rec.get("path"), str):
                raise Fail(f'telemetry.jsonl line {n}: "path" must be the request path as a string')
            if not isinstance(rec.get("status"), int) or isinstance(rec.get("status"), bool):
                raise Fail(f'telemetry.jsonl line {n}: "status" must be the status code as an integer')
            if not number(rec.get("duration_ms")) or rec["duration_ms"] < 0:
                raise Fail(f'telemetry.jsonl line {n}: "duration_ms" must be a number of milliseconds, at least 0')
            records.append(rec)
        got = [(r["path"], r["status"]) for r in records]
        if len(got) < len(expected):
            raise Fail(f"telemetry.jsonl has {len(got)} lines after {len(expected)} requests: record every request, "
                       "401s and 404s included, and write (and flush) the line before sending the answer")
        if len(got) > len(expected):
            raise Fail(f"telemetry.jsonl has {len(got)} lines after {len(expected)} requests: one line per request")
        for n, (g, w) in enumerate(zip(got, expected), start=1):
            if g != w:
                raise Fail(f"telemetry.jsonl line {n} has path {g[0]!r} and status {g[1]}, expected {w[0]!r} and "
                           f"{w[1]} (the path without its query string)")

    def metrics():
        status, _, body = request("GET", "/metrics", auth=bearer)
        if status != 200 or not isinstance(body, dict):
            raise Fail(f"GET /metrics with the key answered {status}, expected 200 with a JSON object")
        to_score = [s for p, s in expected if p == "/score"]
        want = {"count": len(to_score), "failures": sum(s >= 400 for s in to_score)}
        for k, v in want.items():
            if body.get(k) != v:
                raise Fail(f'after {len(to_score)} requests to /score, of which {want["failures"]} got a status of '
                           f'400 or more, "{k}" is {body.get(k)!r}, expected {v}')
        if not records:
            raise Fail("p95_ms cannot be checked: telemetry.jsonl has no usable lines (see the telemetry check)")
        durations = [r["duration_ms"] for r in records if r["path"] == "/score"]
        if len(durations) != len(to_score):
            raise Fail("p95_ms cannot be checked: telemetry.jsonl does not hold one line per request to /score")
        p = p95(durations)
        got = body.get("p95_ms")
        if not number(got) or abs(got - p) > 1e-3:
            raise Fail(f'"p95_ms" is {got!r}, but the nearest-rank p95 of the {len(durations)} duration_ms values '
                       f"recorded for /score is {p}: sort them and take the value at rank ceil(0.95 * n), "
                       "counting from 1")

    test("telemetry", telemetry)
    test("metrics", metrics)

    def nonascii():
        status, head, body = request("POST", "/score", auth=sc["non_ascii"], body={"data": sc["batches"][0]})
        check_401(status, head, body, "a token with a non-ASCII character")
        status, _, _ = request("GET", "/metrics", auth=bearer)
        if status != 200:
            raise Fail(f"after the non-ASCII token, GET /metrics with the key answered {status}, expected 200")

    try:
        nonascii()
        report(NAMES["nonascii"])
    except Fail as err:
        msg = str(err)
        if "closed the connection" in msg:
            msg += ("; hmac.compare_digest raises TypeError for str with non-ASCII characters, so compare "
                    "bytes (.encode())")
        report(NAMES["nonascii"], msg)
    return svc


def check_digest():
    with open("score_server.py", encoding="utf-8") as f:
        source = f.read()
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise Fail(f"score_server.py does not parse: line {err.lineno}: {err.msg}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Attribute) and fn.attr == "compare_digest" \
                    and isinstance(fn.value, ast.Name) and fn.value.id in ("hmac", "secrets"):
                return
            if isinstance(fn, ast.Name) and fn.id == "compare_digest":
                return
    raise Fail("score_server.py never calls hmac.compare_digest: == can stop at the first character that "
               "differs, so its timing tells an attacker how much of a guess is right; compare_digest is written "
               "so that its timing does not reveal where two values differ")


def check_secrets(sc, svc):
    tokens = [sc["key"]] + [c["header"].split(" ", 1)[-1] for c in sc["wrong"]]
    tokens = [t for t in tokens if len(t) >= 12]
    places = [(f"the service's {'stdout' if p.endswith('.out') else 'stderr'}", p)
              for p in (svc.stdout_path, svc.stderr_path)]
    places.append(("telemetry.jsonl", TELEMETRY))
    for where, path in places:
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        if sc["key"] in text:
            raise Fail(f"the key itself appears in {where}: never log it, nor the Authorization header")
        if any(t in text for t in tokens):
            raise Fail(f"a token a client sent appears in {where}: never log the Authorization header, even for "
                       "a failed attempt (a near miss is most of the key)")


def run_fail_fast():
    for label, key in (("nokey", None), ("emptykey", "")):
        svc = Service(label, key)
        what = "without SCORING_KEY" if key is None else "with SCORING_KEY set to an empty string"
        deadline = time.monotonic() + EXIT_S
        listened = False
        while svc.proc.poll() is None and time.monotonic() < deadline:
            if svc.listening():
                listened = True
                break
            time.sleep(0.05)
        code = svc.proc.poll()
        svc.kill()
        if listened:
            raise Fail(f"{what}, score_server.py opened its port: read the key from the environment at start-up "
                       "and exit with a non-zero status when it is missing or empty (no default key)")
        if code is None:
            raise Fail(f"{what}, score_server.py was still running after {EXIT_S:g} s: exit non-zero at once")
        if code == 0:
            raise Fail(f"{what}, score_server.py exited with status 0: exit non-zero, so the platform sees the "
                       "failed start")


def main():
    with open(os.path.join(GEN, "model.json"), encoding="utf-8") as f:
        model = json.load(f)
    with open(os.path.join(GEN, "scenario.json"), encoding="utf-8") as f:
        sc = json.load(f)
    try:
        try:
            run_fail_fast()
            report(NAMES["failfast"])
        except Fail as err:
            report(NAMES["failfast"], str(err))
    finally:
        for svc in services:
            svc.kill()
    try:
        main_svc = run_main(model, sc)
    finally:
        for svc in services:
            svc.kill()
    try:
        check_digest()
        report(NAMES["digest"])
    except Fail as err:
        report(NAMES["digest"], str(err))
    if main_svc is None:
        return  # it never started; the secrets test is already reported as skipped
    try:
        check_secrets(sc, main_svc)
        report(NAMES["secrets"])
    except Fail as err:
        report(NAMES["secrets"], str(err))


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
