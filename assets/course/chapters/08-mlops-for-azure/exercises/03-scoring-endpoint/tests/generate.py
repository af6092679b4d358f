"""Write this attempt's hidden scenario into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

model.json     2 to 4 features with coefficients, an intercept, its own name and version
scenario.json  the key, wrong credentials to try, batches of valid rows and bad bodies: 20 or
               40 requests to /score in all, with a different share of failures per attempt
"""
import json
import os
import random
import string

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

ALPHABET = string.ascii_letters + string.digits + "-_"
POOL = {"height_cm": (150, 200, 0.8, 1.1), "age": (18, 80, 0.05, 0.3), "waist_cm": (60, 120, 0.3, 0.6),
        "steps_k": (1, 20, -0.6, -0.1), "sleep_h": (4, 10, -1.2, 0.4)}


def token(n):
    return "".join(rng.choice(ALPHABET) for _ in range(n))


features = rng.sample(sorted(POOL), rng.randint(2, 4))
model = {"name": rng.choice(["weight-model", "weight-est", "bodymass"]), "version": rng.randint(2, 30),
         "intercept": round(rng.uniform(-110, -60), 2),
         "coefficients": {f: round(rng.uniform(POOL[f][2], POOL[f][3]), 4) for f in features}}


def row():
    r = {}
    for f in features:
        low, high = POOL[f][:2]
        r[f] = rng.randint(low, high) if rng.random() < 0.5 else round(rng.uniform(low, high), 1)
    if rng.random() < 0.3:
        r["athlete"] = f"a{rng.randint(100, 999)}"   # extra keys are ignored
    return r


key = token(rng.randint(32, 44))
changed = list(key)
i = rng.randrange(len(key))
changed[i] = rng.choice([c for c in ALPHABET if c != key[i]])
wrong = [
    {"why": "another key of the same length", "header": "Bearer " + token(len(key))},
    {"why": "the key with one character changed", "header": "Bearer " + "".join(changed)},
    {"why": "the key without its last character", "header": "Bearer " + key[:-1]},
    {"why": "the key with a character added", "header": "Bearer " + key + rng.choice(ALPHABET)},
    {"why": "the key without the Bearer scheme", "header": key},
    {"why": "Basic credentials", "header": "Basic " + token(24) + "=="},
    {"why": "Bearer with no token", "header": "Bearer"},
]
rng.shuffle(wrong)
first = rng.choice(features)
text = dict(row())
text[first] = rng.choice(["tall", "72kg", "n/a"])
missing = row()
del missing[first]
bad = [
    {"why": "a body that is not JSON", "raw": '{"data": [', "json": None},
    {"why": "a body without a \"data\" list", "raw": None, "json": {"rows": [row()]}},
    {"why": "a row with a feature that is text", "raw": None, "json": {"data": [row(), text]}},
    {"why": "a row that lacks a feature", "raw": None, "json": {"data": [missing]}},
    {"why": "a feature that is true", "raw": None, "json": {"data": [dict(row(), **{first: True})]}},
]
bad = rng.sample(bad, rng.randint(3, 5))
# The checker sends the batches, one request without a key, the wrong credentials and the bad
# bodies to /score. Make that 20 or 40 requests: 0.95 * n is then a whole number, where the
# nearest rank (19 of 20) and the common slip int(0.95 * n) as an index (the maximum) differ.
n_score = rng.choice([20, 40])
scenario = {
    "key": key,
    "wrong": wrong,
    "non_ascii": "Bearer " + key[:-2] + rng.choice(["é", "ü", "ñ"]),
    "batches": [[row() for _ in range(rng.randint(1, 5))] for _ in range(n_score - 1 - len(wrong) - len(bad))],
    "bad": bad,
}
with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
    json.dump(model, f, indent=1)
with open(os.path.join(out, "scenario.json"), "w", encoding="utf-8") as f:
    json.dump(scenario, f, indent=1, ensure_ascii=False)
