"""The checker's reference permutation importance, and the mistakes it can recognise."""
import csv
import json
import random
import statistics


def predict(spec, row):
    """The same arithmetic as the given model.py, so near-zero scores round the same way."""
    if spec["kind"] == "linear":
        score = spec["bias"] + sum(spec["weights"][f] * row[f] for f in spec["features"])
        return 1 if score > 0 else 0
    node = spec["root"]
    while "label" not in node:
        node = node["left"] if row[node["feature"]] <= node["threshold"] else node["right"]
    return node["label"]


def load(model_path, data_path):
    with open(model_path) as f:
        spec = json.load(f)
    with open(data_path, newline="") as f:
        reader = csv.DictReader(f)
        columns = [c for c in reader.fieldnames if c != spec["target"]]
        rows, labels = [], []
        for rec in reader:
            rows.append({c: float(rec[c]) for c in columns})
            labels.append(int(rec[spec["target"]]))
    return spec, columns, rows, labels


def accuracy(spec, rows, labels):
    return sum(1 for r, y in zip(rows, labels) if predict(spec, r) == y) / len(rows)


def drops(spec, columns, rows, labels, repeats, seed, mistake=None):
    """{column: [drop, ...]} as README.md specifies, or as one known mistake would give:
    "reseed" (a new random.Random(seed) per column), "per_repeat" (one per shuffle),
    "inplace" (shuffling the rows themselves and never restoring them), "flipped" (shuffled
    minus baseline), "sorted" (columns in name order) or "model_only" (only the model's
    features, in header order)."""
    rows = [dict(r) for r in rows]
    rng = random.Random(seed)
    base = accuracy(spec, rows, labels)
    out = {}
    if mistake == "sorted":
        columns = sorted(columns)
    elif mistake == "model_only":
        columns = [c for c in columns if c in spec["features"]]
    for column in columns:
        if mistake == "reseed":
            rng = random.Random(seed)
        out[column] = []
        for _ in range(repeats):
            if mistake == "per_repeat":
                rng = random.Random(seed)
            values = [r[column] for r in rows]
            rng.shuffle(values)
            if mistake == "inplace":
                for r, v in zip(rows, values):
                    r[column] = v
                shuffled = rows
            else:
                shuffled = [dict(r, **{column: v}) for r, v in zip(rows, values)]
            acc = accuracy(spec, shuffled, labels)
            out[column].append(acc - base if mistake == "flipped" else base - acc)
    if mistake == "inplace":
        out["_accuracy_after"] = accuracy(spec, rows, labels)
    return out


def ranking(drop_lists, columns):
    entries = [{"feature": c, "mean_drop": statistics.mean(drop_lists[c]),
                "std_drop": statistics.pstdev(drop_lists[c]), "drops": drop_lists[c]}
               for c in columns]
    return sorted(entries, key=lambda e: (-round(e["mean_drop"], 9), columns.index(e["feature"])))


def used_columns(spec):
    if spec["kind"] == "linear":
        return {f for f in spec["features"] if spec["weights"][f] != 0}
    found, todo = set(), [spec["root"]]
    while todo:
        node = todo.pop()
        if "label" not in node:
            found.add(node["feature"])
            todo += [node["left"], node["right"]]
    return found
