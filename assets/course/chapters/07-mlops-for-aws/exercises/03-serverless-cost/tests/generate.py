"""Write this attempt's hidden usage and price files into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

Scenarios (cases.json lists them, with the container fleet to ask for):
- steady:  a few functions at ordinary volume; default fleet flags
- busy:    enough traffic that the containers are cheaper; another fleet
- no_free: a price file with no free allowance and a 720-hour month; columns in another order
- heavy:   few requests but long, large-memory ones: the requests are free, the GB-seconds not
- resized: one function at two memory sizes in one month; durations that are whole numbers,
           a hair above one, and under a millisecond
- bad_*:   usage or price files that cost.py must refuse with exit status 2
Every numeric scenario is drawn again until its break-even is clear of a whole number and the
two totals are more than 5 cents apart, so float arithmetic cannot flip an answer.
"""
import csv
import io
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import costref  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

NAMES = ["predict", "explain", "batch-score", "embed", "rerank", "features", "moderate", "ocr"]
MEMORY = [128, 256, 512, 1024, 1536, 2048, 3008]
FLEETS = [(1, 0.25, 0.5), (1, 0.5, 1.0), (2, 0.25, 1.0), (2, 0.5, 1.0), (2, 1.0, 2.0),
          (3, 0.5, 2.0), (2, 1.0, 4.0), (4, 0.5, 1.0), (2, 2.0, 4.0)]
COLUMNS = ["function", "memory_mb", "duration_ms", "requests"]


def prices(free=True, hours=730):
    return {
        "note": "Generated for this attempt. Illustrative only, not current AWS prices.",
        "currency": "USD",
        "lambda": {
            "request_price_per_million": round(rng.uniform(0.10, 0.35), 2),
            "gb_second_price": round(rng.uniform(0.0000100, 0.0000220), 10),
            "free_requests_per_month": rng.choice([1000000, 500000, 2000000]) if free else 0,
            "free_gb_seconds_per_month": rng.choice([400000, 250000, 100000]) if free else 0,
        },
        "container": {
            "vcpu_hour_price": round(rng.uniform(0.02, 0.06), 5),
            "gb_hour_price": round(rng.uniform(0.002, 0.006), 6),
            "hours_per_month": hours,
        },
    }


def duration(low, high):
    return f"{rng.uniform(low, high):.2f}"


def rows_for(name, memory, volume, typical_ms):
    """A function's month: a big fast bucket, a slower one, a few slow cold starts."""
    rows = [(name, memory, duration(typical_ms * 0.6, typical_ms), int(volume * rng.uniform(0.5, 0.7))),
            (name, memory, duration(typical_ms, typical_ms * 2.5), int(volume * rng.uniform(0.2, 0.35))),
            (name, memory, duration(typical_ms * 8, typical_ms * 25), max(1, int(volume * 0.004)))]
    if rng.random() < 0.5:
        rows.append((name, memory, f"{rng.randint(2, 30) * 50}.00", int(volume * rng.uniform(0.01, 0.05))))
    return rows


def usage_text(rows, columns=COLUMNS):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        d = dict(zip(COLUMNS, r))
        w.writerow([d[c] for c in columns])
    return buf.getvalue()


def write(name, text):
    path = os.path.join(out, name)
    with open(path, "w") as f:
        f.write(text)
    return path


cases = []


def settle(name, make_rows, make_prices, fleet, columns=COLUMNS, want=None):
    """Draw the scenario until its answers are unambiguous (and, if asked, the wanted winner)."""
    for _ in range(200):
        rows, pr = make_rows(), make_prices()
        u = write(f"{name}.csv", usage_text(rows, columns))
        p = write(f"{name}.prices.json", json.dumps(pr, indent=2) + "\n")
        e = costref.expected(u, p, *fleet)
        frac = e["crossing"] - int(e["crossing"])
        if not 0.001 < frac < 0.999 or abs(e["total"] - e["container"]) <= 0.05:
            continue
        if want and e["cheaper"] != want:
            continue
        cases.append({"name": name, "usage": u, "prices": p, "fleet": list(fleet), "kind": "ok"})
        return
    raise SystemExit(f"generate.py: could not settle scenario {name}")


def portfolio(count, volume, memories=MEMORY[:5], ms=(20, 400)):
    names = rng.sample(NAMES, count)
    rows = []
    for n in names:
        rows += rows_for(n, rng.choice(memories), int(volume * rng.uniform(0.3, 1.0)), rng.uniform(*ms))
    rng.shuffle(rows)
    return rows


settle("steady", lambda: portfolio(rng.randint(2, 3), 3_000_000), prices, (2, 0.5, 1.0),
       want="lambda")
settle("busy", lambda: portfolio(rng.randint(2, 4), 40_000_000, ms=(60, 300)), prices,
       rng.choice(FLEETS[:5]), want="container")
cols = COLUMNS[:]
while cols == COLUMNS:
    rng.shuffle(cols)
settle("no_free", lambda: portfolio(2, 5_000_000), lambda: prices(free=False, hours=720),
       rng.choice(FLEETS), columns=cols)


def heavy():
    name = rng.choice(NAMES)
    total = rng.randint(150_000, 400_000)
    return [(name, rng.choice([2048, 3008, 4096]), duration(1500, 4000), total // 2),
            (name, rng.choice([2048, 3008]), duration(4000, 9000), total // 4),
            (rng.choice([n for n in NAMES if n != name]), 1024, duration(800, 2000), total // 4)]


def heavy_prices():
    p = prices()
    p["lambda"]["free_requests_per_month"] = 1000000  # more than heavy() ever sends
    return p


settle("heavy", heavy, heavy_prices, rng.choice(FLEETS))


def resized():
    name, other = rng.sample(NAMES, 2)
    small, big = sorted(rng.sample([256, 512, 1024, 1536, 2048], 2))
    rows = rows_for(name, small, 2_000_000, rng.uniform(40, 200))
    rows += rows_for(name, big, 1_500_000, rng.uniform(20, 100))
    rows += [(name, big, f"{rng.randint(1, 40) * 25}.00", rng.randint(20_000, 90_000)),
             (name, small, f"{rng.randint(20, 300)}.01", rng.randint(20_000, 90_000)),
             (other, 128, f"0.{rng.randint(10, 99)}", rng.randint(500_000, 3_000_000)),
             (other, 128, f"{rng.randint(2, 9)}.00", rng.randint(100_000, 900_000))]
    rng.shuffle(rows)
    return rows


settle("resized", resized, prices, rng.choice(FLEETS))

# unusable inputs: each must exit 2
base_rows = portfolio(2, 2_000_000)
good_prices = write("bad.prices.json", json.dumps(prices(), indent=2) + "\n")
good_usage = write("bad.csv", usage_text(base_rows))
bad_usage = {
    "bad_memory": ("memory_mb", rng.choice(["64", "0", "-512"])),
    "bad_duration": ("duration_ms", rng.choice(["0", "900000.5", "1200000", "-3.5"])),
    "bad_requests": ("requests", rng.choice(["-300", "1.5e6", "many"])),
    "bad_number": ("duration_ms", rng.choice(["fast", "", "12ms"])),
}
for name, (column, value) in bad_usage.items():
    rows = [list(r) for r in base_rows]
    rows[rng.randrange(len(rows))][COLUMNS.index(column)] = value
    cases.append({"name": name, "usage": write(f"{name}.csv", usage_text(rows)),
                  "prices": good_prices, "fleet": [2, 0.5, 1.0], "kind": "bad", "what": column})
renamed = [c if c != "duration_ms" else "duration" for c in COLUMNS]
text = usage_text(base_rows).split("\n", 1)[1]
cases.append({"name": "bad_column", "usage": write("bad_column.csv", ",".join(renamed) + "\n" + text),
              "prices": good_prices, "fleet": [2, 0.5, 1.0], "kind": "bad", "what": "column"})
zero = [(r[0], r[1], r[2], 0) for r in base_rows]
cases.append({"name": "bad_empty", "usage": write("bad_empty.csv", usage_text(zero)),
              "prices": good_prices, "fleet": [2, 0.5, 1.0], "kind": "bad", "what": "no requests"})
for name, change in (("bad_price_missing", ("lambda", "gb_second_price", None)),
                     ("bad_price_zero", ("container", "vcpu_hour_price", rng.choice([0, -0.04]))),
                     ("bad_price_text", ("lambda", "request_price_per_million", "0.20"))):
    pr = prices()
    section, key, value = change
    if value is None:
        del pr[section][key]
    else:
        pr[section][key] = value
    cases.append({"name": name, "usage": good_usage,
                  "prices": write(f"{name}.json", json.dumps(pr, indent=2) + "\n"),
                  "fleet": [2, 0.5, 1.0], "kind": "bad", "what": f"{section}.{key}"})

write("cases.json", json.dumps(cases, indent=1) + "\n")
