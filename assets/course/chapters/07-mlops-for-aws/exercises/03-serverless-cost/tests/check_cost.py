"""Run the learner's cost.py on this attempt's hidden usage and price files and compare every
number with the exact reference.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages name scenarios and report keys, never data.
"""
import json
import math
import os
import subprocess
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import costref  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
CENT = 0.0101      # "to the cent": rounding the parts or the total may differ by one cent
GBS = 0.0011       # gb_seconds are printed to 3 decimal places
results = []


def report(name, msg):
    results.append({"name": name, "status": "fail" if msg else "pass", "message": msg})


def number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def run(case):
    tasks, vcpu, mem = case["fleet"]
    cmd = [sys.executable, "cost.py", case["usage"], case["prices"], "--tasks", str(tasks),
           "--vcpu", str(vcpu), "--memory-gb", str(mem)]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return None, None, "", "cost.py did not finish within 20 s"
    got = None
    try:
        got = json.loads(p.stdout)
    except ValueError:
        pass
    return got, p.returncode, p.stderr, ""


def last_line(text):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "nothing on stderr"


def get(doc, dotted):
    for part in dotted.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


def close(got, want, tol):
    return number(got) and abs(got - float(want)) <= tol


def gbs_hint(case, fn, got):
    """Explain a wrong gb_seconds when it matches a common mistake."""
    rows = [r for r in costref.read_rows(case["usage"]) if fn is None or r[0] == fn]
    raw = sum(F(m, 1024) * d / 1000 * n for _, m, d, n in rows)
    thousand = sum(F(m, 1000) * math.ceil(d) / 1000 * n for _, m, d, n in rows)
    truncated = sum(F(m, 1024) * int(d) / 1000 * n for _, m, d, n in rows)
    plus_one = sum(F(m, 1024) * (int(d) + 1) / 1000 * n for _, m, d, n in rows)
    if close(got, raw, GBS):
        return " (each request is billed its duration rounded up to a whole millisecond)"
    if close(got, thousand, GBS):
        return " (Lambda counts 1024 MB as 1 GB)"
    if close(got, truncated, GBS):
        return " (round durations up, not down: 38.2 ms bills as 39 ms)"
    if close(got, plus_one, GBS):
        return " (a duration that is already whole, such as 250.00 ms, bills as itself)"
    return ""


def main():
    cases = json.load(open(os.path.join(GEN, "cases.json")))
    good = [c for c in cases if c["kind"] == "ok"]
    runs = {}
    for c in good:
        want = costref.expected(c["usage"], c["prices"], *c["fleet"])
        got, code, err, problem = run(c)
        if not problem and (code != 0 or not isinstance(got, dict)):
            problem = (f"cost.py exited with status {code} without a JSON report "
                       f"({last_line(err)})")
            if c["name"] == "no_free" and code == 2:
                problem += (": this file's header lists the columns in another order; find each "
                            "column by its name")
        runs[c["name"]] = (c, got, want, problem)

    def each(check):
        for name, (c, got, want, problem) in runs.items():
            msg = problem or check(c, got, want)
            if msg:
                return f"scenario {name!r}: {msg}"
        return ""

    def functions(c, got, want):
        fns = got.get("functions")
        if not isinstance(fns, dict) or sorted(fns) != sorted(want["functions"]):
            names = sorted(fns) if isinstance(fns, dict) else fns
            return (f"\"functions\" has {names!r}, expected one entry for each of "
                    f"{sorted(want['functions'])} (summing the rows of each function)")
        for name, w in sorted(want["functions"].items()):
            g = fns[name] if isinstance(fns[name], dict) else {}
            if g.get("requests") != w["requests"]:
                return f"functions.{name}.requests is {g.get('requests')!r}, expected {w['requests']}"
            if not close(g.get("gb_seconds"), w["gb_seconds"], GBS):
                return (f"functions.{name}.gb_seconds is {g.get('gb_seconds')!r}, expected "
                        f"{float(w['gb_seconds']):.3f}" + gbs_hint(c, name, g.get("gb_seconds")))
        return ""
    report("Each function's requests and GB-seconds, each request billed in whole milliseconds",
           each(functions))

    def totals(c, got, want):
        for key, tol in (("requests", 0), ("gb_seconds", GBS), ("billable_requests", 0),
                         ("billable_gb_seconds", GBS)):
            g = get(got, "lambda." + key)
            if not close(g, want[key], tol):
                hint = ""
                if key.startswith("billable"):
                    hint = (" (subtract the free allowance once, from the account's totals, and "
                            "never go below 0)")
                elif key == "gb_seconds":
                    hint = gbs_hint(c, None, g)
                return f"lambda.{key} is {g!r}, expected {show(want[key])}{hint}"
        return ""
    report("Account totals, and the free allowance applied once to them", each(totals))

    def costs(c, got, want):
        for key in ("request_cost", "duration_cost", "total"):
            g = get(got, "lambda." + key)
            if not close(g, want[key], CENT):
                return (f"lambda.{key} is {g!r}, expected {float(want[key]):.2f} (price the "
                        "billable amounts; round to cents only when printing)")
        return ""
    report("Lambda's request, duration and total cost, to the cent", each(costs))

    def fleet(c, got, want):
        tasks, vcpu, mem = c["fleet"]
        hours = costref.read_prices(c["prices"])["container"]["hours_per_month"]
        for key, value in (("tasks", tasks), ("vcpu", vcpu), ("memory_gb", mem), ("hours", hours)):
            if not close(get(got, "container." + key), value, 1e-9):
                return (f"container.{key} is {get(got, 'container.' + key)!r}, expected "
                        f"{float(value):g} (from the command line or, for hours, the price file)")
        g = get(got, "container.total")
        if not close(g, want["container"], CENT):
            return (f"container.total is {g!r}, expected {float(want['container']):.2f}: tasks x "
                    "(vCPU x vCPU-hour price + GB x GB-hour price) x hours per month")
        return ""
    report("The always-on containers asked for on the command line, to the cent", each(fleet))

    def cheaper(c, got, want):
        if got.get("cheaper") != want["cheaper"]:
            return f"\"cheaper\" is {got.get('cheaper')!r}, expected {want['cheaper']!r}"
        return ""
    report("\"cheaper\" names the option with the lower monthly total", each(cheaper))

    def breakeven(c, got, want):
        g = got.get("break_even_requests")
        w = want["break_even"]
        if g == w:
            return ""
        if not isinstance(g, int) or isinstance(g, bool):
            return f"break_even_requests is {g!r}, expected a whole number ({w})"
        x, nf = want["crossing"], want["no_free_crossing"]
        upstream = [key for key, value, tol in (
            ("lambda.gb_seconds", want["gb_seconds"], GBS), ("lambda.requests", want["requests"], 0),
            ("container.total", want["container"], CENT)) if not close(get(got, key), value, tol)]
        if upstream:
            hint = (f"it depends on {' and '.join(upstream)}, which {'is' if len(upstream) == 1 else 'are'} "
                    "not right yet: fix that first")
        elif g == math.floor(x):
            hint = "round up: at that many requests Lambda is still a little cheaper"
        elif g in (math.floor(nf), math.ceil(nf), round(nf)):
            hint = "the free allowance lowers Lambda's bill at every volume, so count it here too"
        elif abs(g - w) <= max(50, w // 1000):
            hint = ("close: compute it from unrounded costs and GB-seconds, and round only what "
                    "you print")
        else:
            hint = ("find the smallest whole number of requests n for which Lambda's bill, with "
                    "this month's GB-seconds per request and the free allowance, is at least the "
                    "containers' cost")
        return f"break_even_requests is {g}, expected {w}: {hint}"
    report("The break-even: the fewest requests a month at which Lambda costs at least as much",
           each(breakeven))

    msg = ""
    what = {"bad_memory": "memory_mb below Lambda's 128 MB minimum",
            "bad_duration": "a duration_ms that is not above 0 and at most 900000",
            "bad_requests": "requests that are not a whole number of at least 0",
            "bad_number": "a duration_ms that is not a number",
            "bad_column": "no duration_ms column",
            "bad_empty": "no requests at all",
            "bad_price_missing": "a price file without lambda.gb_second_price",
            "bad_price_zero": "a price of 0 or less (container.vcpu_hour_price)",
            "bad_price_text": "a price written as a string (lambda.request_price_per_million)"}
    for c in cases:
        if c["kind"] != "bad":
            continue
        got, code, err, problem = run(c)
        if problem or code != 2 or not err.strip() or "Traceback" in err:
            how = problem or (f"exited with status {code}" if code != 2 else
                              "crashed with a traceback" if "Traceback" in err else
                              "printed nothing on stderr")
            msg = (f"given {what[c['name']]}, cost.py {how}; expected a one-line message on "
                   "stderr and exit status 2")
            if "Traceback" in err:
                msg += f" ({last_line(err)})"
            break
    report("Unusable usage or price files exit 2 with a message", msg)


def show(value):
    if isinstance(value, int) or (isinstance(value, F) and value.denominator == 1):
        return str(int(value))
    return f"{float(value):.3f}"


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # a bug in the checker, not in the learner's work
        results.append({"name": "Checker", "status": "error", "message": f"{type(err).__name__}: {err}"})
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
