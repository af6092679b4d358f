"""The checker's reference: README.md's rules, written independently of the solution."""
import csv


def norm(text):
    t = text.strip()
    if t[:1] == "@":
        t = t[1:].strip()
    return t.casefold()


def load(path, a, b, c=None):
    with open(path, newline="", encoding="utf-8") as f:
        out = []
        for row in csv.DictReader(f):
            out.append(tuple((row.get(k) or "") for k in ((a, b, c) if c else (a, b))))
        return out


def run(answers_path, gold_path=None, min_agree=7, of=9):
    """Return {"labels": [...], "review": [...], "workers": {...}, "summary": {...}}."""
    items = {}
    for item, worker, answer in load(answers_path, "item_id", "worker_id", "answer"):
        items.setdefault(item.strip(), []).append((worker.strip(), norm(answer)))
    gold = {}
    if gold_path:
        gold = {i.strip(): norm(h) for i, h in load(gold_path, "item_id", "handle")}

    labels, review, label_of = [], [], {}
    for item in sorted(items):
        answers = [a for _, a in items[item]]
        tally = {}
        for a in answers:
            if a != "":
                tally[a] = tally.get(a, 0) + 1
        best, best_n = "", 0
        for a in sorted(tally):
            if tally[a] > best_n:
                best, best_n = a, tally[a]
        if len(answers) != of:
            review.append([item, "wrong_count", str(len(answers)), best, str(best_n)])
        elif best_n >= min_agree:
            labels.append([item, best, str(best_n)])
            label_of[item] = best
        else:
            review.append([item, "no_agreement", str(len(answers)), best, str(best_n)])

    workers = {}
    for item in items:
        for worker, answer in items[item]:
            w = workers.setdefault(worker, [0, 0, 0, 0, 0])
            w[0] += 1
            if item in label_of:
                w[1] += 1
                w[2] += 1 if answer == label_of[item] else 0
            if item in gold:
                w[3] += 1
                w[4] += 1 if answer == gold[item] else 0
    stats = {}
    for worker in sorted(workers):
        n, scored, agreed, g, gc = workers[worker]
        flagged = (scored >= 10 and agreed / scored < 0.6) or (g >= 3 and gc / g < 0.6)
        stats[worker] = {"answers": n, "scored": scored, "agreed": agreed,
                         "agreement": round(agreed / scored, 4) if scored else None,
                         "gold_answers": g, "gold_correct": gc,
                         "gold_accuracy": round(gc / g, 4) if g else None, "flagged": flagged}

    g_items = [i for i in items if i in gold]
    g_acc = [i for i in g_items if i in label_of]
    g_wrong = [i for i in g_acc if label_of[i] != gold[i]]
    summary = {
        "items": len(items),
        "accepted": len(labels),
        "needs_review": sum(1 for r in review if r[1] == "no_agreement"),
        "wrong_count": sum(1 for r in review if r[1] == "wrong_count"),
        "gold": {"items": len(g_items), "accepted": len(g_acc), "wrong": len(g_wrong),
                 "error_rate": round(len(g_wrong) / len(g_acc), 4) if g_acc else None},
        "flagged_workers": sorted(w for w in stats if stats[w]["flagged"]),
    }
    return {"labels": labels, "review": review, "workers": stats, "summary": summary}
