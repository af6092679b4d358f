"""predict.py: score athletes' churn risk from a CSV file, one "athlete,score" line each.

    python3 predict.py athletes.csv > scores.csv
    LOG_LEVEL=DEBUG python3 predict.py athletes.csv

The model comes from MODEL_PATH (default model.json). README.md says how logging must work.
"""
import argparse
import os
import sys

import scoring


def setup_logging():
    """TODO: configure logging once, here: JSON lines on stderr, level from LOG_LEVEL."""


def main(argv=None):
    parser = argparse.ArgumentParser(description="Score athletes' churn risk.")
    parser.add_argument("csv", help="a CSV file with an athlete column and the model's features")
    args = parser.parse_args(argv)
    setup_logging()

    model_path = os.environ.get("MODEL_PATH", "model.json")
    print(f"[info] scoring {args.csv} with {model_path}")
    try:
        model = scoring.load_model(model_path)
    except (OSError, ValueError, KeyError) as err:
        print(f"[error] cannot load model {model_path}: {err}", file=sys.stderr)
        return 2
    try:
        rows = scoring.read_rows(args.csv)
    except OSError as err:
        print(f"[error] cannot read {args.csv}: {err.strerror}", file=sys.stderr)
        return 2

    scored = 0
    for row in rows:
        score = scoring.score_row(model, row)
        if score is None:
            continue
        print(f"{row.get('athlete') or '?'},{score:.4f}")
        scored += 1
    print(f"[info] scored {scored} of {len(rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
