"""Quick tests for monitor.py. Run them with: python3 -m unittest -v"""
import json
import unittest

from monitor import p95, parse_line, summarize


def line(ts, status=200, ms=50.0):
    return json.dumps({"ts": ts, "status": status, "latency_ms": ms})


class TestP95(unittest.TestCase):
    def test_twenty_values(self):
        # rank ceil(0.95 * 20) = 19
        self.assertEqual(p95(list(range(1, 21))), 19)

    def test_hundred_values_unsorted(self):
        self.assertEqual(p95(list(range(100, 0, -1))), 95)

    def test_one_value(self):
        self.assertEqual(p95([42.5]), 42.5)


class TestParseLine(unittest.TestCase):
    def test_valid(self):
        self.assertEqual(parse_line(line(10.5, 503, 12.0)), (10.5, 503, 12.0))

    def test_malformed(self):
        for bad in ["not json", "[1, 2]", '{"ts": 1, "status": "200", "latency_ms": 3}',
                    '{"ts": true, "status": 200, "latency_ms": 3}', '{"ts": 1, "status": 200}']:
            with self.subTest(bad=bad):
                self.assertIsNone(parse_line(bad))


class TestSummarize(unittest.TestCase):
    def test_one_bad_window(self):
        lines = [line(60 + i, 500 if i < 5 else 200) for i in range(20)]  # 25% errors
        lines += [line(120 + i) for i in range(20)] + ["oops", ""]
        report = summarize(lines)
        self.assertEqual(report["lines"], 41)
        self.assertEqual(report["malformed"], 1)
        self.assertEqual(report["windows"], 2)
        self.assertEqual([a["window_start"] for a in report["alerts"]], [60])
        self.assertEqual(report["alerts"][0]["reasons"], ["error_rate"])

    def test_too_few_requests_never_alert(self):
        lines = [line(i, 500) for i in range(5)]
        self.assertEqual(summarize(lines, min_requests=20)["alerts"], [])


if __name__ == "__main__":
    unittest.main()
