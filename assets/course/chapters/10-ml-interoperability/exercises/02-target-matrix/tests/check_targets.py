"""Compare the learner's targets.py with a reference on this attempt's hidden models and
runtimes; write $KAIZEN_RESULTS."""
import json
import os
import subprocess
import sys

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
BYTES = {"float32": 4, "float16": 2, "int8": 1}
results = []


class Fail(Exception):
    pass


# ---- the reference ----------------------------------------------------------------------

def count(v):
    return sum(count(x) for x in v) if isinstance(v, list) else 1


def reference(folder, runtimes_path):
    with open(runtimes_path) as f:
        runtimes = json.load(f)
    models = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.endswith(".json") or not os.path.isfile(path):
            continue
        with open(path) as f:
            m = json.load(f)
        precision = m.get("precision", "float32")
        params = sum(count(v) for v in m["initializers"].values())
        facts = {"model": name[:-5], "opset": m["opset"], "ops": sorted({n["op"] for n in m["nodes"]}),
                 "params": params, "precision": precision, "size_kb": params * BYTES[precision] / 1000}
        targets = {}
        for r in runtimes:
            reasons = []
            if not r["min_opset"] <= facts["opset"] <= r["max_opset"]:
                reasons.append("opset")
            missing = sorted(set(facts["ops"]) - set(r["ops"]))
            if missing:
                reasons.append("ops")
            if r["max_size_kb"] is not None and facts["size_kb"] > r["max_size_kb"]:
                reasons.append("size")
            if precision not in r["precisions"]:
                reasons.append("precision")
            targets[r["name"]] = {"ok": not reasons, "reasons": reasons, "missing_ops": missing}
        facts["targets"] = targets
        facts["deployable"] = [r["name"] for r in runtimes if targets[r["name"]]["ok"]]
        models.append(facts)
    return {"runtimes": [r["name"] for r in runtimes], "models": models,
            "undeployable": [m["model"] for m in models if not m["deployable"]]}, runtimes


# ---- running and comparing --------------------------------------------------------------

def run(folder, runtimes):
    cmd = [sys.executable, "targets.py", folder, runtimes]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        raise Fail("targets.py did not finish within 20 s")
    err = proc.stderr.decode(errors="replace").strip().splitlines()
    return proc.returncode, proc.stdout.decode(errors="replace"), (err[-1] if err else "(nothing on stderr)")


def report_of(folder, runtimes):
    code, out, err = run(folder, runtimes)
    if code not in (0, 1):
        raise Fail(f"targets.py exited with status {code}: {err}")
    try:
        got = json.loads(out)
    except ValueError:
        raise Fail(f"targets.py did not print one JSON object on stdout (exit status {code}: {err})")
    if not isinstance(got, dict) or not isinstance(got.get("models"), list):
        raise Fail('the report must be a JSON object with a "models" list')
    return got, code


HINTS = {
    "opset": "a runtime runs opsets from min_opset to max_opset, both included",
    "ops": "every op of the model's nodes must be in the runtime's ops",
    "size": "size_kb is params x bytes per parameter / 1000, and a model exactly at max_size_kb fits; "
            "null means no limit",
    "precision": "a model without a precision field is float32",
}


def by_name(report):
    return {m.get("model"): m for m in report["models"] if isinstance(m, dict)}


def t_models(got, want):
    names = [m.get("model") for m in got["models"] if isinstance(m, dict)]
    expected = [m["model"] for m in want["models"]]
    if names != expected:
        if sorted(map(str, names)) == sorted(expected):
            raise Fail("the models are not sorted by name")
        extra = sorted(set(map(str, names)) - set(expected))
        if extra:
            raise Fail(f"the report lists {extra[0]!r}, which is not a model: read only the *.json files "
                       "directly inside the directory, named by their file name without .json")
        raise Fail(f"the report lists {len(names)} models, expected {len(expected)}")
    if got.get("runtimes") != want["runtimes"]:
        raise Fail('"runtimes" must list the runtimes\' names in the order of the runtimes file')


def t_facts(got, want):
    g = by_name(got)
    for w in want["models"]:
        m = g.get(w["model"], {})
        for key in ("opset", "ops", "params", "precision"):
            if m.get(key) != w[key]:
                extra = " (distinct op names, sorted)" if key == "ops" else \
                    " (every number in every initializer)" if key == "params" else \
                    " (float32 when the file does not say)" if key == "precision" else ""
                raise Fail(f"model {w['model']}: {key} is {m.get(key)!r}, expected {w[key]!r}{extra}")
        size = m.get("size_kb")
        if not isinstance(size, (int, float)) or abs(size - w["size_kb"]) > 1e-9:
            raise Fail(f"model {w['model']}: size_kb is {size!r}, expected {w['size_kb']!r} "
                       "(params x bytes per parameter: 4 for float32, 2 for float16, 1 for int8; / 1000)")


def t_cells(got, want, reason):
    """Every cell's verdict about one reason."""
    g = by_name(got)
    for w in want["models"]:
        targets = g.get(w["model"], {}).get("targets")
        if not isinstance(targets, dict):
            raise Fail(f'model {w["model"]}: "targets" must map each runtime\'s name to its verdict')
        for rt, cell in w["targets"].items():
            gc = targets.get(rt)
            if not isinstance(gc, dict) or not isinstance(gc.get("reasons"), list):
                raise Fail(f'model {w["model"]}: no verdict with a "reasons" list for runtime {rt}')
            has, should = reason in gc["reasons"], reason in cell["reasons"]
            if has != should:
                verb = "lists" if has else "does not list"
                raise Fail(f"model {w['model']} on {rt}: the verdict {verb} {reason!r}, but it should"
                           f"{'' if should else ' not'} ({HINTS[reason]})")
            if reason == "ops" and gc.get("missing_ops") != cell["missing_ops"]:
                raise Fail(f"model {w['model']} on {rt}: missing_ops is {gc.get('missing_ops')!r}, "
                           f"expected {cell['missing_ops']!r} (sorted; [] when nothing is missing)")


def t_every_reason(got, want):
    g = by_name(got)
    for w in want["models"]:
        for rt, cell in w["targets"].items():
            gc = g[w["model"]]["targets"][rt]
            if gc.get("reasons") != cell["reasons"]:
                raise Fail(f"model {w['model']} on {rt}: reasons are {gc.get('reasons')!r}, expected "
                           f"{cell['reasons']!r}: list every reason, in the order opset, ops, size, precision")
            if gc.get("ok") is not cell["ok"]:
                raise Fail(f"model {w['model']} on {rt}: ok is {gc.get('ok')!r}, expected {cell['ok']!r} "
                           "(true exactly when there is no reason)")


def t_deployable(got, want, code):
    g = by_name(got)
    for w in want["models"]:
        if g[w["model"]].get("deployable") != w["deployable"]:
            raise Fail(f"model {w['model']}: deployable is {g[w['model']].get('deployable')!r}, expected "
                       f"{w['deployable']!r} (the runtimes where ok is true, in file order)")
    if got.get("undeployable") != want["undeployable"]:
        raise Fail(f"undeployable is {got.get('undeployable')!r}, expected {want['undeployable']!r}")
    expected = 1 if want["undeployable"] else 0
    if code != expected:
        raise Fail(f"with {len(want['undeployable'])} model(s) that no runtime can take, the exit status must be "
                   f"{expected}, got {code}")


def main():
    runtimes = os.path.join(GEN, "runtimes.json")
    main_dir, ok_dir, bad_dir = (os.path.join(GEN, d) for d in ("models", "models_ok", "models_bad"))
    want, _ = reference(main_dir, runtimes)
    want_ok, _ = reference(ok_dir, runtimes)
    names = [
        ("models", "Every *.json model in the directory, sorted; runtimes in file order"),
        ("facts", "Each model's opset, ops, params, precision and size_kb"),
        ("opset", "The opset range is checked, both ends included"),
        ("ops", "Missing operators are found and listed"),
        ("size", "The size limit is checked: exactly at the limit fits"),
        ("precision", "Precision is checked, float32 by default"),
        ("every", "Every reason is reported, in order, and ok only when there is none"),
        ("deployable", "deployable, undeployable, and exit status 1 when a model has no runtime"),
        ("exit0", "Exit status 0 when every model has a runtime"),
        ("exit2", "A model file that is not JSON exits with status 2"),
    ]
    try:
        got, code = report_of(main_dir, runtimes)
        setup_error = None
    except Fail as err:
        got, code, setup_error = None, None, str(err)
    for key, title in names:
        try:
            if key in ("exit0", "exit2"):
                if key == "exit0":
                    got_ok, code_ok = report_of(ok_dir, runtimes)
                    if code_ok != 0:
                        raise Fail(f"every model has a runtime, so the exit status must be 0, got {code_ok}")
                    if got_ok.get("undeployable") != want_ok["undeployable"]:
                        raise Fail('"undeployable" must be [] when every model has a runtime')
                else:
                    c, _, _ = run(bad_dir, runtimes)
                    if c != 2:
                        raise Fail(f"with a model file that is not valid JSON, targets.py must exit 2, got {c}")
            elif setup_error:
                raise Fail(setup_error)
            elif key == "models":
                t_models(got, want)
            elif key == "facts":
                t_models(got, want)
                t_facts(got, want)
            elif key in ("opset", "ops", "size", "precision"):
                t_models(got, want)
                t_cells(got, want, key)
            elif key == "every":
                t_models(got, want)
                for reason in ("opset", "ops", "size", "precision"):
                    t_cells(got, want, reason)
                t_every_reason(got, want)
            else:
                t_models(got, want)
                t_deployable(got, want, code)
            results.append({"name": title, "status": "pass"})
        except Fail as err:
            results.append({"name": title, "status": "fail", "message": str(err)})
        except (KeyError, TypeError, AttributeError) as err:
            results.append({"name": title, "status": "fail",
                            "message": f"the report does not have the documented shape ({type(err).__name__}: {err})"})


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
