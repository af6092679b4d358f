"""Write this attempt's hidden model, events and names into $KAIZEN_GEN.

- model.json: a model with its own version, slope and intercept, to swap in for the sample's
- cases.json: proxy events (valid, at the limits, base64, every kind of bad body, every route)
- events/*.json: a few event files for invoke_local.sh, plus broken.json (not JSON)
- names.json: a module name for a renamed handler, to see that invoke_local.sh reads template.json
"""
import base64
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(os.path.join(out, "events"), exist_ok=True)

model = {
    "version": rng.choice([str(rng.randint(4, 40)),
                           f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]),
    "slope": round(rng.uniform(0.8, 1.1), 3),
    "intercept": round(rng.uniform(-110.0, -80.0), 2),
}
with open(os.path.join(out, "model.json"), "w") as f:
    json.dump(model, f)


def post(body, b64=False, method="POST", path="/predict"):
    if b64 and body is not None:
        body = base64.b64encode(body.encode()).decode()
    return {"httpMethod": method, "path": path, "headers": {"Content-Type": "application/json"},
            "body": body, "isBase64Encoded": b64}


def height_body(h):
    return json.dumps({"height_cm": h})


cases = []
for h in rng.sample(range(120, 211), 3):
    cases.append(["a whole-number height", post(height_body(h))])
for _ in range(2):
    cases.append(["a height with decimals", post(height_body(round(rng.uniform(140, 200), 2)))])
cases.append(["the lowest allowed height", post(height_body(50))])
cases.append(["the highest allowed height", post(height_body(250.0))])
cases.append(["a base64-encoded body", post(height_body(rng.randint(150, 200)), b64=True)])
cases.append(["an extra field next to height_cm",
              post(json.dumps({"height_cm": rng.randint(150, 200), "unit": "cm"}))])
bad = [
    ["a height just under the limit", post(height_body(49.9))],
    ["a height over the limit", post(height_body(rng.choice([250.5, 251, 300, 9000])))],
    ["height_cm as a string", post(json.dumps({"height_cm": str(rng.randint(150, 200))}))],
    ["height_cm true", post(json.dumps({"height_cm": True}))],
    ["height_cm null", post(json.dumps({"height_cm": None}))],
    ["no height_cm field", post(json.dumps({"height": rng.randint(150, 200)}))],
    ["a body that is not JSON", post(f"height_cm={rng.randint(150, 200)}")],
    ["a JSON list body", post(json.dumps([rng.randint(150, 200)]))],
    ["a JSON string body", post(json.dumps(str(rng.randint(150, 200))))],
    ["a null body", post(None)],
    ["no body key at all", {"httpMethod": "POST", "path": "/predict", "headers": {}}],
    ["an empty body", post("")],
    ["a base64 flag on a body that is not base64", dict(post("not base64 at all!"), isBase64Encoded=True)],
    ["base64 of something that is not JSON", post("height_cm=180", b64=True)],
    ["a base64 body sent without the flag", post(base64.b64encode(height_body(170).encode()).decode())],
]
routes = [
    ["GET /health", {"httpMethod": "GET", "path": "/health", "headers": {}, "body": None}],
    ["POST /health", {"httpMethod": "POST", "path": "/health", "headers": {}, "body": "{}"}],
    ["GET /predict", {"httpMethod": "GET", "path": "/predict", "headers": {}, "body": None}],
    ["DELETE /predict", {"httpMethod": "DELETE", "path": "/predict", "headers": {}, "body": None}],
    ["POST /predictions", post(height_body(170), path="/predictions")],
    ["GET /", {"httpMethod": "GET", "path": "/", "headers": {}, "body": None}],
    ["an event with no method or path", {"body": height_body(170)}],
]
cases += bad + routes
rng.shuffle(cases)
with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)

# event files for invoke_local.sh
files = {
    "predict_a.json": post(height_body(rng.randint(150, 200))),
    "predict_b.json": post(height_body(rng.choice([30, 300, "tall"]))),
    "status.json": routes[0][1],
    "elsewhere.json": routes[4][1],
}
for name, event in files.items():
    with open(os.path.join(out, "events", name), "w") as f:
        json.dump(event, f)
with open(os.path.join(out, "events", "broken.json"), "w") as f:
    f.write('{"httpMethod": "POST", "path": "/predict", "body": \n')

word = rng.choice(["otter", "heron", "lynx", "ibis", "tapir", "gecko", "puffin"])
with open(os.path.join(out, "names.json"), "w") as f:
    json.dump({"module": f"predict_{word}{rng.randint(10, 99)}"}, f)
