"""Write this attempt's hidden athletes, policies and models into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

train.csv            a training set, columns in a shuffled order, with planted unusable rows and
                     rows whose only bad cell is in a column the default model does not use
athletes.csv         athletes to pay, with planted rows that cannot be scored
holdout.csv          athletes with measured views: a zero, an unusable value, fighters at 3x
train_nocol.csv      no wiki_views column
train_zero.csv       likes all 0: the normal equations are singular
train_tiny.csv       fewer usable rows than coefficients
protected_strict.txt a policy with comments, odd spacing and case, that also protects posts
model_protected.json a model that uses a protected column
plan.json            the rate, which athletes the cap should catch, the budget, other features
"""
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datagen  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)
FEATURES = ["followers", "wiki_views", "likes"]


def shuffled_columns(drop=()):
    columns = [c for c in datagen.COLUMNS if c not in drop]
    rng.shuffle(columns)
    return columns


def path(name):
    return os.path.join(out, name)


# the training set
train = datagen.athletes(rng, 1, rng.randint(150, 260))
bad = set(datagen.spoil(rng, train, FEATURES + ["page_views"], rng.randint(3, 6)))
clean = [i for i, row in enumerate(train) if row["athlete_id"] not in bad]
for i in rng.sample(clean, 2):                       # bad only where the default model doesn't look
    train[i][rng.choice(["posts", "age"])] = rng.choice(datagen.BAD_CELLS)
datagen.write(path("train.csv"), train, shuffled_columns())

# athletes to pay (no measured views yet), and a holdout with measured views
first = 1000 + rng.randint(0, 50) * 10
athletes = datagen.athletes(rng, first, rng.randint(40, 90))
unscorable = set(datagen.spoil(rng, athletes, FEATURES, rng.randint(1, 3)))
fine = [i for i, row in enumerate(athletes) if row["athlete_id"] not in unscorable]
athletes[rng.choice(fine)]["posts"] = ""             # still scored by the default model
datagen.write(path("athletes.csv"), athletes, shuffled_columns(drop=("page_views",)))

holdout = datagen.athletes(rng, 3000, rng.randint(30, 60), mma_boost=math.log(3))
a, b, c = rng.sample(range(len(holdout)), 3)
holdout[a]["page_views"] = "0"                       # no views: MAPE would divide by zero
holdout[b]["page_views"] = rng.choice(["", "n/a", "-1"])
holdout[c][rng.choice(FEATURES)] = ""
datagen.write(path("holdout.csv"), holdout, shuffled_columns())

# training sets that must be refused
small = datagen.athletes(rng, 5000, 30)
datagen.write(path("train_nocol.csv"), small, shuffled_columns(drop=("wiki_views",)))
zero = [dict(row, likes="0") for row in small]
datagen.write(path("train_zero.csv"), zero, shuffled_columns())
tiny = datagen.athletes(rng, 6000, 5)
datagen.spoil(rng, tiny, FEATURES, 2)                # 3 usable rows for 4 coefficients
datagen.write(path("train_tiny.csv"), tiny, shuffled_columns())

with open(path("protected_strict.txt"), "w") as f:
    f.write("# Fanvoy payout policy, version 2 (after the fairness review)\n\n"
            "  Age  \nGENDER\n\n# engagement volume is under review: do not pay on it yet\n"
            "Posts\nnationality\n")
with open(path("model_protected.json"), "w") as f:
    json.dump({"target": "page_views", "features": ["followers", "age"],
               "intercept": round(rng.uniform(1, 3), 4),
               "coefficients": {"followers": round(rng.uniform(0.4, 0.6), 4),
                                "age": round(rng.uniform(0.05, 0.2), 4)},
               "rows": 200, "skipped": 0}, f, indent=2)

plan = {
    "rate": rng.choice([0.001, 0.0015, 0.002, 0.0025, 0.003]),
    "capped": rng.randint(2, 4),
    "budget_share": round(rng.uniform(0.55, 0.9), 3),
    "alt_features": rng.choice([["followers", "posts"], ["likes", "wiki_views"],
                                ["wiki_views", "followers", "likes", "posts"], ["followers"]]),
    "protected_ask": rng.choice(["Age", "GENDER", "Nationality", "age"]),
}
with open(path("plan.json"), "w") as f:
    json.dump(plan, f, indent=1)
