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
    """Case-fold, strip spaces and one leading "@": "  @Ana_K " and "ana_k" are the same answer."""
    text = answer.strip()
    if text.startswith("@"):
        text = text[1:].strip()
    return text.casefold()


def decide(answers, min_agree, of):
    """Decide one item from its normalised answers ("" is an empty answer, never a vote)."""
    votes = Counter(a for a in answers if a)
    if votes:
        top, top_votes = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    else:
        top, top_votes = "", 0
    if len(answers) != of:
        return {"label": None, "reason": "wrong_count", "top_answer": top, "top_votes": top_votes}
    if top_votes >= min_agree:
        return {"label": top, "reason": None, "top_answer": top, "top_votes": top_votes}
    return {"label": None, "reason": "no_agreement", "top_answer": top, "top_votes": top_votes}


def ratio(part, whole):
    return round(part / whole, 4) if whole else None


def score_workers(by_item, decisions, gold):
    """Per worker: answers, agreement with accepted labels, accuracy on gold items, and a flag."""
    counts = defaultdict(lambda: {"answers": 0, "scored": 0, "agreed": 0,
                                  "gold_answers": 0, "gold_correct": 0})
    for item, pairs in by_item.items():
        label = decisions[item]["label"]
        for worker, answer in pairs:
            w = counts[worker]
            w["answers"] += 1
            if label is not None:
                w["scored"] += 1
                w["agreed"] += answer == label
            if item in gold:
                w["gold_answers"] += 1
                w["gold_correct"] += answer == gold[item]
    stats = {}
    for worker in sorted(counts):
        w = counts[worker]
        low_agreement = w["scored"] >= MIN_SCORED and w["agreed"] / w["scored"] < MIN_QUALITY
        low_gold = w["gold_answers"] >= MIN_GOLD and w["gold_correct"] / w["gold_answers"] < MIN_QUALITY
        stats[worker] = dict(w, agreement=ratio(w["agreed"], w["scored"]),
                             gold_accuracy=ratio(w["gold_correct"], w["gold_answers"]),
                             flagged=low_agreement or low_gold)
    return stats


def gold_report(decisions, gold):
    """How the agreement rule did on the items whose answer is known."""
    items = [item for item in sorted(decisions) if item in gold]
    accepted = [item for item in items if decisions[item]["label"] is not None]
    wrong = [item for item in accepted if decisions[item]["label"] != gold[item]]
    return {"items": len(items), "accepted": len(accepted), "wrong": len(wrong),
            "error_rate": ratio(len(wrong), len(accepted))}


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
    if not 1 <= args.min_agree <= args.of:
        parser.error("--min-agree must be between 1 and --of")
    if 2 * args.min_agree <= args.of:
        parser.error("--min-agree must be more than half of --of, or two answers could both win")

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
