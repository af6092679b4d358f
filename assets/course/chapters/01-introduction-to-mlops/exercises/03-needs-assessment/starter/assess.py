"""assess.py: place a team on the MLOps hierarchy of needs from its self-assessment answers.

Usage:
    python3 assess.py ANSWERS.json

Prints one JSON object (README.md lists its keys) and exits with status 0. When the answers file
cannot be used, prints a message on stderr and exits with status 2.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "answers.schema.json")

# The hierarchy of the lesson ch01-hierarchy-of-needs, bottom layer first. Within a layer, the
# practices are in the order a team should tackle them. Do not change this table.
LAYERS = [
    ("DevOps", ["ci_on_every_push", "automated_deploy"]),
    ("DataOps", ["scheduled_data_pipeline", "data_validation"]),
    ("Platform automation", ["managed_training", "model_registry"]),
    ("MLOps", ["automatic_retraining", "drift_monitoring"]),
]


class AnswersError(Exception):
    """The answers file cannot be used; main() prints the message and exits with status 2."""


def load_answers(path):
    """Read an answers file and check it against answers.schema.json.

    Returns (team, answers), answers being {practice: "yes" | "partial" | "no"}.

    TODO: raise AnswersError, with a message that names the problem, when the file cannot be
    read, is not valid JSON, or breaks a rule of the schema (README.md lists them).
    """
    with open(path) as f:
        doc = json.load(f)
    return doc.get("team"), doc.get("answers", {})


def assess(team, answers):
    """Walk the layers bottom-up and stop at the first practice that is not "yes".

    TODO: return the report README.md describes: team, level, complete_layers, next_gap,
    missing and built_above_gap.
    """
    return {"team": team}


def main(argv):
    if len(argv) != 1:
        print("usage: python3 assess.py ANSWERS.json", file=sys.stderr)
        return 2
    try:
        team, answers = load_answers(argv[0])
    except AnswersError as err:
        print(f"assess.py: {argv[0]}: {err}", file=sys.stderr)
        return 2
    print(json.dumps(assess(team, answers), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
