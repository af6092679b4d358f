"""Write this attempt's hidden fixtures into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

- model_a.json, model_b.json: two churn models with features and weights of their own (b is a
  retrained a: same features, new weights), to swap in for src/predictor/model.json
- rows.json: rows to score with model_a
- version.txt, override.txt, bad_version.txt: a release for the VERSION file, another one for
  `make package VERSION=...`, and one that is not MAJOR.MINOR.PATCH
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

POOL = {  # feature -> (low, high, weight scale)
    "posts_per_week": (0, 25, 0.3),
    "days_since_login": (0, 60, 0.06),
    "followers_k": (0, 400, 0.005),
    "comments_per_post": (0, 12, 0.25),
    "sessions_7d": (0, 40, 0.12),
    "minutes_per_session": (1, 90, 0.03),
    "teams_followed": (0, 15, 0.2),
}
features = sorted(rng.sample(sorted(POOL), rng.randint(2, 5)))


def model(name):
    weights = {f: round(rng.uniform(-1, 1) * POOL[f][2], 4) for f in features}
    return {"name": name, "bias": round(rng.uniform(-1.5, 1.5), 3), "weights": weights}


def write(name, value):
    with open(os.path.join(out, name), "w") as f:
        f.write(json.dumps(value, indent=2) + "\n")


write("model_a.json", model(rng.choice(["churn", "churn-weekly", "retention"])))
write("model_b.json", model("churn-retrained"))
rows = []
for _ in range(rng.randint(8, 15)):
    rows.append({f: round(rng.uniform(POOL[f][0], POOL[f][1]), rng.choice([0, 1, 2])) for f in features})
write("rows.json", rows)


def version():
    return f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"


a = version()
b = version()
while b == a:
    b = version()
with open(os.path.join(out, "version.txt"), "w") as f:
    f.write(a + "\n")
with open(os.path.join(out, "override.txt"), "w") as f:
    f.write(b + "\n")
with open(os.path.join(out, "bad_version.txt"), "w") as f:
    f.write(rng.choice(["3.1", "v2.0.1", "1.2.x", "2024.05", "1..3", "1.2.3.4"]) + "\n")
