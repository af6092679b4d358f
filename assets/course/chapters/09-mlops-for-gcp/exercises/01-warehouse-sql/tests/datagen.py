"""Synthetic athlete posts with planted edge cases, reproducible from a seed.

Used by generate.py for the hidden tables, and once (seed 2024) for the starter's sample.
"""
import datetime

FIRST = ["Ada", "Bea", "Cai", "Dev", "Eli", "Fay", "Gil", "Hana", "Ivo", "Jun", "Kai", "Lea",
         "Mio", "Nia", "Oli", "Pia", "Quin", "Rae", "Sol", "Tao", "Uma", "Vik", "Wen", "Yara", "Zed"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski",
        "Mensah", "Ortiz", "Petrov", "Quispe", "Rossi", "Sato", "Varga", "Weber"]
SPORTS = ["athletics", "basketball", "cycling", "football", "swimming", "tennis"]
COLUMNS = ["athlete", "sport", "post_date", "followers", "wiki_views", "page_views"]


def make_posts(rng):
    """Return (rows, facts): rows as lists in COLUMNS order, facts about the planted cases."""
    names = set()
    while len(names) < 36:
        names.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    names = sorted(names)
    rng.shuffle(names)
    year = rng.randint(2015, 2026)
    start = datetime.date(year, 11, rng.randint(1, 20))
    days = rng.randint(90, 120)                       # always crosses New Year
    slope, intercept = rng.uniform(2.0, 6.0), rng.uniform(-500, 1500)

    def post(athlete, sport, day, followers, wiki=None, page=None):
        if wiki is None:
            wiki = rng.randint(200, 20000)
        if page is None:
            page = max(0, int(slope * wiki + intercept + rng.gauss(0, 2500)))
        return [athlete, sport, day.isoformat(), followers, wiki, page]

    rows = []
    regular = names[:20]
    for athlete in regular:
        sport = rng.choice(SPORTS)
        followers = rng.randint(5_000, 900_000)
        for _ in range(rng.randint(1, 14)):
            day = start + datetime.timedelta(days=rng.randrange(days))
            rows.append(post(athlete, sport, day, followers + rng.randint(0, 5000)))

    # someone with only two posts but enormous engagement: must not be ranked (fewer than 3)
    star = names[20]
    for k in range(2):
        rows.append(post(star, "tennis", start + datetime.timedelta(days=3 + k), 1200,
                         wiki=rng.randint(200, 20000), page=90_000 + k))
    # two athletes with identical numbers near the top: ties break by name
    a, b = sorted(names[21:23])
    tie_rows = []
    base_followers, base_views = rng.randint(2500, 4000), rng.randint(50_000, 70_000)
    for k in range(4):
        day = start + datetime.timedelta(days=rng.randrange(days))
        tie_rows.append((day, base_followers + 10 * k, rng.randint(200, 20000), base_views + 997 * k))
    for athlete in (b, a):                              # the later name first in the file
        for day, followers, wiki, page in tie_rows:
            rows.append(post(athlete, "cycling", day, followers, wiki=wiki, page=page))
    # exactly three posts, high engagement: the ">= 3" boundary
    three = names[23]
    for k in range(3):
        rows.append(post(three, "swimming", start + datetime.timedelta(days=10 + 7 * k), 4000,
                         page=40_000 + rng.randint(0, 9000)))
    # posts around New Year, where the ISO year and the calendar year disagree
    new_year = datetime.date(year + 1, 1, 1)
    for offset in (-3, -2, -1, 0, 1, 2, 3, 4):
        day = new_year + datetime.timedelta(days=offset)
        for athlete in rng.sample(regular, rng.randint(1, 4)):
            rows.append(post(athlete, next(r[1] for r in rows if r[0] == athlete), day,
                             rng.randint(5_000, 900_000)))
    rng.shuffle(rows)
    facts = {"star": star, "tie": [a, b], "three": three, "year": year}
    return rows, facts


def to_csv(rows):
    lines = [",".join(COLUMNS)]
    for r in rows:
        lines.append(",".join(str(v) for v in r))
    return "\n".join(lines) + "\n"
