"""predict.py: score athletes' churn risk from a CSV file, one "athlete,score" line each.

    python3 predict.py athletes.csv > scores.csv
    LOG_LEVEL=DEBUG python3 predict.py athletes.csv

The model comes from MODEL_PATH (default model.json). README.md says how logging must work.
"""
import argparse
import json
import logging
import os
import sys
import time

import scoring

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
NOISY = ("vendor.http",)  # third-party loggers that never go below WARNING

log = logging.getLogger("churn.predict")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts (UTC), level, logger, msg."""

    converter = time.gmtime

    def format(self, record):
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%SZ"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def setup_logging():
    """Configure logging once, here: JSON lines on stderr, level from LOG_LEVEL."""
    raw = os.environ.get("LOG_LEVEL", "")
    name = raw.strip().upper() or "WARNING"
    known = name in LEVELS
    level = getattr(logging, name) if known else logging.WARNING

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # A logger's own level decides whether its records are made at all; the root's level does
    # not filter records that propagate from below. So cap the noisy one at WARNING or at the
    # chosen level, whichever is higher.
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    if not known:
        log.warning("unknown LOG_LEVEL %r, using WARNING", raw)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Score athletes' churn risk.")
    parser.add_argument("csv", help="a CSV file with an athlete column and the model's features")
    args = parser.parse_args(argv)
    setup_logging()

    model_path = os.environ.get("MODEL_PATH", "model.json")
    log.info("scoring %s with %s", args.csv, model_path)
    try:
        model = scoring.load_model(model_path)
    except (OSError, ValueError, KeyError) as err:
        log.error("cannot load model %s: %s", model_path, err)
        return 2
    try:
        rows = scoring.read_rows(args.csv)
    except OSError as err:
        log.error("cannot read %s: %s", args.csv, err.strerror)
        return 2

    scored = 0
    for row in rows:
        score = scoring.score_row(model, row)
        if score is None:
            continue
        print(f"{row.get('athlete') or '?'},{score:.4f}")
        scored += 1
    log.info("scored %d of %d rows", scored, len(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
