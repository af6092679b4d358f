"""Quick tests for cost.py. Run them with: python3 -m unittest -v"""
import copy
import unittest

from cost import (billed_ms, break_even, container_cost, gb_seconds, lambda_cost, parse_row,
                  usage_totals, validate_prices)

PRICES = {
    "lambda": {"request_price_per_million": 0.20, "gb_second_price": 0.0000167,
               "free_requests_per_month": 1000000, "free_gb_seconds_per_month": 400000},
    "container": {"vcpu_hour_price": 0.04, "gb_hour_price": 0.0045, "hours_per_month": 730},
}


def prices(**lambda_changes):
    p = copy.deepcopy(PRICES)
    p["lambda"].update(lambda_changes)
    return p


NO_FREE = prices(free_requests_per_month=0, free_gb_seconds_per_month=0)


class TestDuration(unittest.TestCase):
    def test_rounded_up_to_a_whole_millisecond(self):
        self.assertEqual(billed_ms(38.2), 39)
        self.assertEqual(billed_ms(0.4), 1)
        self.assertEqual(billed_ms(1430.01), 1431)

    def test_a_whole_duration_bills_as_itself(self):
        self.assertEqual(billed_ms(250.0), 250)

    def test_gb_seconds(self):
        self.assertAlmostEqual(gb_seconds(1024, 1000.0, 1), 1.0)
        self.assertAlmostEqual(gb_seconds(512, 38.2, 1000), 19.5)       # 0.5 GB x 0.039 s x 1000
        self.assertAlmostEqual(gb_seconds(128, 0.4, 8000), 1.0)         # 0.125 GB x 0.001 s x 8000

    def test_totals_per_function(self):
        rows = [("predict", 512, 38.2, 1000), ("explain", 1024, 999.5, 10),
                ("predict", 1024, 20.0, 500)]  # predict was resized mid-month
        totals = usage_totals(rows)
        self.assertEqual(sorted(totals), ["explain", "predict"])
        self.assertEqual(totals["predict"]["requests"], 1500)
        self.assertAlmostEqual(totals["predict"]["gb_seconds"], 19.5 + 10.0)
        self.assertAlmostEqual(totals["explain"]["gb_seconds"], 10.0)


class TestLambdaCost(unittest.TestCase):
    def test_no_free_allowance(self):
        bill = lambda_cost(3_000_000, 180_000.0, NO_FREE)
        self.assertAlmostEqual(bill["request_cost"], 0.60)
        self.assertAlmostEqual(bill["duration_cost"], 3.006)
        self.assertAlmostEqual(bill["total"], 3.606)

    def test_free_allowance_on_each_total(self):
        bill = lambda_cost(3_000_000, 500_000.0, PRICES)
        self.assertEqual(bill["billable_requests"], 2_000_000)
        self.assertAlmostEqual(bill["billable_gb_seconds"], 100_000.0)
        self.assertAlmostEqual(bill["total"], 0.40 + 1.67)

    def test_never_below_zero(self):
        bill = lambda_cost(250_000, 900_000.0, PRICES)  # few requests, but long ones
        self.assertEqual(bill["billable_requests"], 0)
        self.assertAlmostEqual(bill["request_cost"], 0.0)
        self.assertAlmostEqual(bill["duration_cost"], 500_000 * 0.0000167)


class TestContainerCost(unittest.TestCase):
    def test_two_small_tasks_all_month(self):
        self.assertAlmostEqual(container_cost(2, 0.5, 1.0, PRICES), 35.77)

    def test_hours_come_from_the_price_file(self):
        p = copy.deepcopy(PRICES)
        p["container"]["hours_per_month"] = 720
        self.assertAlmostEqual(container_cost(1, 1.0, 2.0, p), 35.28)


class TestBreakEven(unittest.TestCase):
    def test_without_free_allowance(self):
        # 35.77 / (0.20e-6 + 0.05 x 0.0000167) = 34,560,386.47...: round up
        self.assertEqual(break_even(0.05, 35.77, NO_FREE), 34_560_387)

    def test_free_allowance_moves_it(self):
        self.assertEqual(break_even(0.05, 35.77, PRICES), 41_207_730)

    def test_crossing_while_the_gb_seconds_are_still_free(self):
        # 0.05 GB-s a request: the 400,000 free GB-seconds last to 8,000,000 requests
        p = prices(request_price_per_million=0.30)
        self.assertEqual(break_even(0.05, 1.00, p), 4_333_334)

    def test_it_is_the_smallest_such_number(self):
        n = break_even(0.0731, 12.34, PRICES)
        self.assertGreaterEqual(lambda_cost(n, n * 0.0731, PRICES)["total"], 12.34)
        self.assertLess(lambda_cost(n - 1, (n - 1) * 0.0731, PRICES)["total"], 12.34)


class TestValidation(unittest.TestCase):
    def test_good_prices(self):
        validate_prices(copy.deepcopy(PRICES))
        validate_prices(NO_FREE)

    def test_bad_prices(self):
        missing = copy.deepcopy(PRICES)
        del missing["container"]["gb_hour_price"]
        zero = copy.deepcopy(PRICES)
        zero["lambda"]["gb_second_price"] = 0
        for why, p in {"missing key": missing, "zero price": zero,
                       "price as text": prices(request_price_per_million="0.20"),
                       "negative allowance": prices(free_requests_per_month=-1),
                       "no container section": {"lambda": PRICES["lambda"]}}.items():
            with self.subTest(why):
                with self.assertRaises(ValueError):
                    validate_prices(p)

    def test_bad_rows(self):
        good = {"function": "predict", "memory_mb": "512", "duration_ms": "38.2", "requests": "10"}
        self.assertEqual(parse_row(good, 2), ("predict", 512, 38.2, 10))
        for key, value in (("memory_mb", "64"), ("duration_ms", "0"), ("duration_ms", "900001"),
                           ("requests", "-5"), ("requests", "2.5"), ("duration_ms", "fast")):
            with self.subTest(f"{key}={value}"):
                with self.assertRaises(ValueError):
                    parse_row(dict(good, **{key: value}), 2)


if __name__ == "__main__":
    unittest.main()
