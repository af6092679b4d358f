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


# ---- the rules ---------------------------------------------------------------------------

def check_deployment(dep):
    """K8S-API, K8S-REPLICAS and K8S-SELECTOR: findings about the Deployment as a whole."""
    found = []
    if dep.get("apiVersion") != "apps/v1":
        found.append(finding(dep, None, "K8S-API", f"apiVersion is {dep.get('apiVersion')!r}: "
                             "Deployments are served as apps/v1"))
    replicas = get(dep, "spec", "replicas")
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 2:
        found.append(finding(dep, None, "K8S-REPLICAS", f"replicas is {replicas!r}: run at least 2 "
                             "(when it is missing, Kubernetes runs 1)"))
    selector = get(dep, "spec", "selector", "matchLabels")
    labels = pod_labels(dep)
    if not isinstance(selector, dict) or not selector:
        found.append(finding(dep, None, "K8S-SELECTOR",
                             "spec.selector.matchLabels is missing or empty"))
    else:
        wrong = sorted(k for k, v in selector.items() if labels.get(k) != v)
        if wrong:
            found.append(finding(dep, None, "K8S-SELECTOR", "the pod template's labels do not "
                                 f"match the selector for {', '.join(wrong)}"))
    return found


def pod_labels(dep):
    labels = get(dep, "spec", "template", "metadata", "labels")
    return labels if isinstance(labels, dict) else {}


def declared_ports(container):
    """(numbers, names) of the ports a container declares."""
    ports = container.get("ports")
    ports = [p for p in ports if isinstance(p, dict)] if isinstance(ports, list) else []
    numbers = {p.get("containerPort") for p in ports if type(p.get("containerPort")) is int}
    names = {p.get("name") for p in ports if isinstance(p.get("name"), str)}
    return numbers, names


def targets(port, numbers, names):
    """True when a probe's or a Service's port is one of the declared numbers or names."""
    if type(port) is int:
        return port in numbers
    return isinstance(port, str) and port in names


def tag_problem(image):
    if not isinstance(image, str) or not image:
        return "no image"
    if "@" in image:
        return ""  # pinned by digest
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"{image} has no tag, so Kubernetes pulls latest"
    if last.split(":", 1)[1] == "latest":
        return f"{image} uses latest, which moves: pin a version or a digest"
    return ""


def resources_problem(container):
    requests = get(container, "resources", "requests")
    limits = get(container, "resources", "limits")
    requests = requests if isinstance(requests, dict) else {}
    limits = limits if isinstance(limits, dict) else {}
    missing = [f"requests.{k}" for k in ("cpu", "memory") if requests.get(k) is None]
    missing += ["limits.memory"] if limits.get("memory") is None else []
    if missing:
        return f"set resources.{', resources.'.join(missing)}"
    for key in ("cpu", "memory"):
        try:
            wanted = quantity(requests[key])
            limit = quantity(limits[key]) if limits.get(key) is not None else None
        except ValueError as err:
            return f"{key}: {err}"
        if limit is not None and wanted > limit:
            return f"the {key} request {requests[key]} is more than its limit {limits[key]}"
    return ""


def probe_problem(container, key):
    probe = container.get(key)
    if not isinstance(probe, dict):
        return f"no {key}"
    http = probe.get("httpGet")
    if not isinstance(http, dict):
        return f"{key} is not an httpGet probe"
    if http.get("path") != "/healthz":
        return f"{key} checks {http.get('path')!r}, not /healthz"
    if not targets(http.get("port"), *declared_ports(container)):
        return f"{key} uses port {http.get('port')!r}, which the container does not declare"
    return ""


def check_container(dep, container):
    """K8S-TAG, K8S-RESOURCES, K8S-READINESS and K8S-LIVENESS for one container."""
    name = container.get("name")
    found = []
    for rule, problem in [("K8S-TAG", tag_problem(container.get("image"))),
                          ("K8S-RESOURCES", resources_problem(container)),
                          ("K8S-READINESS", probe_problem(container, "readinessProbe")),
                          ("K8S-LIVENESS", probe_problem(container, "livenessProbe"))]:
        if problem:
            found.append(finding(dep, name, rule, problem))
    return found


def check_service(svc, deployments):
    """K8S-API, K8S-SERVICE and K8S-TARGETPORT for one Service."""
    found = []
    if svc.get("apiVersion") != "v1":
        found.append(finding(svc, None, "K8S-API", f"apiVersion is {svc.get('apiVersion')!r}: "
                             "Services are served as v1"))
    selector = get(svc, "spec", "selector")
    if not isinstance(selector, dict) or not selector:
        found.append(finding(svc, None, "K8S-SERVICE", "no spec.selector, so it selects no pods"))
        return found
    selected = [d for d in deployments
                if all(pod_labels(d).get(k) == v for k, v in selector.items())]
    if not selected:
        found.append(finding(svc, None, "K8S-SERVICE",
                             "its selector matches the pods of no Deployment"))
        return found
    ports = get(svc, "spec", "ports")
    for port in ports if isinstance(ports, list) else []:
        if not isinstance(port, dict):
            continue
        target = port.get("targetPort", port.get("port"))
        for dep in selected:
            declared = [declared_ports(c) for c in containers(dep)]
            if not any(targets(target, numbers, names) for numbers, names in declared):
                found.append(finding(svc, None, "K8S-TARGETPORT",
                                     f"targetPort {target!r} is not a port that the containers of "
                                     f"{get(dep, 'metadata', 'name')} declare"))
                return found
    return found


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
