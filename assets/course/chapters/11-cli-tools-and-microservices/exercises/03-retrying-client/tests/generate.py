"""Write this attempt's hidden choices into $KAIZEN_GEN/plan.json, chosen by $KAIZEN_SEED.

The check script builds its fake service's scripts from them: the token, the feature vectors
and answers, which 5xx and 4xx codes fail, the Retry-After values and the URL path prefix.
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

version = f"churn-{rng.randint(2, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"


def vector():
    values, items = [], []
    for i in range(rng.randint(3, 6)):
        if rng.random() < 0.5:
            value = rng.randint(0, 120)
            text = str(value)
        else:
            value = round(rng.uniform(0, 400), 2)
            text = f"{value:.2f}"
        if i > 0 and rng.random() < 0.15:           # a negative value, never the first
            value, text = -value, "-" + text
        values.append(value)
        items.append(" " + text if rng.random() < 0.2 else text)
    return {"text": ",".join(items), "values": values,
            "answer": {"prediction": round(rng.random(), 6), "model_version": version}}


CASES = ["healthy", "prefix", "slash", "retry2", "retry3", "gave_up", "final_400", "final_4xx",
         "late_4xx", "refused", "closed", "retry_after", "hold", "not_json", "json_list", "usage"]
plan = {
    "token": "".join(rng.choice("0123456789abcdef") for _ in range(32)),
    "cases": {name: vector() for name in CASES},
    "codes_5xx": [rng.choice([500, 502, 503, 504]) for _ in range(12)],
    "code_4xx": rng.choice([401, 403, 404, 422]),
    "error_400": rng.choice(["features must be numbers", "expected 4 features",
                             "body is not valid JSON", "feature 2 is not finite"]) +
    f" (request {rng.randint(100, 999)})",
    "closed_count": rng.randint(1, 3),
    "retry_after": {
        "seconds": str(rng.randint(1, 9)),
        "too_long": rng.choice(["30", "120", "600", "3600"]),
        "not_seconds": rng.choice(["1.5", "-1", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"]),
    },
    "retry_after_order": rng.sample(["seconds", "too_long", "not_seconds"], 3),
    "prefix": rng.choice(["/v1", "/api/churn", "/models/churn-v2", "/fn"]),
    "bad_features": rng.sample(["1,two,3", "3,,4", "nan,1,2", "1,2,inf", "4;5;6", "", "2,3,"], 2),
}
with open(os.path.join(out, "plan.json"), "w") as f:
    json.dump(plan, f, indent=1)
