#!/usr/bin/env python3
"""fstore.py: a small feature store on SQLite, with point-in-time training sets.

Usage:
    python3 fstore.py --db STORE.db ingest FEATURES.csv
    python3 fstore.py --db STORE.db online ENTITY_ID [--features a,b]
    python3 fstore.py --db STORE.db training LABELS.csv --features a,b > TRAIN.csv

Exit status: 0 on success, 2 when an input is unusable (nothing is written then).
README.md has the full rules.
"""
import argparse
import csv
import datetime
import json
import math  # noqa: F401  (math.isfinite)
import os
import re
import sqlite3
import sys

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema.sql")
TIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
FEATURE_COLUMNS = ("entity_id", "feature", "value", "event_time")


class InputError(Exception):
    """An input cannot be used; the message says why."""


def connect(db_path):
    """Open (or create) the store, with the tables and index of schema.sql.

    TODO: sqlite3.connect() creates an empty file; run the statements of the file SCHEMA on the
    connection (conn.executescript) so the table and its index exist. They say IF NOT EXISTS,
    so running them on an existing store is harmless.
    """
    return sqlite3.connect(db_path)


def check_time(text, where):
    """Return text if it is a real UTC time in the store's format, else raise InputError."""
    if not TIME_RE.fullmatch(text or ""):
        raise InputError(f"{where}: time {text!r} is not YYYY-MM-DDTHH:MM:SSZ")
    try:
        datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise InputError(f"{where}: {text!r} is not a real date and time") from None
    return text


def read_features(path):
    """Return the rows of a features CSV as (entity_id, feature, value, event_time) tuples.

    TODO: find the four columns by name (csv.DictReader); raise InputError naming the file and
    line (reader.line_num) for an empty entity_id or feature, a value that is not a finite
    number, or an event_time that check_time() refuses. Raise InputError for a missing column
    or a file that cannot be read (OSError).
    """
    raise NotImplementedError("read_features")


def ingest(conn, path):
    """Append every row of a features CSV to the store, all or nothing. Return the count.

    TODO: read and check the whole file first (read_features), then insert every row in one
    transaction (`with conn:` commits at the end, conn.executemany inserts a list of tuples).
    """
    raise NotImplementedError("ingest")


def online(conn, entity_id, features=None):
    """The latest value of each feature of one entity: {feature: value or None}.

    TODO: "latest" means the newest event_time; among values with the same event_time, the one
    ingested last (the largest rowid). With features=None, answer for every feature the entity
    has, in name order; otherwise for exactly the features given, None for those it lacks.
    """
    raise NotImplementedError("online")


def training(conn, labels_path, features, out):
    """Write the labels CSV to the file object `out` with one column per feature, each holding
    the latest value known at the row's label_time (empty when none was). Return the number of
    rows. Every label_time is checked before anything is written.

    TODO: the label file needs entity_id and label_time columns (InputError otherwise; also
    when it already has a column named like a feature). Copy its header and cells unchanged and
    add one cell per feature: the value with the newest event_time <= label_time (ties: the
    one ingested last), written with repr(), or "" when there is none.
    """
    raise NotImplementedError("training")


def feature_list(text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one feature name")
    return names


def main(argv=None):
    parser = argparse.ArgumentParser(description="A small feature store on SQLite.")
    parser.add_argument("--db", required=True, help="the SQLite file of the store")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="append a features CSV to the store")
    p.add_argument("csv")
    p = sub.add_parser("online", help="the latest values of one entity, as JSON")
    p.add_argument("entity_id")
    p.add_argument("--features", type=feature_list)
    p = sub.add_parser("training", help="a point-in-time training set, as CSV")
    p.add_argument("labels")
    p.add_argument("--features", type=feature_list, required=True)
    args = parser.parse_args(argv)

    conn = connect(args.db)
    try:
        if args.command == "ingest":
            count = ingest(conn, args.csv)
            print(json.dumps({"ingested": count}))
        elif args.command == "online":
            values = online(conn, args.entity_id, args.features)
            print(json.dumps({"entity_id": args.entity_id, "features": values}))
        else:
            training(conn, args.labels, args.features, sys.stdout)
    except InputError as err:
        print(f"fstore.py: {err}", file=sys.stderr)
        return 2
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
