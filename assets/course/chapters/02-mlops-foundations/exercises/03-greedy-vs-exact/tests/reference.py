"""The checker's reference answers for optimize.py (coins and nearest-neighbour tours)."""
import math
import random


def greedy_coins(amount, coins):
    count = 0
    for coin in sorted(coins, reverse=True):
        count += amount // coin
        amount %= coin
    return count if amount == 0 else None


def fewest_coins(amount, coins):
    best = [0] + [None] * amount
    for a in range(1, amount + 1):
        found = [best[a - c] for c in coins if c <= a and best[a - c] is not None]
        best[a] = min(found) + 1 if found else None
    return best[amount]


def parse_coins(text):
    return sorted({int(v) for v in text.split(",")})


def load(path):
    import json
    with open(path) as f:
        return [(c["x"], c["y"]) for c in json.load(f)["cities"]]


def squared(p, q):
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2  # exact for whole-number positions


def nearest_neighbour(points, start, high_ties=False):
    """Closed nearest-neighbour tour; ties go to the lower city number (or the higher one, to
    show what the other rule would give)."""
    sign = -1 if high_ties else 1
    tour, left = [start], set(range(len(points))) - {start}
    while left:
        here = points[tour[-1]]
        nxt = min(left, key=lambda c: (squared(here, points[c]), sign * c))
        tour.append(nxt)
        left.remove(nxt)
    return tour + [start]


def tour_length(points, tour):
    return math.fsum(math.dist(points[a], points[b]) for a, b in zip(tour, tour[1:]))


def choose_starts(n, starts, seed):
    return [0] + random.Random(seed).sample(range(1, n), min(starts, n) - 1)


def best_tour(points, starts, high_ties=False):
    best = None
    for start in starts:
        tour = nearest_neighbour(points, start, high_ties)
        length = tour_length(points, tour)
        if best is None or length < best[2] - 1e-9:
            best = (start, tour, length)
    return best
