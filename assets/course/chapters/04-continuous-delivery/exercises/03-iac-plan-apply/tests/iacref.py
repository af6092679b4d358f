"""Reference plan/apply logic for the checker (kept apart from the learner's iac.py)."""
import json

RANK = {"bucket": 0, "model_version": 1, "endpoint": 2}
REQUIRED = {"bucket": ("region",), "model_version": ("artifact", "sha256"),
            "endpoint": ("instances", "model_version")}
SYMBOL = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}


def canon(value):
    return json.dumps(value, sort_keys=True)


def forces(rtype, key):
    return rtype == "model_version" or (rtype == "bucket" and key == "region")


def addr(r):
    return r["type"] + "." + r["id"]


def plan(desired, state):
    """[(verb, address, type, id, [(key, old, new, forces)])] in execution order."""
    want = {addr(r): r for r in desired["resources"]}
    have = {addr(r): r for r in state["resources"]}
    front, back = [], []
    for a, r in want.items():
        if a not in have:
            front.append(("create", a, r["type"], r["id"], []))
            continue
        old, new = have[a]["attributes"], r["attributes"]
        keys = sorted(k for k in set(old) | set(new) if canon(old.get(k)) != canon(new.get(k)))
        if keys:
            changes = [(k, old.get(k), new.get(k), forces(r["type"], k)) for k in keys]
            verb = "replace" if any(c[3] for c in changes) else "update"
            front.append((verb, a, r["type"], r["id"], changes))
    for a, r in have.items():
        if a not in want:
            back.append(("delete", a, r["type"], r["id"], []))
    front.sort(key=lambda x: (RANK[x[2]], x[3]))
    back.sort(key=lambda x: (-RANK[x[2]], x[3]))
    return front + back


def tally(actions):
    verbs = [a[0] for a in actions]
    return (verbs.count("create") + verbs.count("replace"), verbs.count("update"),
            verbs.count("delete") + verbs.count("replace"))


def render(actions):
    if not actions:
        return ["No changes."]
    out = []
    for verb, a, _, _, changes in actions:
        out.append(SYMBOL[verb] + " " + a)
        for k, old, new, f in changes:
            out.append(f"    {k}: {canon(old)} -> {canon(new)}" + (" (forces replacement)" if f else ""))
    out.append("Plan: %d to add, %d to change, %d to destroy." % tally(actions))
    return out


def destroyed(actions):
    return [a[1] for a in actions if a[0] in ("delete", "replace")]


def new_state(desired, state):
    res = sorted(desired["resources"], key=lambda r: (RANK[r["type"]], r["id"]))
    return {"serial": state["serial"] + 1,
            "resources": [{"type": r["type"], "id": r["id"], "attributes": r["attributes"]}
                          for r in res]}
