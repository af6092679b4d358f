"""Check the learner's quantize.py and fit.py against a reference on this attempt's hidden files.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages name the tensor, the index and the numbers
that differ, and say which rule explains the difference when a common mistake does.
"""
import json
import math
import os
import subprocess
import sys

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
SCHEMES = {"sym-int8": (-127, 127, True), "asym-int8": (-128, 127, False), "asym-uint8": (0, 255, False)}
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


# ---- reference ---------------------------------------------------------------------------

def rnd(x):
    """Halves away from zero, written differently from the solution on purpose."""
    n = math.floor(x)
    frac = x - n
    if frac > 0.5 or (frac == 0.5 and x > 0):
        n += 1
    return int(n)


def reference(values, scheme, calib=None):
    qmin, qmax, sym = SCHEMES[scheme]
    lo, hi = calib if calib else (min(values), max(values))
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if sym:
        scale, zp = max(-lo, hi) / qmax, 0
        scale = scale or 1.0
    else:
        scale = (hi - lo) / (qmax - qmin) or 1.0
        zp = min(qmax, max(qmin, rnd(qmin - lo / scale)))
    raw = [rnd(v / scale) + zp for v in values]
    q = [min(qmax, max(qmin, r)) for r in raw]
    err = max(abs(v - (x - zp) * scale) for v, x in zip(values, q))
    return {"n": len(values), "scale": scale, "zero_point": zp, "q": q,
            "clipped": sum(r != x for r, x in zip(raw, q)), "max_abs_error": err}


# ---- running the learner's programs ------------------------------------------------------

class RunError(Exception):
    pass


def run(program, *args):
    try:
        proc = subprocess.run([sys.executable, program, *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        raise RunError(f"{program} did not finish within 20 s")
    return proc.returncode, proc.stdout.decode(errors="replace"), \
        proc.stderr.decode(errors="replace").strip().splitlines()


def run_json(program, *args, codes=(0,)):
    code, out, err = run(program, *args)
    shown = " ".join(args).replace(GEN + os.sep, "")
    if code not in codes:
        last = err[-1] if err else "(nothing on stderr)"
        raise RunError(f"`{program} {shown}` exited with status {code}: {last}")
    try:
        got = json.loads(out)
    except ValueError:
        said = f" (it said: {err[-1]})" if err else ""
        raise RunError(f"`{program} {shown}` did not print one JSON object on stdout{said}")
    if not isinstance(got, dict):
        raise RunError(f"`{program} {shown}` must print a JSON object")
    return got, code


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def close(got, want, rel=1e-9):
    return number(got) and abs(got - want) <= rel * max(abs(want), 1e-300) + 1e-15


def compare_tensor(label, got, want, values, scheme):
    """The first difference between one tensor's report and the reference, or ""."""
    if not isinstance(got, dict):
        return f"{label}: missing from \"tensors\""
    if not close(got.get("scale"), want["scale"]):
        hint = ""
        if want["scale"] == 1.0:
            hint = " (all its values are 0: use scale 1.0)"
        elif min(values) > 0 or max(values) < 0:
            hint = " (the range must be widened to hold 0)"
        return f"{label}: scale is {got.get('scale')!r}, expected {want['scale']!r}{hint}"
    if got.get("zero_point") != want["zero_point"] or isinstance(got.get("zero_point"), bool):
        return f"{label}: zero_point is {got.get('zero_point')!r}, expected {want['zero_point']}"
    q = got.get("q")
    if not isinstance(q, list) or len(q) != len(want["q"]):
        return f"{label}: q must be a list of {len(want['q'])} integers"
    for i, (g, w) in enumerate(zip(q, want["q"])):
        if g != w or isinstance(g, bool) or not isinstance(g, int):
            x = values[i] / want["scale"]
            why = ""
            if abs(x - round(x)) == 0.5 or (x % 1) == 0.5:
                why = f": value / scale is exactly {x:g}, and halves round away from zero"
            elif w in (SCHEMES[scheme][0], SCHEMES[scheme][1]):
                why = f": clamp into [{SCHEMES[scheme][0]}, {SCHEMES[scheme][1]}]"
            return f"{label}: q[{i}] is {g!r}, expected {w}{why}"
    if got.get("clipped") != want["clipped"]:
        return f"{label}: clipped is {got.get('clipped')!r}, expected {want['clipped']}"
    if not close(got.get("max_abs_error"), want["max_abs_error"], rel=1e-6):
        return (f"{label}: max_abs_error is {got.get('max_abs_error')!r}, expected "
                f"{want['max_abs_error']!r} (the largest |value - (q - zero_point) * scale|)")
    return ""


def check_file(path, scheme, calib=None):
    """Run quantize.py on path and compare every tensor; return a message, "" when all match."""
    with open(path) as f:
        tensors = json.load(f)["tensors"]
    args = [path, "--scheme", scheme]
    if calib:
        args += ["--range", repr(calib[0]), repr(calib[1])]
    got, _ = run_json("quantize.py", *args)
    got_tensors = got.get("tensors") if isinstance(got.get("tensors"), dict) else {}
    for name, values in tensors.items():
        label = f"{scheme}{' with --range' if calib else ''}, tensor {name!r}"
        msg = compare_tensor(label, got_tensors.get(name), reference(values, scheme, calib), values, scheme)
        if msg:
            return msg
    return ""


def test(name, fn):
    try:
        msg = fn()
    except RunError as err:
        msg = str(err)
    report(name, not msg, msg)


def main():
    model = os.path.join(GEN, "model.json")
    with open(os.path.join(GEN, "cases.json")) as f:
        cases = json.load(f)

    zeros = os.path.join(GEN, "zeros.json")
    test("Hidden model, sym-int8: scale, q, clipped and max_abs_error of every tensor",
         lambda: check_file(model, "sym-int8"))
    test("Hidden model, asym-int8: the zero point is fitted to each tensor's range",
         lambda: check_file(model, "asym-int8"))
    test("Hidden model, asym-uint8: the same, with integers from 0 to 255",
         lambda: check_file(model, "asym-uint8"))
    test("An all-zero tensor gets scale 1.0, and every q equals the zero point",
         lambda: check_file(zeros, "sym-int8") or check_file(zeros, "asym-uint8")
         or check_file(zeros, "asym-int8"))
    test("Exact halves round away from zero, in every scheme",
         lambda: check_file(os.path.join(GEN, "ties.json"), "sym-int8")
         or check_file(os.path.join(GEN, "ties_asym.json"), "asym-uint8")
         or check_file(os.path.join(GEN, "ties_asym.json"), "asym-int8"))
    calib = tuple(cases["range"])
    test("--range LO HI: values outside the calibrated range are clamped and counted",
         lambda: check_file(os.path.join(GEN, "calib.json"), "sym-int8", calib)
         or check_file(os.path.join(GEN, "calib.json"), "asym-uint8", calib)
         or check_file(os.path.join(GEN, "calib.json"), "asym-int8", calib))

    def sizes():
        with open(model) as f:
            n = sum(len(v) for v in json.load(f)["tensors"].values())
        got, _ = run_json("quantize.py", model, "--scheme", "asym-int8")
        for key, want in [("params", n), ("float32_bytes", 4 * n), ("int8_bytes", n), ("size_ratio", 4.0)]:
            if not close(got.get(key), want) or isinstance(got.get(key), bool):
                return f"{key} is {got.get(key)!r}, expected {want} (the model has {n} values)"
        for key, want in [("scheme", "asym-int8"), ("qmin", -128), ("qmax", 127)]:
            if got.get(key) != want:
                return f"{key} is {got.get(key)!r}, expected {want!r}"
        return ""

    test("The report gives scheme, qmin, qmax, params, the sizes in bytes and size_ratio 4.0", sizes)

    def refusals():
        for name, why in [("bad_text.json", "a number written as a string"),
                          ("bad_bool.json", "true among the numbers"),
                          ("bad_empty.json", "an empty tensor"),
                          ("bad_shape.json", 'no "tensors" object'),
                          ("bad_nan.json", "NaN, which Python's json accepts but is not finite"),
                          ("bad_syntax.json", "invalid JSON")]:
            code, _, err = run("quantize.py", os.path.join(GEN, name), "--scheme", "sym-int8")
            if code != 2:
                said = f" ({err[-1]})" if err and code != 0 else ""
                return f"a weights file with {why} must exit with status 2, got {code}{said}"
            if not err:
                return f"a weights file with {why} exits with 2; also say why on stderr"
        code, _, _ = run("quantize.py", model, "--scheme", "sym-int8", "--range", "1", "-1")
        if code != 2:
            return f"--range 1 -1 (LO not below HI) must exit with status 2, got {code}"
        return ""

    test("Unusable weight files and ranges exit with status 2 and a message", refusals)

    def fits():
        for params, device, reserve in cases["fits"]:
            args = ["--params", str(params), "--device-mb", repr(float(device)),
                    "--reserve-mb", repr(float(reserve))]
            available = device - reserve
            want = {"params": params, "available_mb": available, "float32_mb": params * 4 / 1e6,
                    "int8_mb": params / 1e6}
            want["float32_fits"] = want["float32_mb"] <= available
            want["int8_fits"] = want["int8_mb"] <= available
            want["choice"] = "float32" if want["float32_fits"] else "int8" if want["int8_fits"] else None
            got, code = run_json("fit.py", *args, codes=(0, 1))
            shown = " ".join(args)
            for key in ("params", "available_mb", "float32_mb", "int8_mb"):
                if not close(got.get(key), want[key]):
                    mib = " (MB here is 1,000,000 bytes, not 1,048,576)" if key.endswith("_mb") and \
                        close(got.get(key), want[key] * 1e6 / 1048576) else ""
                    return f"with {shown}: {key} is {got.get(key)!r}, expected {want[key]!r}{mib}"
            for key in ("float32_fits", "int8_fits", "choice"):
                if got.get(key) != want[key]:
                    edge = ""
                    if key.endswith("_fits") and want[key.replace("_fits", "_mb")] == available:
                        edge = " (it fits exactly: at most the available memory fits)"
                    return f"with {shown}: {key} is {got.get(key)!r}, expected {want[key]!r}{edge}"
            expected_code = 0 if want["choice"] else 1
            if code != expected_code:
                return f"with {shown}: the exit status is {code}, expected {expected_code}"
        return ""

    test("fit.py: sizes in MB, what fits, the choice and the exit status", fits)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
