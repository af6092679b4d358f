"""Quick tests for iac.py. Run them with: python3 -m unittest -v"""
import contextlib
import io
import json
import os
import tempfile
import unittest
from unittest import mock

import iac


def res(rtype, rid, **attributes):
    return {"type": rtype, "id": rid, "attributes": attributes}


BUCKET = res("bucket", "models", region="eu-west-1", versioning=True)
VERSION = res("model_version", "churn-2.0.0", artifact="s3://models/churn/2.0.0/m.onnx", sha256="ab12")
ENDPOINT = res("endpoint", "churn", instances=2, model_version="churn-2.0.0")


def verbs(actions):
    return [(a["action"], a["address"]) for a in actions]


class TestChangedAttributes(unittest.TestCase):
    def test_key_order_does_not_matter(self):
        old = {"tags": {"team": "ml", "owner": "ana"}, "region": "eu-west-1"}
        new = {"region": "eu-west-1", "tags": {"owner": "ana", "team": "ml"}}
        self.assertEqual(iac.changed_attributes(old, new), [])

    def test_json_types_matter(self):
        # 1 == True in Python, but the JSON texts 1 and true differ
        self.assertEqual(iac.changed_attributes({"versioning": 1}, {"versioning": True}), ["versioning"])
        self.assertEqual(iac.changed_attributes({"instances": "3"}, {"instances": 3}), ["instances"])

    def test_added_and_removed_keys_sorted(self):
        old = {"b": 1, "c": 2}
        new = {"a": 0, "b": 1}
        self.assertEqual(iac.changed_attributes(old, new), ["a", "c"])


class TestPlan(unittest.TestCase):
    def test_everything_new_is_created_in_dependency_order(self):
        desired = {"resources": [ENDPOINT, VERSION, BUCKET]}
        self.assertEqual(verbs(iac.plan(desired, iac.EMPTY_STATE)),
                         [("create", "bucket.models"), ("create", "model_version.churn-2.0.0"),
                          ("create", "endpoint.churn")])

    def test_nothing_to_do(self):
        state = {"serial": 4, "resources": [VERSION, ENDPOINT, BUCKET]}
        self.assertEqual(iac.plan({"resources": [BUCKET, VERSION, ENDPOINT]}, state), [])

    def test_update_in_place(self):
        state = {"serial": 4, "resources": [BUCKET, VERSION, res("endpoint", "churn", instances=1,
                                                                   model_version="churn-2.0.0")]}
        actions = iac.plan({"resources": [BUCKET, VERSION, ENDPOINT]}, state)
        self.assertEqual(verbs(actions), [("update", "endpoint.churn")])
        self.assertEqual(actions[0]["changes"], [("instances", 1, 2, False)])

    def test_region_change_replaces_a_bucket(self):
        state = {"serial": 1, "resources": [res("bucket", "models", region="us-east-1", versioning=False)]}
        actions = iac.plan({"resources": [BUCKET]}, state)
        self.assertEqual(verbs(actions), [("replace", "bucket.models")])
        self.assertEqual(actions[0]["changes"], [("region", "us-east-1", "eu-west-1", True),
                                                 ("versioning", False, True, False)])

    def test_any_change_replaces_a_model_version(self):
        state = {"serial": 1, "resources": [res("model_version", "churn-2.0.0",
                                                artifact="s3://models/churn/2.0.0/m.onnx", sha256="ffff")]}
        self.assertEqual(verbs(iac.plan({"resources": [VERSION]}, state)),
                         [("replace", "model_version.churn-2.0.0")])

    def test_deletes_come_last_in_reverse_dependency_order(self):
        old_version = res("model_version", "churn-1.0.0", artifact="s3://x", sha256="00")
        old_endpoint = res("endpoint", "legacy", instances=1, model_version="churn-1.0.0")
        scratch = res("bucket", "scratch", region="eu-west-1")
        state = {"serial": 9, "resources": [scratch, old_version, old_endpoint, BUCKET]}
        actions = iac.plan({"resources": [BUCKET, VERSION, ENDPOINT]}, state)
        self.assertEqual(verbs(actions),
                         [("create", "model_version.churn-2.0.0"), ("create", "endpoint.churn"),
                          ("delete", "endpoint.legacy"), ("delete", "model_version.churn-1.0.0"),
                          ("delete", "bucket.scratch")])


class TestRender(unittest.TestCase):
    def test_no_changes(self):
        self.assertEqual(iac.render([]), ["No changes."])

    def test_every_kind_of_line(self):
        state = {"serial": 2, "resources": [
            res("bucket", "models", region="us-east-1", versioning=True),
            res("endpoint", "churn", instances=1, model_version="churn-2.0.0", tags={"b": 1, "a": 2}),
            res("bucket", "old", region="eu-west-1")]}
        desired = {"resources": [BUCKET, VERSION, ENDPOINT]}
        self.assertEqual(iac.render(iac.plan(desired, state)), [
            "-/+ bucket.models",
            '    region: "us-east-1" -> "eu-west-1" (forces replacement)',
            "+ model_version.churn-2.0.0",
            "~ endpoint.churn",
            "    instances: 1 -> 2",
            '    tags: {"a": 2, "b": 1} -> null',
            "- bucket.old",
            "Plan: 2 to add, 1 to change, 2 to destroy.",
        ])


class TestNewState(unittest.TestCase):
    def test_serial_and_order(self):
        state = {"serial": 41, "resources": [res("bucket", "gone", region="x")]}
        desired = {"resources": [ENDPOINT, res("bucket", "zeta", region="x"), VERSION, BUCKET]}
        new = iac.new_state(desired, state)
        self.assertEqual(new["serial"], 42)
        self.assertEqual([(r["type"], r["id"]) for r in new["resources"]],
                         [("bucket", "models"), ("bucket", "zeta"), ("model_version", "churn-2.0.0"),
                          ("endpoint", "churn")])
        self.assertEqual(new["resources"][-1], ENDPOINT)


class TestWriteState(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "state.json")
        with open(self.path, "w") as f:
            f.write('{"serial": 1, "resources": []}\n')

    def tearDown(self):
        self.dir.cleanup()

    def test_writes_the_state(self):
        iac.write_state(self.path, {"serial": 2, "resources": []})
        with open(self.path) as f:
            self.assertEqual(json.load(f), {"serial": 2, "resources": []})
        self.assertEqual(os.listdir(self.dir.name), ["state.json"])

    def test_a_failed_write_keeps_the_old_file(self):
        # Whatever goes wrong before the final os.replace(), the old state must survive.
        with mock.patch("os.replace", side_effect=OSError(28, "No space left on device")):
            with self.assertRaises(OSError):
                iac.write_state(self.path, {"serial": 2, "resources": [BUCKET]})
        with open(self.path) as f:
            self.assertEqual(f.read(), '{"serial": 1, "resources": []}\n')
        self.assertEqual(os.listdir(self.dir.name), ["state.json"], "remove the temporary file")


class TestValidateDesired(unittest.TestCase):
    def test_good_file(self):
        iac.validate_desired({"resources": [BUCKET, VERSION, ENDPOINT]})

    def test_bad_files(self):
        bad = {
            "no resources list": {"resources": {"bucket.models": BUCKET}},
            "unknown type": {"resources": [res("queue", "jobs")]},
            "empty id": {"resources": [res("bucket", "", region="x")]},
            "declared twice": {"resources": [BUCKET, BUCKET]},
            "required attribute missing": {"resources": [res("bucket", "models", versioning=True)]},
            "null value": {"resources": [res("bucket", "models", region="x", versioning=None)]},
            "endpoint serves an undeclared version": {"resources": [BUCKET, ENDPOINT]},
        }
        for why, doc in bad.items():
            with self.subTest(why):
                with self.assertRaises(ValueError):
                    iac.validate_desired(doc)


class TestApply(unittest.TestCase):
    def run_main(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = iac.main(list(argv))
        return code, out.getvalue(), err.getvalue()

    def test_apply_then_nothing_more_to_do(self):
        with tempfile.TemporaryDirectory() as d:
            desired, state = os.path.join(d, "desired.json"), os.path.join(d, "state.json")
            with open(desired, "w") as f:
                json.dump({"resources": [BUCKET, VERSION, ENDPOINT]}, f)
            self.assertEqual(self.run_main("plan", desired, "--state", state)[0], 2)
            code, out, _ = self.run_main("apply", desired, "--state", state)
            self.assertEqual(code, 0)
            self.assertEqual(out.splitlines()[-1], "Apply complete: 3 added, 0 changed, 0 destroyed.")
            with open(state) as f:
                self.assertEqual(json.load(f)["serial"], 1)
            self.assertEqual(self.run_main("apply", desired, "--state", state)[:2], (0, "No changes.\n"))

    def test_destroy_needs_permission(self):
        with tempfile.TemporaryDirectory() as d:
            desired, state = os.path.join(d, "desired.json"), os.path.join(d, "state.json")
            with open(desired, "w") as f:
                json.dump({"resources": []}, f)
            with open(state, "w") as f:
                json.dump({"serial": 5, "resources": [BUCKET]}, f)
            code, _, err = self.run_main("apply", desired, "--state", state)
            self.assertEqual(code, 3)
            self.assertIn("bucket.models", err)
            self.assertIn("--allow-destroy", err)
            with open(state) as f:
                self.assertEqual(json.load(f)["serial"], 5)
            self.assertEqual(self.run_main("apply", desired, "--state", state, "--allow-destroy")[0], 0)
            with open(state) as f:
                self.assertEqual(json.load(f), {"serial": 6, "resources": []})


if __name__ == "__main__":
    unittest.main()
