"""Write this attempt's hidden model and requests into $KAIZEN_GEN, chosen by $KAIZEN_SEED."""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

FEATURES = ["tenure_months", "tickets_90d", "plan_price", "logins_7d", "seats", "discount_pct",
            "late_payments", "nps", "api_calls_k", "region_risk"]
features = rng.sample(FEATURES, rng.randint(3, 6))
model = {
    "name": rng.choice(["churn", "upsell", "fraud", "renewal"]),
    "version": rng.randint(2, 40),
    "features": features,
    "weights": [round(rng.uniform(-1.5, 1.5), 4) for _ in features],
    "bias": round(rng.uniform(-2, 2), 4),
}
instances = []
for _ in range(rng.randint(3, 8)):
    inst = {f: round(rng.uniform(-3, 3), 3) if rng.random() < 0.7 else rng.randint(0, 5) for f in features}
    if rng.random() < 0.5:
        inst["customer_id"] = f"c-{rng.randint(1000, 9999)}"  # extra fields are ignored
    instances.append(inst)

missing = dict(instances[0])
del missing[rng.choice(features)]
text = dict(instances[0])
text[rng.choice(features)] = rng.choice(["high", "12", "n/a"])
bad = [
    {"why": "a body that is not JSON", "body": "{\"instances\": [", "raw": True},
    {"why": "an instance that lacks a feature", "body": {"instances": [instances[1], missing]}},
    {"why": "a feature value that is a string", "body": {"instances": [text]}},
    {"why": "no \"instances\" list", "body": {"rows": instances[:2]}},
]
with open(os.path.join(out, "model.json"), "w") as f:
    json.dump(model, f, indent=1)
with open(os.path.join(out, "requests.json"), "w") as f:
    json.dump({"instances": instances, "bad": bad, "slow": instances[:2]}, f, indent=1)
