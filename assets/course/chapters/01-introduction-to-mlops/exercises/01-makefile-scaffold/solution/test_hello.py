"""Tests for hello.py. Run them with: python3 -m unittest -v"""
import unittest

from hello import add, greet


class TestAdd(unittest.TestCase):
    def test_adds_two_numbers(self):
        self.assertEqual(add(2, 3), 5)

    def test_adds_negative_numbers(self):
        self.assertEqual(add(-2, -3), -5)


class TestGreet(unittest.TestCase):
    def test_greets_by_name(self):
        self.assertEqual(greet("Ada"), "Hello, Ada!")

    def test_greets_another_name(self):
        self.assertEqual(greet("Grace Hopper"), "Hello, Grace Hopper!")


if __name__ == "__main__":
    unittest.main()
