"""Quick tests for stats.py. Run them with: python3 -m unittest -v"""
import unittest

from stats import describe, fit_line, outlier_rows, parse_number, pearson_r


class TestParseNumber(unittest.TestCase):
    def test_numbers(self):
        self.assertEqual(parse_number("72.5"), 72.5)
        self.assertEqual(parse_number(" 81.9 "), 81.9)
        self.assertEqual(parse_number("1e2"), 100.0)
        self.assertEqual(parse_number("-3"), -3.0)

    def test_not_numbers(self):
        for cell in ["", "   ", None, "n/a", "NaN", "inf", "-Infinity", "12kg"]:
            with self.subTest(cell=cell):
                self.assertIsNone(parse_number(cell))


class TestDescribe(unittest.TestCase):
    def test_four_values(self):
        got = describe([4.0, 1.0, 3.0, 2.0])
        self.assertEqual(got["mean"], 2.5)
        self.assertEqual(got["median"], 2.5)
        self.assertAlmostEqual(got["stdev"], 1.2909944487358056)  # sample: divides by n - 1
        self.assertEqual((got["min"], got["max"]), (1.0, 4.0))


class TestLine(unittest.TestCase):
    # The ten people of the lesson ch02-statistics-for-mlops.
    heights = [158, 162, 165, 170, 172, 175, 178, 181, 185, 190]
    weights = [54, 63, 58, 66, 72, 64, 75, 71, 83, 80]

    def test_lesson_data(self):
        slope, intercept = fit_line(self.heights, self.weights)
        self.assertAlmostEqual(slope, 0.8260, places=4)
        self.assertAlmostEqual(intercept, -74.79, places=2)
        self.assertAlmostEqual(pearson_r(self.heights, self.weights), 0.908, places=3)

    def test_perfect_lines(self):
        xs = [1, 2, 3, 4]
        self.assertAlmostEqual(pearson_r(xs, [3, 5, 7, 9]), 1.0)
        self.assertAlmostEqual(pearson_r(xs, [8, 6, 4, 2]), -1.0)
        self.assertEqual(fit_line(xs, [3, 5, 7, 9]), (2.0, 1.0))


class TestOutliers(unittest.TestCase):
    def test_strictly_more_than_three_sds(self):
        rows = [(1, 0.0, 10.0), (2, 0.0, 13.0), (4, 0.0, 17.0), (7, 0.0, 3.9)]
        # mean 10, stdev 2: row 2 is 1.5 sds away, row 4 is 3.5, row 7 is 3.05
        self.assertEqual(outlier_rows(rows, 10.0, 2.0), [4, 7])
        self.assertEqual(outlier_rows([(1, 0.0, 16.0)], 10.0, 2.0), [])  # exactly 3 sds


if __name__ == "__main__":
    unittest.main()
