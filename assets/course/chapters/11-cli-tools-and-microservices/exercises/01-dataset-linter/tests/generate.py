"""Write this attempt's hidden CSV files into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

clean.csv   quoted commas and doubled quotes, no problem at all
messy.csv   header problems, ragged rows after records with line breaks, blank lines,
            an empty column and a mostly empty one
warn.csv    warnings only (CRLF inside quoted fields, a mostly empty column), CRLF line ends
ratio.csv   columns exactly at and just above a null ratio
latin1.csv  not UTF-8
empty.csv   zero bytes
rows.json   tables as lists of rows, for calling lint_rows() directly
"""
import csv
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)

FIRST = ["Ava", "Bo", "Cruz", "Dana", "Eli", "Femi", "Gus", "Hana", "Ines", "Jun", "Kofi", "Lia",
         "Mats", "Nia", "Oren", "Pia", "Quin", "Rafa", "Sol", "Tove"]
LAST = ["Okafor", "Lind", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Berg", "Costa",
        "Ivanova", "Mensah", "Quist", "Roux", "Sato", "Vega"]
SPORTS = ["mma", "tennis", "football", "basketball", "surfing", "cycling", "climbing"]
WORDS = ["training", "camp", "day", "recovery", "win", "loss", "fans", "road trip", "finals",
         "new gear", "rain", "early start", "thank you", "morning run", "big news"]
COLUMNS = ["post_id", "athlete", "sport", "followers", "likes", "caption", "posted_at"]


def caption(newline=None):
    parts = rng.sample(WORDS, rng.randint(2, 4))
    text = rng.choice([", ", " - ", ". "]).join(parts)
    if rng.random() < 0.4:
        text = f'"{text}" {rng.choice(["she said", "he said", "they said"])}'
    if rng.random() < 0.3:
        text += ", " + rng.choice(WORDS)
    if newline:
        words = text.split(" ")
        cut = rng.randint(1, len(words))
        text = " ".join(words[:cut]) + newline + " ".join(words[cut:] or ["#" + rng.choice(SPORTS)])
    return text


def record(i, blank_likes=0.1):
    followers = int(rng.lognormvariate(9, 1.5))
    return {
        "post_id": f"P{i:05d}",
        "athlete": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "sport": rng.choice(SPORTS),
        "followers": str(followers),
        "likes": "" if rng.random() < blank_likes else str(int(followers * rng.uniform(0.001, 0.08))),
        "caption": caption(),
        "posted_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def write_rows(name, rows, terminator="\n"):
    with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator=terminator)
        for row in rows:
            if row == "BLANK":
                f.write(terminator)
            else:
                writer.writerow(row)


# clean.csv ---------------------------------------------------------------------------------
start = rng.randint(1, 50000)
rows = [COLUMNS] + [[rec[c] for c in COLUMNS] for rec in
                    (record(start + i) for i in range(rng.randint(30, 80)))]
if not any("," in r[5] for r in rows[1:]):
    rows[1][5] = "training, recovery"
if not any('"' in r[5] for r in rows[1:]):
    rows[2][5] = '"big news" she said'
write_rows("clean.csv", rows)

# messy.csv ---------------------------------------------------------------------------------
header = list(COLUMNS) + ["sponsor"]
blank_at = rng.randint(2, len(header) - 1)
header.insert(blank_at, "")
dup_name = rng.choice(["sport", "likes", "athlete"])
header.insert(rng.randint(blank_at + 1, len(header)), rng.choice([" ", ""]) + dup_name + " ")  # padded
index_col = rng.random() < 0.7
if index_col:
    header.insert(0, "Unnamed: 0")
n = rng.randint(40, 90)
data = []
for i in range(n):
    rec = record(start + 1000 + i)
    rec["sponsor"] = rng.choice(["Kitewing", "Northpeak", "Solara"]) if rng.random() < 0.25 else ""
    row = []
    for name in header:
        if name == "Unnamed: 0":
            row.append(str(i))
        elif name == "":
            row.append(rng.choice(["", "", " "]))
        else:
            row.append(rec[name.strip()])
    data.append(row)
caption_at = header.index("caption")
newline_records = sorted(rng.sample(range(2, 12), 3))
for k in newline_records:
    data[k][caption_at] = caption(newline=rng.choice(["\n", "\r\n", "\n\n"]))
for k in sorted(rng.sample(range(15, n), 4)):
    if rng.random() < 0.5:
        data[k] = data[k][:-rng.randint(1, 2)]
    else:
        data[k] = data[k] + [rng.choice(["extra", "", "x,y"])]
rows = [header] + data
rows.insert(rng.randint(20, len(rows) - 1), "BLANK")
rows.append("BLANK")
write_rows("messy.csv", rows)

# warn.csv: warnings only, Excel-style CRLF line ends --------------------------------------
header = list(COLUMNS) + ["notes"]
data = []
for i in range(rng.randint(25, 50)):
    rec = record(start + 3000 + i)
    row = [rec[c] for c in COLUMNS] + [rng.choice(["late post", "repost"]) if rng.random() < 0.3 else ""]
    data.append(row)
for k in rng.sample(range(len(data)), 3):
    data[k][5] = caption(newline="\r\n")
write_rows("warn.csv", [header] + data, terminator="\r\n")

# ratio.csv: exactly at and just above the ratios 0.25 and 0.5 -------------------------------
m = rng.randint(6, 15)
n = 4 * m
plan = {"at_quarter": m, "above_quarter": m + 1, "at_half": 2 * m, "above_half": 2 * m + 1,
        "full": 0}
names = ["post_id"] + rng.sample(sorted(plan), len(plan))
cols = {}
for name, empties in plan.items():
    cells = [""] * empties + [str(rng.randint(1, 999)) for _ in range(n - empties)]
    rng.shuffle(cells)
    cols[name] = cells
rows = [names] + [[f"P{i:05d}"] + [cols[c][i] for c in names[1:]] for i in range(n)]
write_rows("ratio.csv", rows)

# latin1.csv and empty.csv -------------------------------------------------------------------
with open(os.path.join(out, "latin1.csv"), "wb") as f:
    name = rng.choice(["Zo\xeb", "Jos\xe9", "Ren\xe9e", "Bj\xf6rn", "M\xfcller"])
    f.write(("post_id,athlete,sport\nP00001," + name + ",tennis\nP00002,Ava Berg,mma\n")
            .encode("latin-1"))
open(os.path.join(out, "empty.csv"), "wb").close()

# rows.json: tables handed straight to lint_rows() --------------------------------------------
cases = [
    {"rows": [["a", "b", "c"]], "ratio": 0.5},
    {"rows": [[], []], "ratio": 0.5},
]
for _ in range(4):
    width = rng.randint(3, 6)
    names = rng.sample(["id", "x", "y", "label", "score", "team", "city"], width)
    if rng.random() < 0.6:
        names[rng.randrange(width)] = rng.choice(["", "  ", "Unnamed: 2"])
    if rng.random() < 0.6:
        names[rng.randrange(width)] = names[0]
    rows = [names]
    for i in range(rng.randint(4, 12)):
        row = [rng.choice(["", " ", "1", "2.5", "abc", "a\nb", "c\r\nd"]) for _ in range(width)]
        if rng.random() < 0.2:
            row = row[:rng.randint(1, width)]
        elif rng.random() < 0.1:
            row = row + ["z"]
        rows.append(row)
        if rng.random() < 0.1:
            rows.append([])
    cases.append({"rows": rows, "ratio": rng.choice([0.25, 0.5, 0.75])})
with open(os.path.join(out, "rows.json"), "w") as f:
    json.dump(cases, f)
