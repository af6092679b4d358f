"""Write this attempt's hidden crowd answers into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

answers.csv, gold.csv  the main batch: a spammer, a worker who often leaves the answer empty,
                       two workers at and just under the quality line, hard items, items with
                       too few or too many answers, gold items the crowd gets wrong
facts.json             which workers and items were planted (for the checker's messages)
norm.csv               small items that only agree once answers are normalised
five.csv               a batch collected with 5 answers per item
no_answer.csv          a file without an answer column
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crowdgen import dress, make, to_csv  # noqa: E402

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)


def write(name, text):
    with open(os.path.join(out, name), "w", newline="") as f:
        f.write(text)


rows, gold, facts = make(rng, items=rng.randint(220, 320), workers=rng.randint(24, 34),
                         gold_items=rng.randint(24, 36), wrong_counts=rng.randint(3, 6))
columns = ["item_id", "worker_id", "answer"]
rng.shuffle(columns)                                 # columns are found by name
write("answers.csv", to_csv(rows, columns))
write("gold.csv", to_csv(gold, ["item_id", "handle"]))
with open(os.path.join(out, "facts.json"), "w") as f:
    json.dump(facts, f)

# norm.csv: each item's answers differ only in how they were typed ------------------------------
norm_rows = []
workers = [f"N{k:02d}" for k in range(1, 10)]
names = ["tovi_ra", "kel.mo", "zandu44", "pira_sol", "vokaten", "misha.do"]
rng.shuffle(names)
plans = [
    ("A1", [names[0]] * 9),                                   # 9 spellings of one handle
    ("A2", [names[1]] * 7 + ["", " "]),                       # 7 votes and 2 empty answers
    ("A3", [names[2]] * 6 + ["", "", "@"]),                   # 6 votes: not enough
    ("A4", [names[3]] * 4 + [names[4]] * 4 + [""]),           # a tie for the top answer
    ("A5", [""] * 5 + [" "] * 4),                             # nobody answered
    ("A6", [names[5]] * 8 + ["@ " + names[5].upper()]),       # "@ X" is X too
]
for item, answers in plans:
    for worker, answer in zip(rng.sample(workers, 9), answers):
        typed = dress(rng, answer) if answer.strip() not in ("", "@") and not answer.startswith("@ ") else answer
        norm_rows.append({"item_id": item, "worker_id": worker, "answer": typed})
rng.shuffle(norm_rows)
# in the tie item, the answer that sorts last comes first, so "first seen" is not "sorts first"
tie = [k for k, r in enumerate(norm_rows) if r["item_id"] == "A4"]
ordered = sorted((norm_rows[k] for k in tie), key=lambda r: r["answer"].strip().lstrip("@").strip().casefold(),
                 reverse=True)
for k, r in zip(tie, ordered):
    norm_rows[k] = r
write("norm.csv", to_csv(norm_rows, ["item_id", "worker_id", "answer"]))

# five.csv: five answers per item ---------------------------------------------------------------
five, _, _ = make(rng, items=rng.randint(40, 70), workers=12, of=5, gold_items=5, wrong_counts=2,
                  hard_share=0.25, prefix="F", plant=False)
write("five.csv", to_csv(five, ["item_id", "worker_id", "answer"]))

write("no_answer.csv", to_csv(rows[:20], ["item_id", "worker_id"]))
