"""Write this attempt's hidden audits into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

main.json          one weakest section, with equally cheap steps whose ids sort as text
tie.json           two or three sections tied for weakest
blocked.json       the weakest section is fully automated: nothing left to improve there
blocked_tie.json   a tie in which one of the weakest sections is fully automated
band_N.json        small audits whose scores sit on and around the band boundaries
bad_N.json         malformed audits (cases.json says what is wrong with each)
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

SECTIONS = ["data", "model", "infrastructure", "monitoring"]
DAYS = [0.5, 1, 1.5, 2, 3, 5, 8]
TAGS = {"data": ["D", "data-", "dat"], "model": ["M", "model-", "mdl"],
        "infrastructure": ["I", "infra-", "inf"], "monitoring": ["O", "mon-", "obs"]}


def write(name, doc):
    with open(os.path.join(out, name), "w") as f:
        if isinstance(doc, str):
            f.write(doc)
        else:
            json.dump(doc, f, indent=1)


def statuses_for(points, n):
    """n statuses worth exactly `points` (a multiple of 0.5, at most n)."""
    halves = int(points * 2)
    st = ["none"] * n
    order = list(range(n))
    rng.shuffle(order)
    for k in order:
        if halves >= 2 and rng.random() < 0.6:
            st[k] = "automated"
            halves -= 2
        elif halves >= 1:
            st[k] = "manual"
            halves -= 1
    for k in order:                       # whatever is left, upgrade in place
        while halves > 0 and st[k] != "automated":
            st[k] = "manual" if st[k] == "none" else "automated"
            halves -= 1
    assert halves == 0
    return st


def section_tests(section, points, n, tag, cheap_tie=False):
    tests = []
    for k, status in enumerate(statuses_for(points, n), start=1):
        t = {"id": f"{tag}{k}", "section": section, "title": f"{section} check {k}", "status": status}
        if status != "automated":
            t["next_step_days"] = rng.choice(DAYS)
        tests.append(t)
    if cheap_tie:
        # the two cheapest steps cost the same, and their ids sort as text ("x10" before "x9")
        open_ = [t for t in tests if t["status"] != "automated"]
        cheapest = min(t["next_step_days"] for t in open_)
        a, b = rng.sample(open_, 2) if len(open_) >= 2 else (open_[0], open_[0])
        a["next_step_days"] = b["next_step_days"] = max(0.5, cheapest - 0.5)
        if a is not b:
            a["id"], b["id"] = f"{tag}9", f"{tag}10"
            for t in tests:
                if t is not a and t is not b and t["id"] in (f"{tag}9", f"{tag}10"):
                    t["id"] = f"{tag}{100 + tests.index(t)}"
    return tests


def audit(points, sizes, cheap_tie_in=None):
    tests = []
    for s in SECTIONS:
        tests += section_tests(s, points[s], sizes[s], rng.choice(TAGS[s]), cheap_tie=(s == cheap_tie_in))
    rng.shuffle(tests)
    return {"system": rng.choice(["fanvoy-influence-model", "handle-matcher", "payout-forecaster"]) +
            f"-{rng.randint(2, 9)}", "tests": tests}


def sizes():
    return {s: rng.randint(5, 10) for s in SECTIONS}


def points_with_min(low, weakest, size):
    pts = {}
    for s in SECTIONS:
        if s in weakest:
            pts[s] = low
        else:
            pts[s] = min(size[s], low + 0.5 * rng.randint(1, 6))
            if pts[s] <= low:
                pts[s] = low + 0.5
    return pts


# main.json: one weakest section, with at least two open steps
size = sizes()
weak = rng.choice(SECTIONS)
low = 0.5 * rng.randint(1, size[weak])            # leaves at least one step open
low = min(low, size[weak] - 1.0)
for s in SECTIONS:
    size[s] = max(size[s], int(low) + 4)
write("main.json", audit(points_with_min(low, [weak], size), size, cheap_tie_in=weak))

# tie.json: two or three weakest sections
size = sizes()
weak = rng.sample(SECTIONS, rng.choice([2, 3]))
low = 0.5 * rng.randint(1, 6)
for s in SECTIONS:
    size[s] = max(size[s], int(low) + 3)
write("tie.json", audit(points_with_min(low, weak, size), size))

# blocked.json: the weakest section is all automated
size = sizes()
weak = rng.choice(SECTIONS)
size[weak] = rng.randint(1, 3)
for s in SECTIONS:
    if s != weak:
        size[s] = max(size[s], size[weak] + 3)
write("blocked.json", audit(points_with_min(float(size[weak]), [weak], size), size))

# blocked_tie.json: two weakest sections, one of them all automated
size = sizes()
full, other = rng.sample(SECTIONS, 2)
size[full] = rng.randint(1, 3)
size[other] = size[full] + rng.randint(2, 4)
for s in SECTIONS:
    if s not in (full, other):
        size[s] = max(size[s], size[full] + 3)
write("blocked_tie.json", audit(points_with_min(float(size[full]), [full, other], size), size))

# band_N.json: scores on and around every boundary
targets = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 5.5]
for k, t in enumerate(targets):
    size = {s: max(8, int(t) + 3) for s in SECTIONS}
    write(f"band_{k}.json", audit(points_with_min(t, [rng.choice(SECTIONS)], size), size))

# bad_N.json: malformed audits
good = audit(points_with_min(1.0, ["data"], {s: 5 for s in SECTIONS}), {s: 5 for s in SECTIONS})
good["tests"][0].update(status="manual", next_step_days=2)     # at least one of each status
good["tests"][1].update(status="none", next_step_days=3)


def variant(change):
    doc = json.loads(json.dumps(good))
    change(doc)
    return doc


def first(doc, status=None):
    return next(t for t in doc["tests"] if status is None or t["status"] == status)


bad = [
    ("is not valid JSON", json.dumps(good)[:-rng.randint(2, 30)]),
    ('has "tests" that is not a list', variant(lambda d: d.update(tests={"a": 1}))),
    ("names an unknown section", variant(lambda d: first(d).update(section=rng.choice(["ops", "Data", "infra"])))),
    ("has an unknown status", variant(lambda d: first(d).update(status=rng.choice(["done", "partial", "yes"])))),
    ("uses a test id twice", variant(lambda d: d["tests"][1].update(id=d["tests"][0]["id"]))),
    ("has a manual test without next_step_days", variant(lambda d: first(d, "manual").pop("next_step_days"))),
    ("has negative next_step_days", variant(lambda d: first(d, "none").update(next_step_days=-1))),
    ("has next_step_days given as true", variant(lambda d: first(d, "none").update(next_step_days=True))),
    ("has a section without tests", variant(lambda d: d.update(tests=[t for t in d["tests"] if t["section"] != "monitoring"]))),
    ('has no "system"', variant(lambda d: d.pop("system"))),
    ("is a list, not an object", json.dumps(good["tests"])),
]
cases = []
for k, (what, doc) in enumerate(bad):
    write(f"bad_{k}.json", doc)
    cases.append({"file": f"bad_{k}.json", "what": what})
write("cases.json", {"bands": len(targets), "bad": cases})
