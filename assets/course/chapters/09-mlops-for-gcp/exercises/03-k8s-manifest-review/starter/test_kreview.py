"""Quick tests for kreview.py. Run them with: python3 -m unittest -v

Every examples/NAME.json must give exactly the findings of examples/NAME.expected.json, in that
order (only kind, name, container and rule are compared; the messages are yours).
"""
import glob
import json
import os
import unittest

from kreview import load_objects, review

HERE = os.path.dirname(os.path.abspath(__file__))


def keys(findings):
    return [(f["kind"], f["name"], f["container"], f["rule"]) for f in findings]


def deployment(**container):
    """A Deployment that passes every rule, with the container's fields replaced."""
    base = {"name": "api", "image": "ghcr.io/acme/api:1.0.0",
            "ports": [{"name": "http", "containerPort": 8080}],
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
            "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}}
    base.update(container)
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "a"}},
                     "template": {"metadata": {"labels": {"app": "a"}},
                                  "spec": {"containers": [base]}}}}


class TestExamples(unittest.TestCase):
    def test_examples(self):
        paths = sorted(p for p in glob.glob(os.path.join(HERE, "examples", "*.json"))
                       if not p.endswith(".expected.json"))
        self.assertTrue(paths, "no examples found")
        for path in paths:
            with self.subTest(example=os.path.basename(path)):
                got = keys(review(load_objects([path])))
                with open(path[: -len(".json")] + ".expected.json") as f:
                    want = keys(json.load(f))
                self.assertEqual(got, want)


class TestRules(unittest.TestCase):
    def rules(self, *objects):
        return [(f["container"], f["rule"]) for f in review(list(objects))]

    def test_a_clean_deployment_has_no_findings(self):
        self.assertEqual(self.rules(deployment()), [])

    def test_a_registry_port_is_not_a_tag(self):
        self.assertEqual(self.rules(deployment(image="registry.local:5000/team/api")),
                         [("api", "K8S-TAG")])
        self.assertEqual(self.rules(deployment(image="registry.local:5000/team/api:2.1")), [])

    def test_a_digest_pins_the_image(self):
        self.assertEqual(self.rules(deployment(image="ghcr.io/acme/api@sha256:" + "ab" * 32)), [])

    def test_memory_in_milli_bytes_is_below_the_request(self):
        found = self.rules(deployment(resources={"requests": {"cpu": 1, "memory": "128Mi"},
                                                 "limits": {"memory": "512m"}}))
        self.assertEqual(found, [("api", "K8S-RESOURCES")])


if __name__ == "__main__":
    unittest.main()
