"""Quick tests for importance.py. Run them with: python3 -m unittest -v"""
import copy
import unittest

from importance import accuracy, flagged, permutation_drops, rank


class ReadsA:
    """A stand-in model: any object with predict(row) will do. It only reads column "a"."""

    def predict(self, row):
        return 1 if row["a"] > 0.5 else 0


ROWS = [{"row_id": float(i), "a": float(v)} for i, v in enumerate([0, 1, 0, 1, 1, 0, 1, 0])]
LABELS = [0, 1, 0, 1, 1, 0, 1, 1]  # the model gets the last row wrong


class TestAccuracy(unittest.TestCase):
    def test_share_of_right_predictions(self):
        self.assertEqual(accuracy(ReadsA(), ROWS, LABELS), 0.875)


class TestDrops(unittest.TestCase):
    def test_seeded_drops(self):
        drops = permutation_drops(ReadsA(), ROWS, LABELS, ["row_id", "a"], repeats=3, seed=3)
        self.assertEqual(list(drops), ["row_id", "a"])
        self.assertEqual(drops["row_id"], [0.0, 0.0, 0.0])  # the model never reads it
        self.assertEqual(drops["a"], [0.5, 0.5, 0.25])

    def test_one_generator_for_the_whole_run(self):
        # Without row_id's shuffles first, "a" gets other shuffles from the same seed.
        drops = permutation_drops(ReadsA(), ROWS, LABELS, ["a"], repeats=3, seed=3)
        self.assertEqual(drops["a"], [0.25, 0.25, 0.25])

    def test_rows_are_left_alone(self):
        rows = copy.deepcopy(ROWS)
        permutation_drops(ReadsA(), rows, LABELS, ["row_id", "a"], repeats=4, seed=9)
        self.assertEqual(rows, ROWS)


class TestRank(unittest.TestCase):
    def test_order_mean_and_spread(self):
        drops = {"x": [0.0, 0.0], "y": [0.1, 0.3], "z": [0.0, 0.0], "w": [-0.1, 0.05]}
        ranking = rank(drops, ["x", "y", "z", "w"])
        self.assertEqual([e["feature"] for e in ranking], ["y", "x", "z", "w"])  # x, z tie
        self.assertAlmostEqual(ranking[0]["mean_drop"], 0.2)
        self.assertAlmostEqual(ranking[0]["std_drop"], 0.1)  # population: divides by n
        self.assertEqual(ranking[0]["drops"], [0.1, 0.3])


class TestFlagged(unittest.TestCase):
    def test_only_forbidden_columns_above_the_limit(self):
        ranking = [{"feature": "leak", "mean_drop": 0.2}, {"feature": "posts", "mean_drop": 0.1},
                   {"feature": "row_id", "mean_drop": 0.01}, {"feature": "noise", "mean_drop": 0.0}]
        self.assertEqual(flagged(ranking, ["row_id", "leak", "noise"], 0.01), ["leak"])
        self.assertEqual(flagged(ranking, ["row_id"], 0.005), ["row_id"])
        self.assertEqual(flagged(ranking, [], 0.0), [])


if __name__ == "__main__":
    unittest.main()
