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


def schema_rules():
    """The top-level keys, the practices and the allowed answers, read from the schema."""
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    top = set(schema["properties"])
    practices = set(schema["properties"]["answers"]["properties"])
    allowed = schema["$defs"]["answer"]["enum"]
    return top, practices, allowed


def load_answers(path):
    """Read an answers file and check it against answers.schema.json.

    Returns (team, answers), answers being {practice: "yes" | "partial" | "no"}.
    """
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as err:
        raise AnswersError(f"cannot read it ({err.strerror})")
    except ValueError as err:
        raise AnswersError(f"not valid JSON ({err})")
    top, practices, allowed = schema_rules()
    if not isinstance(doc, dict):
        raise AnswersError("the file must hold one JSON object")
    for key in sorted(doc):
        if key not in top:
            raise AnswersError(f"unknown key {key!r} (allowed: {', '.join(sorted(top))})")
    team = doc.get("team")
    if not isinstance(team, str) or not team:
        raise AnswersError('"team" must be a non-empty string')
    if "assessed_on" in doc and not isinstance(doc["assessed_on"], str):
        raise AnswersError('"assessed_on" must be a string')
    answers = doc.get("answers")
    if not isinstance(answers, dict):
        raise AnswersError('"answers" must be an object of practice: answer')
    for practice, answer in sorted(answers.items()):
        if practice not in practices:
            raise AnswersError(f"unknown practice {practice!r}: is it misspelt?")
        if not isinstance(answer, str) or answer not in allowed:
            raise AnswersError(f"{practice}: the answer {json.dumps(answer)} is not one of "
                               f"{', '.join(allowed)}")
    return team, answers


def assess(team, answers):
    """Walk the layers bottom-up and stop at the first practice that is not "yes"."""
    report = {"team": team, "level": "none", "complete_layers": 0, "next_gap": None,
              "missing": [], "built_above_gap": []}
    for index, (layer, practices) in enumerate(LAYERS):
        missing = [p for p in practices if answers.get(p) != "yes"]
        if missing:
            first = missing[0]
            report["next_gap"] = {"layer": layer, "practice": first,
                                  "answer": answers.get(first, "unanswered")}
            report["missing"] = missing
            report["built_above_gap"] = [p for _, above in LAYERS[index + 1:] for p in above
                                         if answers.get(p) == "yes"]
            break
        report["level"] = layer
        report["complete_layers"] = index + 1
    return report


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
