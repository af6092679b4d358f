"""Run the learner's pipeline.py on this attempt's hidden projects and write $KAIZEN_RESULTS.

Each test builds a fresh project directory and runs pipeline.py from the work directory
(never from inside the project), the way a scheduler would. Every step's command appends its
name to trace.log, which is compared with what pipeline.py reports.
"""
import json
import os
import re
import shutil
import subprocess
import sys

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
WORK = "check-projects"
STATUS_RE = re.compile(r"^(\S+) (ran|reused|failed)\s*$")
results = []


class Fail(Exception):
    pass


# ---- projects ----------------------------------------------------------------------------

def build(label, steps, s):
    proj = os.path.join(WORK, label)
    shutil.rmtree(proj, ignore_errors=True)
    os.makedirs(os.path.join(proj, "data"))
    write(proj, "data/raw.csv", s["raw"])
    write(proj, "data/labels.csv", s["labels"])
    write_pipeline(proj, steps)
    return proj


def write(proj, rel, text):
    with open(os.path.join(proj, rel), "w") as f:
        f.write(text)


def write_pipeline(proj, steps):
    public = [{k: v for k, v in st.items() if k != "mode"} for st in steps]
    write(proj, "pipeline.json", json.dumps({"steps": public}, indent=2))


def append(proj, rel, line):
    with open(os.path.join(proj, rel), "a") as f:
        f.write(line + "\n")


def trace(proj):
    try:
        with open(os.path.join(proj, "trace.log")) as f:
            return f.read().split()
    except FileNotFoundError:
        return []


def run(proj, *extra, want_exit=0):
    """Run pipeline.py on proj; return the [(name, status)] it printed and the steps that ran."""
    before = len(trace(proj))
    cmd = [sys.executable, "pipeline.py", "run", os.path.join(proj, "pipeline.json"), *extra]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    except subprocess.TimeoutExpired:
        raise Fail("pipeline.py did not finish within 30 s")
    err = proc.stderr.decode(errors="replace").strip().splitlines()
    if want_exit is not None and proc.returncode != want_exit:
        said = f": {err[-1]}" if err else ""
        if "No such file" in said or "missing input" in said:
            said += " (paths in pipeline.json are relative to the directory that holds it)"
        raise Fail(f"pipeline.py exited with status {proc.returncode}, expected {want_exit}{said}")
    statuses = []
    for line in proc.stdout.decode(errors="replace").splitlines():
        m = STATUS_RE.match(line.strip())
        if m:
            statuses.append((m.group(1), m.group(2)))
    return statuses, trace(proj)[before:], proc.returncode


def expected_order(steps):
    producer = {o: s["name"] for s in steps for o in s["outputs"]}
    needs = {s["name"]: {producer[i] for i in s["inputs"] if i in producer} for s in steps}
    done, order = set(), []
    while len(order) < len(steps):
        nxt = next(s["name"] for s in steps if s["name"] not in done and needs[s["name"]] <= done)
        done.add(nxt)
        order.append(nxt)
    return order


def downstream(steps, start):
    producer = {o: s["name"] for s in steps for o in s["outputs"]}
    found, grew = {start}, True
    while grew:
        grew = False
        for s in steps:
            if s["name"] not in found and any(producer.get(i) in found for i in s["inputs"]):
                found.add(s["name"])
                grew = True
    return found


def expect_statuses(statuses, ran, steps, when):
    """statuses must name every step once; exactly the steps in ran must have status ran."""
    names = [n for n, _ in statuses]
    all_names = [s["name"] for s in steps]
    if sorted(names) != sorted(all_names):
        missing = sorted(set(all_names) - set(names))
        if missing:
            raise Fail(f"{when}: no status line for step {missing[0]} (print NAME ran / NAME reused)")
        raise Fail(f"{when}: each step needs exactly one status line")
    got = {n for n, st in statuses if st == "ran"}
    wrong_run = sorted(got - ran)
    wrong_reuse = sorted(ran - got)
    if wrong_run:
        raise Fail(f"{when}: {wrong_run[0]} ran although nothing it depends on changed")
    if wrong_reuse:
        raise Fail(f"{when}: {wrong_reuse[0]} was reused although something it depends on changed")
    bad = [n for n, st in statuses if st not in ("ran", "reused")]
    if bad:
        raise Fail(f"{when}: {bad[0]} failed")


def expect_trace(traced, statuses, when):
    ran = [n for n, st in statuses if st == "ran"]
    if sorted(traced) != sorted(ran):
        if set(traced) - set(ran):
            extra = sorted(set(traced) - set(ran))[0]
            raise Fail(f"{when}: step {extra} was executed but reported as reused")
        raise Fail(f"{when}: a step reported as ran was never executed")


def clean(data):
    keep = [ln for ln in data.decode().split("\n")[:-1] if not ln.startswith("#") and ln.strip(" ")]
    return "".join(ln + "\n" for ln in keep).encode()


def mix(name, blobs, env):
    head = [name] + sorted(f"{k}={v}" for k, v in env.items())
    return "".join(ln + "\n" for ln in head).encode() + b"".join(blobs)


def expected_outputs(steps, s, params_override=None):
    """The bytes every output should hold, computed as the steps' shell commands would."""
    files = {"data/raw.csv": s["raw"].encode(), "data/labels.csv": s["labels"].encode()}
    by_name = {st["name"]: st for st in steps}
    for name in expected_order(steps):
        st = by_name[name]
        params = dict(st.get("params", {}))
        if params_override and name in params_override:
            params.update(params_override[name])
        env = {"PARAM_" + k.upper(): (v if isinstance(v, str) else json.dumps(v)) for k, v in params.items()}
        blobs = [files[i] for i in st["inputs"]]
        files[st["outputs"][0]] = clean(blobs[0]) if st["mode"] == "clean" else mix(name, blobs, env)
    return files


def check_outputs(proj, steps, s, when, params_override=None):
    want = expected_outputs(steps, s, params_override)
    for st in steps:
        out = st["outputs"][0]
        path = os.path.join(proj, out)
        if not os.path.isfile(path):
            raise Fail(f"{when}: {out} (an output of {st['name']}) is missing")
        with open(path, "rb") as f:
            data = f.read()
        if data != want[out]:
            if st.get("params") and b"PARAM_" not in data:
                raise Fail(f"{when}: {out} is wrong: {st['name']} did not get its params as PARAM_* "
                           "environment variables")
            raise Fail(f"{when}: {out} does not hold what {st['name']} should have written")


# ---- the tests ---------------------------------------------------------------------------

def t_first_run(s):
    steps = s["main"]
    proj = build("first", steps, s)
    statuses, traced, _ = run(proj)
    expect_statuses(statuses, {st["name"] for st in steps}, steps, "first run")
    expect_trace(traced, statuses, "first run")
    if len(traced) != len(steps):
        raise Fail(f"first run: {len(traced)} step executions for {len(steps)} steps")
    check_outputs(proj, steps, s, "first run")


def t_order(s):
    steps = s["main"]
    proj = build("order", steps, s)
    statuses, traced, _ = run(proj)
    want = expected_order(steps)
    if traced != want:
        position = {n: i for i, n in enumerate(traced)}
        producer = {o: st["name"] for st in steps for o in st["outputs"]}
        for st in steps:
            for i in st["inputs"]:
                up = producer.get(i)
                if up and st["name"] in position and up in position and position[up] > position[st["name"]]:
                    raise Fail(f"{st['name']} ran before {up}, which writes its input {i}")
        raise Fail("the steps ran in a valid order but not the documented one: run the first step in "
                   "file order whose upstream steps are done, then look again from the top")
    if [n for n, _ in statuses] != want:
        raise Fail("the status lines are not printed in the order the steps ran")


def t_second_run(s):
    steps = s["main"]
    proj = build("second", steps, s)
    run(proj)
    statuses, traced, _ = run(proj)
    expect_statuses(statuses, set(), steps, "second run with nothing changed")
    expect_trace(traced, statuses, "second run with nothing changed")


def t_restore(s):
    steps = s["main"]
    proj = build("restore", steps, s)
    run(proj)
    shutil.rmtree(os.path.join(proj, "build"))
    os.remove(os.path.join(proj, "report.txt"))
    statuses, traced, _ = run(proj)
    expect_statuses(statuses, set(), steps, "after deleting every output")
    expect_trace(traced, statuses, "after deleting every output")
    check_outputs(proj, steps, s, "after deleting every output")


def t_comment(s):
    steps, clean_step = s["main"], s["roles"]["clean"]
    proj = build("comment", steps, s)
    run(proj)
    append(proj, "data/raw.csv", s["comment"])
    statuses, traced, _ = run(proj)
    when = "after adding a comment line to data/raw.csv"
    expect_statuses(statuses, {clean_step}, steps, when)
    expect_trace(traced, statuses, when)


def t_data_change(s):
    steps, clean_step = s["main"], s["roles"]["clean"]
    proj = build("data", steps, s)
    run(proj)
    append(proj, "data/raw.csv", s["new_row"])
    statuses, traced, _ = run(proj)
    when = "after adding a row to data/raw.csv"
    expect_statuses(statuses, downstream(steps, clean_step), steps, when)
    expect_trace(traced, statuses, when)
    changed = dict(s, raw=s["raw"] + s["new_row"] + "\n")
    check_outputs(proj, steps, changed, when)


def set_param(proj, steps, name, key, value):
    new = json.loads(json.dumps(steps))
    for st in new:
        if st["name"] == name:
            st["params"][key] = value
    write_pipeline(proj, new)


def t_params(s):
    steps, ev = s["main"], s["roles"]["evaluate"]
    proj = build("params", steps, s)
    run(proj)
    set_param(proj, steps, ev, "threshold", s["other_threshold"])
    statuses, traced, _ = run(proj)
    when = f"after changing only {ev}'s threshold"
    expect_statuses(statuses, downstream(steps, ev), steps, when)
    expect_trace(traced, statuses, when)
    check_outputs(proj, steps, s, when, {ev: {"threshold": s["other_threshold"]}})


def t_params_back(s):
    steps, ev = s["main"], s["roles"]["evaluate"]
    proj = build("params-back", steps, s)
    run(proj)
    original = next(st for st in steps if st["name"] == ev)["params"]["threshold"]
    set_param(proj, steps, ev, "threshold", s["other_threshold"])
    run(proj)
    set_param(proj, steps, ev, "threshold", original)
    statuses, traced, _ = run(proj)
    when = f"after changing {ev}'s threshold and then back"
    expect_statuses(statuses, set(), steps, when)
    expect_trace(traced, statuses, when)
    check_outputs(proj, steps, s, when)


def t_no_reuse(s):
    steps = s["main"]
    proj = build("noreuse", steps, s)
    run(proj)
    statuses, traced, _ = run(proj, "--no-reuse")
    expect_statuses(statuses, {st["name"] for st in steps}, steps, "with --no-reuse")
    expect_trace(traced, statuses, "with --no-reuse")


def t_cache_dir(s):
    steps = s["main"]
    proj = build("cachedir", steps, s)
    run(proj)
    cache = os.path.join(proj, ".cache")
    if not os.path.isdir(cache) or not os.listdir(cache):
        raise Fail("after a run there is no .cache directory next to pipeline.json: keep the cache there "
                   "(and resolve every path in pipeline.json from that directory)")
    shutil.rmtree(cache)
    statuses, traced, _ = run(proj)
    expect_statuses(statuses, {st["name"] for st in steps}, steps, "after deleting .cache")
    expect_trace(traced, statuses, "after deleting .cache")


def t_cycle(s):
    proj = build("cycle", s["cycle"], s)
    _, traced, code = run(proj, want_exit=None)
    if code != 2:
        raise Fail(f"a pipeline whose steps wait on each other in a circle must exit with status 2, got {code}")
    if traced:
        raise Fail(f"step {traced[0]} ran although the pipeline has a cycle: check the whole graph before "
                   "running anything")


def t_failure(s):
    steps, flaky = s["flaky"], s["flaky_name"]
    proj = build("flaky", steps, s)
    write(proj, "FLAKY", "make the step fail\n")
    statuses, traced, code = run(proj, want_exit=None)
    if code != 1:
        raise Fail(f"when a step fails, pipeline.py must exit with status 1, got {code}")
    if (flaky, "failed") not in statuses:
        raise Fail(f'the failing step must be reported as "{flaky} failed"')
    after = steps[2]["name"]
    if after in traced or any(n == after for n, _ in statuses):
        raise Fail(f"{after} ran after the step it depends on failed: stop at the first failure")
    os.remove(os.path.join(proj, "FLAKY"))
    statuses, traced, code = run(proj, want_exit=None)
    if code != 0:
        raise Fail(f"after the cause of the failure was removed the pipeline exited with status {code}")
    if (flaky, "ran") not in statuses or flaky not in traced:
        raise Fail(f"{flaky} failed last time, so it must run again, not be reused: store a step in the "
                   "cache only after it succeeded")


def t_forget(s):
    steps = s["forget"]
    proj = build("forget", steps, s)
    statuses, _, code = run(proj, want_exit=None)
    name = steps[0]["name"]
    if code != 1 or (name, "failed") not in statuses:
        raise Fail(f"{name} exits 0 but never writes its declared output: it must be reported as failed, "
                   f"with exit status 1 (got status {code})")


TESTS_LIST = [
    ("First run: every step runs once, with its params, and writes the right outputs", t_first_run),
    ("Steps run upstream first; among ready steps, the first in the file", t_order),
    ("A second run with nothing changed reuses every step", t_second_run),
    ("Deleted outputs are restored from the cache, not recomputed", t_restore),
    ("A comment-only data change reruns the cleaning step and nothing after it", t_comment),
    ("A real data change reruns everything downstream of it, and only that", t_data_change),
    ("Changing one step's params reruns that step and its dependents", t_params),
    ("Changing a param back reuses the earlier outputs: the cache keeps every key", t_params_back),
    ("--no-reuse runs every step", t_no_reuse),
    ("The cache lives in .cache next to pipeline.json", t_cache_dir),
    ("A cycle is refused with exit status 2 before anything runs", t_cycle),
    ("A failed step stops the run with exit status 1 and is never reused", t_failure),
    ("A step that does not write its declared output has failed", t_forget),
]


def main():
    with open(os.path.join(GEN, "scenario.json")) as f:
        scenario = json.load(f)
    for name, test in TESTS_LIST:
        try:
            test(scenario)
            results.append({"name": name, "status": "pass"})
        except Fail as err:
            results.append({"name": name, "status": "fail", "message": str(err)})


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
