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
    # TODO: check everything README.md lists under "A usable audit" and raise AuditError with a
    # clear message for the first problem: the shape of the file, each test's id, section,
    # status and next_step_days, duplicate ids, and a section without tests.
    return audit["system"], audit["tests"]


def section_scores(tests):
    """Each section's points: 0 per test not done, 0.5 per manual test, 1 per automated test.

    TODO: return {"data": ..., "model": ..., "infrastructure": ..., "monitoring": ...}.
    """
    return {s: 0.0 for s in SECTIONS}


def band_for(score):
    """The band of a final score: 0, (0,1], (1,2], (2,3], (3,5] and above 5.

    TODO: BANDS lists each band's upper bound, inclusive; above 5 is "exceptional".
    """
    return "research"


def plan(tests, weakest):
    """The cheapest next steps in the weakest sections, and the days it takes to raise the score.

    TODO: return (recommendations, days_to_raise) as README.md describes: at most three steps,
    cheapest first (ties by id), from the tests of the weakest sections that are not automated
    yet; and the days of one cheapest step in each weakest section, added up (None when a
    weakest section has no step left).
    """
    return [], None


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
