"""Invented athletes for influence.py: signals, protected attributes and monthly page views.

Everything here is made up. Page views follow a log-linear rule with noise; fighters ("mma")
can be given a boost that the training data does not show, like the case study's 3x sport.
"""
import csv
import math

SPORTS = ["basketball", "football", "soccer", "baseball", "hockey", "tennis", "mma"]
NATIONALITIES = ["BR", "CA", "ES", "FR", "GB", "JP", "KE", "MX", "NG", "US"]
COLUMNS = ["athlete_id", "sport", "gender", "age", "nationality", "followers", "wiki_views",
           "likes", "posts", "page_views"]
TRUE = {"intercept": 0.9, "followers": 0.42, "wiki_views": 0.23, "likes": 0.31, "posts": 0.012}


def athlete(rng, number, mma_boost=0.0):
    sport = rng.choice(SPORTS)
    followers = int(math.exp(rng.gauss(10.2, 1.5)))
    wiki = int(followers * math.exp(rng.gauss(-1.6, 0.9)))
    likes = int(followers * math.exp(rng.gauss(-2.3, 0.8)))
    posts = rng.randint(1, 60)
    z = (TRUE["intercept"] + TRUE["followers"] * math.log(followers + 1)
         + TRUE["wiki_views"] * math.log(wiki + 1) + TRUE["likes"] * math.log(likes + 1)
         + TRUE["posts"] * posts + rng.gauss(0, 0.35))
    if sport == "mma":
        z += mma_boost
    return {"athlete_id": f"A{number:04d}", "sport": sport, "gender": rng.choice(["female", "male"]),
            "age": str(rng.randint(18, 39)), "nationality": rng.choice(NATIONALITIES),
            "followers": str(followers), "wiki_views": str(wiki), "likes": str(likes),
            "posts": str(posts), "page_views": str(max(0, int(math.exp(z) - 1)))}


def athletes(rng, first, n, mma_boost=0.0):
    return [athlete(rng, first + i, mma_boost) for i in range(n)]


BAD_CELLS = ["", "n/a", "-4", "nan", "inf", " ", "unknown"]


def spoil(rng, rows, columns, count):
    """Make `count` distinct rows unusable by one bad cell in one of `columns`; return their ids."""
    picked = rng.sample(range(len(rows)), count)
    for i in picked:
        rows[i][rng.choice(columns)] = rng.choice(BAD_CELLS)
    return [rows[i]["athlete_id"] for i in sorted(picked)]


def write(path, rows, columns):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
