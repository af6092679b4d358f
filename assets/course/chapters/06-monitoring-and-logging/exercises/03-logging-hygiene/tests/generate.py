"""Write this attempt's hidden model and athletes into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

model.json     3 or 4 features with weights and defaults, its own name and version
athletes.csv   15 to 30 rows, columns in a shuffled order, with planted problems:
               empty and blank cells (WARNING), values that are not numbers (ERROR), one of
               them holding a double quote, which breaks JSON built by string formatting
"""
import csv
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

POOL = {  # name: (low, high, is_integer, weight range)
    "posts_7d": (0, 14, True, (-0.5, -0.1)),
    "followers_k": (0.5, 250.0, False, (-0.03, -0.005)),
    "days_since_login": (0, 60, True, (0.03, 0.12)),
    "comments_7d": (0, 40, True, (-0.15, -0.02)),
    "sessions_30d": (0, 90, True, (-0.06, -0.01)),
    "video_minutes": (0.0, 300.0, False, (-0.01, -0.002)),
}
names = sorted(rng.sample(sorted(POOL), rng.randint(3, 4)))


def value(name):
    low, high, is_int, _ = POOL[name]
    return str(rng.randint(low, high)) if is_int else f"{rng.uniform(low, high):.1f}"


model = {
    "name": rng.choice(["churn", "churn-lite", "retention"]),
    "version": f"{rng.randint(1, 3)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}",
    "bias": round(rng.uniform(-1.0, 1.0), 3),
    "weights": {n: round(rng.uniform(*POOL[n][3]), 4) for n in names},
    "defaults": {n: (rng.randint(1, 10) if POOL[n][2] else round(rng.uniform(1, 20), 1))
                 for n in names},
}

n_rows = rng.randint(15, 30)
first = rng.randint(100, 900)
rows = [{"athlete": f"a{first + i}", **{n: value(n) for n in names}} for i in range(n_rows)]
for i, row in enumerate(rows):
    if rng.random() < 0.3:
        row["team"] = rng.choice(["north", "south", "east", "west"])

slots = rng.sample(range(n_rows), 6)
for i in slots[:3]:                                   # missing values: a WARNING each
    rows[i][rng.choice(names)] = rng.choice(["", " "])
rows[slots[3]][rng.choice(names)] = '"' + value(names[0]) + '"'   # quoted: not a number
rows[slots[4]][rng.choice(names)] = rng.choice(["n/a", "twelve", "?", "1,5", "-"])
both = rows[slots[5]]                                 # a WARNING, then an ERROR, same row
both[names[0]] = ""
both[names[-1]] = rng.choice(["none", "x9"])

columns = ["athlete"] + names
rng.shuffle(columns)
columns.append("team")
with open(os.path.join(out, "athletes.csv"), "w", newline="", encoding="utf-8") as f:
    writer = csv.DictWriter(f, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)
with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
    json.dump(model, f, indent=2)
