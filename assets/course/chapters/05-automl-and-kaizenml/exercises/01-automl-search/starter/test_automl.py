"""Quick tests for automl.py. Run them with: python3 -m unittest -v"""
import math
import unittest

from automl import (candidates, cross_validate, distance, fit_predict, fit_stump, knn_predict,
                    refit, search)


class TestStump(unittest.TestCase):
    def test_low_values_churn(self):
        rows = [[1.0], [2.0], [3.0], [10.0], [11.0]]
        self.assertEqual(fit_stump(rows, [1, 1, 1, 0, 0], 0),
                         {"threshold": 6.5, "polarity": "below"})

    def test_high_values_churn(self):
        rows = [[1.0], [2.0], [3.0], [10.0], [11.0]]
        self.assertEqual(fit_stump(rows, [0, 0, 0, 1, 1], 0),
                         {"threshold": 6.5, "polarity": "above"})

    def test_ties_keep_the_first_threshold(self):
        # t = 1.5 "above" and t = 3.5 "above" both get 3 of 4 right: the smaller one wins
        rows = [[1.0], [2.0], [3.0], [4.0]]
        self.assertEqual(fit_stump(rows, [0, 1, 0, 1], 0), {"threshold": 1.5, "polarity": "above"})

    def test_constant_feature(self):
        self.assertEqual(fit_stump([[5.0], [5.0], [5.0]], [1, 0, 1], 0),
                         {"threshold": None, "polarity": "constant", "label": 1})


class TestKnn(unittest.TestCase):
    def test_distances(self):
        self.assertEqual(distance([0.0, 0.0], [3.0, 4.0], "euclidean"), 5.0)
        self.assertEqual(distance([0.0, 0.0], [3.0, 4.0], "manhattan"), 7.0)

    def test_majority_of_the_nearest(self):
        train = [[0.0], [0.1], [0.2], [0.9], [1.0]]
        self.assertEqual(knn_predict(train, [1, 1, 0, 0, 0], [0.05], 3, "euclidean"), 1)
        self.assertEqual(knn_predict(train, [1, 1, 0, 0, 0], [0.95], 3, "euclidean"), 0)

    def test_distance_ties_go_to_the_earlier_row(self):
        train = [[0.4], [0.6], [0.0]]  # 0.4 and 0.6 are both 0.1 away from 0.5
        self.assertEqual(knn_predict(train, [1, 0, 0], [0.5], 1, "manhattan"), 1)
        self.assertEqual(knn_predict(train, [0, 1, 1], [0.5], 1, "manhattan"), 0)

    def test_scaling_comes_from_the_training_rows(self):
        # trained on x in [0, 10] and y in [0, 1000]: after scaling, y matters as much as x
        train = [[0.0, 0.0], [10.0, 1000.0], [0.0, 1000.0]]
        knn = {"name": "knn(k=1,euclidean)", "model": "knn",
               "params": {"k": 1, "distance": "euclidean"}}
        self.assertEqual(fit_predict(knn, ["x", "y"], train, [0, 1, 1], [[1.0, 900.0]]), [1])
        self.assertEqual(fit_predict(knn, ["x", "y"], train, [0, 1, 1], [[9.0, 100.0]]), [0])


class TestSearch(unittest.TestCase):
    def setUp(self):
        # 10 rows: x decides, z is noise; row i is in fold i % 5
        self.features = ["x", "z"]
        self.rows = [[float(i), float((i * 7) % 10)] for i in range(10)]
        self.labels = [1 if i < 5 else 0 for i in range(10)]

    def test_folds_are_row_index_mod_folds(self):
        stump = candidates(self.features)[0]
        # fold 0 holds rows 0 and 5. Trained on the other 8 rows, the threshold falls halfway
        # between x = 4 and x = 6, at 5.0, so row 5 (x = 5, label 0) is predicted 1.
        scores = cross_validate(stump, self.features, self.rows, self.labels, 5)
        self.assertEqual(scores, [0.5, 1.0, 1.0, 1.0, 1.0])

    def test_leaderboard_order_and_fields(self):
        board = search(self.features, self.rows, self.labels, 5)
        self.assertEqual(len(board), 2 + 8)
        self.assertEqual(board[0]["name"], "stump(x)")
        self.assertEqual([e["rank"] for e in board], list(range(1, 11)))
        for entry in board:
            self.assertEqual(len(entry["fold_accuracies"]), 5)
            self.assertTrue(math.isclose(entry["mean_accuracy"], sum(entry["fold_accuracies"]) / 5))

    def test_exact_ties_prefer_the_simpler_model(self):
        rows = [[r[0], r[0]] for r in self.rows]  # two identical columns
        board = search(["a", "b"], rows, self.labels, 5)
        names = [e["name"] for e in board]
        self.assertLess(names.index("stump(a)"), names.index("stump(b)"))
        self.assertLess(names.index("knn(k=3,euclidean)"), names.index("knn(k=3,manhattan)"))

    def test_refit_a_stump_on_every_row(self):
        board = search(self.features, self.rows, self.labels, 5)
        model = refit(board[0], self.features, self.rows, self.labels, "churned")
        self.assertEqual((model["model"], model["feature"], model["threshold"], model["polarity"]),
                         ("stump", "x", 4.5, "below"))


if __name__ == "__main__":
    unittest.main()
