"""Write this attempt's hidden answer files into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

valid_N.json   answer files that follow the schema; the cases that matter are planted:
               every practice in place, a DevOps gap under layers that are all "yes", a
               "partial" gap, an unanswered practice, and random teams
bad_NAME.json  files that break the schema in one way each; assess.py must exit with status 2
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

LAYERS = [
    ["ci_on_every_push", "automated_deploy"],
    ["scheduled_data_pipeline", "data_validation"],
    ["managed_training", "model_registry"],
    ["automatic_retraining", "drift_monitoring"],
]
PRACTICES = [p for layer in LAYERS for p in layer]
TEAMS = ["churn", "pricing", "search", "ads-ranking", "fraud", "forecasting", "support-triage",
         "recsys", "vision-qa", "credit-risk", "logistics-eta", "speech"]


def team():
    return f"{rng.choice(TEAMS)}-{rng.randint(2, 99)}"


def shuffled(answers):
    """The same answers in a random key order: nothing may depend on the order of the file."""
    keys = list(answers)
    rng.shuffle(keys)
    return {k: answers[k] for k in keys}


def write(name, doc):
    if rng.random() < 0.5 and isinstance(doc, dict) and "answers" in doc:
        doc = dict(doc, assessed_on=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    with open(os.path.join(out, name), "w") as f:
        json.dump(doc, f)  # one line: nothing in it can match feedback text


def other():
    return rng.choice(["yes", "yes", "partial", "no"])


cases = []
# 1. every practice in place
cases.append({p: "yes" for p in PRACTICES})
# 2. a DevOps gap under three complete layers: the level is "none"
a = {p: "yes" for p in PRACTICES}
a[rng.choice(LAYERS[0])] = rng.choice(["no", "partial"])
cases.append(a)
# 3. a "partial" gap in a middle layer, random answers above it
gap = rng.choice([1, 2])
a = {p: "yes" for layer in LAYERS[:gap] for p in layer}
a.update({p: other() for layer in LAYERS[gap + 1:] for p in layer})
a[LAYERS[gap][0]] = "yes"
a[LAYERS[gap][1]] = "partial"
cases.append(a)
# 4. an unanswered practice: left out of the file altogether
gap = rng.choice([1, 2, 3])
a = {p: "yes" for layer in LAYERS[:gap] for p in layer}
a.update({p: other() for layer in LAYERS[gap + 1:] for p in layer})
a[LAYERS[gap][1]] = rng.choice(["yes", "no"])
cases.append(a)  # LAYERS[gap][0] is missing
# 5-7. random teams, some practices unanswered
for _ in range(3):
    a = {}
    for p in PRACTICES:
        r = rng.random()
        if r < 0.1:
            continue
        a[p] = "yes" if r < 0.75 else rng.choice(["partial", "no"])
    cases.append(a)
# 8. an empty answers object
cases.append({})
for n, answers in enumerate(cases, start=1):
    write(f"valid_{n}.json", {"team": team(), "answers": shuffled(answers)})

good = {p: other() for p in PRACTICES}
p = rng.choice(PRACTICES)
typo = p.replace("_", "-", 1) if rng.random() < 0.5 else p[:-2] + p[-1]
bad = {
    "typo": {"team": team(), "answers": shuffled(dict({k: v for k, v in good.items() if k != p}, **{typo: "yes"}))},
    "case": {"team": team(), "answers": dict(good, **{rng.choice(PRACTICES): rng.choice(["Yes", "NO", "y"])})},
    "bool": {"team": team(), "answers": dict(good, **{rng.choice(PRACTICES): rng.choice([True, False, 1])})},
    "noteam": {"answers": good},
    "emptyteam": {"team": "", "answers": good},
    "list": {"team": team(), "answers": [[k, v] for k, v in good.items()]},
    "extrakey": {"team": team(), "answers": good, rng.choice(["score", "owner", "level"]): "x"},
    "noanswers": {"team": team()},
}
for name, doc in bad.items():
    with open(os.path.join(out, f"bad_{name}.json"), "w") as f:
        json.dump(doc, f)
with open(os.path.join(out, "bad_syntax.json"), "w") as f:
    f.write(json.dumps({"team": team(), "answers": good})[:-1] + ",}")  # a trailing comma
with open(os.path.join(out, "bad_array.json"), "w") as f:
    json.dump([{"team": team(), "answers": good}], f)
