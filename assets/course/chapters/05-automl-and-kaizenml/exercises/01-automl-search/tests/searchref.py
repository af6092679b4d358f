"""Synthetic athlete-engagement tables and a reference AutoML search.

Shared by generate.py and check_search.py. The reference can also run the two mistakes worth
naming in feedback: scaling with the whole table (leakage) and folds made of contiguous blocks.
"""
import csv
import io
import math
import statistics

POOL = {  # name -> (low, high, decimals)
    "posts_per_week": (0, 25, 1),
    "followers_k": (0, 400, 1),
    "sessions_7d": (0, 40, 0),
    "days_since_login": (0, 60, 0),
    "minutes_per_session": (1, 90, 1),
    "comments_per_post": (0, 12, 2),
}


# ---- data --------------------------------------------------------------------------------

def draw(rng, name):
    low, high, decimals = POOL[name]
    return round(rng.uniform(low, high), decimals)


def unit(name, v):
    low, high, _ = POOL[name]
    return (v - low) / (high - low)


def table(rng, n, features, rule, noise):
    """n rows of the given features; label = rule(row as dict), flipped with probability noise."""
    rows = []
    for _ in range(n):
        row = {f: draw(rng, f) for f in features}
        y = 1 if rule(row) else 0
        if rng.random() < noise:
            y = 1 - y
        row["churned"] = y
        rows.append(row)
    return rows


def to_csv(rows, columns):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r[c] for c in columns])
    return buf.getvalue()


def read(path, target):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        features = [c for c in reader.fieldnames if c != target]
        rows, labels = [], []
        for rec in reader:
            rows.append([float(rec[c]) for c in features])
            labels.append(int(rec[target]))
    return features, rows, labels


# ---- the reference search -----------------------------------------------------------------

def stump_fit(xs, ys):
    values = sorted(set(xs))
    best = None
    for a, b in zip(values, values[1:]):
        t = (a + b) / 2
        hits = sum((x > t) == bool(y) for x, y in zip(xs, ys))
        for polarity, score in (("above", hits), ("below", len(xs) - hits)):
            if best is None or score > best[0]:
                best = (score, t, polarity)
    if best is None:
        return (None, "constant", 1 if 2 * sum(ys) > len(ys) else 0)
    return (best[1], best[2], None)


def stump_predict(model, x):
    t, polarity, label = model
    if polarity == "constant":
        return label
    above = 1 if x > t else 0
    return above if polarity == "above" else 1 - above


def scaler(rows):
    lo = [min(c) for c in zip(*rows)]
    hi = [max(c) for c in zip(*rows)]
    return lambda row: [(v - a) / (b - a) if b > a else 0.0 for v, a, b in zip(row, lo, hi)]


def dist(p, q, kind):
    if kind == "euclidean":
        return math.sqrt(sum((a - b) ** 2 for a, b in zip(p, q)))
    return sum(abs(a - b) for a, b in zip(p, q))


def names(features):
    out = [("stump", f) for f in features]
    out += [("knn", (k, kind)) for k in (1, 3, 5, 7) for kind in ("euclidean", "manhattan")]
    return out


def label_of(cand):
    family, p = cand
    return f"stump({p})" if family == "stump" else f"knn(k={p[0]},{p[1]})"


def splits(n, folds, blocks=False):
    for f in range(folds):
        if blocks:  # the mistake: contiguous blocks instead of i % folds
            size = -(-n // folds)
            valid = set(range(f * size, min(n, (f + 1) * size)))
        else:
            valid = {i for i in range(n) if i % folds == f}
        yield [i for i in range(n) if i not in valid], sorted(valid)


def fold_scores(features, rows, labels, folds, leaky=False, blocks=False):
    """{candidate label: [fold accuracy, ...]} for every candidate."""
    cands = names(features)
    scores = {label_of(c): [] for c in cands}
    global_scale = scaler(rows)
    for train, valid in splits(len(rows), folds, blocks):
        if not valid or not train:
            continue
        tr_rows, tr_y = [rows[i] for i in train], [labels[i] for i in train]
        for j, f in enumerate(features):
            model = stump_fit([r[j] for r in tr_rows], tr_y)
            hits = sum(stump_predict(model, rows[i][j]) == labels[i] for i in valid)
            scores[f"stump({f})"].append(hits / len(valid))
        sc = global_scale if leaky else scaler(tr_rows)
        tr_scaled = [sc(r) for r in tr_rows]
        for kind in ("euclidean", "manhattan"):
            hits = {k: 0 for k in (1, 3, 5, 7)}
            for i in valid:
                q = sc(rows[i])
                order = sorted(range(len(tr_scaled)), key=lambda m: (dist(q, tr_scaled[m], kind), m))
                for k in hits:
                    vote = sum(tr_y[m] for m in order[:k])
                    hits[k] += (1 if 2 * vote > k else 0) == labels[i]
            for k in hits:
                scores[f"knn(k={k},{kind})"].append(hits[k] / len(valid))
    return scores


def leaderboard(features, rows, labels, folds, **mistakes):
    scores = fold_scores(features, rows, labels, folds, **mistakes)
    entries = []
    for index, cand in enumerate(names(features)):
        s = scores[label_of(cand)]
        mean, std = statistics.mean(s), statistics.stdev(s)
        entries.append(((-round(mean, 6), round(std, 6), index),
                        {"name": label_of(cand), "mean_accuracy": mean, "std_accuracy": std,
                         "fold_accuracies": s, "index": index}))
    entries.sort(key=lambda e: e[0])
    return [dict(e, rank=r) for r, (_, e) in enumerate(entries, start=1)]


def refit_predict(name, features, rows, labels, new_rows):
    """Predictions of candidate `name` trained on every row, for new_rows."""
    if name.startswith("stump("):
        j = features.index(name[6:-1])
        model = stump_fit([r[j] for r in rows], labels)
        return [stump_predict(model, r[j]) for r in new_rows]
    k, kind = name[6:-1].split(",")
    k = int(k)
    sc = scaler(rows)
    train = [sc(r) for r in rows]
    out = []
    for r in new_rows:
        q = sc(r)
        order = sorted(range(len(train)), key=lambda m: (dist(q, train[m], kind), m))
        out.append(1 if 2 * sum(labels[m] for m in order[:k]) > k else 0)
    return out
