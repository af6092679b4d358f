"""Write this attempt's hidden model files and scenario into $KAIZEN_GEN, chosen by $KAIZEN_SEED."""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

WORDS = ["churn", "fraud", "ltv", "weight", "eta", "spam", "ranker", "demand", "risk", "uplift"]


def model_bytes(kind):
    """A small model file: JSON weights, different for every call."""
    n = rng.randint(3, 9)
    body = {
        "kind": kind,
        "weights": [round(rng.uniform(-3, 3), 6) for _ in range(n)],
        "bias": round(rng.uniform(-1, 1), 6),
        "trained_on": f"data-{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}",
    }
    return (json.dumps(body, indent=rng.choice([None, 1, 2])) + "\n").encode()


names = rng.sample(WORDS, 5)
names = [f"{n}-{rng.randint(10, 99)}" for n in names]
files = {}
for key in ["first", "second", "third", "fourth", "fifth"]:
    files[key] = f"{key}-{rng.randint(100, 999)}.{rng.choice(['json', 'bin', 'onnx'])}"
    with open(os.path.join(out, files[key]), "wb") as f:
        f.write(model_bytes(rng.choice(["logistic", "linear", "tree"])))
# the same bytes as "first", under another directory and another file name
os.makedirs(os.path.join(out, "copies"), exist_ok=True)
with open(os.path.join(out, files["first"]), "rb") as src:
    same = src.read()
files["first_copy"] = os.path.join("copies", f"again-{rng.randint(100, 999)}.bin")
with open(os.path.join(out, files["first_copy"]), "wb") as f:
    f.write(same)

tags = {
    "data": f"{rng.choice(['players', 'orders', 'clicks'])}-2024-{rng.randint(1, 12):02d}",
    "commit": "".join(rng.choice("0123456789abcdef") for _ in range(7)),
    "note": f"auc={rng.randint(70, 95)}/100",  # a value that itself holds '='
}

scenario = {
    "names": names,
    "files": files,
    "tags": tags,
    "many": rng.randint(10, 13),      # versions planted for the numeric-order tests
    "stages": {"production": rng.randint(1, 3), "staging": rng.randint(4, 6)},
    "bad_names": ["../" + names[0], names[0] + "/x", "", "." + names[1]],
}
with open(os.path.join(out, "scenario.json"), "w") as f:
    json.dump(scenario, f, indent=1, sort_keys=True)
