"""Write this attempt's hidden feature files and label events into $KAIZEN_GEN.

- batch1.csv: feature histories, with two rows in the file that share entity, feature and time
- batch2.csv: a later file: corrections (same time, new value), late arrivals (older times
  than what is already stored) and fresh values
- labels.csv: label events whose times sit exactly on a value's event_time, one second before
  one, before any value, or anywhere; an entity the store has never seen; columns reordered
- bad.csv: a file with one unusable row near its end
- big.csv, big_labels.csv: 40,000 values and 4,000 label events, for speed
- plan.json: what goes where, for the checker
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storegen import FEATURE_POOL, Reference, seconds, stamp, to_csv, value  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)
DAY = 86400
SPAN = 120 * DAY


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)
    return os.path.join(out, name)


features = sorted(rng.sample(sorted(FEATURE_POOL), rng.randint(3, 4)))
prefix = rng.choice(["a", "u", "ath-", "0"])
entities = [f"{prefix}{n:03d}" for n in sorted(rng.sample(range(1, 999), rng.randint(25, 40)))]

# batch 1: every entity has most features, each with a few values over four months
batch1 = []
for e in entities:
    for f in features:
        if rng.random() < 0.15:
            continue  # this entity never had this feature
        for _ in range(rng.randint(1, 6)):
            batch1.append({"entity_id": e, "feature": f, "value": value(rng, f),
                           "event_time": stamp(rng.randrange(DAY, SPAN))})
rng.shuffle(batch1)
for _ in range(3):  # the same entity, feature and time twice in one file: the later line wins
    twin = dict(rng.choice(batch1[: len(batch1) // 2]))
    twin["value"] = value(rng, twin["feature"])
    batch1.insert(rng.randrange(len(batch1) // 2, len(batch1)), twin)

ref = Reference()
ref.ingest(batch1)

# batch 2: corrections, late arrivals and fresh values
batch2 = []
keys = sorted(ref.history)
for _ in range(6):  # a correction: same time as a stored value, new value
    e, f = rng.choice(keys)
    t = rng.choice(ref.history[(e, f)])[0]
    batch2.append({"entity_id": e, "feature": f, "value": value(rng, f), "event_time": t})
late = []
for _ in range(6):  # a late arrival: older than every stored value, yet ingested last
    e, f = rng.choice(keys)
    t = stamp(rng.randrange(DAY // 2, DAY))
    batch2.append({"entity_id": e, "feature": f, "value": value(rng, f), "event_time": t})
    late.append([e, f])
for _ in range(8):  # fresh values
    e, f = rng.choice(keys)
    batch2.append({"entity_id": e, "feature": f, "value": value(rng, f),
                   "event_time": stamp(rng.randrange(SPAN, SPAN + 10 * DAY))})
rng.shuffle(batch2)
ref.ingest(batch2)
write("batch1.csv", to_csv(batch1, tuple(rng.sample(["entity_id", "feature", "value", "event_time"], 4))))
write("batch2.csv", to_csv(batch2))

# labels
unknown = f"{prefix}{999:03d}"
labels = []
for i in range(rng.randint(40, 60)):
    e, f = rng.choice(keys)
    times = [h[0] for h in ref.history[(e, f)]]
    mode = ["exact", "before", "anywhere", "early", "unknown"][i % 5]
    if mode == "exact":
        t = rng.choice(times)
    elif mode == "before":  # one second before a value: that value must not be used
        t = stamp(seconds(rng.choice(times)) - 1)
    elif mode == "anywhere":
        t = stamp(rng.randrange(0, SPAN + 12 * DAY))
    elif mode == "early":
        t = stamp(rng.randrange(0, DAY // 2))
    else:
        e, t = unknown, stamp(rng.randrange(DAY, SPAN))
    labels.append({"entity_id": e, "label_time": t, "churned": str(rng.randint(0, 1)),
                   "plan": rng.choice(["free", "pro", "team"])})
columns = ["churned", "entity_id", "plan", "label_time"]
rng.shuffle(columns)
asked = rng.sample(features, rng.randint(2, len(features)))
write("labels.csv", to_csv(labels, tuple(columns)))

# a file with one unusable row near its end
bad = [{"entity_id": rng.choice(entities), "feature": rng.choice(features), "value": 1.0,
        "event_time": stamp(rng.randrange(SPAN, SPAN + 5 * DAY))} for _ in range(25)]
good_csv = to_csv(bad).splitlines()
broken = rng.choice([
    f"{entities[0]},{features[0]},7,2024-05-01 12:00:00",
    f"{entities[0]},{features[0]},7,2024-02-30T10:00:00Z",
    f"{entities[0]},{features[0]},n/a,2024-05-01T12:00:00Z",
    f",{features[0]},7,2024-05-01T12:00:00Z",
    f"{entities[0]},{features[0]},,2024-05-01T12:00:00Z",
])
good_csv.insert(len(good_csv) - 3, broken)
write("bad.csv", "\n".join(good_csv) + "\n")

# a big store
big, big_labels = [], []
big_entities = [f"e{n:05d}" for n in range(1000)]
for e in big_entities:
    for f in features[:3]:
        for _ in range(13):
            big.append({"entity_id": e, "feature": f, "value": value(rng, f),
                        "event_time": stamp(rng.randrange(0, SPAN))})
for _ in range(4000):
    big_labels.append({"entity_id": rng.choice(big_entities), "label_time": stamp(rng.randrange(0, SPAN)),
                       "churned": str(rng.randint(0, 1))})
write("big.csv", to_csv(big))
write("big_labels.csv", to_csv(big_labels, ("entity_id", "label_time", "churned")))

# entities worth asking the online store about
corrected = sorted({r["entity_id"] for r in batch2})
plan = {
    "features": features,
    "asked": asked,
    "late": late,
    "online": sorted(set(rng.sample(entities, 5)) | set(corrected[:6]) | {e for e, _ in late}),
    "unknown": unknown,
}
write("plan.json", json.dumps(plan, indent=1) + "\n")
