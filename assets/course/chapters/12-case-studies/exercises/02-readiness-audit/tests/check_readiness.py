"""Run the learner's readiness.py on this attempt's hidden audits and compare with the reference.

Writes one JSON object per test to $KAIZEN_RESULTS (JSON lines) as soon as each is known.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
TMPDIR = os.environ.get("TMPDIR", "/tmp")


class Fail(Exception):
    pass


def report(name, ok, message=""):
    with open(RESULTS, "a") as f:
        f.write(json.dumps({"name": name, "status": "pass" if ok else "fail",
                            "message": "" if ok else message}) + "\n")


def gen(name):
    return os.path.join(GEN, name)


def load(name):
    with open(gen(name)) as f:
        return json.load(f)


_runs = {}


def run(*args):
    if args not in _runs:
        try:
            proc = subprocess.run([sys.executable, "readiness.py", *args], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=15)
            _runs[args] = (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                           proc.stderr.decode("utf-8", "replace"))
        except subprocess.TimeoutExpired:
            _runs[args] = (None, "", "")
    return _runs[args]


def report_of(name, *options):
    code, out, err = run(gen(name), *options)
    cmd = f"`python3 readiness.py {name}{' ' + ' '.join(options) if options else ''}`"
    if code is None:
        raise Fail(f"{cmd} did not finish within 15 s")
    if code not in (0, 1):
        lines = err.strip().splitlines()
        raise Fail(f"{cmd} exited with status {code}: {lines[-1] if lines else 'no message'}")
    try:
        doc = json.loads(out)
    except ValueError:
        raise Fail(f"{cmd} did not print one JSON object on stdout")
    if not isinstance(doc, dict):
        raise Fail(f"{cmd} must print a JSON object")
    return code, doc


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def same_number(a, b):
    return number(a) and abs(a - b) < 1e-9


def check_scores(name, want):
    _, got = report_of(name)
    sections = got.get("sections")
    if not isinstance(sections, dict):
        raise Fail(f'{name}: "sections" must map each section to its points')
    for s in reference.ORDER:
        if not same_number(sections.get(s), want["sections"][s]):
            raise Fail(f'{name}: section {s} has {sections.get(s)!r} points, expected {want["sections"][s]:g}')
    if not same_number(got.get("score"), want["score"]):
        raise Fail(f'{name}: "score" is {got.get("score")!r}, expected {want["score"]:g}: the lowest section sum')
    if got.get("system") != want["system"]:
        raise Fail(f'{name}: "system" is {got.get("system")!r}, expected the audit\'s own')
    return got


def check_plan(name, want):
    got = check_scores(name, want)
    if got.get("weakest") != want["weakest"]:
        raise Fail(f'{name}: "weakest" is {json.dumps(got.get("weakest"))}, expected {json.dumps(want["weakest"])} '
                   "(every section at the minimum, in the order data, model, infrastructure, monitoring)")
    recs = got.get("recommendations")
    if not isinstance(recs, list):
        raise Fail(f'{name}: "recommendations" must be a list')
    ids = [r.get("id") if isinstance(r, dict) else None for r in recs]
    want_ids = [r["id"] for r in want["recommendations"]]
    if ids != want_ids:
        raise Fail(f"{name}: the recommendations are {json.dumps(ids)}, expected {json.dumps(want_ids)}")
    for g, w in zip(recs, want["recommendations"]):
        for key in ("section", "from", "to"):
            if g.get(key) != w[key]:
                raise Fail(f'{name}: recommendation {w["id"]}: "{key}" is {g.get(key)!r}, expected {w[key]!r}')
        if not same_number(g.get("days"), w["days"]):
            raise Fail(f'{name}: recommendation {w["id"]}: "days" is {g.get("days")!r}, expected {w["days"]:g}')
    days = got.get("days_to_raise", "(missing)")
    if want["days_to_raise"] is None:
        if days is not None:
            raise Fail(f'{name}: "days_to_raise" is {json.dumps(days)}, expected null: a weakest section has '
                       "no test left to improve, so no next step can raise the score")
    elif not same_number(days, want["days_to_raise"]):
        raise Fail(f'{name}: "days_to_raise" is {json.dumps(days)}, expected {want["days_to_raise"]:g}')


def t_scores():
    for name in ("main.json", "tie.json", "blocked_tie.json"):
        check_scores(name, reference.evaluate(load(name)))


def t_bands():
    n = load("cases.json")["bands"]
    for k in range(n):
        name = f"band_{k}.json"
        want = reference.evaluate(load(name))
        got = check_scores(name, want)
        if got.get("band") != want["band"]:
            raise Fail(f'a final score of {want["score"]:g} is in band {want["band"]!r}, got {got.get("band")!r}')


def t_recommend():
    check_plan("main.json", reference.evaluate(load("main.json")))


def t_tie():
    check_plan("tie.json", reference.evaluate(load("tie.json")))


def t_blocked():
    check_plan("blocked.json", reference.evaluate(load("blocked.json")))
    check_plan("blocked_tie.json", reference.evaluate(load("blocked_tie.json")))


def t_gate():
    score = reference.evaluate(load("main.json"))["score"]
    for threshold, want in ((score, 0), (score + 0.5, 1), (0.0, 0)):
        option = f"{threshold:g}"
        code, _ = report_of("main.json", "--min-score", option)
        if code != want:
            raise Fail(f"with a score of {score:g} and --min-score {option}, the exit status must be {want}, got {code}")
    code, _ = report_of("main.json")
    if code != 0:
        raise Fail(f"without --min-score the exit status must be 0, got {code}")


def t_malformed():
    cases = load("cases.json")["bad"]
    cases.append({"file": os.path.join(TMPDIR, "no-such-audit.json"), "what": "does not exist"})
    for case in cases:
        path = case["file"] if os.path.isabs(case["file"]) else gen(case["file"])
        code, out, err = run(path)
        if code != 2:
            crash = ""
            if "Traceback" in err:
                crash = " (it crashed: " + err.strip().splitlines()[-1] + ")"
            raise Fail(f"an audit that {case['what']} must exit with status 2, got {code}{crash}")
        if not err.strip():
            raise Fail(f"an audit that {case['what']}: say what is wrong on stderr")
        if out.strip():
            raise Fail(f"an audit that {case['what']}: print nothing on stdout")


def main():
    tests = [
        ("Section sums and the final score match on hidden audits", t_scores),
        ("Bands follow the table, boundaries included", t_bands),
        ("Recommendations: the three cheapest next steps of the weakest section, ties by id", t_recommend),
        ("A tie for weakest: steps from every tied section, days_to_raise counts one step in each", t_tie),
        ("A weakest section with nothing left to improve: days_to_raise is null", t_blocked),
        ("--min-score gates the release: exit 1 only below it", t_gate),
        ("A malformed or missing audit exits 2 with a message on stderr", t_malformed),
    ]
    for name, test in tests:
        try:
            test()
            report(name, True)
        except Fail as err:
            report(name, False, str(err))
        except Exception as err:  # output shaped in a way no test foresaw
            report(name, False, f"unexpected output ({type(err).__name__}: {err})")


if __name__ == "__main__":
    open(RESULTS, "w").close()
    main()
