"""Invoke the learner's handler on this attempt's hidden events, with a hidden model, and run
invoke_local.sh the way a developer would. Compare everything with a reference.

Writes {"tests": [...]} to $KAIZEN_RESULTS.
"""
import ast
import base64
import binascii
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.path.abspath(os.environ.get("KAIZEN_GEN", ".kaizen/gen"))
PROJECT = os.getcwd()
SCRATCH = tempfile.mkdtemp(prefix="lambda-")
NETWORK = {"urllib.request", "http.client", "socket", "requests", "urllib3", "boto3", "botocore",
           "http.server", "ftplib", "smtplib"}
results = []

# Runs in a child process, from another directory: imports the handler with open() counted
# for model.json, then invokes it on every event.
PROBE = r"""
import builtins, io, json, os, sys, traceback
project, cases_path = sys.argv[1], sys.argv[2]
opens = [0]
real_open = builtins.open
def counting_open(file, *args, **kwargs):
    if isinstance(file, (str, os.PathLike)) and os.path.basename(os.fspath(file)) == "model.json":
        opens[0] += 1
    return real_open(file, *args, **kwargs)
builtins.open = counting_open
io.open = counting_open
with real_open(cases_path) as f:
    cases = json.load(f)
sys.path.insert(0, project)
out = {"import_error": None, "responses": [], "opens": 0}
try:
    import handler
except BaseException as err:
    out["import_error"] = f"{type(err).__name__}: {err}"
else:
    for label, event in cases:
        try:
            out["responses"].append({"ok": handler.lambda_handler(event, None)})
        except BaseException as err:
            out["responses"].append({"raised": f"{type(err).__name__}: {err}"})
out["opens"] = opens[0]
json.dump(out, sys.stdout, default=repr)
"""


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


# ---- reference ---------------------------------------------------------------------------

def expected(event, model):
    """(status, kind, value): kind is "weight", "health" or "error"."""
    method, path = event.get("httpMethod"), event.get("path")
    if path == "/health":
        return (200, "health", None) if method == "GET" else (405, "error", None)
    if path != "/predict":
        return 404, "error", None
    if method != "POST":
        return 405, "error", None
    body = event.get("body")
    if body is None:
        return 400, "error", None
    if event.get("isBase64Encoded") is True:
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return 400, "error", None
    try:
        data = json.loads(body)
    except ValueError:
        return 400, "error", None
    if not isinstance(data, dict) or "height_cm" not in data:
        return 400, "error", None
    h = data["height_cm"]
    if isinstance(h, bool) or not isinstance(h, (int, float)) or not 50 <= h <= 250:
        return 400, "error", None
    return 200, "weight", model["slope"] * h + model["intercept"]


def shape_problem(resp, model):
    """What is wrong with a response's proxy-integration shape, or ""."""
    headers = resp.get("headers")
    if not isinstance(resp.get("statusCode"), int):
        return "statusCode must be an integer"
    if not isinstance(headers, dict) or headers.get("Content-Type") != "application/json":
        return 'headers must include "Content-Type": "application/json"'
    if headers.get("X-Model-Version") != str(model["version"]):
        return f'headers must include "X-Model-Version": {str(model["version"])!r} (the model\'s version)'
    if not isinstance(resp.get("body"), str):
        return (f"body is a {type(resp.get('body')).__name__}, but proxy integration needs a "
                "string: json.dumps() it")
    try:
        payload = json.loads(resp["body"])
    except ValueError:
        return "body is a string but not JSON"
    if not isinstance(payload, dict):
        return "body must be a JSON object"
    if resp["statusCode"] == 405 and not str(headers.get("Allow") or "").strip():
        return 'a 405 response must say which method works, in an "Allow" header'
    return ""


def value_problem(resp, kind, value, model):
    """What is wrong with the content of a well-shaped response, or ""."""
    payload = json.loads(resp["body"])
    if kind == "error":
        if not isinstance(payload.get("error"), str) or not payload["error"].strip():
            return 'an error response\'s body must be {"error": "<what is wrong>"}'
    elif kind == "health":
        if payload.get("status") != "ok" or payload.get("model_version") != str(model["version"]):
            return (f'GET /health must answer {{"status": "ok", "model_version": '
                    f'"{model["version"]}"}}')
    else:
        w = payload.get("weight_kg")
        if isinstance(w, bool) or not isinstance(w, (int, float)):
            return "weight_kg must be a number"
        if abs(w - value) > 0.05 + 1e-9 or round(w, 1) != w:
            return (f"weight_kg is {w}, expected {round(value, 1)} (slope * height_cm + intercept "
                    "of the bundled model.json, rounded to 1 decimal)")
        if payload.get("model_version") != str(model["version"]):
            return f"model_version is {payload.get('model_version')!r}, expected {str(model['version'])!r}"
    return ""


# ---- helpers -----------------------------------------------------------------------------

def last_line(text):
    lines = [ln for ln in (text or "").strip().splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "(no output)"


def copy_project(label):
    dest = os.path.join(SCRATCH, label)
    shutil.copytree(PROJECT, dest, ignore=shutil.ignore_patterns(".kaizen", "out", "__pycache__"))
    shutil.copy(os.path.join(GEN, "model.json"), os.path.join(dest, "model.json"))
    return dest


def invoke(project, args, cwd):
    try:
        return subprocess.run(["bash", os.path.join(project, "invoke_local.sh"), *args], cwd=cwd,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None


def main():
    with open(os.path.join(GEN, "model.json")) as f:
        model = json.load(f)
    with open(os.path.join(GEN, "cases.json")) as f:
        cases = json.load(f)
    project = copy_project("probe")
    elsewhere = os.path.join(SCRATCH, "elsewhere")
    os.makedirs(elsewhere)
    probe_path = os.path.join(SCRATCH, "probe.py")
    with open(probe_path, "w") as f:
        f.write(PROBE)
    cases_path = os.path.join(GEN, "cases.json")
    names = {
        "status": "Hidden events: the right status code for each (200, 400, 404 or 405)",
        "shape": "Every response is a proxy response: headers, and a body that is a JSON string",
        "values": "Predictions, health answers and errors carry the right content",
        "once": "model.json is read once per process, from the handler's own folder",
    }
    probe = None
    try:
        proc = subprocess.run([sys.executable, probe_path, project, cases_path], cwd=elsewhere,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        probe = json.loads(proc.stdout)
        problem = ""
        if probe["import_error"]:
            problem = (f"importing handler.py from another directory failed: "
                       f"{probe['import_error'][:200]}")
    except subprocess.TimeoutExpired:
        problem = "invoking the handler on the hidden events took more than 60 s"
    except ValueError:
        problem = f"the handler could not be invoked: {last_line(proc.stderr)}"
    if problem:
        for key in names:
            report(names[key], False, problem)
    else:
        status_msg = shape_msg = value_msg = ""
        for (label, event), r in zip(cases, probe["responses"]):
            want_status, kind, value = expected(event, model)
            if "raised" in r:
                msg = (f"{label}: the handler raised {r['raised'][:150]} (it must return a "
                       "response for every event)")
                status_msg, shape_msg = status_msg or msg, shape_msg or msg
                continue
            resp = r["ok"]
            if not isinstance(resp, dict):
                msg = f"{label}: the handler returned a {type(resp).__name__}, not a dict"
                status_msg, shape_msg = status_msg or msg, shape_msg or msg
                continue
            shape = shape_problem(resp, model)
            if shape:
                shape_msg = shape_msg or f"{label}: {shape}"
            if resp.get("statusCode") != want_status:
                status_msg = status_msg or (f"{label}: statusCode {resp.get('statusCode')!r}, "
                                            f"expected {want_status}")
            elif not shape:
                value_msg = value_msg or (f"{label}: " + value_problem(resp, kind, value, model)
                                          if value_problem(resp, kind, value, model) else "")
        report(names["status"], not status_msg, status_msg)
        report(names["shape"], not shape_msg, shape_msg)
        if shape_msg and not value_msg:
            value_msg = "the responses' shape must be right first (see the proxy response test)"
        report(names["values"], not value_msg, value_msg)
        opens = probe["opens"]
        once_msg = ""
        if opens > 1:
            once_msg = (f"model.json was opened {opens} times for {len(cases)} invocations: load it "
                        "once, at module level, so warm invocations reuse it")
        elif opens == 0:
            once_msg = "the handler never opened model.json: predictions must come from the bundled model"
        report(names["once"], not once_msg, once_msg)

    # no network clients
    try:
        with open("handler.py") as f:
            tree = ast.parse(f.read())
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
        bad = sorted(m for m in found if m in NETWORK or m.split(".")[0] in NETWORK)
        report("handler.py imports no network client", not bad,
               f"handler.py imports {', '.join(bad)}: a prediction handler answers from the bundled "
               "model and calls nothing over the network")
    except (OSError, SyntaxError) as err:
        report("handler.py imports no network client", False, f"handler.py cannot be parsed: {err}")

    # invoke_local.sh from another directory
    events = os.path.join(GEN, "events")
    good = ["predict_a.json", "predict_b.json", "status.json", "elsewhere.json"]
    name = "invoke_local.sh answers every event into out/, from any directory"
    try:
        run_dir = os.path.join(SCRATCH, "run1")
        os.makedirs(os.path.join(run_dir, "ev"))
        for g in good:
            shutil.copy(os.path.join(events, g), os.path.join(run_dir, "ev", g))
        proc = invoke(project, [f"ev/{g}" for g in good], run_dir)
        msg = ""
        if proc is None:
            msg = "invoke_local.sh did not finish within 60 s"
        elif proc.returncode != 0:
            msg = f"invoke_local.sh exited with status {proc.returncode}: {last_line(proc.stderr)}"
        else:
            for g in good:
                with open(os.path.join(events, g)) as f:
                    want = expected(json.load(f), model)[0]
                path = os.path.join(run_dir, "out", g)
                if not os.path.exists(path):
                    msg = f"no out/{g} in the current directory after invoking ev/{g}"
                    break
                try:
                    with open(path) as f:
                        got = json.load(f).get("statusCode")
                except (ValueError, AttributeError):
                    msg = f"out/{g} must hold the handler's response as a JSON object"
                    break
                if got != want:
                    msg = f"out/{g} has statusCode {got!r}, expected {want}"
                    break
                if f"ev/{g} {want}" not in proc.stdout.splitlines():
                    msg = f'stdout must have the line "ev/{g} {want}"'
                    break
        report(name, not msg, msg)
    except OSError as err:
        report(name, False, f"the checker could not prepare the run: {err}")

    name = "invoke_local.sh calls the Handler that template.json names"
    try:
        with open(os.path.join(GEN, "names.json")) as f:
            module = json.load(f)["module"]
        renamed = copy_project("renamed")
        os.rename(os.path.join(renamed, "handler.py"), os.path.join(renamed, f"{module}.py"))
        tpath = os.path.join(renamed, "template.json")
        with open(tpath) as f:
            template = json.load(f)
        template["Resources"]["PredictFunction"]["Properties"]["Handler"] = f"{module}.lambda_handler"
        with open(tpath, "w") as f:
            json.dump(template, f, indent=2)
        run_dir = os.path.join(SCRATCH, "run2")
        os.makedirs(run_dir)
        shutil.copy(os.path.join(events, "status.json"), os.path.join(run_dir, "status.json"))
        proc = invoke(renamed, ["status.json"], run_dir)
        msg = ""
        if proc is None or proc.returncode != 0:
            msg = (f"with handler.py renamed to {module}.py and template.json saying "
                   f"{module}.lambda_handler, invoke_local.sh failed: "
                   f"{'timeout' if proc is None else last_line(proc.stderr)}")
        elif not os.path.exists(os.path.join(run_dir, "out", "status.json")):
            msg = "with a renamed handler module, no out/status.json was written"
        if "named 'handler'" in msg or "no out/" in msg:
            msg += ": read the Handler from template.json instead of hard-coding it"
        report(name, not msg, msg)
    except (OSError, KeyError, TypeError, ValueError) as err:
        report(name, False, f"template.json must have Resources.PredictFunction.Properties.Handler ({err})")

    name = "invoke_local.sh exits 2 without arguments, 1 for a missing or broken event file"
    run_dir = os.path.join(SCRATCH, "run3")
    os.makedirs(run_dir)
    shutil.copy(os.path.join(events, "broken.json"), os.path.join(run_dir, "broken.json"))
    shutil.copy(os.path.join(events, "status.json"), os.path.join(run_dir, "status.json"))
    msg = ""
    proc = invoke(project, [], run_dir)
    if proc is None or proc.returncode != 2:
        msg = f"without arguments the exit status must be 2, got {None if proc is None else proc.returncode}"
    else:
        for bad in ("broken.json", "missing.json"):
            shutil.rmtree(os.path.join(run_dir, "out"), ignore_errors=True)
            proc = invoke(project, [bad, "status.json"], run_dir)
            what = "is not JSON" if bad == "broken.json" else "does not exist"
            if proc is None or proc.returncode != 1:
                msg = (f"when an event file {what}, the exit status must be 1, got "
                       f"{None if proc is None else proc.returncode}")
                break
            if not os.path.exists(os.path.join(run_dir, "out", "status.json")):
                msg = f"when one event file {what}, the others must still be invoked"
                break
    report(name, not msg, msg)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
        shutil.rmtree(SCRATCH, ignore_errors=True)
