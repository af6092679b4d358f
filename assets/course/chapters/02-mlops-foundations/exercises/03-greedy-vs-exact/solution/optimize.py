#!/usr/bin/env python3
"""optimize.py: greedy and exact answers to two small optimization problems.

Usage:
    python3 optimize.py coins --amount 6 --coins 1,3,4
    python3 optimize.py tsp cities.json [--starts 20] [--seed 0]

`coins` prints how many coins the greedy rule uses and the fewest coins that make the amount
(exit status 3 when no combination of the coins makes it). `tsp` prints the shortest
nearest-neighbour tour over city 0 and a seeded random draw of other starting cities. Both print
one JSON object. README.md has the full rules.
"""
import argparse
import json
import math
import random
import sys

EXIT_IMPOSSIBLE = 3
TIE = 1e-9  # a later start must beat the best tour so far by more than this


class InputError(Exception):
    """The input cannot be used; main() prints the message and exits with status 2."""


# ---- coins --------------------------------------------------------------------------------

def coin_list(text):
    """argparse type for --coins: "4,1,3" gives [1, 3, 4] (sorted, duplicates removed)."""
    try:
        coins = sorted({int(part) for part in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of whole numbers")
    if not coins or coins[0] < 1:
        raise argparse.ArgumentTypeError("every coin must be a whole number of at least 1")
    return coins


def amount_value(text):
    """argparse type for --amount: a whole number of at least 0."""
    try:
        amount = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if amount < 0:
        raise argparse.ArgumentTypeError("the amount cannot be negative")
    return amount


def greedy_coins(amount, coins):
    """How many coins "take as many of the largest coin as fit, then the next" uses, or None.

    coins is sorted from smallest to largest. None means greedy got stuck: something was left
    after the smallest coin.
    """
    count = 0
    for coin in reversed(coins):
        take = amount // coin
        count += take
        amount -= take * coin
    return count if amount == 0 else None


def fewest_coins(amount, coins):
    """The fewest coins that add up to amount exactly (dynamic programming), or None."""
    best = [0] + [None] * amount  # best[a]: fewest coins for the amount a, None if impossible
    for a in range(1, amount + 1):
        options = [best[a - c] for c in coins if c <= a and best[a - c] is not None]
        if options:
            best[a] = min(options) + 1
    return best[amount]


# ---- tours --------------------------------------------------------------------------------

def load_cities(path):
    """The cities of a JSON file as a list of (x, y) points; city i is the i-th in the file."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}")
    except ValueError as err:
        raise InputError(f"{path} is not valid JSON: {err}")
    cities = data.get("cities") if isinstance(data, dict) else None
    if not isinstance(cities, list) or len(cities) < 2:
        raise InputError(f"{path}: \"cities\" must be a list of at least 2 cities")
    points = []
    for i, city in enumerate(cities):
        xy = [city.get(k) if isinstance(city, dict) else None for k in ("x", "y")]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                   for v in xy):
            raise InputError(f"{path}: city {i} needs numbers \"x\" and \"y\"")
        points.append((xy[0], xy[1]))
    return points


def tour_length(points, tour):
    """The length of a closed tour (a list of city numbers whose last equals its first)."""
    return sum(math.dist(points[a], points[b]) for a, b in zip(tour, tour[1:]))


def nearest_neighbour(points, start):
    """The nearest-neighbour tour from start: always go to the closest unvisited city (the lower
    number on a tie), and finally back to start."""
    tour = [start]
    left = set(range(len(points))) - {start}
    while left:
        here = points[tour[-1]]
        nxt = min(sorted(left), key=lambda c: math.dist(here, points[c]))
        tour.append(nxt)
        left.remove(nxt)
    return tour + [start]


def choose_starts(n, starts, seed):
    """City 0, then min(starts, n) - 1 other cities drawn with a generator seeded with seed."""
    k = min(starts, n)
    rng = random.Random(seed)
    return [0] + rng.sample(range(1, n), k - 1)


def best_tour(points, starts):
    """(start, tour, length) of the shortest nearest-neighbour tour over the starts, in order.

    A later start replaces the best so far only when its tour is shorter by more than TIE.
    """
    best = None
    for start in starts:
        tour = nearest_neighbour(points, start)
        length = tour_length(points, tour)
        if best is None or length < best[2] - TIE:
            best = (start, tour, length)
    return best


# ---- command line -------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description="Greedy versus exact: coins and tours.")
    sub = parser.add_subparsers(dest="problem", required=True)
    p = sub.add_parser("coins", help="greedy and fewest coins for an amount")
    p.add_argument("--amount", type=amount_value, required=True, help="a whole number, 0 or more")
    p.add_argument("--coins", type=coin_list, required=True, help="coin values, e.g. 1,3,4")
    p = sub.add_parser("tsp", help="nearest-neighbour tours from several starts")
    p.add_argument("file", help="a JSON file: {\"cities\": [{\"name\": ..., \"x\": ..., \"y\": ...}]}")
    p.add_argument("--starts", type=int, default=20, help="how many starting cities (default 20)")
    p.add_argument("--seed", type=int, default=0, help="seed for drawing the starts (default 0)")
    args = parser.parse_args(argv)

    if args.problem == "coins":
        optimal = fewest_coins(args.amount, args.coins)
        if optimal is None:
            print(f"optimize.py: no combination of the coins {args.coins} makes {args.amount}",
                  file=sys.stderr)
            return EXIT_IMPOSSIBLE
        print(json.dumps({"amount": args.amount, "coins": args.coins,
                          "greedy": greedy_coins(args.amount, args.coins), "optimal": optimal}))
        return 0

    if args.starts < 1:
        parser.error("--starts must be at least 1")
    try:
        points = load_cities(args.file)
    except InputError as err:
        print(f"optimize.py: {err}", file=sys.stderr)
        return 2
    starts = choose_starts(len(points), args.starts, args.seed)
    start, tour, length = best_tour(points, starts)
    baseline = tour_length(points, nearest_neighbour(points, 0))
    print(json.dumps({"cities": len(points), "starts": starts, "start": start, "tour": tour,
                      "length": length, "baseline_length": baseline}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
