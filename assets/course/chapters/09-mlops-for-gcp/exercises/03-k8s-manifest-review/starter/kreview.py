#!/usr/bin/env python3
"""kreview.py: review Kubernetes Deployments and Services against the team's policy.

Usage:
    python3 kreview.py MANIFEST.json [MANIFEST.json ...]

Each file holds one Kubernetes object as JSON, or a List of them ({"kind": "List", "items": [...]}).
Prints a JSON list of findings, {"kind", "name", "container", "rule", "message"}, sorted by kind,
name, container (object-level findings first) and rule. Exits 1 when there is at least one
finding, 0 when there is none, and 2 when a file cannot be used. README.md describes the rules.
"""
import json
import re
import sys


class ReviewError(Exception):
    """A file cannot be reviewed; main() prints the message and exits with status 2."""


# ---- reading and small helpers (done for you) --------------------------------------------

def load_objects(paths):
    """Every object in the files, in order; the items of a List count one by one."""
    objects = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except OSError as err:
            raise ReviewError(f"{path}: cannot read it ({err.strerror})")
        except ValueError as err:
            raise ReviewError(f"{path}: not valid JSON ({err})")
        if not isinstance(doc, dict):
            raise ReviewError(f"{path}: expected a Kubernetes object (a JSON object)")
        items = doc.get("items") if doc.get("kind") == "List" else [doc]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ReviewError(f"{path}: a List needs \"items\", a list of objects")
        objects.extend(items)
    return objects


def get(obj, *keys):
    """obj[k1][k2]..., or None as soon as a key is missing or a value is not an object."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def containers(deployment):
    """The containers of a Deployment's pod template (init containers are not reviewed)."""
    found = get(deployment, "spec", "template", "spec", "containers")
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


SUFFIXES = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50,
            "Ei": 2 ** 60, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15,
            "E": 1e18}
QUANTITY = re.compile(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
                      r"(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?)")


def quantity(value):
    """A Kubernetes quantity as a number: "250m" is 0.25, "512Mi" is 536870912, 2 is 2.

    Raises ValueError for anything else. Careful: for memory, "400m" means 0.4 bytes.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = QUANTITY.fullmatch(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"{value!r} is not a quantity")
    if m.group(2):
        return float(m.group(1) + m.group(2))
    return float(m.group(1)) * SUFFIXES[m.group(3) or ""]


def finding(obj, container, rule, message):
    return {"kind": obj.get("kind"), "name": get(obj, "metadata", "name"),
            "container": container, "rule": rule, "message": message}


# ---- the rules (yours to write) ----------------------------------------------------------

def check_deployment(dep):
    """K8S-API, K8S-REPLICAS and K8S-SELECTOR: findings about the Deployment as a whole."""
    found = []
    # TODO K8S-API: the apiVersion of a Deployment must be apps/v1.
    replicas = get(dep, "spec", "replicas")
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 2:
        found.append(finding(dep, None, "K8S-REPLICAS", f"replicas is {replicas!r}: run at least 2 "
                             "(when it is missing, Kubernetes runs 1)"))
    # TODO K8S-SELECTOR: spec.selector.matchLabels must be a non-empty object, and each of its
    # key: value pairs must be among the pod template's labels.
    return found


def check_container(dep, container):
    """K8S-TAG, K8S-RESOURCES, K8S-READINESS and K8S-LIVENESS for one container.

    TODO: one finding at most per rule; use container["name"] as the finding's container.
    """
    return []


def check_service(svc, deployments):
    """K8S-API, K8S-SERVICE and K8S-TARGETPORT for one Service.

    TODO: the Deployments it selects are those whose pod template labels hold every key: value
    pair of its spec.selector.
    """
    return []


def review(objects):
    deployments = [o for o in objects if o.get("kind") == "Deployment"]
    found = []
    for dep in deployments:
        found += check_deployment(dep)
        for container in containers(dep):
            found += check_container(dep, container)
    for svc in (o for o in objects if o.get("kind") == "Service"):
        found += check_service(svc, deployments)
    return sorted(found, key=lambda f: (str(f["kind"]), str(f["name"]), f["container"] or "",
                                        f["rule"]))


def main(argv):
    if not argv:
        print("usage: python3 kreview.py MANIFEST.json [MANIFEST.json ...]", file=sys.stderr)
        return 2
    try:
        found = review(load_objects(argv))
    except ReviewError as err:
        print(f"kreview.py: {err}", file=sys.stderr)
        return 2
    print(json.dumps(found, indent=2))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
