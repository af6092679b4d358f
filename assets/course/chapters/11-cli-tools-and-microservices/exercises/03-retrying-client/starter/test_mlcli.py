"""Quick unit tests for mlcli.py's small functions: python3 -m unittest -v"""
import unittest

import mlcli


class ParseFeatures(unittest.TestCase):
    def test_numbers(self):
        self.assertEqual(mlcli.parse_features("3,80,4.5,2"), [3.0, 80.0, 4.5, 2.0])

    def test_spaces_and_signs(self):
        self.assertEqual(mlcli.parse_features(" 3, -80 ,+4.5"), [3.0, -80.0, 4.5])

    def test_bad_items(self):
        for text in ["", "3,,4", "3,four", "3,4,", "nan", "1,inf", "1;2"]:
            with self.subTest(text=text), self.assertRaises(ValueError):
                mlcli.parse_features(text)


class RetryDelay(unittest.TestCase):
    def test_backoff_doubles(self):
        self.assertEqual([mlcli.retry_delay(n) for n in (1, 2, 3)], [0.5, 1.0, 2.0])

    def test_retry_after_seconds(self):
        self.assertEqual(mlcli.retry_delay(1, "3"), 3)
        self.assertEqual(mlcli.retry_delay(3, " 0 "), 0)

    def test_retry_after_is_capped(self):
        self.assertEqual(mlcli.retry_delay(2, "120"), mlcli.MAX_DELAY_S)

    def test_other_retry_after_values_fall_back_to_backoff(self):
        for text in ["1.5", "-1", "", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"]:
            with self.subTest(text=text):
                self.assertEqual(mlcli.retry_delay(2, text), 1.0)


class Retryable(unittest.TestCase):
    def test_5xx_is_retried(self):
        for status in (500, 502, 503, 504):
            self.assertTrue(mlcli.is_retryable(status), status)

    def test_4xx_is_final(self):
        for status in (400, 401, 403, 404, 422, 429):
            self.assertFalse(mlcli.is_retryable(status), status)


if __name__ == "__main__":
    unittest.main()
