"""Write this attempt's hidden desired and state files into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

Cases (cases.json lists them):
- mixed1, mixed2: creates, in-place updates, replacements and deletes, resources and attribute
  keys shuffled, nested tags in another key order (no change), and a value whose JSON type
  changed (1 -> true, "3" -> 3) that == alone would miss
- fresh:    no state file at all: everything is created
- same:     the state holds exactly the desired resources, shuffled: no changes
- updates:  in-place updates only, so apply needs no --allow-destroy
- teardown: the desired file keeps one bucket: everything else is deleted, endpoints first
- bad_*:    desired or state files that must be refused with exit status 1
"""
import copy
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

BUCKETS = ["models", "features", "logs", "raw-data", "reports", "scratch", "archive", "eval-sets"]
REGIONS = ["eu-west-1", "us-east-1", "us-west-2", "ap-southeast-2", "eu-central-1"]
MODELS = ["churn", "fraud", "ltv", "sentiment", "ranker", "eta"]
INSTANCE_TYPES = ["ml.m5.large", "ml.c5.xlarge", "ml.g4dn.xlarge", "ml.t2.medium"]
TEAMS = ["ml", "platform", "growth", "risk"]


def sha():
    return "".join(rng.choice("0123456789abcdef") for _ in range(64))


def bucket(bid):
    attrs = {"region": rng.choice(REGIONS), "versioning": rng.choice([True, False])}
    if rng.random() < 0.6:
        attrs["tags"] = {"team": rng.choice(TEAMS), "cost-center": str(rng.randint(1000, 9999))}
        if rng.random() < 0.5:
            attrs["tags"]["owner"] = rng.choice(["ana", "bo", "chen", "dara", "eli"])
    if rng.random() < 0.4:
        attrs["lifecycle_days"] = rng.choice([7, 30, 90, 365])
    return {"type": "bucket", "id": bid, "attributes": attrs}


def version_id(model):
    return f"{model}-{rng.randint(1, 3)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}"


def model_version(vid, store):
    model, ver = vid.split("-", 1)
    attrs = {"artifact": f"s3://{store}/{model}/{ver}/model.onnx", "sha256": sha()}
    if rng.random() < 0.5:
        attrs["metrics"] = {"auc": round(rng.uniform(0.7, 0.95), 3), "rows": rng.randint(10, 900) * 1000}
    return {"type": "model_version", "id": vid, "attributes": attrs}


def endpoint(model, vid):
    attrs = {"instances": rng.randint(1, 6), "model_version": vid,
             "instance_type": rng.choice(INSTANCE_TYPES)}
    if rng.random() < 0.4:
        attrs["autoscaling"] = {"max": rng.randint(6, 12), "min": 1}
    return {"type": "endpoint", "id": model, "attributes": attrs}


def world():
    """A consistent desired set: buckets, model versions, endpoints serving some of them."""
    bids = rng.sample(BUCKETS, rng.randint(3, 5))
    resources = [bucket(b) for b in bids]
    models = rng.sample(MODELS, rng.randint(2, 4))
    serving = {}
    for m in models:
        vids = sorted({version_id(m) for _ in range(rng.randint(1, 2))})
        resources += [model_version(v, bids[0]) for v in vids]
        serving[m] = rng.choice(vids)
    for m in models:
        if rng.random() < 0.8:
            resources.append(endpoint(m, serving[m]))
    return resources


def shuffled(resources):
    """A deep copy with the resources and every attribute object's keys in a random order."""
    def mix(value):
        if isinstance(value, dict):
            keys = list(value)
            rng.shuffle(keys)
            return {k: mix(value[k]) for k in keys}
        return value
    res = [mix(copy.deepcopy(r)) for r in resources]
    rng.shuffle(res)
    return res


def by_type(resources, rtype):
    return [r for r in resources if r["type"] == rtype]


def mixed_state(desired, updates_only=False):
    """A state that differs from desired in every way that matters."""
    state = copy.deepcopy(desired)
    buckets = by_type(state, "bucket")
    versions = by_type(state, "model_version")
    endpoints = by_type(state, "endpoint")
    # an in-place update of an endpoint: instances and maybe the version it serves
    if endpoints:
        e = rng.choice(endpoints)
        e["attributes"]["instances"] += rng.choice([-1, 1, 2]) if e["attributes"]["instances"] > 1 else 1
        if "autoscaling" in e["attributes"]:
            del e["attributes"]["autoscaling"]  # desired adds it: shown as null -> {...}
        elif rng.random() < 0.5:
            e["attributes"]["autoscaling"] = {"max": 4, "min": 1}  # desired drops it
    # an in-place bucket update, and a value whose JSON type differs but compares == in Python
    b1 = buckets[0]
    b1["attributes"]["versioning"] = not b1["attributes"]["versioning"]
    b2 = buckets[1]
    b2["attributes"]["versioning"] = 1 if b2["attributes"]["versioning"] else 0
    # a number stored as a string: "3" and 3 differ
    if len(endpoints) > 1:
        e2 = endpoints[-1]
        e2["attributes"]["instances"] = str(e2["attributes"]["instances"])
    if updates_only:
        return state, 0
    # a replaced bucket (region changed) and a replaced model version (artifact hash changed)
    b3 = buckets[2]
    b3["attributes"]["region"] = rng.choice([r for r in REGIONS if r != b3["attributes"]["region"]])
    if rng.random() < 0.5:
        b3["attributes"]["lifecycle_days"] = 3
    v = rng.choice(versions)
    v["attributes"]["sha256"] = sha()
    # a desired resource not yet created
    gone = rng.choice([r for r in buckets if r not in (b1, b2, b3)]
                      or [r for r in versions if r is not v])
    state.remove(gone)
    # resources to delete: an extra bucket, an old model version and maybe a retired endpoint
    spare = [b for b in BUCKETS if b not in {r["id"] for r in buckets}]
    state.append(bucket(rng.choice(spare)))
    model = versions[0]["id"].split("-", 1)[0]
    old = f"{model}-0.{rng.randint(1, 9)}.{rng.randint(0, 9)}"
    state.append(model_version(old, buckets[0]["id"]))
    if rng.random() < 0.7:
        used = {r["id"].split("-", 1)[0] for r in versions}
        retired = rng.choice([m for m in MODELS if m not in used])
        state.append(model_version(f"{retired}-1.0.0", buckets[0]["id"]))
        state.append(endpoint(retired, f"{retired}-1.0.0"))
    return state, rng.randint(1, 60)


def write(name, doc):
    path = os.path.join(out, name)
    with open(path, "w") as f:
        if isinstance(doc, str):
            f.write(doc)
        else:
            f.write(json.dumps(doc) + "\n")  # one line: nothing of it can leak into a message
    return path


cases = []


def add(name, desired, state, serial=None, kind="ok"):
    """state None means: no state file."""
    case = {"name": name, "kind": kind, "desired": write(f"{name}.desired.json", desired),
            "state": None}
    if state is not None:
        if isinstance(state, str):
            case["state"] = write(f"{name}.state.json", state)
        else:
            case["state"] = write(f"{name}.state.json", {"serial": serial, "resources": shuffled(state)}
                                  if isinstance(state, list) else state)
    cases.append(case)


for name in ("mixed1", "mixed2"):
    d = world()
    s, serial = mixed_state(d)
    add(name, {"resources": shuffled(d)}, s, serial)

d = world()
add("fresh", {"resources": shuffled(d)}, None)

d = world()
add("same", {"resources": shuffled(d)}, d, rng.randint(1, 40))

d = world()
s, _ = mixed_state(d, updates_only=True)
add("updates", {"resources": shuffled(d)}, s, rng.randint(1, 40))

d = world()
keep = by_type(d, "bucket")[0]
add("teardown", {"resources": [keep]}, d, rng.randint(1, 40))

# unusable files: each must exit 1 and leave the state alone
d = world()
good_state = {"serial": 3, "resources": shuffled(d)}
broken = {}
x = shuffled(d)
x.append({"type": "queue", "id": "jobs", "attributes": {}})
broken["bad_type"] = {"resources": x}
x = shuffled(d)
x.append(copy.deepcopy(by_type(d, "bucket")[0]))
broken["bad_duplicate"] = {"resources": x}
x = copy.deepcopy(d)
target = rng.choice(x)
target["attributes"].pop({"bucket": "region", "model_version": "sha256",
                          "endpoint": "instances"}[target["type"]])
broken["bad_required"] = {"resources": x}
x = copy.deepcopy(d)
rng.choice(x)["attributes"]["note"] = None
broken["bad_null"] = {"resources": x}
x = copy.deepcopy(d)
x.append(endpoint("shadow", "shadow-9.9.9"))
broken["bad_reference"] = {"resources": x}
broken["bad_json"] = json.dumps({"resources": d})[:-20] + "\n"
for name, doc in broken.items():
    add(name, doc, good_state, kind="bad_desired")
add("bad_serial", {"resources": d}, {"serial": rng.choice([-1, "7", 2.5]), "resources": d},
    kind="bad_state")

write("cases.json", cases)
