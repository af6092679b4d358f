"""Run the learner's onnxlite.py on this attempt's hidden models; write $KAIZEN_RESULTS."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import graphs  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
ATOL = RTOL = 1e-9
results = []
CODE_NAMES = {0: "valid", 3: "malformed", 4: "inputs do not fit", 10: "unknown operator",
              11: "operator not in opset", 12: "dangling input", 13: "not in topological order",
              14: "shape mismatch", 15: "missing output"}
PLANTED = {
    "break_unknown_op": "an operator that does not exist",
    "break_opset": "an operator newer than the declared opset",
    "break_dangling": "a node input that nothing defines",
    "break_order": "a node listed before the node that makes its input",
    "break_shape": "inputs whose shapes do not fit the operator",
    "break_output": "a graph output that nothing defines",
    "break_two_first_wins": "an unknown operator in the first node and a missing output",
    "break_two_order_first": "a node out of order and, later, a shape problem",
}


KINDS = {"logistic": "a logistic-regression model", "mlp": "an MLP", "residual": "a skip-connection model"}


class Fail(Exception):
    pass


def load(path):
    with open(path) as f:
        return json.load(f)


def onnxlite(*args):
    cmd = [sys.executable, "onnxlite.py", *args]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        raise Fail(f"onnxlite.py {args[0]} did not finish within 20 s")
    return proc.returncode, proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")


def last(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else "(nothing on stderr)"


def run_and_compare(case, inputs_key, what):
    model = load(case["model"])
    feeds = load(case[inputs_key])
    code, out, err = onnxlite("run", case["model"], case[inputs_key])
    if code != 0:
        raise Fail(f"{what}: onnxlite.py run exited with status {code}: {last(err)}")
    try:
        got = json.loads(out)
    except ValueError:
        raise Fail(f"{what}: onnxlite.py run did not print one JSON object on stdout")
    want = graphs.evaluate(model, feeds)
    if not isinstance(got, dict) or sorted(got) != sorted(want):
        raise Fail(f"{what}: the output must be a JSON object with one key per graph output: {sorted(want)}")
    for name, tensor in want.items():
        g = got[name]
        if not isinstance(g, list) or len(g) != len(tensor) or not all(isinstance(r, list) for r in g):
            raise Fail(f"{what}: output {name} must be a 2-D list with one row per input row ({len(tensor)})")
        for i, (gr, wr) in enumerate(zip(g, tensor)):
            if len(gr) != len(wr):
                raise Fail(f"{what}: output {name}, row {i} has {len(gr)} values, expected {len(wr)}")
            for j, (gv, wv) in enumerate(zip(gr, wr)):
                if not isinstance(gv, (int, float)) or isinstance(gv, bool) or abs(gv - wv) > ATOL + RTOL * abs(wv):
                    raise Fail(f"{what}: output {name}[{i}][{j}] is {gv!r}, expected {wv!r}")


def expect_code(case, command="check"):
    args = [command, case["model"]] + ([case["inputs"]] if command == "run" else [])
    code, _, err = onnxlite(*args)
    want = case["code"]
    if code != want:
        said = f" ({last(err)})" if code not in (0,) else ""
        raise Fail(f"{KINDS[case['kind']]} with {PLANTED[case['planted']]}: onnxlite.py {command} exited "
                   f"with {code} ({CODE_NAMES.get(code, 'unknown code')}), expected {want} "
                   f"({CODE_NAMES[want]}){said}")


def main():
    cases = load(os.path.join(GEN, "cases.json"))
    valid = {c["kind"]: c for c in cases["valid"]}
    tests = []

    def add(name, fn):
        tests.append((name, fn))

    add("run: the logistic model matches the reference within 1e-9",
        lambda: run_and_compare(valid["logistic"], "inputs", "the logistic-regression model"))
    add("run: an MLP with Relu and Softmax matches within 1e-9",
        lambda: run_and_compare(valid["mlp"], "inputs", "the MLP"))
    add("run: a skip connection (2-D + 2-D Add) with two outputs matches",
        lambda: run_and_compare(valid["residual"], "inputs", "the skip-connection model"))

    def extreme():
        for kind in ("logistic", "mlp", "residual"):
            try:
                run_and_compare(valid[kind], "extreme", f"{KINDS[kind]} on huge inputs")
            except Fail as err:
                msg = str(err)
                if "OverflowError" in msg or "math range" in msg:
                    msg += (" — exp() of a large number overflows: for Sigmoid use exp(a) / (1 + exp(a)) when "
                            "a < 0, for Softmax subtract the row's maximum first")
                raise Fail(msg)
    add("run: huge scores do not overflow (stable Sigmoid and Softmax)", extreme)

    def accepts():
        for c in cases["valid"]:
            code, _, err = onnxlite("check", c["model"])
            if code != 0:
                raise Fail(f"{KINDS[c['kind']]}, valid, was rejected with {code}: {last(err)} "
                           "(unused initializers and several outputs are allowed)")
    add("check accepts valid models, unused initializers and two outputs included (exit 0)", accepts)

    for code in (10, 11, 12, 13, 14, 15):
        chosen = [c for c in cases["broken"] if c["code"] == code and not c["planted"].startswith("break_two")]

        def by_code(chosen=chosen):
            for c in chosen:
                expect_code(c)
        add(f"check: {CODE_NAMES[code]} exits {code}", by_code)

    def first_wins():
        for c in cases["broken"]:
            if c["planted"].startswith("break_two"):
                expect_code(c)
    add("check reports the first problem when a model has two", first_wins)

    def run_refuses():
        for c in cases["broken"][::5]:
            expect_code(c, "run")
    add("run refuses an invalid model with the same exit code as check", run_refuses)

    for name, fn in tests:
        try:
            fn()
            results.append({"name": name, "status": "pass"})
        except Fail as err:
            results.append({"name": name, "status": "fail", "message": str(err)})


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
