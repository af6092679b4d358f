"""Synthetic crowd answers for handle finding, with planted workers and items, from a seed.

Every athlete and handle is invented. Used by generate.py (and, once, for the starter's sample).
"""
import csv
import io

SYL = ["ka", "lo", "mi", "ra", "ten", "vo", "zu", "ne", "sha", "do", "ri", "pa", "ku", "el",
       "an", "bo", "ti", "ja", "mo", "fe"]


def handle(rng, taken):
    while True:
        base = "".join(rng.choice(SYL) for _ in range(rng.randint(2, 3)))
        h = base + rng.choice(["", "_", "."]) + rng.choice(SYL) + (str(rng.randint(1, 99)) if rng.random() < 0.4 else "")
        if h not in taken:
            taken.add(h)
            return h


def dress(rng, h):
    """The same handle the way a person might type it: case, spaces, a leading @."""
    if rng.random() < 0.35:
        h = "@" + h
    r = rng.random()
    if r < 0.2:
        h = h.upper()
    elif r < 0.4:
        h = h.capitalize()
    if rng.random() < 0.2:
        h = " " + h
    if rng.random() < 0.2:
        h = h + "  "
    return h


def wrong(rng, truth, others):
    """A wrong answer: never the true handle, however it is typed."""
    kind = rng.random()
    if kind < 0.35:
        i = rng.randrange(len(truth) - 1)
        typo = truth[:i] + truth[i + 1] + truth[i] + truth[i + 2:]         # two letters swapped
        if typo != truth:
            return typo
    if kind < 0.6:
        return truth + rng.choice(["_fans", "_official", "tv", "2"])       # a fan or lookalike account
    return rng.choice(others)                                              # someone else entirely


def make(rng, items=300, workers=30, of=9, gold_items=30, wrong_counts=4, hard_share=0.15,
         prefix="T", plant=True):
    """Return (answer rows, gold rows, facts about what was planted)."""
    taken = set()
    truth = {f"{prefix}{i:04d}": handle(rng, taken) for i in range(1, items + 1)}
    ids = sorted(truth)
    worker_ids = [f"W{w:03d}" for w in rng.sample(range(100, 999), workers)]
    skill = {w: rng.uniform(0.82, 0.98) for w in worker_ids}
    spammer, lazy, edge_ok, edge_bad, careful = worker_ids[:5] if plant else (None,) * 5
    regular = worker_ids[5:] if plant else worker_ids
    if plant:
        skill[spammer] = 0.08
        skill[lazy] = 0.9
        skill[careful] = 0.99
    hard = set(rng.sample(ids, int(items * hard_share)))
    # gold items are ordinary items, plus (when planting) two the crowd tends to get wrong
    confusable = set(rng.sample(sorted(hard), 2)) if plant else set()
    gold = set(rng.sample(sorted(set(ids) - hard), gold_items - len(confusable))) | confusable
    # the two edge workers answer 10 items each whose other eight answers are all right
    edge_items = rng.sample([i for i in ids if i not in hard and i not in gold], 20) if plant else []
    counts = {i: of for i in ids}
    for i in rng.sample([i for i in ids if i not in edge_items], wrong_counts):
        counts[i] = of + rng.choice([-2, -1, 1])

    rows = []
    all_handles = sorted(truth.values())
    for item in ids:
        n = counts[item]
        pool = list(regular)
        if plant and rng.random() < 0.45:
            pool.append(spammer)
        if plant and rng.random() < 0.3:
            pool.append(lazy)
        if plant and (item in hard or rng.random() < 0.05):
            pool.append(careful)                 # gets the hard items: many end in review
        chosen = rng.sample(pool, n)
        if plant and item in gold and spammer not in chosen and rng.random() < 0.5:
            chosen[0] = spammer
        if item in edge_items:
            chosen = rng.sample(regular, n - 1) + [edge_ok if edge_items.index(item) < 10 else edge_bad]
        t = truth[item]
        others = [h for h in rng.sample(all_handles, 5) if h != t]
        fan = t + "_fans"
        for worker in chosen:
            if item in edge_items and worker not in (edge_ok, edge_bad):
                answer = dress(rng, t)
            elif worker in (edge_ok, edge_bad):
                k = edge_items.index(item) % 10
                right = k < (6 if worker == edge_ok else 5)
                answer = dress(rng, t) if right else dress(rng, wrong(rng, t, others))
            elif plant and worker == lazy and rng.random() < 0.7:
                answer = rng.choice(["", " ", "  "])
            elif item in confusable:
                answer = dress(rng, fan if rng.random() < 0.8 else t)
            else:
                p = skill[worker] - (0.3 if item in hard else 0.0)
                answer = dress(rng, t) if rng.random() < p else dress(rng, wrong(rng, t, others))
            rows.append({"item_id": item, "worker_id": worker, "answer": answer})
    rng.shuffle(rows)
    gold_rows = [{"item_id": i, "handle": dress(rng, truth[i])} for i in sorted(gold)]
    facts = {"spammer": spammer, "lazy": lazy, "edge_ok": edge_ok, "edge_bad": edge_bad, "careful": careful,
             "wrong_count": sorted(i for i in ids if counts[i] != of), "plant": plant}
    return rows, gold_rows, facts


def to_csv(rows, columns):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
