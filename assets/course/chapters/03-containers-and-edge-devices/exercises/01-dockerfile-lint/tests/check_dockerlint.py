"""Run the learner's dockerlint.py on this attempt's hidden Dockerfiles.

The expected findings are rebuilt from the seed by dockgen.build(), the same way generate.py
made the files. Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages point at a line and an
instruction keyword, never at the content of a hidden line.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dockgen import build  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
results = []

RULE_HINTS = {
    "DL-TAG": "a FROM image without a tag or with :latest (not scratch, a stage name, $ or @)",
    "DL-APT": "apt-get install without -y, or without apt-get update before it in the same RUN",
    "DL-USER": "the final stage has no USER (at its FROM) or its last USER is root or 0",
    "DL-ADD": "ADD of a local file that is not a tar archive",
    "DL-CD": "a RUN with a command that starts with cd",
    "DL-LABEL": "the final stage has no LABEL with a version key (at its FROM)",
}


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


class RunError(Exception):
    pass


def run(path):
    try:
        proc = subprocess.run([sys.executable, "dockerlint.py", path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        raise RunError("dockerlint.py did not finish within 20 s")
    err = proc.stderr.decode(errors="replace").strip().splitlines()
    return proc.returncode, proc.stdout.decode(errors="replace"), err


def findings(path):
    code, out, err = run(path)
    if code not in (0, 1):
        last = err[-1] if err else "(nothing on stderr)"
        raise RunError(f"dockerlint.py exited with status {code}: {last}")
    try:
        got = json.loads(out)
    except ValueError:
        raise RunError("dockerlint.py did not print a JSON list on stdout")
    if not isinstance(got, list) or not all(isinstance(f, dict) for f in got):
        raise RunError("the output must be a JSON list of objects")
    return got, code


def keyword_at(text, line):
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    words = lines[line - 1].split()
    if not words or words[0].startswith("#"):
        return None
    return words[0].upper()


def describe(text, got_pairs, want_pairs):
    missing = [p for p in want_pairs if p not in got_pairs]
    extra = [p for p in got_pairs if p not in want_pairs]
    if missing:
        line, rule = missing[0]
        where = keyword_at(text, line)
        return (f"line {line} ({where}): {rule} was not reported ({RULE_HINTS[rule]})"
                + (f"; {len(missing) - 1} more missing" if len(missing) > 1 else ""))
    line, rule = extra[0]
    where = keyword_at(text, line)
    if where is None:
        return (f"{rule} reported at line {line}, where no instruction starts: report the line "
                "an instruction starts on")
    return f"line {line} ({where}): {rule} was reported, but there is nothing for {rule} to find there"


def main():
    cases = build(int(os.environ.get("KAIZEN_SEED", "1")))
    order_problem = shape_problem = exit_problem = ""
    for case in cases:
        path = os.path.join(GEN, case["name"] + ".Dockerfile")
        if case["expected"] is None:
            try:
                code, _, err = run(path)
                msg = ""
                if code != 2:
                    msg = f"the exit status is {code}, expected 2 (no FROM: not a Dockerfile)"
                elif not err:
                    msg = "exit status 2 is right; also say why on stderr"
            except RunError as e:
                msg = str(e)
            report(case["title"], not msg, msg)
            continue
        try:
            got, code = findings(path)
        except RunError as e:
            report(case["title"], False, str(e))
            continue
        try:
            got_pairs = [[f.get("line"), f.get("rule")] for f in got]
        except AttributeError:
            got_pairs = []
        want = case["expected"]
        ok = sorted(got_pairs, key=repr) == sorted(want, key=repr)
        report(case["title"], ok, "" if ok else describe(case["text"], got_pairs, want))
        if not shape_problem:
            for f in got:
                if not (isinstance(f.get("line"), int) and isinstance(f.get("rule"), str)
                        and isinstance(f.get("message"), str) and f.get("message").strip()):
                    shape_problem = (f"in {case['name']}.Dockerfile a finding is {sorted(f)!r}-shaped: each "
                                     "needs an integer line, a rule and a non-empty message")
                    break
        if not order_problem and ok:
            keys = [(f["line"], f["rule"]) for f in got]
            if keys != sorted(keys):
                order_problem = f"in {case['name']}.Dockerfile the findings are not sorted by line, then rule"
        if not exit_problem:
            expected_code = 1 if got else 0  # judged on its own output: exit status only
            if code != expected_code:
                exit_problem = (f"with {len(got)} finding(s) the exit status was {code}, expected "
                                f"{expected_code}")
    report("Every finding has a line, a rule and a message, sorted by line, then rule",
           not (shape_problem or order_problem), shape_problem or order_problem)
    report("Exit status is 1 with findings and 0 without", not exit_problem, exit_problem)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
