"""Quick tests for canary.py. Run them with: python3 -m unittest -v"""
import unittest

from canary import evaluate_window, p95, replay, validate_policy

POLICY = {"steps": [10, 50, 100], "window_s": 60, "min_requests": 20,
          "max_error_rate_increase": 0.01, "max_p95_ratio": 1.2}


def arm(n, ms=80.0, errors=0):
    """n requests of ms milliseconds, the first `errors` of them failing with a 503."""
    return [(503 if i < errors else 200, ms) for i in range(n)]


def requests(start, version, n, ms=80.0, errors=0):
    """n request dicts spread over one 60-second window starting at `start`."""
    return [{"ts": start + i * 50 / n, "version": version, "status": 503 if i < errors else 200,
             "latency_ms": ms} for i in range(n)]


class TestP95(unittest.TestCase):
    def test_one_to_hundred(self):
        self.assertEqual(p95(list(range(100, 0, -1))), 95)

    def test_twenty_values(self):
        self.assertEqual(p95(list(range(1, 21))), 19)  # rank ceil(19.0) = 19

    def test_twenty_one_values(self):
        self.assertEqual(p95(list(range(1, 22))), 20)  # rank ceil(19.95) = 20

    def test_one_value(self):
        self.assertEqual(p95([42.5]), 42.5)


class TestEvaluateWindow(unittest.TestCase):
    def test_healthy_canary_promotes(self):
        self.assertEqual(evaluate_window(arm(200), arm(25), POLICY), ("promote", []))

    def test_too_few_canary_requests_hold(self):
        self.assertEqual(evaluate_window(arm(200), arm(19, errors=19), POLICY),
                         ("hold", ["too_few_requests"]))

    def test_too_few_stable_requests_hold(self):
        self.assertEqual(evaluate_window(arm(5), arm(200), POLICY), ("hold", ["too_few_requests"]))

    def test_more_errors_roll_back(self):
        # stable 1%, canary 4%: more than 1 point worse
        self.assertEqual(evaluate_window(arm(100, errors=1), arm(25, errors=1), POLICY),
                         ("rollback", ["error_rate"]))

    def test_slower_rolls_back(self):
        self.assertEqual(evaluate_window(arm(100, 100.0), arm(25, 121.0), POLICY),
                         ("rollback", ["p95"]))

    def test_both_reasons_in_order(self):
        self.assertEqual(evaluate_window(arm(100, 100.0), arm(40, 150.0, errors=10), POLICY),
                         ("rollback", ["error_rate", "p95"]))

    def test_exactly_at_the_limits_promotes(self):
        # error rates 0.00 and 0.01 (exactly 1 point more); p95 100 and 120 (exactly 1.2 times)
        self.assertEqual(evaluate_window(arm(100, 100.0), arm(100, 120.0, errors=1), POLICY),
                         ("promote", []))


class TestValidatePolicy(unittest.TestCase):
    def test_good_policy(self):
        validate_policy(dict(POLICY))

    def test_bad_policies(self):
        bad = [dict(POLICY, steps=[50, 10, 100]), dict(POLICY, steps=[10, 50]),
               dict(POLICY, steps=[100]), dict(POLICY, window_s=0), dict(POLICY, min_requests=0),
               {k: v for k, v in POLICY.items() if k != "max_p95_ratio"}]
        for policy in bad:
            with self.subTest(policy=policy):
                with self.assertRaises(ValueError):
                    validate_policy(policy)


class TestReplay(unittest.TestCase):
    def test_promoted_in_two_windows(self):
        log = (requests(60, "stable", 100) + requests(60, "canary", 30)
               + requests(120, "stable", 100) + requests(120, "canary", 30)
               + requests(180, "canary", 50))  # after the decision: never evaluated
        report = replay(log, POLICY)
        self.assertEqual(report["decision"], "promoted")
        self.assertEqual(report["final_share"], 100)
        self.assertEqual([(w["window_start"], w["share"], w["action"]) for w in report["windows"]],
                         [(60, 10, "promote"), (120, 50, "promote")])

    def test_hold_then_rollback(self):
        log = (requests(0, "stable", 100) + requests(0, "canary", 5)
               + requests(60, "stable", 100) + requests(60, "canary", 30, errors=3)
               + requests(60, "shadow", 7))
        report = replay(log, POLICY)
        self.assertEqual(report["decision"], "rolled_back")
        self.assertEqual(report["final_share"], 0)
        self.assertEqual(report["ignored_requests"], 7)
        self.assertEqual([w["action"] for w in report["windows"]], ["hold", "rollback"])
        last = report["windows"][-1]
        self.assertEqual((last["canary_requests"], last["canary_errors"]), (30, 3))
        self.assertEqual(last["canary_error_rate"], 0.1)
        self.assertEqual(last["reasons"], ["error_rate"])

    def test_log_ends_mid_rollout(self):
        log = requests(0, "stable", 100) + requests(0, "canary", 30)
        report = replay(log, POLICY)
        self.assertEqual((report["decision"], report["final_share"]), ("in_progress", 50))


if __name__ == "__main__":
    unittest.main()
