"""The checker's reference for influence.py: the fit, the predictions, the payouts and MAPE."""
import math

TARGET = "page_views"


def number(cell):
    """A usable cell: a finite number, 0 or more. Anything else is None."""
    if cell is None:
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def read_protected(text):
    names = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line.casefold())
    return names


def protected_in(features, protected):
    return [f for f in features if f.strip().casefold() in protected]


def solve(a, b):
    n = len(b)
    m = [list(map(float, row)) + [float(v)] for row, v in zip(a, b)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) < 1e-12:
            raise ValueError("singular")
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def fit(rows, features):
    """rows: dicts. Returns the model dict, or raises ValueError (too few rows, singular)."""
    k = len(features) + 1
    xtx = [[0.0] * k for _ in range(k)]
    xty = [0.0] * k
    used = skipped = 0
    for row in rows:
        values = [number(row.get(f)) for f in features]
        y = number(row.get(TARGET))
        if y is None or any(v is None for v in values):
            skipped += 1
            continue
        used += 1
        x = [1.0] + [math.log(v + 1) for v in values]
        ly = math.log(y + 1)
        for i in range(k):
            xty[i] += x[i] * ly
            for j in range(k):
                xtx[i][j] += x[i] * x[j]
    if used < k:
        raise ValueError("too few rows")
    beta = solve(xtx, xty)
    return {"target": TARGET, "features": list(features), "intercept": beta[0],
            "coefficients": dict(zip(features, beta[1:])), "rows": used, "skipped": skipped}


def predict(model, row):
    z = model["intercept"]
    for f in model["features"]:
        v = number(row.get(f))
        if v is None:
            return None
        z += model["coefficients"][f] * math.log(v + 1)
    return max(0.0, math.exp(z) - 1)


def payouts(views, rate, budget, cap):
    offers = [min(rate * v, cap) for v in views]
    offered = sum(offers)
    scale = budget / offered if offered > budget else 1.0
    pays = [math.floor(o * scale * 100) / 100 for o in offers]
    capped = sum(1 for v in views if rate * v >= cap)
    return {"offers": offers, "offered": offered, "scale": scale, "payouts": pays, "capped": capped}


def mape(pairs):
    used = [(a, p) for a, p in pairs if a > 0]
    if not used:
        return None, 0
    return 100 * sum(abs(a - p) / a for a, p in used) / len(used), len(used)


def score(model, athletes, rate, budget, cap, holdout=None):
    """The summary and the payout rows that influence.py score should produce."""
    scored, unscored = [], []
    for row in athletes:
        v = predict(model, row)
        if v is None:
            unscored.append(row["athlete_id"])
        else:
            scored.append((row["athlete_id"], v))
    plan = payouts([v for _, v in scored], rate, budget, cap)
    result = {"athletes": len(scored), "unscored": unscored, "offered": round(plan["offered"], 2),
              "scale": round(plan["scale"], 6),
              "total": round(sum(round(p * 100) for p in plan["payouts"]) / 100, 2),
              "capped": plan["capped"], "mape": None, "mape_rows": 0}
    if holdout is not None:
        pairs = []
        for row in holdout:
            a = number(row.get(TARGET))
            p = predict(model, row)
            if a is not None and p is not None:
                pairs.append((a, p))
        m, n = mape(pairs)
        result["mape"] = None if m is None else round(m, 2)
        result["mape_rows"] = n
    rows = [(aid, v, p) for (aid, v), p in zip(scored, plan["payouts"])]
    return result, rows, plan
