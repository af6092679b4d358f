"""Run the learner's kreview.py on this attempt's hidden manifests; write $KAIZEN_RESULTS.

The findings must equal tests/reference.py's, as (kind, name, container, rule) in order, with
a message each, and the exit status must say whether there were findings.
"""
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
results = []

GROUPS = [
    ("clean", "Clean manifests print [] and exit 0"),
    ("api", "apiVersion and replicas"),
    ("selector", "Deployment selectors against the pod template's labels"),
    ("tag", "Image tags: none, latest, registry ports and digests"),
    ("resources", "Requests and limits, in their units (Mi, M, m)"),
    ("probes", "Readiness and liveness probes, by port number and by port name"),
    ("service", "Services: selectors, default and named targetPorts, several ports"),
    ("multi", "Several files, several Deployments per Service, and other kinds to skip"),
]
PLANTED = {
    "api_ext": "a Deployment in extensions/v1beta1",
    "api_beta2": "a Deployment in apps/v1beta2",
    "api_svc": "a Service whose apiVersion is apps/v1",
    "rep_missing": "no replicas",
    "rep_one": "replicas: 1",
    "rep_zero": "replicas: 0",
    "rep_text": 'replicas written as the string "3"',
    "rep_two": "replicas: 2, which is fine",
    "sel_missing": "a selector without matchLabels",
    "sel_empty": "empty matchLabels",
    "sel_case": "a pod label that differs from the selector in case only",
    "sel_extra_key": "a selector key the pod template lacks",
    "sel_template_extra": "a pod template with an extra label, which is fine",
    "tag_none": "an image without a tag",
    "tag_latest": "an image tagged latest",
    "tag_port_none": "a registry with a port and an image without a tag",
    "tag_port_ok": "a registry with a port and a tagged image, which is fine",
    "tag_digest": "an image pinned by digest, which is fine",
    "tag_tag_digest": "an image with a tag and a digest, which is fine",
    "tag_sidecar_latest": "a second container tagged latest",
    "res_none": "no resources",
    "res_no_cpu": "no requests.cpu",
    "res_no_limit": "a cpu limit but no memory limit",
    "res_mem_over": "a memory request of 1Gi with a 512Mi limit",
    "res_milli": "a memory limit written with m (milli-bytes)",
    "res_cpu_over": "a cpu request of 2 with a 1500m limit",
    "res_equal": "requests equal to their limits, which is fine",
    "res_si_over": "a 600M memory request with a 512Mi limit",
    "res_si_ok": "a 500M memory request with a 512Mi limit, which is fine",
    "res_numbers": "requests written as plain numbers, which is fine",
    "probe_no_ready": "no readinessProbe",
    "probe_no_live": "no livenessProbe",
    "probe_path": "a readinessProbe on another path",
    "probe_tcp": "a tcpSocket livenessProbe",
    "probe_exec": "an exec readinessProbe",
    "probe_named_ok": "probes on a declared port name, which is fine",
    "probe_bad_name": "a livenessProbe on an undeclared port name",
    "probe_bad_number": "a readinessProbe on an undeclared port number",
    "probe_text_number": 'a livenessProbe port written as a string of digits, such as "8080"',
    "svc_no_selector": "a Service without a selector",
    "svc_wrong_value": "a Service selector value that matches no pods",
    "svc_extra_key": "a Service selector key that no pods have",
    "svc_wrong_target": "a targetPort that no container declares",
    "svc_default_ok": "no targetPort, and a port that the container declares, which is fine",
    "svc_default_bad": "no targetPort, and a port that no container declares",
    "svc_named_ok": "a targetPort naming a declared port, which is fine",
    "svc_named_bad": "a targetPort naming an undeclared port",
    "svc_second_port": "a second Service port that no container declares",
    "svc_sidecar_port": "a second Service port that the second container declares, which is fine",
    "gateway": "a Service selecting two Deployments, only one of which declares its targetPort",
}
WHY = {
    "K8S-API": "Deployments must be apps/v1, Services v1",
    "K8S-REPLICAS": "replicas must be a whole number of at least 2",
    "K8S-SELECTOR": "every matchLabels pair must be among the pod template's labels, exactly",
    "K8S-TAG": "no tag or latest is a finding; a digest (@) pins the image",
    "K8S-RESOURCES": "requests.cpu, requests.memory and limits.memory, and no request above its limit",
    "K8S-READINESS": "an httpGet on /healthz, on a port number or name the container declares",
    "K8S-LIVENESS": "an httpGet on /healthz, on a port number or name the container declares",
    "K8S-SERVICE": "a non-empty selector whose pairs are all among some Deployment's pod labels",
    "K8S-TARGETPORT": "targetPort, or port when it is missing, must be declared by every selected Deployment",
}


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def run(paths):
    try:
        proc = subprocess.run([sys.executable, "kreview.py", *paths], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=10)
    except subprocess.TimeoutExpired:
        return None, "", ["kreview.py did not finish within 10 s"]
    return (proc.returncode, proc.stdout.decode(errors="replace"),
            [line for line in proc.stderr.decode(errors="replace").splitlines() if line.strip()])


def load(paths):
    objects = []
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        objects += doc["items"] if doc.get("kind") == "List" else [doc]
    return objects


def show(t):
    where = f"{t[0]}/{t[1]}" + (f" container {t[2]}" if t[2] else "")
    return f"{where} {t[3]}"


def check_case(case):
    paths = sorted(glob.glob(os.path.join(GEN, case + ".json"))
                   + glob.glob(os.path.join(GEN, case + "_*.json")))
    want = reference.review(load(paths))
    code, out, err = run(paths)
    with open(os.path.join(GEN, "plants.json")) as f:
        planted = json.load(f).get(case, [])
    about = f"case {case}" + (f" (planted: {'; '.join(PLANTED[p] for p in planted)})" if planted else "")
    if code not in (0, 1):
        last = err[-1] if err else "(nothing on stderr)"
        return f"{about}: kreview.py exited with status {code}: {last}"
    try:
        got = json.loads(out)
        keys = [(f["kind"], f["name"], f["container"], f["rule"]) for f in got]
    except (ValueError, TypeError, KeyError):
        return (f"{about}: kreview.py must print one JSON list of findings, each with kind, name, "
                "container and rule")
    if keys != want:
        missing = [t for t in want if t not in keys]
        extra = [t for t in keys if t not in want]
        if missing:
            t = missing[0]
            return f"{about}: expected the finding {show(t)}, which is missing ({WHY[t[3]]})"
        if extra:
            t = extra[0]
            why = WHY.get(t[3], "no such rule")
            return f"{about}: {show(t)} should not be reported ({why})"
        if len(keys) != len(set(keys)):
            return f"{about}: a finding is reported twice; one per object, container and rule"
        return f"{about}: the findings are right but not in order: by kind, name, container, rule"
    if not all(isinstance(f.get("message"), str) and f["message"].strip() for f in got):
        return f"{about}: every finding needs a message that says what is wrong"
    expected_code = 1 if want else 0
    if code != expected_code:
        return f"{about}: exit status {code}, expected {expected_code}"
    return ""


def main():
    cases = sorted({re.sub(r"_[a-z]$", "", os.path.basename(p)[:-5])
                    for p in glob.glob(os.path.join(GEN, "*.json")) if os.path.basename(p) != "plants.json"})
    for group, title in GROUPS:
        mine = sorted((c for c in cases if c.split("_")[0] == group), key=lambda c: int(c.split("_")[1]))
        msg = ""
        for case in mine:
            msg = check_case(case)
            if msg:
                break
        report(f"Hidden manifests: {title}", not msg, msg)

    msg = ""
    for stem, what in [("bad_syntax", "invalid JSON"), ("bad_items", 'a List whose "items" is not a list'),
                       ("bad_array", "a JSON list at the top, not an object"),
                       ("no_such_file", "a missing file")]:
        code, _, err = run([os.path.join(GEN, stem + ".json")])
        if code != 2:
            msg = f"a file with {what} must exit with status 2, got {code}"
            break
        if not err:
            msg = f"a file with {what} exits with 2; also say why on stderr"
            break
    report("Files that cannot be reviewed exit with status 2", not msg, msg)


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
