"""Reference pricing for the checker, in exact fractions (no float rounding anywhere)."""
import csv
import json
import math
from fractions import Fraction as F


def read_prices(path):
    with open(path) as f:
        return json.load(f, parse_float=F)


def read_rows(path):
    with open(path, newline="") as f:
        return [(r["function"].strip(), int(r["memory_mb"]), F(r["duration_ms"]), int(r["requests"]))
                for r in csv.DictReader(f) if any((v or "").strip() for v in r.values())]


def row_gbs(memory, duration, requests):
    return F(memory, 1024) * F(math.ceil(duration), 1000) * requests


def lam(n, gbs, p):
    bill_n = max(0, n - F(p["free_requests_per_month"]))
    bill_g = max(F(0), gbs - F(p["free_gb_seconds_per_month"]))
    rc = bill_n * F(p["request_price_per_million"]) / 1_000_000
    dc = bill_g * F(p["gb_second_price"])
    return bill_n, bill_g, rc, dc, rc + dc


def container(tasks, vcpu, mem, p):
    return tasks * (F(vcpu) * F(p["vcpu_hour_price"]) + F(mem) * F(p["gb_hour_price"])) \
        * F(p["hours_per_month"])


def crossing(g, target, p):
    """The exact (fractional) number of requests at which Lambda's bill reaches target."""
    def cost(n):
        return lam(n, n * g, p)[4]
    fr, fg = F(p["free_requests_per_month"]), F(p["free_gb_seconds_per_month"])
    points = sorted({F(0), fr, fg / g})
    for i, start in enumerate(points):  # the bill is linear between these points, and after
        c0 = cost(start)
        end = points[i + 1] if i + 1 < len(points) else None
        slope = (cost(end) - c0) / (end - start) if end is not None else cost(start + 1) - c0
        if slope > 0 and c0 <= target:
            x = start + (target - c0) / slope
            if end is None or x <= end:
                return x
    raise AssertionError("no crossing")


def expected(usage_path, prices_path, tasks, vcpu, mem):
    p = read_prices(prices_path)
    rows = read_rows(usage_path)
    per = {}
    for fn, m, d, n in rows:
        e = per.setdefault(fn, [0, F(0)])
        e[0] += n
        e[1] += row_gbs(m, d, n)
    n = sum(e[0] for e in per.values())
    gbs = sum(e[1] for e in per.values())
    bill_n, bill_g, rc, dc, tot = lam(n, gbs, p["lambda"])
    cont = container(tasks, vcpu, mem, p["container"])
    x = crossing(gbs / n, cont, p["lambda"])
    return {
        "functions": {k: {"requests": v[0], "gb_seconds": v[1]} for k, v in per.items()},
        "requests": n, "gb_seconds": gbs, "billable_requests": bill_n, "billable_gb_seconds": bill_g,
        "request_cost": rc, "duration_cost": dc, "total": tot, "container": cont,
        "cheaper": "lambda" if tot < cont else "container", "crossing": x,
        "break_even": math.ceil(x),
        # what common mistakes give, to explain a wrong answer
        "no_free_crossing": crossing(gbs / n, cont, dict(p["lambda"], free_requests_per_month=0,
                                                            free_gb_seconds_per_month=0)),
    }
