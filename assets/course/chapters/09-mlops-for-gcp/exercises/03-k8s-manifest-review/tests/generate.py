"""Write this attempt's hidden manifests into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

Each case is one JSON file (a List), or several files for the multi-file case, named
<group>_<n>[_<part>].json; plants.json records which problems were planted in each case, by
short id (tests/check_kreview.py says them in words). Every problem of every group is planted
in some case, and every group also holds cases that must give no finding for that group.
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

APPS = ["churn", "fraud", "ranker", "eta", "pricing", "triage", "recs", "vision", "speech", "ads"]
REGISTRIES = ["us-central1-docker.pkg.dev/ml1/models", "europe-docker.pkg.dev/risk/serving",
              "ghcr.io/acme", "registry.example.com:5000/ml"]
CPU = ["100m", "250m", "500m", "1"]
MEM = ["128Mi", "256Mi", "512Mi", "1Gi"]
used = set()


def app_name():
    while True:
        name = f"{rng.choice(APPS)}-{rng.choice(['api', 'svc', 'model', 'server'])}"
        if rng.random() < 0.3:
            name += str(rng.randint(2, 9))
        if name not in used:
            used.add(name)
            return name


def sha7():
    return "".join(rng.choice("0123456789abcdef") for _ in range(7))


def container(name, app):
    number = rng.choice([8000, 8080, 5000, 9000])
    named = rng.random() < 0.5
    port = {"containerPort": number}
    if named:
        port = {"name": "http", "containerPort": number}
    probe_port = "http" if named and rng.random() < 0.5 else number
    mem = rng.randrange(len(MEM))
    registry = rng.choice(REGISTRIES)
    tag = rng.choice([sha7(), "1.%d.%d" % (rng.randint(0, 9), rng.randint(0, 20))])
    c = {"name": name,
         "image": f"{registry}/{app}:{tag}",
         "ports": [port],
         "resources": {"requests": {"cpu": rng.choice(CPU), "memory": MEM[mem]},
                       "limits": {"memory": MEM[rng.randrange(mem, len(MEM))]}},
         "readinessProbe": {"httpGet": {"path": "/healthz", "port": probe_port}, "periodSeconds": 5},
         "livenessProbe": {"httpGet": {"path": "/healthz",
                                       "port": probe_port if rng.random() < 0.5 else number},
                           "initialDelaySeconds": 10}}
    if rng.random() < 0.3:
        c["resources"]["limits"]["cpu"] = "2"
    if rng.random() < 0.3:
        c["env"] = [{"name": "MODEL_PATH", "value": "/app/model.json"}]
    return c


def pair():
    """A clean Deployment and the Service in front of it."""
    app = app_name()
    labels = {"app": app}
    if rng.random() < 0.4:
        labels["tier"] = rng.choice(["api", "batch", "online"])
    template_labels = dict(labels)
    if rng.random() < 0.4:
        template_labels["version"] = str(rng.randint(1, 9))  # extra labels are fine
    c = container(rng.choice(["api", "model", "server"]), app)
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": app, "labels": dict(labels)},
           "spec": {"replicas": rng.randint(2, 6), "selector": {"matchLabels": dict(labels)},
                    "template": {"metadata": {"labels": template_labels}, "spec": {"containers": [c]}}}}
    port = c["ports"][0]
    sport = {"port": 80, "targetPort": port.get("name", port["containerPort"])}
    if rng.random() < 0.3:
        sport = {"port": port["containerPort"]}  # targetPort defaults to port
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": app},
           "spec": {"selector": dict(labels), "ports": [sport]}}
    return dep, svc


def first(dep):
    return dep["spec"]["template"]["spec"]["containers"][0]


def sidecar(dep):
    c = container(rng.choice(["metrics-agent", "log-shipper"]), "agent")
    c["ports"] = [{"name": "metrics", "containerPort": 9100}]
    for key in ("readinessProbe", "livenessProbe"):
        c[key]["httpGet"]["port"] = rng.choice(["metrics", 9100])
    dep["spec"]["template"]["spec"]["containers"].append(c)
    return c


def declared(c):
    p = c["ports"][0]
    return p.get("name"), p["containerPort"]


# ---- the problems, by group: each mutates a clean (dep, svc) pair ------------------------

def m_api_ext(d, s): d["apiVersion"] = "extensions/v1beta1"
def m_api_beta2(d, s): d["apiVersion"] = "apps/v1beta2"
def m_api_svc(d, s): s["apiVersion"] = "apps/v1"
def m_rep_missing(d, s): del d["spec"]["replicas"]
def m_rep_one(d, s): d["spec"]["replicas"] = 1
def m_rep_zero(d, s): d["spec"]["replicas"] = 0
def m_rep_text(d, s): d["spec"]["replicas"] = "3"
def m_rep_two(d, s): d["spec"]["replicas"] = 2


def m_sel_missing(d, s): d["spec"]["selector"] = {}
def m_sel_empty(d, s): d["spec"]["selector"]["matchLabels"] = {}


def m_sel_case(d, s):
    labels = d["spec"]["template"]["metadata"]["labels"]
    labels["app"] = labels["app"].upper()


def m_sel_extra_key(d, s):
    d["spec"]["selector"]["matchLabels"]["track"] = "stable"


def m_sel_template_extra(d, s):
    d["spec"]["template"]["metadata"]["labels"]["owner"] = "ml-platform"


def set_image(d, image): first(d)["image"] = image
def m_tag_none(d, s): set_image(d, first(d)["image"].rsplit(":", 1)[0])
def m_tag_latest(d, s): set_image(d, first(d)["image"].rsplit(":", 1)[0] + ":latest")
def m_tag_port_none(d, s): set_image(d, f"registry.example.com:5000/ml/{d['metadata']['name']}")
def m_tag_port_ok(d, s): set_image(d, f"registry.example.com:5000/ml/{d['metadata']['name']}:{sha7()}")
def digest(): return "sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64))
def m_tag_digest(d, s): set_image(d, f"ghcr.io/acme/{d['metadata']['name']}@{digest()}")
def m_tag_tag_digest(d, s): set_image(d, f"ghcr.io/acme/{d['metadata']['name']}:2.0@{digest()}")
def m_tag_sidecar_latest(d, s): sidecar(d)["image"] = "docker.io/fluent/fluent-bit:latest"


def res(d): return first(d)["resources"]
def m_res_none(d, s): del first(d)["resources"]
def m_res_no_cpu(d, s): del res(d)["requests"]["cpu"]
def m_res_no_limit(d, s): res(d)["limits"] = {"cpu": "1"}
def m_res_mem_over(d, s): res(d)["requests"]["memory"], res(d)["limits"]["memory"] = "1Gi", "512Mi"
def m_res_milli(d, s):
    res(d)["requests"]["memory"], res(d)["limits"]["memory"] = "256Mi", rng.choice(["400m", "512m"])
def m_res_cpu_over(d, s): res(d)["requests"]["cpu"], res(d)["limits"]["cpu"] = "2", "1500m"
def m_res_equal(d, s):
    res(d)["requests"]["memory"] = res(d)["limits"]["memory"]
    res(d)["limits"]["cpu"] = res(d)["requests"]["cpu"]
def m_res_si_over(d, s): res(d)["requests"]["memory"], res(d)["limits"]["memory"] = "600M", "512Mi"
def m_res_si_ok(d, s): res(d)["requests"]["memory"], res(d)["limits"]["memory"] = "500M", "512Mi"
def m_res_numbers(d, s):
    res(d)["requests"].update(cpu=1, memory=268435456)  # 256Mi
    res(d)["limits"]["memory"] = "1Gi"


def m_probe_no_ready(d, s): del first(d)["readinessProbe"]
def m_probe_no_live(d, s): del first(d)["livenessProbe"]
def m_probe_path(d, s):
    first(d)["readinessProbe"]["httpGet"]["path"] = rng.choice(["/health", "/healthz/", "/ready"])
def m_probe_tcp(d, s): first(d)["livenessProbe"] = {"tcpSocket": {"port": declared(first(d))[1]}}
def m_probe_exec(d, s): first(d)["readinessProbe"] = {"exec": {"command": ["cat", "/tmp/ready"]}}


def m_probe_named_ok(d, s):
    c = first(d)
    c["ports"][0]["name"] = "http"
    c["readinessProbe"]["httpGet"]["port"] = "http"
    c["livenessProbe"]["httpGet"]["port"] = "http"


def m_probe_bad_name(d, s):
    c = first(d)
    c["ports"][0]["name"] = "http"
    c["livenessProbe"]["httpGet"]["port"] = "web"


def m_probe_bad_number(d, s):
    first(d)["readinessProbe"]["httpGet"]["port"] = declared(first(d))[1] + 1


def m_probe_text_number(d, s):
    c = first(d)
    c["livenessProbe"]["httpGet"]["port"] = str(declared(c)[1])


def m_svc_no_selector(d, s): del s["spec"]["selector"]
def m_svc_wrong_value(d, s): s["spec"]["selector"]["app"] = s["spec"]["selector"]["app"].replace("-", "_")
def m_svc_extra_key(d, s): s["spec"]["selector"]["track"] = "canary"
def m_svc_wrong_target(d, s): s["spec"]["ports"] = [{"port": 80, "targetPort": 80}]
def m_svc_default_ok(d, s): s["spec"]["ports"] = [{"port": declared(first(d))[1]}]
def m_svc_default_bad(d, s): s["spec"]["ports"] = [{"port": 80}]


def m_svc_named_ok(d, s):
    first(d)["ports"][0]["name"] = "http"
    s["spec"]["ports"] = [{"name": "web", "port": 80, "targetPort": "http"}]


def m_svc_named_bad(d, s):
    first(d)["ports"][0]["name"] = "http"
    s["spec"]["ports"] = [{"name": "web", "port": 80, "targetPort": "https"}]


def m_svc_second_port(d, s):
    s["spec"]["ports"] = [{"name": "web", "port": 80, "targetPort": declared(first(d))[1]},
                          {"name": "metrics", "port": 9100, "targetPort": 9100}]


def m_svc_sidecar_port(d, s):
    sidecar(d)
    s["spec"]["ports"] = [{"name": "web", "port": 80, "targetPort": declared(first(d))[1]},
                          {"name": "metrics", "port": 9100, "targetPort": "metrics"}]


GROUPS = {
    "api": [m_api_ext, m_api_beta2, m_api_svc, m_rep_missing, m_rep_one, m_rep_zero, m_rep_text, m_rep_two],
    "selector": [m_sel_missing, m_sel_empty, m_sel_case, m_sel_extra_key, m_sel_template_extra],
    "tag": [m_tag_none, m_tag_latest, m_tag_port_none, m_tag_port_ok, m_tag_digest, m_tag_tag_digest,
            m_tag_sidecar_latest],
    "resources": [m_res_none, m_res_no_cpu, m_res_no_limit, m_res_mem_over, m_res_milli, m_res_cpu_over,
                  m_res_equal, m_res_si_over, m_res_si_ok, m_res_numbers],
    "probes": [m_probe_no_ready, m_probe_no_live, m_probe_path, m_probe_tcp, m_probe_exec, m_probe_named_ok,
               m_probe_bad_name, m_probe_bad_number, m_probe_text_number],
    "service": [m_svc_no_selector, m_svc_wrong_value, m_svc_extra_key, m_svc_wrong_target, m_svc_default_ok,
                m_svc_default_bad, m_svc_named_ok, m_svc_named_bad, m_svc_second_port, m_svc_sidecar_port],
}
plants = {}


def write(stem, doc):
    with open(os.path.join(out, stem + ".json"), "w") as f:
        json.dump(doc, f)  # one line: nothing in it can match feedback text


def as_list(objects):
    return {"apiVersion": "v1", "kind": "List", "items": objects}


for group, problems in GROUPS.items():
    problems = list(problems)
    rng.shuffle(problems)
    n = 0
    while problems:
        n += 1
        objects = []
        names = []
        for _ in range(rng.randint(1, 2)):   # one or two pairs per case, each with one problem
            if not problems:
                break
            d, s = pair()
            problem = problems.pop()
            problem(d, s)
            names.append(problem.__name__[2:])
            objects += [d, s]
        rng.shuffle(objects)
        write(f"{group}_{n}", as_list(objects))
        plants[f"{group}_{n}"] = names

# clean cases: nothing to find
for n in range(1, 3):
    objects = []
    for _ in range(rng.randint(1, 3)):
        objects += list(pair())
    if rng.random() < 0.5:
        sidecar(objects[0])
    rng.shuffle(objects)
    write(f"clean_{n}", as_list(objects) if len(objects) > 1 or rng.random() < 0.5 else objects[0])
    plants[f"clean_{n}"] = []

# several Deployments, Services and other kinds, over several files
d1, s1 = pair()
d2, s2 = pair()
shared = rng.choice(["team", "stack"])
for d in (d1, d2):
    d["spec"]["template"]["metadata"]["labels"][shared] = "ml"
both = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ml-gateway"},
        "spec": {"selector": {shared: "ml"}, "ports": [{"port": 80, "targetPort": declared(first(d1))[1]}]}}
if declared(first(d2))[1] == declared(first(d1))[1]:
    first(d2)["ports"][0]["containerPort"] += 1       # so the gateway's port is not in d2
    for key in ("readinessProbe", "livenessProbe"):
        port = first(d2)["ports"][0]
        first(d2)[key]["httpGet"]["port"] = port.get("name", port["containerPort"])
    if "targetPort" not in s2["spec"]["ports"][0]:
        s2["spec"]["ports"][0]["port"] = first(d2)["ports"][0]["containerPort"]
    elif isinstance(s2["spec"]["ports"][0]["targetPort"], int):
        s2["spec"]["ports"][0]["targetPort"] = first(d2)["ports"][0]["containerPort"]
config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
          "data": {"replicas": "1"}}
hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
       "metadata": {"name": d1["metadata"]["name"]},
       "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                   "name": d1["metadata"]["name"]},
                "minReplicas": 2, "maxReplicas": 8}}
m_tag_latest(d2, s2)
write("multi_1_a", d1)
write("multi_1_b", as_list([s1, config, hpa]))
write("multi_1_c", as_list([d2, s2, both]))
plants["multi_1"] = ["gateway", "tag_latest"]

# files that cannot be reviewed
with open(os.path.join(out, "bad_syntax.json"), "w") as f:
    f.write(json.dumps(as_list(list(pair())))[:-1] + ",}")
write("bad_items", {"apiVersion": "v1", "kind": "List", "items": {"first": pair()[0]}})
with open(os.path.join(out, "bad_array.json"), "w") as f:
    json.dump(list(pair()), f)

with open(os.path.join(out, "plants.json"), "w") as f:
    json.dump(plants, f)
