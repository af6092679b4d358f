"""Quick tests for quantize.py and fit.py. Run them with: python3 -m unittest -v"""
import unittest

from fit import plan
from quantize import dequantize, qparams, quantize, round_half_away


class TestRounding(unittest.TestCase):
    def test_halves_go_away_from_zero(self):
        for x, want in [(2.5, 3), (-2.5, -3), (0.5, 1), (-0.5, -1), (3.5, 4), (127.5, 128)]:
            with self.subTest(x=x):
                self.assertEqual(round_half_away(x), want)

    def test_everything_else_goes_to_the_nearest(self):
        for x, want in [(2.4, 2), (2.6, 3), (-2.4, -2), (-2.6, -3), (0.0, 0), (7.0, 7)]:
            with self.subTest(x=x):
                self.assertEqual(round_half_away(x), want)
                self.assertIsInstance(round_half_away(x), int)


class TestLessonExamples(unittest.TestCase):
    """The two worked examples of the lesson ch03-quantization."""

    def test_symmetric_weights(self):
        weights = [0.5, -0.31, 0.2, 0.0, -0.5, 0.07, 0.44, -0.12]
        scale, zero_point = qparams(min(weights), max(weights), "sym-int8")
        self.assertAlmostEqual(scale, 0.5 / 127)
        self.assertEqual(zero_point, 0)
        q, clipped = quantize(weights, scale, zero_point, "sym-int8")
        self.assertEqual(q, [127, -79, 51, 0, -127, 18, 112, -30])
        self.assertEqual(clipped, 0)
        self.assertAlmostEqual(dequantize([51], scale, zero_point)[0], 0.2008, places=4)

    def test_asymmetric_activations(self):
        scale, zero_point = qparams(-1.0, 3.0, "asym-int8")
        self.assertAlmostEqual(scale, 4 / 255)
        self.assertEqual(zero_point, -64)
        self.assertEqual(quantize([-1.0, 0.0, 1.0, 3.0], scale, zero_point, "asym-int8")[0],
                         [-128, -64, 0, 127])

    def test_unsigned_shifts_the_zero_point_by_128(self):
        scale, zero_point = qparams(-1.0, 3.0, "asym-uint8")
        self.assertEqual(zero_point, 64)
        self.assertEqual(quantize([1.0], scale, zero_point, "asym-uint8")[0], [128])


class TestEdges(unittest.TestCase):
    def test_the_range_always_holds_zero(self):
        scale, zero_point = qparams(2.0, 4.0, "asym-uint8")  # widened to [0, 4]
        self.assertAlmostEqual(scale, 4 / 255)
        self.assertEqual(zero_point, 0)

    def test_all_zero_tensor(self):
        self.assertEqual(qparams(0.0, 0.0, "sym-int8"), (1.0, 0))

    def test_values_outside_the_range_are_clamped_and_counted(self):
        scale, zero_point = qparams(-1.0, 1.0, "sym-int8")
        self.assertEqual(quantize([2.0, -3.0, 0.5], scale, zero_point, "sym-int8"), ([127, -127, 64], 2))


class TestFit(unittest.TestCase):
    def test_lesson_example(self):
        got = plan(10_000_000, 16)
        self.assertEqual((got["float32_mb"], got["int8_mb"]), (40.0, 10.0))
        self.assertEqual((got["float32_fits"], got["int8_fits"], got["choice"]), (False, True, "int8"))

    def test_reserve_and_exact_fit(self):
        got = plan(4_000_000, 20, reserve_mb=4)  # 16 MB of float32 in exactly 16 MB
        self.assertEqual(got["available_mb"], 16)
        self.assertEqual((got["float32_fits"], got["choice"]), (True, "float32"))


if __name__ == "__main__":
    unittest.main()
