"""Start the learner's service.py on $PORT over the sandbox's private loopback, exercise the
container contract, and write $KAIZEN_RESULTS.

The service is started with HOST=127.0.0.1 and this attempt's model file. Every process this
script starts is killed in a finally block.
"""
import http.client
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
PORT = int(os.environ.get("PORT") or 18080)
LOGS = "check-logs"
START_LIMIT = 5.0
results = []
services = []


class Fail(Exception):
    pass


def report(name, error=None):
    if error is None:
        results.append({"name": name, "status": "pass"})
    else:
        results.append({"name": name, "status": "fail", "message": error})


# ---- the service under test -------------------------------------------------------------

class Service:
    def __init__(self, label, model_path):
        os.makedirs(LOGS, exist_ok=True)
        self.stdout_path = os.path.join(LOGS, label + ".out")
        self.stderr_path = os.path.join(LOGS, label + ".err")
        env = dict(os.environ, PORT=str(PORT), HOST="127.0.0.1", MODEL_PATH=model_path)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen([sys.executable, "service.py"], stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, env=env)
        services.append(self)

    def wait_ready(self):
        """None when the port accepts connections, else why not."""
        deadline = time.monotonic() + START_LIMIT
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                return f"service.py exited with status {code} before it was listening: {self.last_error()}"
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.25).close()
                return None
            except OSError:
                time.sleep(0.05)
        return (f"nothing accepted connections on 127.0.0.1:{PORT} within {START_LIMIT:g} s: read the port "
                "from the PORT environment variable and the address from HOST")

    def last_error(self):
        with open(self.stderr_path, errors="replace") as f:
            lines = f.read().strip().splitlines()
        return lines[-1] if lines else "(nothing on stderr)"

    def log_lines(self):
        """Complete lines written so far (a last line without its newline is still being written)."""
        with open(self.stdout_path, errors="replace") as f:
            text = f.read()
        if self.proc.poll() is None and not text.endswith("\n"):
            text = text[:text.rfind("\n") + 1]
        return [ln for ln in text.splitlines() if ln.strip()]

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def request(method, path, body=None, raw=False, timeout=5.0, sent=None):
    """(status, parsed JSON body or None, seconds). Raises Fail when the connection fails.
    sent, a threading.Event, is set once the request has been written to the socket."""
    data = None
    headers = {}
    if body is not None:
        data = body.encode() if raw else json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    start = time.monotonic()
    try:
        conn.request(method, path, body=data, headers=headers)
        if sent is not None:
            sent.set()
        resp = conn.getresponse()
        payload = resp.read()
        status = resp.status
    except socket.timeout:
        raise Fail(f"{method} {path} got no answer within {timeout:g} s")
    except (OSError, http.client.HTTPException) as err:
        raise Fail(f"{method} {path} failed: {type(err).__name__}: {err}")
    finally:
        conn.close()
    try:
        parsed = json.loads(payload)
    except ValueError:
        parsed = None
    return status, parsed, time.monotonic() - start


def reference(model, instances):
    out = []
    for inst in instances:
        z = model["bias"] + sum(w * inst[f] for f, w in zip(model["features"], model["weights"]))
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


def check_predictions(body, model, instances, what):
    if not isinstance(body, dict):
        raise Fail(f"{what}: the answer is not a JSON object")
    got, want = body.get("predictions"), reference(model, instances)
    if not isinstance(got, list) or len(got) != len(want):
        raise Fail(f'{what}: "predictions" must be a list with one probability per instance ({len(want)})')
    for i, (g, w) in enumerate(zip(got, want)):
        if not isinstance(g, (int, float)) or isinstance(g, bool) or abs(g - w) > 1e-9:
            raise Fail(f"{what}: prediction {i} is {g!r}, expected {w:.12f} "
                       "(sigmoid of bias + sum of weight * feature, in the model's feature order)")
    label = f"{model['name']}:{model['version']}"
    if body.get("model") != label:
        raise Fail(f'{what}: "model" is {body.get("model")!r}, expected {label!r} (NAME:VERSION from the model file)')


class Background(threading.Thread):
    """A request in another thread, so the main thread can act while it is in flight."""

    def __init__(self, method, path, body, timeout):
        super().__init__(daemon=True)
        self.args, self.result, self.error = (method, path, body, timeout), None, None
        self.sent = threading.Event()

    def run(self):
        method, path, body, timeout = self.args
        try:
            self.result = request(method, path, body, timeout=timeout, sent=self.sent)
        except Fail as err:
            self.error = str(err)
        finally:
            self.sent.set()

    def start_and_wait(self):
        """Start, and return once the request is on the wire and the server has accepted it."""
        self.start()
        self.sent.wait(5)
        time.sleep(0.2)


# ---- the tests ---------------------------------------------------------------------------

NAMES = {
    "start": "It listens on $PORT within 5 seconds",
    "health": "GET /healthz answers 200 with a JSON body",
    "predict": "POST /predict returns the model's probabilities and NAME:VERSION",
    "bad": "Bad input gets 400 with a JSON error, and the service keeps serving",
    "notfound": "Unknown paths get 404",
    "concurrent": "Health checks are answered while a slow prediction is running",
    "logs": "Logs are JSON lines on stdout, one per request, with severity and httpRequest",
    "sigterm": "On SIGTERM the request in flight completes and the process exits 0 within 10 s",
    "failfast": "A missing model file stops start-up with an ERROR log line and a non-zero exit",
}


def run_main_service(model, reqs):
    svc = Service("main", os.path.join(GEN, "model.json"))
    why = svc.wait_ready()
    report(NAMES["start"], why)
    if why:
        for key in ("health", "predict", "bad", "notfound", "concurrent", "logs", "sigterm"):
            report(NAMES[key], "skipped: the service did not start (see the first check)")
        return

    def test(key, fn):
        try:
            fn()
            report(NAMES[key])
        except Fail as err:
            report(NAMES[key], str(err))

    def health():
        status, body, _ = request("GET", "/healthz")
        if status != 200:
            raise Fail(f"GET /healthz answered {status}, expected 200")
        if not isinstance(body, dict):
            raise Fail('GET /healthz must answer with a JSON object, such as {"status": "ok"}')

    def predict():
        status, body, _ = request("POST", "/predict", {"instances": reqs["instances"]})
        if status != 200:
            why = f": {body.get('error')}" if isinstance(body, dict) and body.get("error") else ""
            raise Fail(f"POST /predict with valid instances answered {status}, expected 200{why}")
        check_predictions(body, model, reqs["instances"], "POST /predict")

    def bad():
        for case in reqs["bad"]:
            status, body, _ = request("POST", "/predict", case["body"], raw=case.get("raw", False))
            if status != 400:
                raise Fail(f"for {case['why']}, POST /predict answered {status}, expected 400")
            if not isinstance(body, dict) or not isinstance(body.get("error"), str):
                raise Fail(f'for {case["why"]}, the 400 answer must be a JSON object with an "error" message')
        status, _, _ = request("GET", "/healthz")
        if status != 200:
            raise Fail("after the bad requests, GET /healthz no longer answers 200")

    def notfound():
        for method, path in (("GET", "/nothing-here"), ("POST", "/predictions")):
            status, _, _ = request(method, path, {"instances": []} if method == "POST" else None)
            if status != 404:
                raise Fail(f"{method} {path} answered {status}, expected 404")

    def concurrent():
        slow = Background("POST", "/predict?delay=2", {"instances": reqs["slow"]}, 8.0)
        slow.start_and_wait()
        try:
            status, _, took = request("GET", "/healthz", timeout=1.5)
        except Fail:
            status, took = None, 1.5
        finally:
            slow.join(10)
        if status is None or took > 1.2:
            raise Fail(f"GET /healthz took over {took:.1f} s while a slow /predict was running: serve each "
                       "request in its own thread (ThreadingHTTPServer)")
        if status != 200:
            raise Fail(f"GET /healthz answered {status} while a slow /predict was running, expected 200")
        if slow.error:
            raise Fail(f"the slow request failed: {slow.error}")
        s_status, s_body, s_took = slow.result
        if s_status != 200:
            raise Fail(f"POST /predict?delay=2 answered {s_status}, expected 200: the query string is "
                       "not part of the route")
        if s_took < 1.7:
            raise Fail(f"POST /predict?delay=2 answered after {s_took:.1f} s: sleep for ?delay seconds "
                       "before answering")
        check_predictions(s_body, model, reqs["slow"], "POST /predict?delay=2")

    def logs():
        time.sleep(0.3)  # the last request's line is written just after its answer is sent
        lines = svc.log_lines()
        if not lines:
            raise Fail("nothing reached stdout while the service ran: log to stdout and flush every line "
                       "(print(..., flush=True)); a container's stdout is not a terminal")
        entries = []
        for ln in lines:
            try:
                entry = json.loads(ln)
            except ValueError:
                entry = None
            if not isinstance(entry, dict) or not isinstance(entry.get("severity"), str) or "message" not in entry:
                raise Fail(f"a stdout line is not a JSON object with \"severity\" and \"message\": {ln[:80]!r}")
            entries.append(entry)
        reqs_logged = [e["httpRequest"] for e in entries if isinstance(e.get("httpRequest"), dict)]
        sev = {id(e["httpRequest"]): e["severity"] for e in entries if isinstance(e.get("httpRequest"), dict)}

        def find(method, url, status):
            return [r for r in reqs_logged if r.get("requestMethod") == method and r.get("requestUrl") == url
                    and r.get("status") == status]

        for method, url, status in (("GET", "/healthz", 200), ("POST", "/predict", 200),
                                    ("POST", "/predict", 400), ("GET", "/nothing-here", 404)):
            if not find(method, url, status):
                raise Fail(f'no log line has "httpRequest" with requestMethod {method!r}, requestUrl {url!r} '
                           f"and status {status}")
        for r in reqs_logged:
            if not isinstance(r.get("latency"), str) or not re.fullmatch(r"\d+(\.\d+)?s", r["latency"]):
                raise Fail(f'httpRequest.latency must be seconds as text, such as "0.004s", got {r.get("latency")!r}')
        if any(sev[id(r)] != "WARNING" for r in find("POST", "/predict", 400) + find("GET", "/nothing-here", 404)):
            raise Fail('answers with a 4xx status must be logged with "severity": "WARNING"')
        if any(sev[id(r)] != "INFO" for r in find("GET", "/healthz", 200)):
            raise Fail('answers with a 2xx status must be logged with "severity": "INFO"')
        slow = find("POST", "/predict?delay=2", 200)
        if slow and float(slow[0]["latency"][:-1]) < 1.5:
            raise Fail("the slow request's latency is logged as " + slow[0]["latency"]
                       + ": measure from when the request arrived to when the answer was sent")

    def sigterm():
        inflight = Background("POST", "/predict?delay=2", {"instances": reqs["slow"]}, 12.0)
        inflight.start_and_wait()
        try:  # answered only after the server has accepted the slow connection, which came first
            request("GET", "/healthz", timeout=1.0)
        except Fail:
            pass
        svc.proc.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        inflight.join(12)
        try:
            code = svc.proc.wait(timeout=max(0.1, 10 - (time.monotonic() - sent)))
        except subprocess.TimeoutExpired:
            raise Fail("service.py was still running 10 s after SIGTERM (Cloud Run would now SIGKILL it): "
                       "call server.shutdown() from another thread, then server_close()")
        if inflight.error or inflight.result is None:
            what = inflight.error or "no answer"
            raise Fail(f"the request in flight when SIGTERM arrived was cut off ({what}): let running requests "
                       "finish (daemon_threads = False, then server_close() waits for them)")
        if inflight.result[0] != 200:
            raise Fail(f"the request in flight when SIGTERM arrived (POST /predict?delay=2) answered "
                       f"{inflight.result[0]}, expected 200")
        check_predictions(inflight.result[1], model, reqs["slow"], "the request in flight")
        if code != 0:
            hint = " (-15: SIGTERM killed it, so install a handler with signal.signal)" if code == -15 else ""
            raise Fail(f"after SIGTERM service.py exited with status {code}, expected 0{hint}")

    test("health", health)
    test("predict", predict)
    test("bad", bad)
    test("notfound", notfound)
    test("concurrent", concurrent)
    test("logs", logs)
    test("sigterm", sigterm)


def run_fail_fast():
    svc = Service("nomodel", os.path.join(GEN, "no-such-model.json"))
    try:
        code = svc.proc.wait(timeout=START_LIMIT)
    except subprocess.TimeoutExpired:
        svc.kill()
        return report(NAMES["failfast"], f"with MODEL_PATH naming a missing file, service.py was still running after "
                      f"{START_LIMIT:g} s: load the model before listening, and exit 1 if it fails")
    if code == 0:
        return report(NAMES["failfast"], "with a missing model file, service.py exited with status 0: exit 1, so the "
                      "platform sees a failed start")
    for ln in svc.log_lines():
        try:
            entry = json.loads(ln)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("severity") == "ERROR":
            return report(NAMES["failfast"])
    report(NAMES["failfast"], 'the failed start must leave a JSON line with "severity": "ERROR" on stdout, '
           "saying what went wrong (a traceback on stderr is not a structured log)")


def main():
    with open(os.path.join(GEN, "model.json")) as f:
        model = json.load(f)
    with open(os.path.join(GEN, "requests.json")) as f:
        reqs = json.load(f)
    try:
        run_main_service(model, reqs)
    finally:
        for svc in services:
            svc.kill()
    try:
        run_fail_fast()
    finally:
        for svc in services:
            svc.kill()


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
