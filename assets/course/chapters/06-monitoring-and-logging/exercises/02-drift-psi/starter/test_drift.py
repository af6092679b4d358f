"""Quick tests for drift.py. Run them with: python3 -m unittest -v"""
import unittest

from drift import EPSILON, bin_edges, ks_stat, psi, shares, status


class TestKS(unittest.TestCase):
    def test_shifted_ranges(self):
        # ECDFs of [1..5] and [3..7] differ most at 2 (0.4 - 0) and at 5 (1.0 - 0.6)
        self.assertAlmostEqual(ks_stat([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]), 0.4)

    def test_identical(self):
        self.assertEqual(ks_stat([3, 1, 2], [1, 2, 3]), 0.0)

    def test_different_sizes(self):
        self.assertAlmostEqual(ks_stat([1, 2], [1, 1, 1, 2]), 0.25)


class TestBins(unittest.TestCase):
    def test_median_edge(self):
        self.assertEqual(bin_edges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2), [5.5])

    def test_value_on_an_edge_goes_low(self):
        self.assertEqual(shares([1, 2, 2, 3], [2]), [0.75, 0.25])

    def test_empty_bin_gets_epsilon(self):
        self.assertEqual(shares([1, 1], [5]), [1.0, EPSILON])


class TestPSI(unittest.TestCase):
    def test_identical_samples(self):
        data = [float(i) for i in range(100)]
        self.assertEqual(psi(data, data), 0.0)

    def test_shift_is_positive(self):
        base = [float(i) for i in range(100)]
        self.assertGreater(psi(base, [v + 30 for v in base]), 0.25)


class TestStatus(unittest.TestCase):
    def test_bands(self):
        self.assertEqual(status(0.05), "stable")
        self.assertEqual(status(0.1), "moderate")
        self.assertEqual(status(0.2499), "moderate")
        self.assertEqual(status(0.25), "major")


if __name__ == "__main__":
    unittest.main()
