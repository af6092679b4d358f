"""Write this attempt's hidden CSV tables into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

cases.json lists each table with the columns to pass as --x and --y and whether stats.py must
refuse it (exit status 2). It holds no expected numbers: the check script computes them.
"""
import csv
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

# (x column, y column, x mean, x sd, slope, intercept, noise sd, decimals)
PAIRS = [
    ("height_cm", "weight_kg", 170.0, 9.0, 0.9, -85.0, 6.0, 1),
    ("spend_eur", "signups", 900.0, 250.0, 0.12, 15.0, 18.0, 0),
    ("batch_size", "latency_ms", 64.0, 20.0, 1.7, 35.0, 9.0, 2),
    ("price_eur", "conversions", 40.0, 12.0, -3.5, 260.0, 22.0, 0),
    ("temperature_c", "error_rate_pct", 22.0, 6.0, 0.15, 0.8, 0.6, 3),
]
DIRTY = ["", " ", "n/a", "NaN", "inf", "-inf", "?", "12,5", "none"]


def make_rows(pair, n, rng):
    xcol, ycol, mx, sx, slope, intercept, noise, dec = pair
    rows = []
    for i in range(1, n + 1):
        x = rng.gauss(mx, sx)
        y = slope * x + intercept + rng.gauss(0, noise)
        rows.append({"id": f"r{i:05d}", xcol: f"{x:.{dec}f}", ycol: f"{y:.{dec}f}",
                     "source": rng.choice(["web", "app", "batch"])})
    return rows


def write(name, columns, rows):
    with open(os.path.join(out, name), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore",
                                restval="")
        writer.writeheader()
        writer.writerows(rows)


cases = []

# people.csv: messy cells, a row that is too short, padded numbers, planted outliers.
pair = PAIRS[0]
rows = make_rows(pair, rng.randint(150, 400), rng)
picked = rng.sample(range(len(rows)), 14)
for i in picked[:8]:
    rows[i][rng.choice(pair[:2])] = rng.choice(DIRTY)
for i in picked[8:10]:
    rows[i][pair[1]] = f"  {rows[i][pair[1]]} "           # spaces around a number are fine
for i in picked[10:12]:
    rows[i][pair[1]] = f"{float(rows[i][pair[1]]) * rng.choice([9, 10, -1]):.1f}"  # typos
short = picked[12]
columns = ["id", "source", pair[0], pair[1]]
write("people.csv", columns, rows)
# The short row: rewrite the file with one row cut after its first two cells.
with open(os.path.join(out, "people.csv")) as f:
    lines = f.read().split("\n")
lines[short + 1] = ",".join(lines[short + 1].split(",")[:2])
with open(os.path.join(out, "people.csv"), "w") as f:
    f.write("\n".join(lines))
cases.append({"name": "people", "file": "people.csv", "x": pair[0], "y": pair[1]})

# other.csv: other columns, in another order, maybe a negative slope.
pair = rng.choice(PAIRS[1:])
columns = [pair[1], "id", pair[0], "source"]
rng.shuffle(columns)
write("other.csv", columns, make_rows(pair, rng.randint(40, 300), rng))
cases.append({"name": "other", "file": "other.csv", "x": pair[0], "y": pair[1]})

# tiny.csv: three usable rows and one unusable one; redrawn until both columns have spread
# (with whole numbers, three rows can easily share one value).
pair = rng.choice(PAIRS)
while True:
    rows = make_rows(pair, 4, rng)
    rows[rng.randrange(4)][pair[0]] = "n/a"
    used = [r for r in rows if r[pair[0]] != "n/a"]
    if len({r[pair[0]] for r in used}) > 1 and len({r[pair[1]] for r in used}) > 1:
        break
write("tiny.csv", ["id", pair[0], pair[1]], rows)
cases.append({"name": "tiny", "file": "tiny.csv", "x": pair[0], "y": pair[1]})

# Tables stats.py must refuse with exit status 2.
pair = rng.choice(PAIRS)
write("no_column.csv", ["id", pair[0], "source"], make_rows(pair, 20, rng))
cases.append({"name": "no_column", "file": "no_column.csv", "x": pair[0], "y": pair[1], "error": True,
              "why": f"has no {pair[1]} column"})
rows = make_rows(pair, 6, rng)
for row in rows[1:]:
    row[pair[1]] = rng.choice(DIRTY[2:])
write("one_row.csv", ["id", pair[0], pair[1]], rows)
cases.append({"name": "one_row", "file": "one_row.csv", "x": pair[0], "y": pair[1], "error": True,
              "why": "has only one usable row"})
rows = make_rows(pair, rng.randint(5, 30), rng)
for row in rows:
    row[pair[0]] = rows[0][pair[0]]
write("flat_x.csv", ["id", pair[0], pair[1]], rows)
cases.append({"name": "flat_x", "file": "flat_x.csv", "x": pair[0], "y": pair[1], "error": True,
              "why": f"has the same {pair[0]} in every row"})

with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
