"""Start the learner's server.py on $PORT with this attempt's hidden model and test its contract.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Every server it starts is stopped in a finally.
"""
import concurrent.futures
import http.client
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refmodel import score  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
HOST = "127.0.0.1"
PORT = int(os.environ.get("PORT", "8080"))
TMP = tempfile.mkdtemp(prefix="svc-")
READY_S = 10.0       # for the server to open its port
REQUEST_S = 5.0      # for one answer
BUDGET_S = 45.0      # for all the tests against the running server
EXIT_S = 6.0         # for a server with a broken model to give up
CONCURRENT_REQUESTS = 40
CONCURRENT_S = 4.0   # per request while a slow client is connected
results = []
responses = []       # (what, status, content type) of every answer, for the Content-Type test

HARNESS = r"""
import json, sys
import core
model = core.load_model(sys.argv[1])
vectors = json.load(open(sys.argv[2]))
bad = json.load(open(sys.argv[3]))
predictions = [core.predict(model, v) for v in vectors]
outcomes = []
for features in bad:
    try:
        core.predict(model, features)
        outcomes.append("accepted")
    except core.InvalidInput:
        outcomes.append("InvalidInput")
    except Exception as err:
        outcomes.append(type(err).__name__)
with open(sys.argv[4], "w") as f:
    json.dump({"predictions": predictions, "invalid": outcomes}, f)
"""


def report(name, ok, message=""):
    """Record one test, and append it to the results file at once (JSON lines), so a check that
    is stopped from outside still reports what it finished."""
    result = {"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message}
    results.append(result)
    with open(RESULTS, "a") as f:
        f.write(json.dumps(result) + "\n")


class Fail(Exception):
    """A learner-facing reason a test failed."""


# ---- the server process ---------------------------------------------------------------------

class Server:
    def __init__(self, model_path):
        self.log_path = os.path.join(TMP, f"server-{time.monotonic_ns()}.log")
        self.log = open(self.log_path, "wb")
        env = dict(os.environ, MODEL_PATH=model_path, PORT=str(PORT), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "server.py"], env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def last_words(self):
        try:
            with open(self.log_path, "rb") as f:
                lines = [line for line in f.read().decode("utf-8", "replace").splitlines() if line.strip()]
        except OSError:
            return ""
        return lines[-1].strip() if lines else ""

    def gone(self):
        """None while running; otherwise a sentence about how it ended."""
        code = self.proc.poll()
        if code is None:
            return None
        words = self.last_words()
        return f"server.py exited with status {code}" + (f": {words}" if words else "")

    def wait_ready(self):
        deadline = time.monotonic() + READY_S
        while time.monotonic() < deadline:
            ended = self.gone()
            if ended:
                raise Fail(ended)
            try:
                socket.create_connection((HOST, PORT), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise Fail(f"server.py did not accept connections on 127.0.0.1:{PORT} within {READY_S:g} s: "
                   "listen on the port given in the PORT environment variable")

    def stop(self):
        # The server stays in this script's process group, so whatever runs the check can stop
        # it too if this script is itself stopped before it gets here.
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


SERVER = None


def crash_reason():
    ended = SERVER.gone() if SERVER else None
    if ended:
        return "; " + ended
    words = SERVER.last_words() if SERVER else ""
    if words and ("Error" in words or "Exception" in words):
        return f" (the server logged: {words})"
    return " (an exception in the handler? the server's stderr shows it)"


# ---- requests -------------------------------------------------------------------------------

def request(method, path, body=None, what=None, timeout=REQUEST_S, headers=None):
    """Send one request; return (status, headers, parsed JSON or None)."""
    what = what or f"{method} {path}"
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        hdrs = {"Content-Type": "application/json"} if body is not None else {}
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        head = {k.lower(): v for k, v in resp.getheaders()}
    except socket.timeout:
        hint = " (does the handler read exactly Content-Length bytes, not until the end?)" if body else ""
        raise Fail(f"{what}: no answer within {timeout:g} s{hint}")
    except ConnectionRefusedError:
        raise Fail(f"{what}: the connection was refused" + crash_reason())
    except (http.client.HTTPException, ConnectionError) as err:
        raise Fail(f"{what}: the server closed the connection without a proper answer "
                   f"({type(err).__name__})" + crash_reason())
    finally:
        conn.close()
    return finish(what, resp.status, head, raw)


def finish(what, status, head, raw):
    ctype = head.get("content-type", "")
    responses.append((what, status, ctype))
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError:
        doc = None
    return status, head, doc


def raw_request(text, what, timeout=REQUEST_S, half_close=False):
    """Send raw bytes (then say "no more" if half_close); return (status, headers, JSON) of the answer."""
    sock = socket.create_connection((HOST, PORT), timeout=timeout)
    data = b""
    try:
        sock.sendall(text)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        if not data:
            raise Fail(f"{what}: no answer within {timeout:g} s")
    except ConnectionError as err:
        if not data:
            raise Fail(f"{what}: the server closed the connection without an answer ({type(err).__name__})"
                       + crash_reason())
    finally:
        sock.close()
    head_text, _, body = data.partition(b"\r\n\r\n")
    lines = head_text.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        raise Fail(f"{what}: the answer is not an HTTP response" + crash_reason())
    head = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        head[name.strip().lower()] = value.strip()
    return finish(what, status, head, body)


def post_features(features, what):
    return request("POST", "/predict", json.dumps({"features": features}).encode(), what)


# ---- the tests ------------------------------------------------------------------------------

def t_health(model):
    status, _, doc = request("GET", "/health")
    if status != 200:
        raise Fail(f"GET /health answered {status}, expected 200")
    if not isinstance(doc, dict):
        raise Fail("GET /health must answer a JSON object")
    if doc.get("status") != "ok":
        raise Fail(f'GET /health: "status" is {doc.get("status")!r}, expected "ok"')
    if doc.get("model_version") != model["model_version"]:
        raise Fail(f'GET /health: "model_version" is {doc.get("model_version")!r}, expected the version '
                   "in the model file named by MODEL_PATH")


def check_prediction(what, features, model):
    status, _, doc = post_features(features, what)
    if status != 200:
        raise Fail(f"{what} answered {status}, expected 200")
    if not isinstance(doc, dict):
        raise Fail(f"{what}: the answer is not a JSON object")
    want = score(model, features)
    got = doc.get("prediction")
    if isinstance(got, bool) or not isinstance(got, (int, float)) or not math.isfinite(got) \
            or abs(got - want) > 1e-6:
        raise Fail(f"{what} (features {features}): prediction is {got!r}, expected {want}")
    if doc.get("model_version") != model["model_version"]:
        raise Fail(f'{what}: "model_version" is {doc.get("model_version")!r}, expected {model["model_version"]!r}')


def t_predict(model, normal):
    for i, features in enumerate(normal, start=1):
        check_prediction(f"POST /predict for customer {i} of {len(normal)}", features, model)


def t_extreme(model, extreme):
    for i, features in enumerate(extreme, start=1):
        check_prediction(f"POST /predict for extreme customer {i} of {len(extreme)}", features, model)


def bad_bodies(n):
    ok = [1] * n
    cases = [
        ("a body that is not JSON", b"features=1,2,3"),
        ("an empty body", b""),
        ("a JSON list instead of an object", json.dumps(ok).encode()),
        ('an object without "features"', json.dumps({"inputs": ok}).encode()),
        ('"features" that is not a list', json.dumps({"features": ",".join(map(str, ok))}).encode()),
        ("one feature too few", json.dumps({"features": ok[:-1]}).encode()),
        ("one feature too many", json.dumps({"features": ok + [1]}).encode()),
        ('a feature given as a string ("12")', json.dumps({"features": ["12"] + ok[1:]}).encode()),
        ("a feature given as true", json.dumps({"features": ok[:-1] + [True]}).encode()),
        ("a feature given as null", json.dumps({"features": [None] + ok[1:]}).encode()),
        ("a NaN feature", b'{"features": [' + b", ".join([b"NaN"] + [b"1"] * (n - 1)) + b"]}"),
        ("an Infinity feature", b'{"features": [' + b", ".join([b"1"] * (n - 1) + [b"-Infinity"]) + b"]}"),
        ("a body that is not UTF-8", b'{"features": ["\xff\xfe"]}'),
    ]
    return cases


def t_bad_input(model):
    n = len(model["features"])
    for what, body in bad_bodies(n):
        label = f"POST /predict with {what}"
        status, _, doc = request("POST", "/predict", body, label)
        if status != 400:
            raise Fail(f"{label} answered {status}, expected 400: bad input is the caller's mistake")
        if not isinstance(doc, dict) or not isinstance(doc.get("error"), str) or not doc["error"].strip():
            raise Fail(f'{label}: the 400 answer must be a JSON object with an "error" message')
    label = "POST /predict with a Content-Length that is not a number"
    status, _, doc = raw_request(b"POST /predict HTTP/1.1\r\nHost: test\r\nContent-Length: twelve\r\n\r\n", label)
    if status != 400:
        raise Fail(f"{label} answered {status}, expected 400")


def t_routes():
    cases = [("GET", "/nope", 404), ("POST", "/nope", 404), ("GET", "/", 404),
             ("GET", "/predict", 405), ("POST", "/health", 405)]
    for method, path, want in cases:
        status, head, doc = request(method, path)
        if status != want:
            raise Fail(f"{method} {path} answered {status}, expected {want}")
        if not isinstance(doc, dict) or not isinstance(doc.get("error"), str):
            raise Fail(f'{method} {path}: the {want} answer must be a JSON object with an "error" message')
        if want == 405:
            allowed = "POST" if path == "/predict" else "GET"
            if allowed not in head.get("allow", ""):
                raise Fail(f"{method} {path}: a 405 answer must say which method works, "
                           f"with the header `Allow: {allowed}`")


def t_too_large(model, features):
    label = "POST /predict announcing a 20,000-byte body"
    # the body never comes: a server that checks Content-Length answers 413 at once, one that
    # reads first finds the connection closed for writing and answers something else
    status, _, doc = raw_request(b"POST /predict HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 20000\r\n\r\n", label, timeout=5, half_close=True)
    if status != 413:
        raise Fail(f"{label} answered {status}, expected 413: check Content-Length before reading the body")
    if not isinstance(doc, dict) or not isinstance(doc.get("error"), str):
        raise Fail(f'{label}: the 413 answer must be a JSON object with an "error" message')
    body = json.dumps({"features": features}).encode()
    body += b" " * (10_000 - len(body))
    label = "POST /predict with a body of exactly 10,000 bytes"
    status, _, doc = request("POST", "/predict", body, label)
    if status != 200:
        raise Fail(f"{label} answered {status}, expected 200: only bodies over 10,000 bytes are too large")


def t_content_type():
    if not responses:
        raise Fail("no request got an answer, so there is nothing to check yet")
    for what, status, ctype in responses:
        if ctype.split(";")[0].strip().lower() != "application/json":
            raise Fail(f"{what} ({status}) was answered with Content-Type {ctype or '(none)'!r}, "
                       "expected application/json")


def t_concurrent(model, vectors):
    jobs = [vectors[i % len(vectors)] for i in range(CONCURRENT_REQUESTS)]
    stop = threading.Event()          # set by the first failure, so the rest do not wait too

    def one(features):
        if stop.is_set():
            return None
        try:
            status, _, doc = request("POST", "/predict", json.dumps({"features": features}).encode(),
                                     "a concurrent POST /predict", timeout=CONCURRENT_S)
            got = doc.get("prediction") if isinstance(doc, dict) else None
            if status != 200 or isinstance(got, bool) or not isinstance(got, (int, float)) \
                    or abs(got - score(model, features)) > 1e-6:
                raise Fail(f"a concurrent POST /predict got {status} or a wrong prediction")
        except Fail as err:
            stop.set()
            return str(err)
        return ""

    slow = socket.create_connection((HOST, PORT), timeout=5)
    try:
        slow.sendall(b"POST /predict HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 200\r\n\r\n{\"feat")      # and then nothing more, for now
        time.sleep(0.2)
        start = time.monotonic()
        # a few at a time: socketserver's default listen backlog is only 5 connections
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            outcomes = list(pool.map(one, jobs))
        elapsed = time.monotonic() - start
    finally:
        slow.close()
    failed = [o for o in outcomes if o]
    if failed:
        raise Fail(f"while one client was slowly sending its body, other requests failed ({failed[0]}): "
                   "serve each request in its own thread (ThreadingHTTPServer)")
    if elapsed > 2 * CONCURRENT_S:
        raise Fail(f"{len(jobs)} requests took {elapsed:.1f} s while a slow client was connected")


def t_loaded_once(model, model_path, features):
    shutil.copy(os.path.join(GEN, "other.json"), model_path)
    status, _, doc = request("GET", "/health")
    if status != 200 or not isinstance(doc, dict):
        raise Fail(f"after the model file changed on disk, GET /health answered {status}")
    if doc.get("model_version") != model["model_version"]:
        raise Fail("after the model file changed on disk, /health reported the new version: the server "
                   "reads the model again for each request; load it once, at start-up")
    check_prediction("after the model file changed on disk, POST /predict", features, model)


def t_refuses_broken():
    for path, what in ((os.path.join(GEN, "broken.json"), "a broken model file"),
                       (os.path.join(TMP, "no-such-model.json"), "a missing model file")):
        server = Server(path)
        try:
            deadline = time.monotonic() + EXIT_S
            listening = False
            while server.proc.poll() is None and time.monotonic() < deadline and not listening:
                try:
                    socket.create_connection((HOST, PORT), timeout=0.5).close()
                    listening = True
                except OSError:
                    time.sleep(0.05)
            code = server.proc.poll()
        finally:
            server.stop()
        if listening and code is None:
            raise Fail(f"with {what}, server.py opened its port and served: load the model first, and exit "
                       "with a non-zero status when that fails")
        if code is None:
            raise Fail(f"with {what}, server.py was still running after {EXIT_S:g} s: load the model before "
                       "serving, and exit with a non-zero status when that fails")
        if code == 0:
            raise Fail(f"with {what}, server.py exited with status 0: exit non-zero so the platform "
                       "knows the start failed")


def t_core(model_path, vectors, model):
    n = len(model["features"])
    bad = [[1] * (n - 1), ["12"] + [1] * (n - 1), [True] + [1] * (n - 1), [float("nan")] + [1] * (n - 1),
           "1,2,3", None]
    vectors_path = os.path.join(TMP, "vectors.json")
    with open(vectors_path, "w") as f:
        json.dump(vectors, f)
    bad_path = os.path.join(TMP, "bad.json")
    out_path = os.path.join(TMP, "core-out.json")
    with open(bad_path, "w") as f:
        json.dump(bad, f)
    try:
        proc = subprocess.run([sys.executable, "-c", HARNESS, model_path, vectors_path,
                               bad_path, out_path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=10)
    except subprocess.TimeoutExpired:
        raise Fail("calling core.load_model() and core.predict() did not finish within 10 s")
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        raise Fail("calling core.predict(model, features) failed: " + (lines[-1] if lines else "no message"))
    with open(out_path) as f:
        out = json.load(f)
    for i, (features, got) in enumerate(zip(vectors, out["predictions"]), start=1):
        want = score(model, features)
        if isinstance(got, bool) or not isinstance(got, (int, float)) or abs(got - want) > 1e-6:
            raise Fail(f"core.predict() for customer {i}: {got!r}, expected {want}")
    labels = ["one feature too few", 'a string "12"', "True", "NaN", "a string instead of a list", "None"]
    for label, outcome in zip(labels, out["invalid"]):
        if outcome != "InvalidInput":
            raise Fail(f"core.predict() with {label} must raise core.InvalidInput, "
                       + ("but it returned a prediction" if outcome == "accepted" else f"but it raised {outcome}"))


def main():
    global SERVER
    with open(os.path.join(GEN, "model.json")) as f:
        model = json.load(f)
    with open(os.path.join(GEN, "vectors.json")) as f:
        vectors = json.load(f)
    extreme = [v for v in vectors if max(abs(x) for x in v) >= 100_000]
    normal = [v for v in vectors if v not in extreme]
    model_path = os.path.join(TMP, "model.json")
    shutil.copy(os.path.join(GEN, "model.json"), model_path)

    served = [
        ("GET /health answers 200 with status ok and the model's version", lambda: t_health(model)),
        ("POST /predict returns the model's prediction for every hidden customer",
         lambda: t_predict(model, normal)),
        ("Extreme but valid inputs still get a prediction", lambda: t_extreme(model, extreme)),
        ("Bad input gets 400 with a JSON error message, never a crash", lambda: t_bad_input(model)),
        ("Unknown paths get 404, a wrong method 405 with an Allow header", t_routes),
        ("A body over 10,000 bytes gets 413 before it is read", lambda: t_too_large(model, normal[0])),
        ("Every answer is JSON with Content-Type: application/json", t_content_type),
        ("A slow client does not hold up other requests", lambda: t_concurrent(model, normal)),
        ("The model is read once, at start-up", lambda: t_loaded_once(model, model_path, normal[1])),
    ]
    SERVER = Server(model_path)
    try:
        try:
            SERVER.wait_ready()
            down = ""
        except Fail as err:
            down = str(err)
        began = time.monotonic()
        for name, test in served:
            if down:
                report(name, False, down)
                continue
            if time.monotonic() - began > BUDGET_S:
                report(name, False, "not run: the server was too slow to answer the earlier tests; fix those first")
                continue
            run_test(name, test)
    finally:
        SERVER.stop()

    for name, test in (
        ("A broken or missing model file stops the server at start-up", t_refuses_broken),
        ("core.predict() works without the server and rejects bad input",
         lambda: t_core(os.path.join(GEN, "model.json"), normal, model)),
    ):
        run_test(name, test)


def run_test(name, test):
    try:
        test()
        report(name, True)
    except Fail as err:
        report(name, False, str(err))
    except Exception as err:  # an answer shaped in a way no test foresaw
        report(name, False, f"unexpected answer ({type(err).__name__}: {err})")


if __name__ == "__main__":
    open(RESULTS, "w").close()
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
