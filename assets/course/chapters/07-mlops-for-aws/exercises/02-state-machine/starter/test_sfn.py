"""Quick tests for sfn.py. Run them with: python3 -m unittest -v"""
import types
import unittest

from sfn import DefinitionError, ExecutionFailed, matches, run, validate


class Flaky(Exception):
    pass


def make_tasks(fail_times=0):
    """A tasks module: `double` doubles $.x, `flaky` fails fail_times times, then passes."""
    calls = {"flaky": 0}

    def double(data):
        return dict(data, x=data["x"] * 2)

    def flaky(data):
        calls["flaky"] += 1
        if calls["flaky"] <= fail_times:
            raise Flaky(f"try {calls['flaky']}")
        return dict(data, ok=True)

    return types.SimpleNamespace(double=double, flaky=flaky)


def machine(states, start="A"):
    return {"StartAt": start, "States": states}


class TestMatches(unittest.TestCase):
    def test_numbers_strings_booleans(self):
        data = {"m": {"acc": 0.9}, "tier": "gold", "urgent": True}
        self.assertTrue(matches({"Variable": "$.m.acc", "NumericGreaterThanEquals": 0.9}, data))
        self.assertFalse(matches({"Variable": "$.m.acc", "NumericLessThan": 0.9}, data))
        self.assertTrue(matches({"Variable": "$.tier", "StringEquals": "gold"}, data))
        self.assertTrue(matches({"Variable": "$.urgent", "BooleanEquals": True}, data))

    def test_types_must_agree(self):
        data = {"n": "5", "b": 1, "t": True}
        self.assertFalse(matches({"Variable": "$.n", "NumericEquals": 5}, data))
        self.assertFalse(matches({"Variable": "$.b", "BooleanEquals": True}, data))
        self.assertFalse(matches({"Variable": "$.t", "NumericEquals": 1}, data))

    def test_missing_variable(self):
        with self.assertRaises(ExecutionFailed) as ctx:
            matches({"Variable": "$.nope", "NumericEquals": 1}, {"x": 1})
        self.assertEqual(ctx.exception.error, "States.Runtime")


class TestValidate(unittest.TestCase):
    def test_good_machine(self):
        validate(machine({"A": {"Type": "Task", "Resource": "double", "Next": "B"},
                          "B": {"Type": "Succeed"}}), make_tasks())

    def test_bad_machines(self):
        bad = [
            machine({"A": {"Type": "Wait", "Seconds": 5, "Next": "B"}, "B": {"Type": "Succeed"}}),
            machine({"A": {"Type": "Pass", "Next": "C"}, "B": {"Type": "Succeed"}}),
            machine({"A": {"Type": "Pass", "Next": "B", "End": True}, "B": {"Type": "Succeed"}}),
            machine({"A": {"Type": "Pass"}}),
            machine({"A": {"Type": "Task", "Resource": "triple", "End": True}}),
            machine({"A": {"Type": "Succeed"}}, start="Z"),
        ]
        for m in bad:
            with self.subTest(machine=m):
                with self.assertRaises(DefinitionError):
                    validate(m, make_tasks())


class TestRun(unittest.TestCase):
    def test_tasks_and_end(self):
        m = machine({"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:double",
                           "Next": "B"},
                     "B": {"Type": "Task", "Resource": "double", "End": True}})
        report = run(m, {"x": 3}, make_tasks())
        self.assertEqual((report["status"], report["output"], report["steps"]),
                         ("SUCCEEDED", {"x": 12}, 2))
        self.assertEqual(report["trace"][0], {"state": "A", "type": "Task", "next": "B",
                                              "attempts": 1, "errors": [], "waits": []})

    def test_retry_with_backoff(self):
        retry = [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "MaxAttempts": 3,
                  "BackoffRate": 3.0}]
        m = machine({"A": {"Type": "Task", "Resource": "flaky", "Retry": retry, "End": True}})
        entry = run(m, {}, make_tasks(fail_times=2))["trace"][0]
        self.assertEqual((entry["attempts"], entry["errors"], entry["waits"]),
                         (3, ["Flaky", "Flaky"], [2, 6]))
        report = run(m, {}, make_tasks(fail_times=4))
        self.assertEqual((report["status"], report["error"], report["cause"]),
                         ("FAILED", "Flaky", "try 4"))

    def test_catch(self):
        m = machine({"A": {"Type": "Task", "Resource": "flaky",
                           "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "B"}], "End": True},
                     "B": {"Type": "Pass", "End": True}})
        report = run(m, {}, make_tasks(fail_times=1))
        self.assertEqual(report["output"], {"Error": "Flaky", "Cause": "try 1"})
        self.assertEqual(report["trace"][0]["next"], "B")

    def test_choice_fail_and_default(self):
        m = machine({"A": {"Type": "Choice", "Default": "Low", "Choices": [
                        {"Variable": "$.x", "NumericGreaterThan": 10, "Next": "High"}]},
                     "High": {"Type": "Succeed"},
                     "Low": {"Type": "Fail", "Error": "TooLow", "Cause": "x is 10 or less"}})
        self.assertEqual(run(m, {"x": 11}, make_tasks())["status"], "SUCCEEDED")
        report = run(m, {"x": 10}, make_tasks())
        self.assertEqual((report["status"], report["error"], report["output"]),
                         ("FAILED", "TooLow", None))
        self.assertEqual([e["next"] for e in report["trace"]], ["Low", None])

    def test_max_steps(self):
        m = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}})
        report = run(m, {}, make_tasks(), max_steps=5)
        self.assertEqual((report["status"], report["error"], report["steps"]),
                         ("FAILED", "Local.MaxStepsExceeded", 5))


if __name__ == "__main__":
    unittest.main()
