"""Run the learner's assess.py on this attempt's hidden answer files; write $KAIZEN_RESULTS.

The reference below walks the hierarchy bottom-up. Messages say which key differs and, for the
usual mistakes, why.
"""
import json
import os
import subprocess
import sys

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
HIERARCHY = [
    ("DevOps", ("ci_on_every_push", "automated_deploy")),
    ("DataOps", ("scheduled_data_pipeline", "data_validation")),
    ("Platform automation", ("managed_training", "model_registry")),
    ("MLOps", ("automatic_retraining", "drift_monitoring")),
]
KEYS = ["team", "level", "complete_layers", "next_gap", "missing", "built_above_gap"]
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def reference(doc):
    answers = doc["answers"]
    done = 0
    while done < len(HIERARCHY) and all(answers.get(p) == "yes" for p in HIERARCHY[done][1]):
        done += 1
    want = {"team": doc["team"], "level": HIERARCHY[done - 1][0] if done else "none",
            "complete_layers": done, "next_gap": None, "missing": [], "built_above_gap": []}
    if done < len(HIERARCHY):
        layer, practices = HIERARCHY[done]
        want["missing"] = [p for p in practices if answers.get(p) != "yes"]
        first = want["missing"][0]
        want["next_gap"] = {"layer": layer, "practice": first, "answer": answers.get(first, "unanswered")}
        want["built_above_gap"] = [p for _, ps in HIERARCHY[done + 1:] for p in ps if answers.get(p) == "yes"]
    return want


def run(path):
    try:
        proc = subprocess.run([sys.executable, "assess.py", path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=10)
    except subprocess.TimeoutExpired:
        return None, "", ["assess.py did not finish within 10 s"]
    return (proc.returncode, proc.stdout.decode(errors="replace"),
            proc.stderr.decode(errors="replace").strip().splitlines())


def why(key, got, want):
    """A hint for the usual mistake behind a difference in key."""
    gap = want["next_gap"]
    names = ["none"] + [layer for layer, _ in HIERARCHY]
    if key == "level" and gap and got in names and names.index(got) > want["complete_layers"]:
        if gap["answer"] == "partial":
            return f": {gap['practice']} ({gap['layer']}) is \"partial\", and only \"yes\" puts a practice in place"
        if gap["answer"] == "unanswered":
            return f": {gap['practice']} ({gap['layer']}) is left out of the file, and that is a gap too"
        return (f": {gap['practice']} ({gap['layer']}) is \"no\", and a gap in a lower layer caps the "
                "level even when the layers above it are all yes")
    if key == "level" and got in names:
        return f": every practice up to {want['level']} is \"yes\"" if want["complete_layers"] else ""
    if key == "next_gap":
        if gap is None:
            return ": every practice is \"yes\", so there is no gap (null)"
        if not isinstance(got, dict) or got.get("layer") != gap["layer"]:
            return (f": the walk stops at the first layer, from the bottom, with a practice that is "
                    f"not \"yes\", and that is {gap['layer']}")
        if gap["answer"] == "unanswered":
            return ": a practice left out of the file is a gap, with the answer \"unanswered\""
        return ": the first practice of the layer, in LAYERS order, that is not \"yes\""
    if key == "built_above_gap":
        return ": the practices answered \"yes\" in the layers above the gap's layer, bottom-up"
    if key == "missing":
        return ": every practice of the gap's layer that is not \"yes\", in the layer's order"
    return ""


def check_valid(path):
    with open(path) as f:
        doc = json.load(f)
    want = reference(doc)
    code, out, err = run(path)
    if code != 0:
        last = err[-1] if err else "(nothing on stderr)"
        return f"assess.py exited with status {code} on a valid answers file: {last}", want
    try:
        got = json.loads(out)
    except ValueError:
        return "assess.py did not print one JSON object on stdout", want
    if not isinstance(got, dict):
        return "assess.py must print a JSON object", want
    for key in KEYS:
        if key not in got:
            return f"the report has no {key!r} key", want
        if got[key] != want[key] or type(got[key]) is not type(want[key]):
            return (f"{key} is {json.dumps(got[key])}, expected {json.dumps(want[key])}"
                    f"{why(key, got[key], want)}"), want
    return "", want


CASES = ["every practice in place", "a DevOps gap under three complete layers",
         "a \"partial\" answer in a middle layer", "a practice left out of the file",
         "a random team", "another random team", "a third random team", "an empty answers object"]


def main():
    n = 1
    while os.path.exists(os.path.join(GEN, f"valid_{n}.json")):
        msg, _ = check_valid(os.path.join(GEN, f"valid_{n}.json"))
        case = CASES[n - 1] if n <= len(CASES) else "one more team"
        report(f"Hidden answers {n}: {case}", not msg, msg)
        n += 1

    groups = [
        ("Misspelt practices and answers other than yes, partial and no exit with status 2",
         [("typo", "a misspelt practice name"), ("case", 'an answer such as "Yes" (the schema '
          'allows only lower case)'), ("bool", "an answer that is true, false or 1, not a string")]),
        ("Files that break the schema's structure exit with status 2",
         [("noteam", 'no "team"'), ("emptyteam", 'an empty "team"'), ("list", '"answers" that is '
          "a list, not an object"), ("extrakey", "a top-level key the schema does not list"),
          ("noanswers", 'no "answers"'), ("syntax", "invalid JSON"), ("array", "a JSON list at "
          "the top, not an object")]),
    ]
    for name, cases in groups:
        msg = ""
        for stem, what in cases:
            code, _, err = run(os.path.join(GEN, f"bad_{stem}.json"))
            if code != 2:
                said = f" ({err[-1]})" if err and code not in (0, 2) else ""
                msg = f"a file with {what} must exit with status 2, got {code}{said}"
                break
            if not err:
                msg = f"a file with {what} exits with 2; also say what is wrong on stderr"
                break
        report(name, not msg, msg)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
