"""Write this attempt's hidden coin cases and maps into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

- coins.json: coin systems and amounts: one where greedy is optimal, ones where it uses more
  coins than needed, where it gets stuck, a large amount, 0, and amounts nothing can make.
- town.json:  15 to 25 cities at random whole-number positions.
- grid.json:  cities on a grid, where many cities are equally far apart, so the tie rule of
  nearest neighbour decides the tours (checked below: the other tie rule would change them).
- tiny.json:  3 or 4 cities, run with more starts than cities.
- runs.json:  the tsp commands to run (map, --starts, --seed).

Nothing here holds an expected answer: the check script computes them.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import best_tour, choose_starts, fewest_coins, greedy_coins  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)


def coin_arg(coins):
    """The --coins text: the values shuffled, sometimes with a duplicate, to test the parsing."""
    values = list(coins)
    if rng.random() < 0.5:
        values.append(rng.choice(values))
    rng.shuffle(values)
    return ",".join(map(str, values))


cases = []

# Greedy is optimal for euro-style coins.
euro = [1, 2, 5, 10, 20, 50, 100, 200]
cases.append({"kind": "canonical", "coins": coin_arg(euro), "amount": rng.randint(101, 999)})

# Greedy uses more coins than needed: a system with 1 in it and an amount that shows it.
for _ in range(2):
    while True:
        coins = sorted({1} | set(rng.sample(range(3, 30), rng.randint(2, 3))))
        bad = [a for a in range(1, 150) if greedy_coins(a, coins) != fewest_coins(a, coins)]
        if bad:
            break
    cases.append({"kind": "greedy_worse", "coins": coin_arg(coins), "amount": rng.choice(bad)})

# Greedy gets stuck although the amount can be made: no coin 1.
while True:
    coins = sorted(rng.sample(range(3, 13), 2))
    stuck = [a for a in range(1, 80)
             if greedy_coins(a, coins) is None and fewest_coins(a, coins) is not None]
    if stuck:
        break
cases.append({"kind": "greedy_stuck", "coins": coin_arg(coins), "amount": rng.choice(stuck)})

# A large amount: recursion would hit Python's limit, a loop over the amounts does not.
coins = sorted({1} | set(rng.sample(range(7, 60), 3)))
cases.append({"kind": "large", "coins": coin_arg(coins), "amount": rng.randint(12000, 20000)})

# Nothing to pay.
cases.append({"kind": "zero", "coins": coin_arg(sorted(rng.sample(range(2, 20), 2))), "amount": 0})

# Amounts no combination can make: all coins even with an odd amount, and a gap below the
# largest amount two coprime coins cannot make.
coins = sorted(2 * c for c in rng.sample(range(1, 15), 2))
cases.append({"kind": "impossible", "coins": coin_arg(coins), "amount": 2 * rng.randint(5, 60) + 1})
while True:
    coins = sorted(rng.sample(range(4, 12), 2))
    gaps = [a for a in range(1, 100) if fewest_coins(a, coins) is None]
    if coins[0] > 1 and len(gaps) > 3 and all(c % 2 for c in coins):
        break
cases.append({"kind": "impossible", "coins": coin_arg(coins), "amount": rng.choice(gaps[2:])})

with open(os.path.join(out, "coins.json"), "w") as f:
    json.dump(cases, f, indent=1)


def write_map(name, points):
    cities = [{"name": f"stop {i}", "x": x, "y": y} for i, (x, y) in enumerate(points)]
    cities[0]["name"] = "depot"
    with open(os.path.join(out, name), "w") as f:
        json.dump({"unit": "km", "cities": cities}, f, indent=1)


def distinct_points(count, xs, ys):
    points = []
    while len(points) < count:
        p = (rng.choice(xs), rng.choice(ys))
        if p not in points:
            points.append(p)
    return points


runs = []

town = distinct_points(rng.randint(15, 25), range(0, 101), range(0, 101))
write_map("town.json", town)
for _ in range(2):
    runs.append({"map": "town.json", "starts": rng.randint(4, 8), "seed": rng.randint(0, 10**6)})

# On a grid many cities are exactly as far apart: keep a map and a draw of starts where taking
# the higher-numbered city on a tie would give another best tour.
for _ in range(500):
    grid = distinct_points(rng.randint(14, 20), range(0, 61, 10), range(0, 51, 10))
    run = {"map": "grid.json", "starts": rng.randint(4, 7), "seed": rng.randint(0, 10**6)}
    starts = choose_starts(len(grid), run["starts"], run["seed"])
    if best_tour(grid, starts)[1] != best_tour(grid, starts, high_ties=True)[1]:
        break
write_map("grid.json", grid)
runs.append(run)

tiny = distinct_points(rng.randint(3, 4), range(0, 31), range(0, 31))
write_map("tiny.json", tiny)
runs.append({"map": "tiny.json", "starts": rng.randint(10, 30), "seed": rng.randint(0, 10**6)})

with open(os.path.join(out, "runs.json"), "w") as f:
    json.dump(runs, f, indent=1)
