"""Write this attempt's hidden model and requests into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

model.json    a model with 3 to 6 features and its own version
other.json    a different model, swapped in while the server runs (it must not notice)
broken.json   a model file the server must refuse to start with
vectors.json  valid feature vectors, including two extreme ones that overflow math.exp()
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

POOL = [("tenure_months", 0, 120), ("monthly_spend", 5, 400), ("support_tickets", 0, 12),
        ("logins_30d", 0, 60), ("seats", 1, 50), ("days_since_login", 0, 90),
        ("discount_pct", 0, 40), ("late_payments", 0, 6)]


def make_model():
    chosen = sorted(rng.sample(range(len(POOL)), rng.randint(3, 6)))
    names = [POOL[i][0] for i in chosen]
    weights = [round(rng.uniform(-1.0, 1.0) * 4 / (POOL[i][2] + 1), 5) or 0.01 for i in chosen]
    version = f"churn-{rng.randint(2, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    return {"model_version": version, "features": names, "weights": weights,
            "bias": round(rng.uniform(-1.5, 1.5), 4)}, chosen


model, chosen = make_model()
other, _ = make_model()
while other["model_version"] == model["model_version"]:
    other, _ = make_model()
other["features"] = list(model["features"])
other["weights"] = [round(w * rng.uniform(1.5, 3.0) + 0.05, 5) for w in model["weights"]]

vectors = []
for _ in range(10):
    row = []
    for i in chosen:
        _, lo, hi = POOL[i]
        row.append(rng.randint(lo, hi) if rng.random() < 0.5 else round(rng.uniform(lo, hi), 2))
    vectors.append(row)
big = max(range(len(model["weights"])), key=lambda k: abs(model["weights"][k]))
for sign in (1, -1):                     # z far below -709 and far above +709
    row = [0] * len(chosen)
    row[big] = sign * (1 if model["weights"][big] > 0 else -1) * 10 ** rng.randint(5, 7)
    vectors.append(row)
rng.shuffle(vectors)

broken = dict(model)
kind = rng.choice(["weights", "truncated"])
with open(os.path.join(out, "broken.json"), "w") as f:
    if kind == "weights":
        broken["weights"] = model["weights"][:-1]
        json.dump(broken, f)
    else:
        f.write(json.dumps(model)[: rng.randint(20, 60)])
for name, doc in (("model.json", model), ("other.json", other), ("vectors.json", vectors)):
    with open(os.path.join(out, name), "w") as f:
        json.dump(doc, f, indent=1)
