"""Quick tests for core.py, no server needed. Run them with: python3 -m unittest -v"""
import unittest

import core

MODEL = core.load_model("model.json")


class PredictTest(unittest.TestCase):
    def test_known_customers(self):
        self.assertAlmostEqual(core.predict(MODEL, [3, 80, 4, 2]), 0.892832, places=6)
        self.assertAlmostEqual(core.predict(MODEL, [48, 20, 0, 25]), 0.022096, places=6)
        self.assertAlmostEqual(core.predict(MODEL, [12, 55.5, 1, 10]), 0.42458, places=6)

    def test_extreme_inputs_still_give_a_probability(self):
        self.assertEqual(core.predict(MODEL, [-100000, 0, 0, 0]), 1.0)
        self.assertEqual(core.predict(MODEL, [100000, 0, 0, 0]), 0.0)


class ValidateTest(unittest.TestCase):
    def test_rejects_bad_features(self):
        cases = {
            "too few": [3, 80, 4],
            "too many": [3, 80, 4, 2, 1],
            "not a list": "3,80,4,2",
            "a string": [3, "80", 4, 2],
            "a boolean": [3, 80, True, 2],
            "null": [None, 80, 4, 2],
            "NaN": [3, float("nan"), 4, 2],
            "infinity": [3, 80, 4, float("inf")],
        }
        for label, features in cases.items():
            with self.subTest(label), self.assertRaises(core.InvalidInput):
                core.predict(MODEL, features)

    def test_accepts_ints_and_floats(self):
        self.assertEqual(core.validate(MODEL, [3, 80.5, 4, 2]), [3.0, 80.5, 4.0, 2.0])


if __name__ == "__main__":
    unittest.main()
