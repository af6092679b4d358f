"""Write this attempt's hidden build inputs into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

release.json            the image name, version and SOURCE_DATE_EPOCH of a hidden release
model.json, model2.json two model files (the second one stands for a later commit)
VERSION2                the version of that later commit
Dockerfile.good_N       Dockerfiles whose final stage pins a python image
Dockerfile.bad_N        Dockerfiles whose final stage does not say which Python it runs
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


def version():
    v = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 40)}"
    if rng.random() < 0.4:
        v += "-" + rng.choice(["rc.1", "rc.2", "beta.3", "alpha", "rc-7"])
    return v


def model():
    features = rng.sample(["tenure", "tickets", "price", "logins", "seats", "region", "age"], 4)
    doc = {"name": rng.choice(["churn", "fraud", "upsell"]), "features": features,
           "weights": [round(rng.uniform(-1, 1), 5) for _ in features], "bias": round(rng.uniform(-1, 1), 4)}
    return json.dumps(doc, indent=rng.choice([None, 1, 2])) + rng.choice(["", "\n"])


names = ["churn-api", "fraud-scorer", "ml.ranker", "eta_model", "reco--v2", "demand__fc", "api7"]
release = {"name": rng.choice(names), "version": version(),
           "epoch": rng.randint(1_600_000_000, 1_900_000_000)}
release["epoch2"] = release["epoch"] + rng.randint(3_600, 900_000)
write("release.json", json.dumps(release))
write("model.json", model())
write("model2.json", model())
write("VERSION2", version() + "\n")

minor = rng.choice(["3.10", "3.11", "3.12", "3.13"])
patch = f"{minor}.{rng.randint(0, 12)}"
digest = "".join(rng.choice("0123456789abcdef") for _ in range(64))
good = [
    f"FROM python:{patch}-slim-bookworm\nWORKDIR /app\nCOPY . .\nUSER 10001\n",
    f"# build stage\nFROM python:3.{rng.randint(8, 9)} AS build\nRUN pip wheel -w /w numpy\n\n"
    f"from --platform=linux/amd64 docker.io/library/python:{minor}-slim AS runtime\n"
    "COPY --from=build /w /w\n",
    f"FROM golang:1.22 AS tools\nFROM python:{minor}-alpine3.20@sha256:{digest}\nCOPY --from=tools /go/bin/x /x\n",
    f"FROM python:{patch}\n# FROM python:2.7 was the old base\nCMD [\"python3\"]\n",
]
bad = [
    "FROM python:latest\nCMD [\"python3\"]\n",
    "FROM python\nCMD [\"python3\"]\n",
    f"FROM python:{minor}-slim AS build\nFROM gcr.io/distroless/python3-debian12\nCOPY --from=build /app /app\n",
    "ARG PY=3.12\nFROM python:${PY}-slim\n",
    f"FROM python:slim\nLABEL version={release['version']}\n",
]
for n, text in enumerate(good, start=1):
    write(f"Dockerfile.good_{n}", text)
for n, text in enumerate(bad, start=1):
    write(f"Dockerfile.bad_{n}", text)
