"""Write this attempt's hidden CSV pairs and a list of cases into $KAIZEN_GEN."""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from datagen import to_csv, user_rows  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)


def write(name, rows, columns=("user_id", "followers", "posts_per_week", "account_age_days")):
    with open(os.path.join(out, name), "w") as f:
        f.write(to_csv(rows, columns))
    return os.path.join(out, name)


cases = []
base = write("base.csv", user_rows(rng, rng.randint(600, 1200), blanks=rng.randint(1, 6)))
mild = write("mild.csv", user_rows(rng, rng.randint(400, 900), scale=rng.uniform(1.0, 1.5), start_id=5000))
cases.append({"name": "mild", "baseline": base, "current": mild, "column": "followers", "bins": 10})
shifted = write("shifted.csv", user_rows(rng, rng.randint(400, 900), scale=rng.uniform(1.8, 3.0),
                                         spread=0.8, posts_shift=rng.choice([1, 2, 3]),
                                         start_id=9000, blanks=rng.randint(2, 8)),
                columns=("account_age_days", "followers", "user_id", "posts_per_week"))
cases.append({"name": "shifted", "baseline": base, "current": shifted, "column": "followers", "bins": 10})
cases.append({"name": "ties", "baseline": base, "current": shifted, "column": "posts_per_week",
              "bins": rng.choice([8, 10, 12])})
cases.append({"name": "age", "baseline": base, "current": mild, "column": "account_age_days",
              "bins": rng.choice([6, 12, 20])})
clipped_rows = [r for r in user_rows(rng, 1500, start_id=20000) if r["followers"] >= rng.randint(150, 400)]
clipped = write("clipped.csv", clipped_rows)  # the lowest bins stay empty: epsilon matters
cases.append({"name": "clipped", "baseline": base, "current": clipped, "column": "followers", "bins": 10})
cases.append({"name": "identical", "baseline": base, "current": base, "column": "followers", "bins": 10})

no_column = write("no_column.csv", user_rows(rng, 50), columns=("user_id", "posts_per_week"))
bad_rows = user_rows(rng, 60)
bad_rows[rng.randrange(60)]["followers"] = rng.choice(["n/a", "12k", "?", "none"])
bad_cell = write("bad_cell.csv", bad_rows)
cases.append({"name": "no_column", "baseline": base, "current": no_column, "column": "followers",
              "bins": 10, "error": True})
cases.append({"name": "bad_cell", "baseline": base, "current": bad_cell, "column": "followers",
              "bins": 10, "error": True})

with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
