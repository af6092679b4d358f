"""The checker's reference: README.md's scoring rules, written independently of the solution."""

ORDER = ("data", "model", "infrastructure", "monitoring")
VALUE = {"none": 0.0, "manual": 0.5, "automated": 1.0}


def band(score):
    if score == 0:
        return "research"
    if score <= 1:
        return "fragile"
    if score <= 2:
        return "basic"
    if score <= 3:
        return "reasonable"
    if score <= 5:
        return "strong"
    return "exceptional"


def evaluate(audit):
    sums = dict.fromkeys(ORDER, 0.0)
    for t in audit["tests"]:
        sums[t["section"]] += VALUE[t["status"]]
    low = min(sums.values())
    weakest = [s for s in ORDER if sums[s] == low]
    open_steps = sorted(((t["next_step_days"], t["id"], t) for t in audit["tests"]
                         if t["section"] in weakest and t["status"] != "automated"),
                        key=lambda x: (x[0], x[1]))
    recs = [{"id": t["id"], "section": t["section"], "from": t["status"],
             "to": "manual" if t["status"] == "none" else "automated", "days": d}
            for d, _, t in open_steps[:3]]
    total = 0.0
    for s in weakest:
        options = [d for d, _, t in open_steps if t["section"] == s]
        if not options:
            total = None
            break
        total += min(options)
    return {"system": audit["system"], "sections": sums, "score": low, "band": band(low),
            "weakest": weakest, "recommendations": recs,
            "days_to_raise": None if total is None else round(total, 2)}
