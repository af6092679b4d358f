"""Write this attempt's hidden post exports into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

- export.tsv: the usual columns, with ties planted at the top-3 boundary
- reordered.tsv: the same kind of data with the columns in another order and extra columns
- "team exports/posts 2024.tsv": a path with spaces in it
- two_sports.tsv: only two sports, so only two sport lines
- header_only.tsv: a header and no rows
- no_sport.tsv: a header without a sport column
"""
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

SPORTS = ["archery", "badminton", "basketball", "boxing", "climbing", "cycling", "fencing", "golf",
          "hockey", "judo", "rowing", "rugby", "running", "sailing", "ski-jumping", "skiing",
          "soccer", "surfing", "swimming", "table_tennis", "tennis", "triathlon", "volleyball"]
FIRST = ["ada", "bo", "cara", "dan", "edu", "fin", "gia", "hugo", "ines", "jai", "kofi", "lina",
         "mo", "nora", "omar", "paz", "quin", "rita", "saul", "tess", "ugo", "vera", "wim", "xia"]
LAST = ["abe", "bauer", "chen", "diaz", "eze", "frost", "gupta", "holm", "ito", "jones", "khan",
        "lopez", "mbeki", "nagy", "ortiz", "park"]
STANDARD = ["post_id", "athlete", "sport", "likes", "posted_on"]


def counts_with_ties(k):
    """k sports with post counts; the 3rd and 4th (and sometimes 1st and 2nd) are tied."""
    names = rng.sample(SPORTS, k)
    values = sorted((rng.randint(15, 160) for _ in range(k)), reverse=True)
    if k >= 4:
        values[3] = values[2]
    if k >= 2 and rng.random() < 0.5:
        values[1] = values[0]
    return dict(zip(names, values))


def rows_for(counts):
    handles = sorted({f"{rng.choice(FIRST)}_{rng.choice(LAST)}{rng.choice(['', '', str(rng.randint(1, 99))])}"
                      for _ in range(rng.randint(25, 140))})
    sports = [s for s, n in counts.items() for _ in range(n)]
    rng.shuffle(sports)
    rows = []
    for i, sport in enumerate(sports, 1):
        rows.append({
            "post_id": f"p{rng.randint(1, 9)}{i:05d}",
            "athlete": rng.choice(handles),
            "sport": sport,
            "likes": str(int(rng.lognormvariate(4.2, 1.1))),
            "posted_on": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "region": rng.choice(["eu", "na", "sa", "af", "as", "oc"]),
            "shares": str(rng.randint(0, 400)),
        })
    return rows


def write(name, columns, rows):
    path = os.path.join(out, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write("\t".join(columns) + "\n")
        for row in rows:
            f.write("\t".join(row[c] for c in columns) + "\n")


write("export.tsv", STANDARD, rows_for(counts_with_ties(rng.randint(6, 10))))

# The athlete and sport columns move away from positions 2 and 3.
columns = ["region", "likes", "sport", "shares", "posted_on", "athlete", "post_id"]
rng.shuffle(columns)
while columns.index("sport") == 2 or columns.index("athlete") == 1:
    rng.shuffle(columns)
write("reordered.tsv", columns, rows_for(counts_with_ties(rng.randint(5, 9))))

write(os.path.join("team exports", "posts 2024.tsv"), STANDARD,
      rows_for(counts_with_ties(rng.randint(4, 7))))
write("two_sports.tsv", STANDARD, rows_for(counts_with_ties(2)))
write("header_only.tsv", STANDARD, [])
write("no_sport.tsv", ["post_id", "athlete", "discipline", "likes"],
      [{"post_id": "p1", "athlete": "ada_abe", "discipline": "golf", "likes": "3"}])
