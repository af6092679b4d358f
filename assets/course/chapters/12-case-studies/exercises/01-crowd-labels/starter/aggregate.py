"""aggregate.py: turn redundant crowd answers into accepted labels, a review queue and worker scores.

Usage:
    python3 aggregate.py ANSWERS.csv [--gold GOLD.csv] [--min-agree 7] [--of 9] [--out DIR]

Writes DIR/labels.csv, DIR/review.csv and DIR/workers.json, and prints a JSON summary on stdout.
Exit status 0, or 2 when the arguments or the input files are unusable. README.md has the rules.
"""
import argparse
import csv
import json
import os
import sys
from collections import Counter, defaultdict

MIN_QUALITY = 0.6      # flag a worker whose agreement or gold accuracy is below this...
MIN_SCORED = 10        # ...over at least this many answers on accepted items
MIN_GOLD = 3           # ...or over at least this many gold answers


class InputError(Exception):
    """An input file cannot be used; the message says why."""


def normalize(answer):
    """Case-fold, strip spaces and one leading "@": "  @Ana_K " and "ana_k" are the same answer.

    TODO: strip white space; if the text starts with "@", drop that one "@" and strip again;
    then case-fold (str.casefold()).
    """
    return answer


def decide(answers, min_agree, of):
    """Decide one item from its normalised answers ("" is an empty answer, never a vote).

    Returns {"label": str or None, "reason": None | "no_agreement" | "wrong_count",
             "top_answer": str, "top_votes": int}.
    TODO: count the non-empty answers; the top answer has the most votes (a tie goes to the
    one that sorts first; no votes at all gives "" and 0). An item without exactly `of`
    answers is "wrong_count"; otherwise it is accepted when the top answer has at least
    `min_agree` votes, and "no_agreement" when it has fewer.
    """
    return {"label": None, "reason": "no_agreement", "top_answer": "", "top_votes": 0}


def ratio(part, whole):
    return round(part / whole, 4) if whole else None


def score_workers(by_item, decisions, gold):
    """Per worker: answers, agreement with accepted labels, accuracy on gold items, and a flag.

    by_item maps item_id -> [(worker_id, normalised answer), ...]; decisions maps item_id ->
    decide()'s result; gold maps item_id -> normalised handle. README.md lists the fields.
    TODO: count "scored", "agreed", "gold_answers" and "gold_correct", compute "agreement" and
    "gold_accuracy" (rounded to 4 places, None without data) and "flagged".
    """
    counts = defaultdict(int)
    for pairs in by_item.values():
        for worker, _ in pairs:
            counts[worker] += 1
    return {worker: {"answers": counts[worker], "scored": 0, "agreed": 0, "agreement": None,
                     "gold_answers": 0, "gold_correct": 0, "gold_accuracy": None,
                     "flagged": False}
            for worker in sorted(counts)}


def gold_report(decisions, gold):
    """How the agreement rule did on the items whose answer is known.

    TODO: among the items that are in gold, count those accepted and, of those, the ones whose
    label differs from the gold handle; error_rate = wrong / accepted, rounded to 4 places
    (None when no gold item was accepted).
    """
    return {"items": 0, "accepted": 0, "wrong": 0, "error_rate": None}


def aggregate(rows, gold, min_agree, of):
    """rows: (item_id, worker_id, normalised answer); gold: item_id -> normalised handle."""
    by_item = defaultdict(list)
    for item, worker, answer in rows:
        by_item[item].append((worker, answer))
    decisions = {item: decide([a for _, a in pairs], min_agree, of) for item, pairs in by_item.items()}
    stats = score_workers(by_item, decisions, gold)
    reasons = Counter(d["reason"] for d in decisions.values())
    summary = {
        "items": len(by_item),
        "accepted": reasons[None],
        "needs_review": reasons["no_agreement"],
        "wrong_count": reasons["wrong_count"],
        "gold": gold_report(decisions, gold),
        "flagged_workers": [w for w in stats if stats[w]["flagged"]],
    }
    return by_item, decisions, stats, summary


def read_table(path, columns):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}: no column named {', '.join(missing)}")
            return [{c: (row.get(c) or "") for c in columns} for row in reader]
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {path}: {err}") from None


def write_outputs(out_dir, by_item, decisions, stats):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "labels.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["item_id", "label", "votes"])
        for item in sorted(by_item):
            d = decisions[item]
            if d["label"] is not None:
                writer.writerow([item, d["label"], d["top_votes"]])
    with open(os.path.join(out_dir, "review.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["item_id", "reason", "answers", "top_answer", "top_votes"])
        for item in sorted(by_item):
            d = decisions[item]
            if d["label"] is None:
                writer.writerow([item, d["reason"], len(by_item[item]), d["top_answer"], d["top_votes"]])
    with open(os.path.join(out_dir, "workers.json"), "w") as f:
        json.dump(stats, f, indent=2, sort_keys=True)
        f.write("\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Aggregate redundant crowd answers into labels.")
    parser.add_argument("answers", help="CSV with item_id, worker_id and answer columns")
    parser.add_argument("--gold", help="CSV with item_id and handle: items whose answer is known")
    parser.add_argument("--min-agree", type=int, default=7, help="votes needed to accept (default 7)")
    parser.add_argument("--of", type=int, default=9, help="answers each item must have (default 9)")
    parser.add_argument("--out", default="out", help="directory for the output files (default out)")
    args = parser.parse_args(argv)
    # TODO: reject (with parser.error, which exits 2) a --min-agree below 1, above --of, or
    # not more than half of --of: with 4 of 9, two different answers could both be accepted.

    try:
        rows = [(r["item_id"].strip(), r["worker_id"].strip(), normalize(r["answer"]))
                for r in read_table(args.answers, ["item_id", "worker_id", "answer"])]
        gold = {}
        if args.gold:
            gold = {r["item_id"].strip(): normalize(r["handle"])
                    for r in read_table(args.gold, ["item_id", "handle"])}
    except InputError as err:
        print(f"aggregate.py: {err}", file=sys.stderr)
        return 2

    by_item, decisions, stats, summary = aggregate(rows, gold, args.min_agree, args.of)
    write_outputs(args.out, by_item, decisions, stats)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
