"""Run the learner's influence.py on this attempt's hidden files and compare with the reference.

Writes one JSON object per test to $KAIZEN_RESULTS (JSON lines) as soon as each is known.
The score tests use a model.json written here from the reference fit, so that a mistake in
`fit` does not hide what `score` does right.
"""
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
TMP = tempfile.mkdtemp(prefix="influence-")
FEATURES = ["followers", "wiki_views", "likes"]

with open(os.path.join(GEN, "plan.json")) as f:
    PLAN = json.load(f)


class Fail(Exception):
    pass


def report(name, ok, message=""):
    with open(RESULTS, "a") as f:
        f.write(json.dumps({"name": name, "status": "pass" if ok else "fail",
                            "message": "" if ok else message}) + "\n")


def gen(name):
    return os.path.join(GEN, name)


def tmp(name):
    return os.path.join(TMP, name)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def shown(args):
    return "`python3 influence.py " + " ".join(
        os.path.basename(a) if a.startswith((GEN, TMP)) else a for a in args) + "`"


def run(*args):
    """Run influence.py; return (status, stdout, stderr). A crash or a hang is a Fail."""
    cmd = shown(args)
    try:
        proc = subprocess.run([sys.executable, "influence.py", *args], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    except subprocess.TimeoutExpired:
        raise Fail(f"{cmd} did not finish within 20 s")
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if "Traceback (most recent call last)" in err:
        lines = [line for line in err.strip().splitlines() if line.strip()]
        raise Fail(f"{cmd} crashed: {lines[-1].strip() if lines else 'no message'}")
    return proc.returncode, out, err


def json_of(args, want_status=0):
    code, out, err = run(*args)
    cmd = shown(args)
    if code != want_status:
        lines = err.strip().splitlines()
        raise Fail(f"{cmd} exited with status {code}, expected {want_status}"
                   + (f": {lines[-1].strip()}" if lines else ""))
    try:
        doc = json.loads(out)
    except ValueError:
        raise Fail(f"{cmd} did not print one JSON object on stdout")
    if not isinstance(doc, dict):
        raise Fail(f"{cmd} must print a JSON object")
    return doc


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def close(got, want, tol):
    return is_number(got) and math.isfinite(got) and abs(got - want) <= tol


# ---- fit ---------------------------------------------------------------------------------------

def check_model(cmd, doc, want):
    if doc.get("features") != want["features"]:
        raise Fail(f'{cmd}: "features" is {json.dumps(doc.get("features"))}, expected '
                   f'{json.dumps(want["features"])}, in the order given')
    for key in ("rows", "skipped"):
        if doc.get(key) != want[key]:
            raise Fail(f'{cmd}: "{key}" is {doc.get(key)!r}, expected {want[key]}: a row is used when '
                       "page_views and every feature it uses are numbers, 0 or more; other columns do "
                       "not matter")
    if not close(doc.get("intercept"), want["intercept"], 1e-6):
        raise Fail(f'{cmd}: "intercept" is {doc.get("intercept")!r}, expected {want["intercept"]:.6f}')
    coefs = doc.get("coefficients")
    if not isinstance(coefs, dict):
        raise Fail(f'{cmd}: "coefficients" must map each feature to its coefficient')
    for name, value in want["coefficients"].items():
        if not close(coefs.get(name), value, 1e-6):
            raise Fail(f'{cmd}: the coefficient of {name} is {coefs.get(name)!r}, expected {value:.6f} '
                       "(within 1e-6)")


def fit_and_compare(features, label_args=()):
    model_path = tmp(f"fit-{len(features)}-{'-'.join(features)}.json")
    args = ["fit", gen("train.csv"), *label_args, "--model", model_path]
    doc = json_of(args)
    want = reference.fit(read_rows(gen("train.csv")), features)
    cmd = shown(args)
    check_model(cmd, doc, want)
    try:
        with open(model_path) as f:
            saved = json.load(f)
    except (OSError, ValueError):
        raise Fail(f"{cmd}: the model file given with --model was not written as JSON")
    check_model(cmd + " (the saved model file)", saved, want)


def t_fit():
    fit_and_compare(FEATURES)


def t_fit_features():
    features = PLAN["alt_features"]
    fit_and_compare(features, ["--features", ",".join(features)])


# ---- refusals ----------------------------------------------------------------------------------

def refused(args, status, what, written=None):
    code, out, err = run(*args)
    cmd = shown(args)
    if code != status:
        lines = err.strip().splitlines()
        raise Fail(f"{cmd} exited with status {code}, expected {status}: {what}"
                   + (f" (its message: {lines[-1].strip()})" if lines else ""))
    if not err.strip():
        raise Fail(f"{cmd} exited with status {status} but said nothing on stderr: say why")
    if written and os.path.exists(written):
        raise Fail(f"{cmd} refused, but still wrote {os.path.basename(written)}: check before writing anything")
    return err


def t_protected():
    ask = PLAN["protected_ask"]
    target = tmp("refused-model.json")
    err = refused(["fit", gen("train.csv"), "--features", f"followers,{ask}", "--model", target], 5,
                  f"{ask} is on protected_columns.txt (names compare without regard to case), and that "
                  "check comes before the data is read", written=target)
    if ask.casefold() not in err.casefold():
        raise Fail(f"the refusal should name the protected column ({ask}) on stderr")
    refused(["fit", gen("train.csv"), "--features", "followers,posts", "--protected",
             gen("protected_strict.txt"), "--model", target], 5,
            "this attempt's policy file protects Posts", written=target)
    out = tmp("refused-payouts.csv")
    refused(["score", gen("athletes.csv"), "--model", gen("model_protected.json"), "--rate", "0.002",
             "--budget", "5000", "--cap", "400", "--out", out], 5,
            "the model uses age, a protected column: score checks the model's features too", written=out)
    missing = tmp("no-such-policy.txt")
    target = tmp("unprotected-model.json")
    refused(["fit", gen("train.csv"), "--protected", missing, "--model", target], 2,
            "without its protected-columns list the tool cannot know what is forbidden, so it refuses",
            written=target)
    out = tmp("unprotected-payouts.csv")
    refused(["score", gen("athletes.csv"), "--model", MODEL, "--rate", "0.002", "--budget", "5000",
             "--cap", "400", "--protected", missing, "--out", out], 2,
            "without its protected-columns list the tool cannot know what is forbidden, so it refuses",
            written=out)


def t_unusable():
    target = tmp("bad-model.json")
    refused(["fit", gen("train_nocol.csv"), "--model", target], 2,
            "the file has no wiki_views column", written=target)
    refused(["fit", gen("train_zero.csv"), "--model", target], 2,
            "likes is 0 in every row, so its column is all zeros and the normal equations are "
            "singular: linalg.solve() finds no pivot", written=target)
    refused(["fit", gen("train_tiny.csv"), "--model", target], 2,
            "only 3 rows are usable, fewer than the 4 coefficients", written=target)
    out = tmp("bad-payouts.csv")
    for flag, value in (("--budget", "0"), ("--cap", "-5"), ("--rate", "0")):
        args = {"--rate": "0.002", "--budget": "5000", "--cap": "400"}
        args[flag] = value
        refused(["score", gen("athletes.csv"), "--model", MODEL, *[x for kv in args.items() for x in kv],
                 "--out", out], 2, f"{flag} must be above 0", written=out)
    refused(["score", gen("athletes.csv"), "--model", tmp("no-model.json"), "--rate", "0.002",
             "--budget", "5000", "--cap", "400", "--out", out], 2, "the model file does not exist",
            written=out)


# ---- score -------------------------------------------------------------------------------------

MODEL = tmp("model.json")


def setup_score():
    """The reference model, the rate, a cap that catches PLAN["capped"] athletes, two budgets."""
    model = reference.fit(read_rows(gen("train.csv")), FEATURES)
    with open(MODEL, "w") as f:
        json.dump(model, f)
    athletes = read_rows(gen("athletes.csv"))
    rate = PLAN["rate"]
    raw = sorted((rate * v for v in (reference.predict(model, r) for r in athletes) if v is not None),
                 reverse=True)
    k = PLAN["capped"]
    while k < len(raw) - 1 and raw[k - 1] - raw[k] < 0.1:
        k += 1
    cap = round((raw[k - 1] + raw[k]) / 2, 2)
    offered = sum(min(o, cap) for o in raw)
    tight = math.floor(offered * PLAN["budget_share"])
    loose = math.ceil(offered * 1.25 / 100) * 100
    return model, athletes, rate, cap, tight, loose


def score_args(rate, budget, cap, out, holdout=False):
    args = ["score", gen("athletes.csv"), "--model", MODEL, "--rate", repr(rate), "--budget", str(budget),
            "--cap", f"{cap:.2f}", "--out", out]
    if holdout:
        args += ["--holdout", gen("holdout.csv")]
    return args


def check_score(model, athletes, rate, budget, cap, tag, holdout=False):
    out = tmp(f"payouts-{tag}.csv")
    args = score_args(rate, budget, cap, out, holdout)
    cmd = shown(args)
    doc = json_of(args)
    want, rows, plan = reference.score(model, athletes, rate, budget, cap,
                                       read_rows(gen("holdout.csv")) if holdout else None)
    if doc.get("athletes") != want["athletes"]:
        raise Fail(f'{cmd}: "athletes" is {doc.get("athletes")!r}, expected {want["athletes"]}, the athletes '
                   "that could be scored")
    if doc.get("unscored") != want["unscored"]:
        raise Fail(f'{cmd}: "unscored" is {json.dumps(doc.get("unscored"))}, expected '
                   f'{json.dumps(want["unscored"])}: athletes with an unusable feature, in file order')
    if not close(doc.get("offered"), want["offered"], 0.011):
        raise Fail(f'{cmd}: "offered" is {doc.get("offered")!r}, expected {want["offered"]:.2f}, the sum of '
                   "min(rate × predicted views, cap)")
    if not close(doc.get("scale"), want["scale"], 1e-6):
        raise Fail(f'{cmd}: "scale" is {doc.get("scale")!r}, expected {want["scale"]:.6f}'
                   + (": budget / offered" if want["scale"] < 1 else ": 1 when the offers fit the budget"))
    if doc.get("capped") != want["capped"]:
        raise Fail(f'{cmd}: "capped" is {doc.get("capped")!r}, expected {want["capped"]}')
    try:
        with open(out, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            got_rows = list(reader)
    except (OSError, UnicodeDecodeError):
        raise Fail(f"{cmd}: no payouts file at the path given with --out")
    if any(c not in header for c in ("athlete_id", "predicted_views", "payout")):
        raise Fail(f"{cmd}: the payouts file needs a header with the columns athlete_id, predicted_views "
                   "and payout")
    ids = [r["athlete_id"] for r in got_rows]
    if ids != [aid for aid, _, _ in rows]:
        raise Fail(f"{cmd}: the payouts file lists {len(ids)} athletes, expected the {len(rows)} that could "
                   "be scored, in file order")
    budget_cents = round(budget * 100)
    cents = 0
    for got, (aid, views, pay) in zip(got_rows, rows):
        try:
            g_views, g_pay = float(got["predicted_views"]), float(got["payout"])
        except (TypeError, ValueError):
            raise Fail(f"{cmd}: athlete {aid}: predicted_views and payout must be numbers")
        if abs(g_views - views) > 0.051 + 1e-9 * views:
            raise Fail(f"{cmd}: athlete {aid}: predicted_views is {got['predicted_views']}, expected {views:.1f} "
                       "(exp(z) − 1, z = intercept + Σ coefficient × log(value + 1))")
        if g_pay > cap + 1e-9:
            raise Fail(f"{cmd}: athlete {aid} is paid {got['payout']}, above the cap of {cap:.2f}")
        if abs(g_pay - pay) > 0.01 + 1e-9:
            raise Fail(f"{cmd}: athlete {aid}: payout is {got['payout']}, expected {pay:.2f} (the offer, times "
                       "the scale, rounded down to the cent)")
        cents += round(g_pay * 100)
    if cents > budget_cents:
        raise Fail(f"{cmd}: the payouts add up to {cents / 100:.2f}, over the budget of {budget:.2f}: round "
                   "each payout down, never to the nearest cent")
    if not close(doc.get("total"), cents / 100, 0.005):
        raise Fail(f'{cmd}: "total" is {doc.get("total")!r}, but the payouts file adds up to {cents / 100:.2f}')
    if holdout:
        if want["mape"] is None:
            if doc.get("mape") is not None:
                raise Fail(f'{cmd}: "mape" should be null: no holdout athlete has views above 0')
        elif not close(doc.get("mape"), want["mape"], 0.011):
            raise Fail(f'{cmd}: "mape" is {doc.get("mape")!r}, expected {want["mape"]:.2f} (percent, over '
                       "holdout athletes whose views are above 0 and whose features are usable)")
        if doc.get("mape_rows") != want["mape_rows"]:
            raise Fail(f'{cmd}: "mape_rows" is {doc.get("mape_rows")!r}, expected {want["mape_rows"]}: leave out '
                       "athletes with 0 views (the error would divide by zero) or unusable cells")
    elif doc.get("mape", "missing") is not None or doc.get("mape_rows") != 0:
        raise Fail(f'{cmd}: without --holdout, "mape" is null and "mape_rows" 0')
    return args, doc, out


def t_tight(ctx):
    model, athletes, rate, cap, tight, _ = ctx
    args, doc, out = check_score(model, athletes, rate, tight, cap, "tight")
    again = tmp("payouts-again.csv")
    args2 = [a if a != out else again for a in args]
    doc2 = json_of(args2)
    with open(out, "rb") as f1, open(again, "rb") as f2:
        same = f1.read() == f2.read()
    if doc2 != doc or not same:
        raise Fail(f"{shown(args)} gave different results when run twice: the same input must give the "
                   "same payouts")


def t_loose(ctx):
    model, athletes, rate, cap, _, loose = ctx
    check_score(model, athletes, rate, loose, cap, "loose")


def t_mape(ctx):
    model, athletes, rate, cap, tight, _ = ctx
    check_score(model, athletes, rate, tight, cap, "holdout", holdout=True)


def main():
    ctx = setup_score()
    tests = [
        ("fit matches the reference coefficients on a hidden training set", t_fit),
        ("fit --features uses exactly the columns asked for", t_fit_features),
        ("Protected columns are refused (exit status 5); without the list, nothing runs (exit status 2)",
         t_protected),
        ("Unusable data or settings exit with status 2", t_unusable),
        ("Payouts on hidden athletes are capped, scaled to the budget and rounded down",
         lambda: t_tight(ctx)),
        ("A budget the offers do not reach pays every offer in full", lambda: t_loose(ctx)),
        ("MAPE on a hidden holdout leaves out athletes with no views", lambda: t_mape(ctx)),
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
