"""readiness.py: score an ML system's production readiness, ML Test Score style.

Usage:
    python3 readiness.py AUDIT.json [--min-score X]

Prints a JSON report on stdout. Exit status: 0, or 1 when --min-score is given and the score is
below it, or 2 when the audit file is unusable. README.md has the rules.
"""
import argparse
import json
import math
import sys

SECTIONS = ["data", "model", "infrastructure", "monitoring"]
POINTS = {"none": 0.0, "manual": 0.5, "automated": 1.0}
NEXT = {"none": "manual", "manual": "automated"}
BANDS = [(0.0, "research"), (1.0, "fragile"), (2.0, "basic"), (3.0, "reasonable"), (5.0, "strong")]


class AuditError(Exception):
    """The audit file cannot be used; the message says why."""


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def load_audit(path):
    """Read and check an audit file; return (system, tests). Raises AuditError."""
    try:
        with open(path, encoding="utf-8") as f:
            audit = json.load(f)
    except OSError as err:
        raise AuditError(f"cannot read {path}: {err.strerror}") from None
    except ValueError as err:
        raise AuditError(f"{path} is not valid JSON: {err}") from None
    if not isinstance(audit, dict):
        raise AuditError("the audit must be a JSON object")
    system, tests = audit.get("system"), audit.get("tests")
    if not isinstance(system, str) or not system.strip():
        raise AuditError('"system" must be a non-empty string')
    if not isinstance(tests, list) or not tests:
        raise AuditError('"tests" must be a non-empty list')
    seen = set()
    for n, test in enumerate(tests, start=1):
        if not isinstance(test, dict):
            raise AuditError(f"test {n} is not an object")
        tid = test.get("id")
        if not isinstance(tid, str) or not tid:
            raise AuditError(f'test {n} has no "id"')
        if tid in seen:
            raise AuditError(f"test id {tid!r} is used twice")
        seen.add(tid)
        if test.get("section") not in SECTIONS:
            raise AuditError(f"test {tid}: section must be one of {', '.join(SECTIONS)}")
        if test.get("status") not in POINTS:
            raise AuditError(f"test {tid}: status must be none, manual or automated")
        if test["status"] != "automated":
            days = test.get("next_step_days")
            if not is_number(days) or days < 0:
                raise AuditError(f"test {tid}: next_step_days must be a number of days, 0 or more")
    empty = [s for s in SECTIONS if not any(t["section"] == s for t in tests)]
    if empty:
        raise AuditError(f"section {empty[0]} has no tests: the audit must cover all four sections")
    return system, tests


def section_scores(tests):
    """Each section's points: 0 per test not done, 0.5 per manual test, 1 per automated test."""
    return {s: sum(POINTS[t["status"]] for t in tests if t["section"] == s) for s in SECTIONS}


def band_for(score):
    """The band of a final score: 0, (0,1], (1,2], (2,3], (3,5] and above 5."""
    for upper, name in BANDS:
        if score <= upper:
            return name
    return "exceptional"


def plan(tests, weakest):
    """The cheapest next steps in the weakest sections, and the days it takes to raise the score."""
    steps = [t for t in tests if t["section"] in weakest and t["status"] != "automated"]
    steps.sort(key=lambda t: (t["next_step_days"], t["id"]))
    recommendations = [{"id": t["id"], "section": t["section"], "from": t["status"],
                        "to": NEXT[t["status"]], "days": t["next_step_days"]} for t in steps[:3]]
    cheapest = []
    for section in weakest:
        days = [t["next_step_days"] for t in steps if t["section"] == section]
        if not days:
            return recommendations, None      # fully automated already: only new tests raise it
        cheapest.append(min(days))
    return recommendations, round(sum(cheapest), 2)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Score production readiness, ML Test Score style.")
    parser.add_argument("audit", help="the audit JSON file")
    parser.add_argument("--min-score", type=float, default=None,
                        help="exit 1 when the final score is below this (a release gate)")
    args = parser.parse_args(argv)
    try:
        system, tests = load_audit(args.audit)
    except AuditError as err:
        print(f"readiness.py: {err}", file=sys.stderr)
        return 2
    sections = section_scores(tests)
    score = min(sections.values())
    weakest = [s for s in SECTIONS if sections[s] == score]
    recommendations, days = plan(tests, weakest)
    print(json.dumps({
        "system": system,
        "sections": sections,
        "score": score,
        "band": band_for(score),
        "weakest": weakest,
        "recommendations": recommendations,
        "days_to_raise": days,
    }, indent=2))
    if args.min_score is not None and score < args.min_score:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
