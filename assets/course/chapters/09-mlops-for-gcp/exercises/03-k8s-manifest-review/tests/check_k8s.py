"""Review the learner's k8s/deployment.yaml and k8s/service.yaml with the checker's reference.

kaizen converts both files to JSON before the checks (yaml_to_json in exercise.yaml), because
Python's standard library has no YAML parser. Results go to $KAIZEN_RESULTS.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
JSON_DIR = os.environ.get("KAIZEN_JSON", ".kaizen/json")
FILES = ["k8s/deployment.yaml", "k8s/service.yaml"]
HINTS = {
    "K8S-API": "the Deployment's apiVersion must be apps/v1 and the Service's v1",
    "K8S-REPLICAS": "set spec.replicas to 2 or more",
    "K8S-SELECTOR": "spec.selector.matchLabels must match the pod template's labels exactly",
    "K8S-TAG": "pin the image to the tested build, never latest",
    "K8S-RESOURCES": ("set requests.cpu, requests.memory and limits.memory, with no request above "
                      "its limit (memory in Mi or Gi: a lower-case m means milli-bytes)"),
    "K8S-READINESS": "add a readinessProbe: httpGet on /healthz, on the container's port",
    "K8S-LIVENESS": "add a livenessProbe: httpGet on /healthz, on the container's port",
    "K8S-SERVICE": "the Service's selector must equal the pod labels, character for character",
    "K8S-TARGETPORT": "the Service's targetPort must be the containerPort the app listens on",
}
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def main():
    names = ["Your Service selects the weight-api pods",
             "Your Service's targetPort is the port the container declares",
             "The checker's own review finds nothing in k8s/"]
    objects = []
    for path in FILES:
        try:
            with open(os.path.join(JSON_DIR, path + ".json")) as f:
                objects.append(json.load(f))
        except (OSError, ValueError):
            for name in names:
                report(name, False, f"{path} is missing or is not valid YAML (indent with spaces; "
                                    "keep one object per file)")
            return
    found = reference.review([o for o in objects if isinstance(o, dict)])
    rules = [t[3] for t in found]
    report(names[0], "K8S-SERVICE" not in rules, HINTS["K8S-SERVICE"] + " (compare it with "
           "spec.template.metadata.labels in k8s/deployment.yaml)")
    if "K8S-SERVICE" in rules:
        report(names[1], False, "fix the Service's selector first: until it selects pods, its "
                                "targetPort cannot be checked")
    else:
        report(names[1], "K8S-TARGETPORT" not in rules, HINTS["K8S-TARGETPORT"] + " (look at "
               "ports[].containerPort in k8s/deployment.yaml)")
    left = sorted(set(rules))
    report(names[2], not left, "still to fix: " + "; ".join(f"{r}: {HINTS[r]}" for r in left))


if __name__ == "__main__":
    try:
        main()
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
