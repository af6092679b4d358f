"""Write this attempt's hidden tables and a list of cases into $KAIZEN_GEN.

- threshold.csv: churn follows one feature's threshold (a stump should do well), + new rows
- neighbours.csv: churn depends on two features at once (k-NN should do well), + new rows
- outlier.csv:   one row has a huge value, so scaling on the whole table would change the scores
- twins.csv:     two identical columns: candidates tie exactly and simplicity must decide
- custom.csv:    the label is called "label" and sits mid-table; --folds 4, rows not divisible by 4
- bad_*.csv:     tables automl.py must refuse with exit status 2
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from searchref import POOL, fold_scores, table, to_csv, unit  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)
cases = []


def write(name, rows, columns):
    path = os.path.join(out, name)
    with open(path, "w") as f:
        f.write(to_csv(rows, columns))
    return path


def add(name, rows, features, folds=5, target="churned", columns=None, new=None):
    columns = columns or features + [target]
    case = {"name": name, "path": write(f"{name}.csv", rows, columns), "target": target,
            "folds": folds}
    if new:
        case["new"] = write(f"{name}_new.csv", new, features)
    cases.append(case)


# a threshold world
features = rng.sample(sorted(POOL), 4)
key = features[rng.randrange(4)]
cut = rng.uniform(0.3, 0.6)
rule = (lambda r: unit(key, r[key]) < cut) if rng.random() < 0.5 else (lambda r: unit(key, r[key]) > cut)
add("threshold", table(rng, rng.randint(100, 140), features, rule, 0.08), features,
    new=table(rng, 30, features, rule, 0.0))

# a neighbourhood world: a disc or a checkerboard in two features
features = rng.sample(sorted(POOL), 3)
a, b = features[0], features[1]
cx, cy = rng.uniform(0.35, 0.65), rng.uniform(0.35, 0.65)
if rng.random() < 0.5:
    rule = lambda r: (unit(a, r[a]) - cx) ** 2 + (unit(b, r[b]) - cy) ** 2 < 0.08  # noqa: E731
else:
    rule = lambda r: (unit(a, r[a]) < cx) != (unit(b, r[b]) < cy)  # noqa: E731
rng.shuffle(features)
add("neighbours", table(rng, rng.randint(110, 150), features, rule, 0.04), features,
    new=table(rng, 30, features, rule, 0.0))

# an outlier that makes whole-table scaling give different scores than in-fold scaling
for _ in range(100):
    features = rng.sample(sorted(POOL), 3)
    a, b = features[0], features[1]
    rule = lambda r: unit(a, r[a]) + unit(b, r[b]) < 1.0  # noqa: E731
    rows = table(rng, rng.randint(90, 120), features, rule, 0.05)
    victim = rng.randrange(len(rows))
    rows[victim][b] = round(POOL[b][1] * rng.uniform(40, 80), 1)
    feats = list(features)
    fr = [[float(r[f]) for f in feats] for r in rows]
    labels = [r["churned"] for r in rows]
    honest = fold_scores(feats, fr, labels, 5)
    leaky = fold_scores(feats, fr, labels, 5, leaky=True)
    if honest != leaky:
        break
add("outlier", rows, features)

# twins: identical columns, so stumps tie and every k-NN pair ties
name = rng.choice(sorted(POOL))
twin = name + "_copy"
rule_cut = rng.uniform(0.3, 0.7)
rows = table(rng, rng.randint(80, 110), [name], lambda r: unit(name, r[name]) < rule_cut, 0.12)
for r in rows:
    r[twin] = r[name]
add("twins", rows, [name, twin])

# custom target and folds
features = rng.sample(sorted(POOL), 3)
key = features[0]
rows = table(rng, rng.choice([101, 102, 103, 105, 106, 107]), features,
             lambda r: unit(key, r[key]) > 0.5, 0.1)
for r in rows:
    r["label"] = r.pop("churned")
add("custom", rows, features, folds=4, target="label",
    columns=[features[0], "label", features[1], features[2]])

# unusable tables
features = rng.sample(sorted(POOL), 2)
rows = table(rng, 30, features, lambda r: True, 0.5)
rows[rng.randrange(5, 30)][features[0]] = rng.choice(["n/a", "12k", ""])
add("bad_cell", rows, features)
rows = table(rng, 30, features, lambda r: True, 0.5)
rows[rng.randrange(5, 30)]["churned"] = rng.choice(["yes", "2", "-1"])
add("bad_label", rows, features)
cases.append({"name": "bad_folds", "path": cases[0]["path"], "target": "churned", "folds": 1})

with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
