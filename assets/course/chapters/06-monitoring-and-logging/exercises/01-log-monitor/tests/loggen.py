"""Synthetic JSON-lines request logs with planted incidents, reproducible from a seed.

Used by generate.py for the hidden logs (and, once, to write the starter's app.log).
"""
import json
import math
import random

PATHS = ["/predict", "/predict", "/predict", "/health", "/batch"]
MODELS = ["churn-v3", "churn-v4"]


def latency(rng, slow=False):
    base = rng.lognormvariate(math.log(70), 0.45)
    if slow:
        base *= rng.uniform(4.0, 9.0)
    return round(min(base, 9999.0), 1)


def request(rng, ts, status, ms):
    return json.dumps({
        "ts": ts, "method": "POST", "path": rng.choice(PATHS), "status": status,
        "latency_ms": ms, "model": rng.choice(MODELS),
    })


MALFORMED = [
    '{"ts": 1718000000.5, "method": "POST", "path": "/predict", "stat',
    "Traceback (most recent call last):",
    '{"ts": "yesterday", "status": 200, "latency_ms": 12.5}',
    '{"ts": 1718000001.0, "status": "200", "latency_ms": 12.5}',
    '{"ts": 1718000002.0, "status": 200}',
    '[1718000003.0, 200, 12.5]',
    '{"ts": true, "status": 200, "latency_ms": 12.5}',
    '{"ts": 1718000004.0, "status": 503, "latency_ms": -3}',
    "GET /predict 200 12ms",
]


def window_requests(rng, start, width, n, errors, slow=0, exact=None, boundary=False):
    """n requests in [start, start+width): `errors` of them 5xx, `slow` of them slow."""
    statuses = [rng.choice([500, 502, 503]) for _ in range(errors)]
    statuses += [rng.choice([200, 200, 200, 201, 400, 404]) for _ in range(n - errors)]
    rng.shuffle(statuses)
    lines = []
    for i, status in enumerate(statuses):
        if boundary and i == 0:
            ts = float(start)
        else:
            ts = round(start + rng.random() * width, 3)
            if ts >= start + width:
                ts = round(start + width - 0.001, 3)
        ms = latency(rng, slow=i < slow)
        lines.append((ts, request(rng, ts, status, ms)))
    if exact is not None:
        # make the nearest-rank p95 exactly `exact`: it is the value at rank ceil(0.95 n)
        rank = -(-95 * n // 100)
        values = sorted(float(json.loads(l)["latency_ms"]) for _, l in lines)
        values = [min(v, exact - 1.0) for v in values[:rank - 1]] + [exact] * (n - rank + 1)
        rng.shuffle(values)
        fixed = []
        for (ts, line), v in zip(lines, values):
            rec = json.loads(line)
            rec["latency_ms"] = round(v, 1)
            fixed.append((ts, json.dumps(rec)))
        lines = fixed
    return lines


def make_log(rng, windows, width=60, incidents=True, malformed=0, blanks=0, disorder=0):
    """Return the lines of a log covering `windows` windows of `width` seconds."""
    base = 1_717_999_980 + width * rng.randint(0, 20000)
    special = {}
    if incidents and windows >= 12:
        picks = rng.sample(range(2, windows - 1), 5)
        special = {picks[0]: "errors", picks[1]: "slow", picks[2]: "quiet",
                   picks[3]: "edge-errors", picks[4]: "edge-p95"}
    out = []
    for k in range(windows):
        start = base + k * width
        kind = special.get(k, "normal")
        n = rng.randint(40, 80)
        if kind == "errors":
            out += window_requests(rng, start, width, n, errors=int(n * rng.uniform(0.15, 0.4)))
        elif kind == "slow":
            out += window_requests(rng, start, width, n, errors=rng.randint(0, 1), slow=int(n * 0.2) + 1)
        elif kind == "quiet":
            m = rng.randint(3, 12)
            out += window_requests(rng, start, width, m, errors=m)  # all failing, but too few
        elif kind == "edge-errors":
            n = 60
            out += window_requests(rng, start, width, n, errors=3, boundary=True)  # exactly 5%
        elif kind == "edge-p95":
            out += window_requests(rng, start, width, n, errors=0, exact=300.0)  # p95 exactly 300
        else:
            out += window_requests(rng, start, width, n, errors=rng.choice([0, 0, 0, 1, 2]),
                                   boundary=rng.random() < 0.1)
    out.sort(key=lambda item: item[0])
    lines = [line for _, line in out]
    for _ in range(disorder):
        i = rng.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    for _ in range(malformed):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(MALFORMED))
    for _ in range(blanks):
        lines.insert(rng.randrange(len(lines) + 1), "")
    return lines
