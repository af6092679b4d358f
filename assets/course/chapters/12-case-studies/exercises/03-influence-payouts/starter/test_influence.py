"""Quick unit tests for linalg.py and influence.py: python3 -m unittest -v"""
import math
import unittest

import influence
import linalg


class Solve(unittest.TestCase):
    def test_needs_a_row_swap(self):
        a = [[0.0, 2.0, 1.0], [1.0, 1.0, 1.0], [2.0, 1.0, 3.0]]     # a[0][0] is 0: pivot or fail
        b = [7.0, 6.0, 13.0]
        x = linalg.solve(a, b)
        for got, want in zip(x, [1.0, 2.0, 3.0]):
            self.assertAlmostEqual(got, want, places=9)
        self.assertEqual(a[0], [0.0, 2.0, 1.0], "solve() must not change its arguments")
        self.assertEqual(b, [7.0, 6.0, 13.0], "solve() must not change its arguments")

    def test_singular(self):
        with self.assertRaises(linalg.SingularMatrix):
            linalg.solve([[1.0, 2.0], [2.0, 4.0]], [3.0, 6.0])
        with self.assertRaises(linalg.SingularMatrix):
            linalg.solve([[4.0, 0.0], [0.0, 0.0]], [1.0, 0.0])


def row(views, followers, likes):
    return {"page_views": str(views), "followers": str(followers), "likes": str(likes)}


class Fit(unittest.TestCase):
    def test_exact_log_linear_data(self):
        # log(views + 1) = 0.5 + 0.8 log(followers + 1) + 0.1 log(likes + 1), exactly
        rows = []
        for f, l in [(99, 9), (999, 99), (9999, 99), (99999, 9999), (999, 9999)]:
            z = 0.5 + 0.8 * math.log(f + 1) + 0.1 * math.log(l + 1)
            rows.append(row(math.exp(z) - 1, f, l))
        rows.append(row("n/a", 10, 10))                  # skipped: the target is not a number
        rows.append(row(100, -3, 10))                     # skipped: followers below 0
        model = influence.fit(rows, ["followers", "likes"])
        self.assertEqual((model["rows"], model["skipped"]), (5, 2))
        self.assertAlmostEqual(model["intercept"], 0.5, places=6)
        self.assertAlmostEqual(model["coefficients"]["followers"], 0.8, places=6)
        self.assertAlmostEqual(model["coefficients"]["likes"], 0.1, places=6)

    def test_too_few_rows(self):
        with self.assertRaises(influence.InputError):
            influence.fit([row(10, 5, 1), row(20, 50, 2)], ["followers", "likes"])


class Predict(unittest.TestCase):
    model = {"features": ["followers"], "intercept": 1.0, "coefficients": {"followers": 0.5}}

    def test_views(self):
        views = influence.predict_views(self.model, {"followers": "99"})
        self.assertAlmostEqual(views, math.exp(1.0 + 0.5 * math.log(100)) - 1, places=6)

    def test_unusable_feature(self):
        self.assertIsNone(influence.predict_views(self.model, {"followers": ""}))

    def test_never_below_zero(self):
        model = {"features": ["followers"], "intercept": -5.0, "coefficients": {"followers": 0.1}}
        self.assertEqual(influence.predict_views(model, {"followers": "0"}), 0.0)


class Payouts(unittest.TestCase):
    def test_cap_then_scale_then_round_down(self):
        # offers 300, 400 (capped from 2000) and 50: 750 against a budget of 600 -> scale 0.8
        plan = influence.plan_payouts([150_000, 1_000_000, 25_000], 0.002, 600, 400)
        self.assertAlmostEqual(plan["offered"], 750.0, places=9)
        self.assertAlmostEqual(plan["scale"], 0.8, places=9)
        self.assertEqual(plan["capped"], 1)
        self.assertEqual(plan["payouts"], [240.0, 320.0, 40.0])

    def test_rounds_down_to_the_cent(self):
        plan = influence.plan_payouts([1234.5678, 9999], 0.01, 1000, 400)
        self.assertEqual(plan["scale"], 1.0)
        self.assertEqual(plan["payouts"], [12.34, 99.99])

    def test_never_over_budget(self):
        views = [1000 + 7 * i for i in range(50)]
        plan = influence.plan_payouts(views, 0.003, 100, 400)
        self.assertLessEqual(sum(round(p * 100) for p in plan["payouts"]), 100 * 100)


class Mape(unittest.TestCase):
    def test_skips_zero_actuals(self):
        value, rows = influence.mape([(100, 110), (200, 150), (0, 30)])
        self.assertAlmostEqual(value, 17.5, places=9)     # (10% + 25%) / 2
        self.assertEqual(rows, 2)

    def test_nothing_left(self):
        self.assertEqual(influence.mape([(0, 5)]), (None, 0))


class Protected(unittest.TestCase):
    def test_case_and_spaces_do_not_matter(self):
        with self.assertRaises(influence.ProtectedColumn):
            influence.check_features(["followers", " Gender"], {"gender", "age"})
        influence.check_features(["followers", "likes"], {"gender", "age"})   # no error


if __name__ == "__main__":
    unittest.main()
