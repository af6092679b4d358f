"""Run the learner's queries.sql on this attempt's hidden tables and compare every result with
a reference computed in plain Python. Writes $KAIZEN_RESULTS."""
import csv
import datetime
import glob
import json
import os
import subprocess
import sys
from collections import defaultdict
from fractions import Fraction

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
TOL = 1e-9
results = []


class Fail(Exception):
    pass


def read(path):
    with open(path, newline="") as f:
        return [dict(r, followers=int(r["followers"]), wiki_views=int(r["wiki_views"]),
                     page_views=int(r["page_views"])) for r in csv.DictReader(f)]


# ---- the reference ----------------------------------------------------------------------

def posts_per_sport(rows):
    posts, athletes = defaultdict(int), defaultdict(set)
    for r in rows:
        posts[r["sport"]] += 1
        athletes[r["sport"]].add(r["athlete"])
    out = [[s, posts[s], len(athletes[s])] for s in posts]
    return sorted(out, key=lambda x: (-x[1], x[0]))


def top_engagement(rows):
    agg = {}
    for r in rows:
        a = agg.setdefault(r["athlete"], [r["sport"], 0, 0, 0])
        a[1] += 1
        a[2] += r["page_views"]
        a[3] += r["followers"]
    out = [[name, v[0], v[1], 1000.0 * v[2] / v[3]] for name, v in agg.items() if v[1] >= 3]
    out.sort(key=lambda x: (-x[3], x[0]))
    return out[:5]


def integer_division(rows, athlete):
    pv = sum(r["page_views"] for r in rows if r["athlete"] == athlete)
    fo = sum(r["followers"] for r in rows if r["athlete"] == athlete)
    return {1000 * pv // fo, pv // fo * 1000, float(1000 * pv // fo), float(pv // fo * 1000)}


def weekly_active(rows):
    weeks = defaultdict(set)
    for r in rows:
        y, w, _ = datetime.date.fromisoformat(r["post_date"]).isocalendar()
        weeks[(y, w)].add(r["athlete"])
    return [[y, w, len(weeks[(y, w)])] for (y, w) in sorted(weeks)]


def ols_fit(rows):
    n = len(rows)
    sx = sum(r["wiki_views"] for r in rows)
    sy = sum(r["page_views"] for r in rows)
    sxy = sum(r["wiki_views"] * r["page_views"] for r in rows)
    sxx = sum(r["wiki_views"] ** 2 for r in rows)
    syy = sum(r["page_views"] ** 2 for r in rows)
    dx, dy, cov = n * sxx - sx * sx, n * syy - sy * sy, n * sxy - sx * sy
    slope = Fraction(cov, dx)
    intercept = (sy - slope * sx) / n
    return [[n, float(slope), float(intercept), float(Fraction(cov * cov, dx * dy))]]


COLUMNS = {
    "posts_per_sport": ["sport", "posts", "athletes"],
    "top_engagement": ["athlete", "sport", "posts", "views_per_1k"],
    "weekly_active": ["iso_year", "iso_week", "athletes"],
    "ols_fit": ["n", "slope", "intercept", "r2"],
}
REFERENCE = {"posts_per_sport": posts_per_sport, "top_engagement": top_engagement,
             "weekly_active": weekly_active, "ols_fit": ols_fit}


# ---- comparing ---------------------------------------------------------------------------

def run_queries(path):
    cmd = [sys.executable, "run_queries.py", "--csv", path, "--sql", "queries.sql"]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    except subprocess.TimeoutExpired:
        raise Fail("the queries did not finish within 30 s")
    try:
        return json.loads(proc.stdout)
    except ValueError:
        last = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise Fail(f"run_queries.py failed: {last[0]}")


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def same(got, want):
    if isinstance(want, float):
        return number(got) and abs(got - want) <= TOL * max(1.0, abs(want))
    if isinstance(want, int):
        return number(got) and got == want and not (isinstance(got, float) and not got.is_integer())
    return got == want


def compare(name, result, want, table):
    if result is None:
        raise Fail(f'queries.sql has no block "-- name: {name}"')
    if "error" in result:
        raise Fail(f"{name} failed in SQLite: {result['error']}")
    cols = COLUMNS[name]
    if result.get("columns") != cols:
        raise Fail(f"{name} must return the columns {', '.join(cols)} (in that order, named with AS); "
                   f"it returned {', '.join(map(str, result.get('columns') or [])) or 'none'}")
    rows = result.get("rows") or []
    if len(rows) != len(want):
        extra = ""
        if name == "weekly_active":
            extra = " (which week holds 29 December to 3 January?)"
        elif name == "top_engagement" and len(rows) < len(want):
            extra = " (five athletes with at least 3 posts each)"
        raise Fail(f"{name} on {table}: {len(rows)} rows, expected {len(want)}{extra}")
    for i, (g, w) in enumerate(zip(rows, want), start=1):
        for col, gv, wv in zip(cols, g, w):
            if not same(gv, wv):
                where = f"{name} on {table}, row {i}"
                if name == "weekly_active":
                    where = f"{name} on {table}, row {i} (expected ISO week {w[0]}-W{w[1]:02d})"
                raise Fail(f"{where}: {col} is {gv!r}, expected {wv!r}")
    return True


def engagement_hint(rows, got_rows):
    """Explain the likely cause of a top_engagement difference."""
    counts = defaultdict(int)
    for r in rows:
        counts[r["athlete"]] += 1
    want = top_engagement(rows)
    for g, w in zip(got_rows, want):
        if not isinstance(g, list) or len(g) != 4 or g == w:
            continue
        if counts.get(g[0], 0) < 3:
            return f" ({g[0]} has only {counts.get(g[0], 0)} posts: keep athletes with at least 3)"
        if g[0] != w[0] and w[0] not in [r[0] for r in got_rows if isinstance(r, list) and r]:
            return f" ({w[0]} is missing: with {counts[w[0]]} posts it qualifies)"
        if g[0] != w[0] and same(g[3], w[3]):
            return " (these two tie on views_per_1k: break ties by athlete name, A to Z)"
        if g[:3] == w[:3] and g[3] in integer_division(rows, w[0]):
            return " (that is integer division: write 1000.0, not 1000)"
        break
    return ""


def main():
    tables = sorted(glob.glob(os.path.join(GEN, "posts_*.csv")))
    outputs = []
    for n, path in enumerate(tables, start=1):
        label = f"hidden table {n}"
        try:
            outputs.append((label, read(path), run_queries(path), ""))
        except Fail as err:
            outputs.append((label, read(path), None, str(err)))

    names = {
        "posts_per_sport": "posts_per_sport: posts and distinct athletes per sport",
        "top_engagement": "top_engagement: top 5 by page views per 1,000 followers, at least 3 posts",
        "weekly_active": "weekly_active: distinct athletes per ISO week, New Year included",
        "ols_fit": "ols_fit: slope, intercept and r2 of page_views on wiki_views, in SQL",
    }
    for query, title in names.items():
        try:
            for label, rows, out, err in outputs:
                if out is None:
                    raise Fail(err)
                try:
                    compare(query, out.get(query), REFERENCE[query](rows), label)
                except Fail as fail:
                    msg = str(fail)
                    if query == "top_engagement":
                        msg += engagement_hint(rows, (out.get(query) or {}).get("rows") or [])
                    raise Fail(msg)
            results.append({"name": title, "status": "pass"})
        except Fail as fail:
            results.append({"name": title, "status": "fail", "message": str(fail)})


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
