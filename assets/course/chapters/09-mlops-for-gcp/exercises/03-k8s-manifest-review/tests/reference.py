"""The checker's own review of Deployments and Services: (kind, name, container, rule) tuples.

Written apart from the solution on purpose. It follows README.md's rules exactly.
"""
import re

UNITS = {"": 1.0, "m": 0.001, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
         "Ki": 1024.0, "Mi": 1024.0 ** 2, "Gi": 1024.0 ** 3, "Ti": 1024.0 ** 4, "Pi": 1024.0 ** 5,
         "Ei": 1024.0 ** 6}
NUMBER = re.compile(r"^([+-]?(\d+\.?\d*|\.\d+))(.*)$")


def qty(v):
    """A quantity as a float, or None when it is not one."""
    if type(v) in (int, float):
        return float(v)
    if not isinstance(v, str):
        return None
    m = NUMBER.match(v)
    if not m:
        return None
    rest = m.group(3)
    if re.fullmatch(r"[eE][+-]?\d+", rest):
        return float(m.group(1) + rest)
    return float(m.group(1)) * UNITS[rest] if rest in UNITS else None


def dig(o, path):
    for k in path.split("."):
        o = o.get(k) if isinstance(o, dict) else None
    return o


def as_dict(v):
    return v if isinstance(v, dict) else {}


def as_list(v):
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


def port_ok(port, container):
    declared = as_list(container.get("ports"))
    if isinstance(port, bool):
        return False
    if isinstance(port, int):
        return any(type(p.get("containerPort")) is int and p["containerPort"] == port for p in declared)
    if isinstance(port, str):
        return any(p.get("name") == port for p in declared)
    return False


def probe_ok(container, key):
    http = dig(container, key + ".httpGet")
    return isinstance(http, dict) and http.get("path") == "/healthz" and port_ok(http.get("port"), container)


def tag_ok(image):
    if not isinstance(image, str) or image == "":
        return False
    if "@" in image:
        return True
    name = image.split("/")[-1]
    return ":" in name and name[name.index(":") + 1:] != "latest"


def resources_ok(container):
    req, lim = as_dict(dig(container, "resources.requests")), as_dict(dig(container, "resources.limits"))
    if req.get("cpu") is None or req.get("memory") is None or lim.get("memory") is None:
        return False
    for k in ("cpu", "memory"):
        r = qty(req[k])
        if r is None:
            return False
        if lim.get(k) is not None:
            l_ = qty(lim[k])
            if l_ is None or r > l_:
                return False
    return True


def review(objects):
    out = []
    deps = [o for o in objects if o.get("kind") == "Deployment"]
    for d in deps:
        name = dig(d, "metadata.name")
        if d.get("apiVersion") != "apps/v1":
            out.append(("Deployment", name, None, "K8S-API"))
        n = dig(d, "spec.replicas")
        if type(n) is not int or n < 2:
            out.append(("Deployment", name, None, "K8S-REPLICAS"))
        sel = dig(d, "spec.selector.matchLabels")
        labels = as_dict(dig(d, "spec.template.metadata.labels"))
        if not isinstance(sel, dict) or not sel or any(labels.get(k, None) != v or k not in labels
                                                       for k, v in sel.items()):
            out.append(("Deployment", name, None, "K8S-SELECTOR"))
        for c in as_list(dig(d, "spec.template.spec.containers")):
            cn = c.get("name")
            if not tag_ok(c.get("image")):
                out.append(("Deployment", name, cn, "K8S-TAG"))
            if not resources_ok(c):
                out.append(("Deployment", name, cn, "K8S-RESOURCES"))
            if not probe_ok(c, "readinessProbe"):
                out.append(("Deployment", name, cn, "K8S-READINESS"))
            if not probe_ok(c, "livenessProbe"):
                out.append(("Deployment", name, cn, "K8S-LIVENESS"))
    for s in (o for o in objects if o.get("kind") == "Service"):
        name = dig(s, "metadata.name")
        if s.get("apiVersion") != "v1":
            out.append(("Service", name, None, "K8S-API"))
        sel = dig(s, "spec.selector")
        chosen = []
        if isinstance(sel, dict) and sel:
            chosen = [d for d in deps if all(as_dict(dig(d, "spec.template.metadata.labels")).get(k) == v
                                             for k, v in sel.items())]
        if not chosen:
            out.append(("Service", name, None, "K8S-SERVICE"))
            continue
        for p in as_list(dig(s, "spec.ports")):
            target = p["targetPort"] if "targetPort" in p else p.get("port")
            if not all(any(port_ok(target, c) for c in as_list(dig(d, "spec.template.spec.containers")))
                       for d in chosen):
                out.append(("Service", name, None, "K8S-TARGETPORT"))
                break
    return sorted(out, key=lambda t: (str(t[0]), str(t[1]), t[2] or "", t[3]))
