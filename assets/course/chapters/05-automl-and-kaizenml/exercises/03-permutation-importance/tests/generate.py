"""Write this attempt's hidden models, tables and commands into $KAIZEN_GEN, from $KAIZEN_SEED.

- linear.json + linear.csv: a linear model over three features of different strength; the table
  also has a row_id that drifts with the label (earlier rows churn more) and a column the model
  ignores, in a shuffled column order with the target in the middle.
- tree.json + tree.csv: a small decision tree; the table also has a row_id and an exact copy
  of a feature the tree reads, which the tree itself never reads.
- runs.json: the importance.py commands to run, among them two with --forbid: one that must
  flag a column (exit 1) and one whose forbidden columns are at exactly 0 (exit 0).

No expected answer is written: the check script computes them with impref.py.
"""
import csv
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import impref  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

POOL = {  # name: (draw one value, its typical spread)
    "posts_7d": (lambda: max(0, round(rng.gauss(7, 4.5))), 4.5),
    "sessions_7d": (lambda: max(0, round(rng.gauss(11, 6))), 6.0),
    "followers_k": (lambda: round(rng.lognormvariate(3.5, 1.0), 1), 40.0),
    "days_since_login": (lambda: rng.randint(0, 60), 17.0),
    "avg_minutes": (lambda: round(max(0.0, rng.gauss(14, 6)), 1), 6.0),
    "support_tickets": (lambda: rng.choice([0, 0, 0, 1, 1, 2, 3, 4]), 1.3),
    "push_opt_in": (lambda: rng.choice([0, 1]), 0.5),
}


def write_table(name, columns, rows):
    with open(os.path.join(out, name), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_model(name, spec):
    with open(os.path.join(out, name), "w") as f:
        json.dump(spec, f, indent=1)


def order_with_target(columns, target):
    columns = list(columns)
    rng.shuffle(columns)
    columns.insert(rng.randint(1, len(columns) - 1), target)
    return columns


# ---- a linear model ------------------------------------------------------------------------
names = rng.sample(sorted(POOL), 5)
used, ignored = names[:3], names[3:]
strength = [1.6, 0.8, 0.35]  # per typical spread: clearly different importances
weights = {f: rng.choice([-1, 1]) * s / POOL[f][1] for f, s in zip(used, strength)}
n = rng.randint(260, 480)
rows = []
for i in range(n):
    row = {f: POOL[f][0]() for f in names}
    row["row_id"] = 5001 + i
    row["_score"] = sum(weights[f] * row[f] for f in used) + rng.gauss(0, 0.6) - 0.8 * i / n
    rows.append(row)
scores = sorted(r["_score"] for r in rows)
bias = -scores[int(0.7 * n)]  # about 30% of the rows churn
for r in rows:
    r["churned"] = int(r.pop("_score") + bias > 0)
spec = {"kind": "linear", "target": "churned", "features": used,
        "weights": {f: round(w * rng.uniform(0.85, 1.15), 4) for f, w in weights.items()},
        "bias": round(bias, 4)}
write_model("linear.json", spec)
write_table("linear.csv", order_with_target(["row_id"] + names, "churned"), rows)

# ---- a decision tree ------------------------------------------------------------------------
names = rng.sample(sorted(POOL), 4)
a, b, c = names[:3]
n = rng.randint(200, 400)
rows = [{f: POOL[f][0]() for f in names} for _ in range(n)]


def median(f):
    """Halfway between the median and the next larger value, so both sides get rows."""
    values = sorted({r[f] for r in rows})
    m = sorted(r[f] for r in rows)[len(rows) // 2]
    larger = [v for v in values if v > m]
    return (m + larger[0]) / 2 if larger else (m + values[-2]) / 2


tree = {"feature": a, "threshold": median(a),
        "left": {"feature": b, "threshold": median(b), "left": {"label": 1}, "right": {"label": 0}},
        "right": {"feature": c, "threshold": median(c), "left": {"label": 0}, "right": {"label": 1}}}
spec = {"kind": "tree", "target": "label", "features": [a, b, c], "root": tree}
copy = f"{b}_copy"
for i, r in enumerate(rows):
    r["row_id"] = 9001 + i
    r[copy] = r[b]
    r["label"] = impref.predict(spec, r) if rng.random() > 0.12 else rng.randint(0, 1)
write_model("tree.json", spec)
write_table("tree.csv", order_with_target(["row_id", copy] + names, "label"), rows)

# ---- the commands -----------------------------------------------------------------------------
runs = [
    {"name": "linear", "model": "linear.json", "data": "linear.csv",
     "repeats": rng.randint(3, 8), "seed": rng.randint(0, 10**6)},
    {"name": "tree", "model": "tree.json", "data": "tree.csv",
     "repeats": rng.randint(4, 10), "seed": rng.randint(0, 10**6)},
    {"name": "tree_once", "model": "tree.json", "data": "tree.csv",
     "repeats": 1, "seed": rng.randint(0, 10**6)},
]

# --forbid: a read column whose mean drop is well above --max-drop, next to the row_id.
spec, columns, rows, labels = impref.load(os.path.join(out, "linear.json"), os.path.join(out, "linear.csv"))
run = {"name": "forbid_hit", "model": "linear.json", "data": "linear.csv", "repeats": 5,
       "seed": rng.randint(0, 10**6)}
ranked = impref.ranking(impref.drops(spec, columns, rows, labels, 5, run["seed"]), columns)
strong = [e for e in ranked if e["mean_drop"] > 0.02]
leak = rng.choice(strong)["feature"] if strong else ranked[0]["feature"]
run["forbid"] = ",".join(rng.sample([leak, "row_id"], 2))
run["max_drop"] = round(max(ranked[[e["feature"] for e in ranked].index(leak)]["mean_drop"] / 2, 0.001), 4)
runs.append(run)
# --forbid of columns the model never reads, with --max-drop 0: 0 is not above 0.
runs.append({"name": "forbid_clear", "model": "tree.json", "data": "tree.csv", "repeats": 3,
             "seed": rng.randint(0, 10**6), "forbid": f"row_id,{copy}", "max_drop": 0.0})

with open(os.path.join(out, "runs.json"), "w") as f:
    json.dump(runs, f, indent=1)
