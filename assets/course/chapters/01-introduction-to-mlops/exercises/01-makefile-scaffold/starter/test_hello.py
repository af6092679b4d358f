"""Tests for hello.py. Run them with: python3 -m unittest -v"""
import unittest

from hello import add, greet  # noqa: F401  (greet is waiting for its tests)


class TestAdd(unittest.TestCase):
    def test_adds_two_numbers(self):
        self.assertEqual(add(2, 3), 5)

    def test_adds_negative_numbers(self):
        self.assertEqual(add(-2, -3), -5)


# TODO: add a TestGreet class whose test pins down greet()'s exact output.


if __name__ == "__main__":
    unittest.main()
