"""Run the learner's aggregate.py on this attempt's hidden answers and compare with the reference.

Writes one JSON object per test to $KAIZEN_RESULTS (JSON lines) as soon as each is known.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
TMP = tempfile.mkdtemp(prefix="labels-")
FIELDS = ["answers", "scored", "agreed", "agreement", "gold_answers", "gold_correct", "gold_accuracy",
          "flagged"]


class Fail(Exception):
    pass


def report(name, ok, message=""):
    with open(RESULTS, "a") as f:
        f.write(json.dumps({"name": name, "status": "pass" if ok else "fail",
                            "message": "" if ok else message}) + "\n")


def gen(name):
    return os.path.join(GEN, name)


_runs = {}


def run(*args, out=None):
    """Run aggregate.py once per argument list; return (status, stdout, stderr, out dir)."""
    key = (args, out)
    if key in _runs:
        return _runs[key]
    out = out or os.path.join(TMP, f"out{len(_runs)}")
    cmd = [sys.executable, "aggregate.py", *args, "--out", out]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=20)
        result = (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                  proc.stderr.decode("utf-8", "replace"), out)
    except subprocess.TimeoutExpired:
        result = (None, "", "", out)
    _runs[key] = result
    return result


def label(args):
    return "`python3 aggregate.py " + " ".join(os.path.basename(a) if a.startswith(GEN) else a for a in args) + "`"


def ok_run(*args):
    code, stdout, stderr, out = run(*args)
    if code is None:
        raise Fail(f"{label(args)} did not finish within 20 s")
    if code != 0:
        lines = stderr.strip().splitlines()
        raise Fail(f"{label(args)} exited with status {code}: {lines[-1] if lines else 'no message'}")
    return stdout, out


def read_csv(path, header, what):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except OSError:
        raise Fail(f"{what} was not written to the --out directory")
    if not rows or rows[0] != header:
        raise Fail(f"{what} must start with the header {','.join(header)}")
    return rows[1:]


def compare_rows(got, want, what, columns):
    got_by = {r[0]: r for r in got if r}
    want_by = {r[0]: r for r in want}
    missing = [i for i in want_by if i not in got_by]
    extra = [i for i in got_by if i not in want_by]
    if missing:
        return f"{what}: item {missing[0]} is missing" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
    if extra:
        return f"{what}: item {extra[0]} should not be there" + (f" (and {len(extra) - 1} more)" if len(extra) > 1 else "")
    for item, w in want_by.items():
        g = got_by[item]
        for k, col in enumerate(columns[1:], start=1):
            if k >= len(g) or g[k] != w[k]:
                return f"{what}: item {item}: {col} is {g[k] if k < len(g) else '(missing)'!r}, expected {w[k]!r}"
    if [r[0] for r in got if r] != sorted(got_by):
        return f"{what}: rows must be sorted by item_id"
    if len(got) != len(want):
        return f"{what}: an item is listed twice"
    return ""


LABELS = ["item_id", "label", "votes"]
REVIEW = ["item_id", "reason", "answers", "top_answer", "top_votes"]


def main_args():
    return (gen("answers.csv"), "--gold", gen("gold.csv"))


def t_labels(ref):
    _, out = ok_run(*main_args())
    msg = compare_rows(read_csv(os.path.join(out, "labels.csv"), LABELS, "labels.csv"), ref["labels"],
                       "labels.csv", LABELS)
    if msg:
        raise Fail(msg)


def t_review(ref):
    _, out = ok_run(*main_args())
    got = read_csv(os.path.join(out, "review.csv"), REVIEW, "review.csv")
    no_agreement = [r for r in ref["review"] if r[1] == "no_agreement"]
    msg = compare_rows([r for r in got if len(r) > 1 and r[1] != "wrong_count"], no_agreement,
                       "review.csv (items without agreement)", REVIEW)
    if msg:
        raise Fail(msg)


def t_wrong_count(ref, facts):
    _, out = ok_run(*main_args())
    labels = {r[0] for r in read_csv(os.path.join(out, "labels.csv"), LABELS, "labels.csv") if r}
    review = {r[0]: r for r in read_csv(os.path.join(out, "review.csv"), REVIEW, "review.csv") if r}
    for item in facts["wrong_count"]:
        if item in labels:
            raise Fail(f"item {item} does not have 9 answers, so it must not be labelled")
        row = review.get(item)
        if row is None or len(row) < 3 or row[1] != "wrong_count":
            raise Fail(f"item {item} does not have 9 answers: list it in review.csv with reason wrong_count")
        want = next(r for r in ref["review"] if r[0] == item)
        if row != want:
            raise Fail(f"review.csv, item {item}: expected answers {want[2]}, top_answer {want[3]!r}, "
                       f"top_votes {want[4]}")


def t_normalise():
    _, out = ok_run(gen("norm.csv"))
    ref = reference.run(gen("norm.csv"))
    got_labels = read_csv(os.path.join(out, "labels.csv"), LABELS, "labels.csv")
    msg = compare_rows(got_labels, ref["labels"], "labels.csv", LABELS)
    if not msg:
        msg = compare_rows(read_csv(os.path.join(out, "review.csv"), REVIEW, "review.csv"), ref["review"],
                           "review.csv", REVIEW)
    if msg:
        raise Fail(msg + " (on a small file whose answers differ only in case, spaces, a leading @ or "
                   "being empty)")


def t_workers(ref):
    _, out = ok_run(*main_args())
    try:
        with open(os.path.join(out, "workers.json")) as f:
            got = json.load(f)
    except OSError:
        raise Fail("workers.json was not written to the --out directory")
    except ValueError:
        raise Fail("workers.json is not valid JSON")
    if not isinstance(got, dict):
        raise Fail("workers.json must be one JSON object keyed by worker_id")
    want = ref["workers"]
    missing = sorted(set(want) - set(got))
    if missing:
        raise Fail(f"workers.json has no entry for worker {missing[0]}")
    extra = sorted(set(got) - set(want))
    if extra:
        raise Fail(f"workers.json has an entry for {extra[0]}, who gave no answer")
    for worker in sorted(want):
        g = got[worker]
        if not isinstance(g, dict):
            raise Fail(f"workers.json: {worker} must map to an object")
        for field in FIELDS:
            w, v = want[worker][field], g.get(field, "(missing)")
            same = v == w and type(v) is type(w) or (isinstance(w, float) and isinstance(v, (int, float))
                                                      and not isinstance(v, bool) and abs(v - w) < 1e-9)
            if not same:
                raise Fail(f"workers.json, {worker}: {field} is {json.dumps(v) if v != '(missing)' else v}, "
                           f"expected {json.dumps(w)}")


def t_flags(ref, facts):
    _, out = ok_run(*main_args())
    with open(os.path.join(out, "workers.json")) as f:
        got = json.load(f)
    why = {
        "spammer": "answers at random",
        "edge_bad": "agrees on 5 of 10 scored answers, below 0.6",
        "edge_ok": "agrees on exactly 6 of 10 scored answers, and 0.6 is not below 0.6",
        "careful": "agrees with almost every accepted label but answered many items that went to "
                   "review, which do not count for agreement",
    }
    for role in ("spammer", "edge_bad", "edge_ok", "careful"):
        worker = facts.get(role)
        if worker not in ref["workers"]:
            continue
        want = ref["workers"][worker]["flagged"]
        entry = got.get(worker)
        if not isinstance(entry, dict) or entry.get("flagged") is not want:
            raise Fail(f"worker {worker} {why[role]}: it must {'' if want else 'not '}be flagged")


def t_summary(ref):
    stdout, _ = ok_run(*main_args())
    try:
        got = json.loads(stdout)
    except ValueError:
        raise Fail("aggregate.py must print the summary as one JSON object on stdout")
    want = ref["summary"]
    if not isinstance(got, dict):
        raise Fail("the summary must be a JSON object")
    for key in ("items", "accepted", "needs_review", "wrong_count", "flagged_workers"):
        if got.get(key) != want[key]:
            raise Fail(f'summary: "{key}" is {json.dumps(got.get(key))}, expected {json.dumps(want[key])}')
    g = got.get("gold")
    if not isinstance(g, dict):
        raise Fail('summary: "gold" must be an object with items, accepted, wrong and error_rate')
    for key in ("items", "accepted", "wrong", "error_rate"):
        if g.get(key) != want["gold"][key]:
            raise Fail(f'summary: "gold.{key}" is {json.dumps(g.get(key))}, expected {json.dumps(want["gold"][key])}')


def t_options():
    args = (gen("five.csv"), "--min-agree", "4", "--of", "5")
    stdout, out = ok_run(*args)
    ref = reference.run(gen("five.csv"), None, 4, 5)
    msg = compare_rows(read_csv(os.path.join(out, "labels.csv"), LABELS, "labels.csv"), ref["labels"],
                       "labels.csv", LABELS)
    if msg:
        raise Fail(f"with --min-agree 4 --of 5: {msg}")
    try:
        got = json.loads(stdout)
    except ValueError:
        raise Fail("aggregate.py must print the summary as one JSON object on stdout")
    if not isinstance(got, dict) or got.get("gold") != ref["summary"]["gold"]:
        raise Fail('without --gold, the summary\'s "gold" must be {"items": 0, "accepted": 0, "wrong": 0, '
                   '"error_rate": null}')


def t_bad_input():
    cases = [
        ((gen("answers.csv"), "--min-agree", "4", "--of", "9"), "--min-agree 4 --of 9 (two answers could both win)"),
        ((gen("answers.csv"), "--min-agree", "10", "--of", "9"), "--min-agree 10 --of 9"),
        ((gen("answers.csv"), "--min-agree", "0", "--of", "1"), "--min-agree 0 --of 1"),
        ((os.path.join(TMP, "no-such.csv"),), "a file that does not exist"),
        ((gen("no_answer.csv"),), "a file without an answer column"),
        ((gen("answers.csv"), "--gold", os.path.join(TMP, "no-gold.csv")), "a --gold file that does not exist"),
    ]
    for args, what in cases:
        code, _, stderr, _ = run(*args)
        if code != 2:
            crash = " (it crashed: " + stderr.strip().splitlines()[-1] + ")" if "Traceback" in stderr else ""
            raise Fail(f"with {what} the exit status must be 2, got {code}{crash}")
        if not stderr.strip():
            raise Fail(f"with {what}, say what is wrong on stderr")


def t_out_dir():
    out = os.path.join(TMP, "new", "nested")
    code, _, stderr, _ = run(gen("norm.csv"), out=out)
    if code != 0:
        raise Fail(f"with --out pointing to a directory that does not exist yet, the exit status was {code}")
    for name in ("labels.csv", "review.csv", "workers.json"):
        if not os.path.isfile(os.path.join(out, name)):
            raise Fail(f"--out {os.path.basename(out)}: {name} was not written (create the directory if needed)")


def main():
    ref = reference.run(gen("answers.csv"), gen("gold.csv"))
    with open(gen("facts.json")) as f:
        facts = json.load(f)
    tests = [
        ("labels.csv holds every accepted item and its label", lambda: t_labels(ref)),
        ("review.csv holds every item without agreement, with its top answer", lambda: t_review(ref)),
        ("Items without exactly --of answers go to review, not to labels.csv", lambda: t_wrong_count(ref, facts)),
        ("Answers are normalised: case, spaces, a leading @; empty answers are not votes", t_normalise),
        ("workers.json: answers, agreement and gold accuracy of every worker", lambda: t_workers(ref)),
        ("The spammer is flagged, and a worker at exactly 0.6 is not", lambda: t_flags(ref, facts)),
        ("The summary: counts, gold error rate and flagged workers", lambda: t_summary(ref)),
        ("--min-agree and --of are honoured, and --gold is optional", t_options),
        ("An unsafe threshold or an unusable file exits 2", t_bad_input),
        ("--out creates its directory", t_out_dir),
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
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
