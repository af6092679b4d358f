"""Synthetic user tables for drift checks, reproducible from a seed."""
import csv
import io
import math


def user_rows(rng, n, scale=1.0, spread=1.0, posts_shift=0, start_id=1, blanks=0):
    rows = []
    for i in range(n):
        followers = int(rng.lognormvariate(math.log(180 * scale), 1.1 * spread))
        posts = max(0, int(rng.gauss(4 + posts_shift, 2.5)))
        age = rng.randint(1, 3650)
        rows.append({"user_id": start_id + i, "followers": followers, "posts_per_week": posts,
                     "account_age_days": age})
    for _ in range(blanks):
        rows[rng.randrange(n)]["followers"] = ""
    return rows


def to_csv(rows, columns=("user_id", "followers", "posts_per_week", "account_age_days")):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
