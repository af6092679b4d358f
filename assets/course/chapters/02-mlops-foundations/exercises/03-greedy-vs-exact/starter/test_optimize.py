"""Quick tests for optimize.py. Run them with: python3 -m unittest -v"""
import unittest

from optimize import best_tour, choose_starts, fewest_coins, greedy_coins, nearest_neighbour, tour_length

EURO_CENTS = [1, 2, 5, 10, 20, 50]


class TestCoins(unittest.TestCase):
    def test_greedy(self):
        self.assertEqual(greedy_coins(63, EURO_CENTS), 4)  # 50 + 10 + 2 + 1
        self.assertEqual(greedy_coins(6, [1, 3, 4]), 3)    # 4 + 1 + 1
        self.assertEqual(greedy_coins(0, [1, 3, 4]), 0)

    def test_greedy_can_get_stuck(self):
        self.assertIsNone(greedy_coins(9, [3, 5]))         # 5, then 4 is left and 3 leaves 1

    def test_fewest(self):
        self.assertEqual(fewest_coins(63, EURO_CENTS), 4)
        self.assertEqual(fewest_coins(6, [1, 3, 4]), 2)    # 3 + 3
        self.assertEqual(fewest_coins(10, [1, 3, 4]), 3)   # 3 + 3 + 4
        self.assertEqual(fewest_coins(9, [3, 5]), 3)       # 3 + 3 + 3
        self.assertEqual(fewest_coins(0, [2, 5]), 0)

    def test_impossible(self):
        self.assertIsNone(fewest_coins(7, [2, 4]))
        self.assertIsNone(fewest_coins(1, [2, 5]))


class TestTours(unittest.TestCase):
    square = [(0, 0), (3, 0), (3, 4), (0, 4)]

    def test_length_of_a_closed_tour(self):
        self.assertEqual(tour_length(self.square, [0, 1, 2, 3, 0]), 14.0)
        self.assertEqual(tour_length(self.square, [0, 2, 1, 3, 0]), 18.0)  # 5 + 4 + 5 + 4

    def test_nearest_neighbour(self):
        points = [(0, 0), (10, 0), (1, 0), (5, 0)]
        self.assertEqual(nearest_neighbour(points, 0), [0, 2, 3, 1, 0])
        self.assertEqual(nearest_neighbour(points, 1), [1, 3, 2, 0, 1])

    def test_ties_go_to_the_lower_number(self):
        points = [(0, 0), (0, 2), (2, 0), (9, 9)]  # cities 1 and 2 are both 2 km from city 0
        self.assertEqual(nearest_neighbour(points, 0), [0, 1, 2, 3, 0])

    def test_starts(self):
        self.assertEqual(choose_starts(12, 4, 7), [0, 6, 3, 7])
        self.assertEqual(choose_starts(12, 1, 7), [0])
        every = choose_starts(5, 50, 3)                    # more starts than cities
        self.assertEqual((every[0], sorted(every)), (0, [0, 1, 2, 3, 4]))

    def test_best_tour_keeps_the_first_of_equal_tours(self):
        # Every nearest-neighbour tour of a square is its outline: 14 km from any start.
        self.assertEqual(best_tour(self.square, [2, 0, 3]), (2, [2, 3, 0, 1, 2], 14.0))

    def test_best_tour_is_the_shortest(self):
        # The five cities A to E of the lesson ch02-greedy-vs-exact, as cities 0 to 4.
        points = [(0, 0), (1, 5), (5, 2), (6, 6), (2, 1)]
        start, tour, length = best_tour(points, [4, 1, 2, 0])  # E, B, C, A
        self.assertEqual((start, tour), (2, [2, 4, 0, 1, 3, 2]))  # C wins; A ties, comes later
        self.assertAlmostEqual(length, 19.7194902904714)

if __name__ == "__main__":
    unittest.main()
