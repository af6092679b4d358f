"""Run the learner's optimize.py on this attempt's hidden coins and maps; compare with reference.py.

Writes {"tests": [...]} to $KAIZEN_RESULTS. Messages say what differs and, where a common
mistake explains it, which mistake.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
results = []


def report(name, message):
    results.append({"name": name, "status": "fail" if message else "pass", "message": message})


def report_each(name, runs, problem):
    """Report the first problem() message over the runs, prefixed with the run. A crash of the
    checker on an output it did not foresee is this check's error, and the others still run."""
    for r in runs:
        try:
            msg = r["err"] or problem(r, r["got"], r["points"])
        except Exception as err:  # noqa: BLE001
            results.append({"name": name, "status": "error",
                            "message": f"the checker broke on this output: {type(err).__name__}: {err}"})
            return
        if msg:
            return report(name, f"{r['label']}: {msg}")
    report(name, "")


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def last_line(text):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "(nothing on stderr)"


TIMED_OUT = set()  # problems ("coins", "tsp") that already ran out of time: not run again


def run(args, timeout=10):
    """(exit status, stdout, stderr) of optimize.py with these arguments."""
    if args[0] in TIMED_OUT:
        return None, "", f"optimize.py did not finish within {timeout} s (an endless loop?)"
    try:
        proc = subprocess.run([sys.executable, "optimize.py"] + args, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        TIMED_OUT.add(args[0])
        return None, "", f"optimize.py did not finish within {timeout} s (an endless loop?)"
    return proc.returncode, proc.stdout, proc.stderr


def run_json(args, timeout=10):
    """(parsed JSON object, error message, raw stdout)."""
    code, out, err = run(args, timeout)
    if code is None:
        return None, err, out
    if code != 0:
        why = last_line(err)
        if "RecursionError" in err or "recursion" in why:
            why += " (a loop from 0 up to the amount never runs out of stack; recursion does)"
        return None, f"optimize.py exited with status {code}: {why}", out
    try:
        got = json.loads(out)
    except ValueError:
        return None, "optimize.py did not print one JSON object on stdout", out
    if not isinstance(got, dict):
        return None, "optimize.py must print a JSON object", out
    return got, "", out


# ---- coins --------------------------------------------------------------------------------

def possible(case, err):
    if err.startswith("optimize.py exited with status 3"):
        err += f"; yet {case['want_optimal']} coins make this amount"
    return err


def coin_tests():
    with open(os.path.join(GEN, "coins.json")) as f:
        cases = json.load(f)
    cases.sort(key=lambda c: c["kind"] == "large")  # last: if it runs out of time, skip no other
    outputs = []
    for case in cases:
        coins = ref.parse_coins(case["coins"])
        case["want_greedy"] = ref.greedy_coins(case["amount"], coins)
        case["want_optimal"] = ref.fewest_coins(case["amount"], coins)
        case["label"] = f"--amount {case['amount']} --coins {case['coins']}"
        args = ["coins", "--amount", str(case["amount"]), "--coins", case["coins"]]
        if case["kind"] == "impossible":
            outputs.append((case, run(args)))
        else:
            outputs.append((case, run_json(args)))

    msg = ""
    for case, (got, err, _) in outputs:
        if case["kind"] in ("impossible", "large"):
            continue
        if err:
            msg = f"{case['label']}: {possible(case, err)}"
            break
        g, w = got.get("greedy", "missing"), case["want_greedy"]
        if g != w:
            msg = f"{case['label']}: greedy is {json.dumps(g)}, expected {json.dumps(w)}"
            if w is None:
                msg += (": greedy gets stuck here (something is left after the smallest coin), "
                        "so print null")
            elif g == case["want_optimal"]:
                msg += (": that is the fewest coins; greedy takes as many of the largest coin as "
                        "fit, then the next coin, and never goes back")
            break
    report("Hidden coin systems: the greedy count, or null when greedy gets stuck", msg)

    msg = ""
    for case, (got, err, _) in outputs:
        if case["kind"] in ("impossible", "large"):
            continue
        if err:
            msg = f"{case['label']}: {possible(case, err)}"
            break
        g, w = got.get("optimal", "missing"), case["want_optimal"]
        if g != w:
            msg = f"{case['label']}: optimal is {json.dumps(g)}, expected {w}"
            if g == case["want_greedy"] or (g is None and case["want_greedy"] is None):
                msg += (": that is what greedy finds; the exact answer tries every coin as the last "
                        "one: best[a] = 1 + the smallest best[a - coin]")
            break
    report("Hidden coin systems: the fewest coins (dynamic programming)", msg)

    msg = ""
    for case, (got, err, _) in outputs:
        if case["kind"] != "large":
            continue
        if err:
            msg = f"{case['label']}: {err}"
        elif got.get("optimal") != case["want_optimal"] or got.get("greedy") != case["want_greedy"]:
            msg = (f"{case['label']}: greedy {json.dumps(got.get('greedy'))} and optimal "
                   f"{json.dumps(got.get('optimal'))}, expected {case['want_greedy']} and "
                   f"{case['want_optimal']}")
    report("A large amount (over 10,000) is solved within 10 seconds", msg)

    msg = ""
    for case, (code, out, err) in outputs:
        if case["kind"] != "impossible":
            continue
        if code is None:
            msg = f"{case['label']}: {err}"
        elif code != 3:
            msg = f"{case['label']}: no combination of these coins makes it, so exit with status 3, not {code}"
            if code != 0:
                msg += f" ({last_line(err)})"
        elif not err.strip():
            msg = f"{case['label']}: exit status 3 is right; also say why on stderr"
        if msg:
            break
    report("Amounts no combination can make exit with status 3 and say why on stderr", msg)


# ---- tours --------------------------------------------------------------------------------

def city_list(value, n):
    return isinstance(value, list) and all(isinstance(c, int) and not isinstance(c, bool)
                                           and 0 <= c < n for c in value)


def tour_tests():
    with open(os.path.join(GEN, "runs.json")) as f:
        runs = json.load(f)
    for r in runs:
        r["points"] = ref.load(os.path.join(GEN, r["map"]))
        r["args"] = ["tsp", os.path.join(GEN, r["map"]), "--starts", str(r["starts"]),
                     "--seed", str(r["seed"])]
        r["label"] = f"{len(r['points'])} cities, --starts {r['starts']} --seed {r['seed']}"
        r["got"], r["err"], r["out"] = run_json(r["args"])

    def valid_tour(r, got, points):
        n, tour = len(points), got.get("tour")
        if not city_list(tour, n):
            return f"tour must be a list of city numbers from 0 to {n - 1}, got {short(tour)}"
        if len(tour) != n + 1:
            return (f"tour has {len(tour)} entries, expected {n + 1}: every city once, then the "
                    "start again")
        if tour[-1] != tour[0]:
            return f"tour ends at city {tour[-1]}; a round trip ends where it started ({tour[0]})"
        if sorted(tour[:-1]) != list(range(n)):
            twice = sorted({c for c in tour[:-1] if tour[:-1].count(c) > 1})
            return f"city {twice[0]} appears twice in the tour, so another city is missing"
        if got.get("start") != tour[0]:
            return f"start is {got.get('start')!r}, but the tour starts at city {tour[0]}"
        return ""

    report_each("Hidden maps: the tour visits every city once and returns to its start", runs,
                valid_tour)

    def length_ok(r, got, points):
        n, tour, length = len(points), got.get("tour"), got.get("length")
        if not city_list(tour, n) or len(tour) < 2:
            return "fix the tour first (see the test above)"
        want = ref.tour_length(points, tour)
        if not number(length) or abs(length - want) > 1e-6 * max(1.0, want):
            msg = f"length is {short(length)}, but the printed tour is {want:.6f} km long"
            if number(length) and tour[0] == tour[-1] and \
                    abs(length - ref.tour_length(points, tour[:-1])) <= 1e-6 * max(1.0, want):
                msg += ": count the last leg, back to the start, too"
            return msg
        return ""

    report_each("Hidden maps: length is the length of the printed tour", runs, length_ok)

    def starts_ok(r, got, points):
        n, want, starts = len(points), ref.choose_starts(len(points), r["starts"], r["seed"]), got.get("starts")
        if starts == want:
            return ""
        msg = f"starts is {short(starts)}, expected {short(want)}"
        if not city_list(starts, n) or not starts or starts[0] != 0:
            return msg + ": city 0, the depot, comes first, then the drawn cities"
        if len(starts) != len(want):
            return msg + f": that is min(--starts, number of cities) = {len(want)} starts in all"
        if sorted(starts) == sorted(want):
            return msg + ": keep the cities in the order sample() returns them"
        return msg + (": draw them with random.Random(seed).sample(range(1, n), k - 1), one "
                      "generator of your own, seeded with --seed")

    report_each("Hidden maps: starts are city 0, then the seeded draw from README.md", runs,
                starts_ok)

    def nearest_ok(r, got, points):
        n, tour = len(points), got.get("tour")
        if not city_list(tour, n) or not tour:
            return "fix the tour first (see the first map test)"
        want = ref.nearest_neighbour(points, tour[0])
        if tour == want:
            return ""
        step = next((i for i, (a, b) in enumerate(zip(tour, want)) if a != b), None)
        if step is None:
            return f"the tour has {len(tour)} entries; the nearest-neighbour tour has {len(want)}"
        msg = (f"from city {tour[step - 1]} the tour goes to city {tour[step]}, but the nearest "
               f"unvisited city is {want[step]}") if step else "the tour does not start at its start"
        if tour == ref.nearest_neighbour(points, tour[0], high_ties=True) or (
                step and ref.squared(points[tour[step - 1]], points[tour[step]])
                == ref.squared(points[tour[step - 1]], points[want[step]])):
            msg += ": both are as far; on a tie, go to the lower-numbered city"
        return msg

    report_each("Hidden maps: each tour is the nearest-neighbour tour from its start (ties to "
                "the lower number)", runs, nearest_ok)

    def best_ok(r, got, points):
        n, tour, starts = len(points), got.get("tour"), got.get("starts")
        baseline = ref.tour_length(points, ref.nearest_neighbour(points, 0))
        b = got.get("baseline_length")
        if not number(b) or abs(b - baseline) > 1e-6 * baseline:
            return (f"baseline_length is {short(b)}, expected {baseline:.6f}: the "
                    "nearest-neighbour tour from city 0")
        if not city_list(tour, n) or not tour or not city_list(starts, n) or not starts:
            return "fix the tour and the starts first (see the tests above)"
        if tour[0] not in starts:
            return f"the tour starts at city {tour[0]}, which is not one of the starts"
        lengths = {s: ref.tour_length(points, ref.nearest_neighbour(points, s)) for s in starts}
        shortest = min(lengths, key=lambda s: (lengths[s], starts.index(s)))
        if lengths[tour[0]] > lengths[shortest] + 1e-9:
            return (f"you kept the tour from city {tour[0]} ({lengths[tour[0]]:.3f} km), but the "
                    f"one from city {shortest} is {lengths[shortest]:.3f} km: keep the shortest")
        if lengths[tour[0]] > baseline + 1e-9:
            return (f"the tour is {lengths[tour[0]]:.3f} km, longer than the {baseline:.3f} km "
                    "from city 0: city 0 must always be one of the starts")
        return ""

    report_each("Hidden maps: the shortest tour of the starts is kept, never longer than from "
                "city 0", runs, best_ok)

    first = runs[0]
    code, out, err = run(first["args"])
    if first["err"]:
        msg = f"{first['label']}: {first['err']}"
    elif code != 0 or out != first["out"]:
        msg = (f"{first['label']}: two runs with the same seed printed different output; take "
               "every random choice from one random.Random(seed)")
    else:
        msg = ""
    report("The same command and seed print the same output twice", msg)


def short(value):
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def main():
    for part, what in ((coin_tests, "coins"), (tour_tests, "maps")):
        try:
            part()
        except Exception as err:  # a bug in this checker: say so instead of blaming the learner
            results.append({"name": f"The checker ran the {what} tests", "status": "error",
                            "message": f"{type(err).__name__}: {err}"})


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
