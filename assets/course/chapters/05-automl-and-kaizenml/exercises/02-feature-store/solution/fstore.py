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
import math
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
    """Open (or create) the store, with the tables and index of schema.sql."""
    conn = sqlite3.connect(db_path)
    with open(SCHEMA, encoding="utf-8") as f:
        conn.executescript(f.read())
    return conn


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
    """Return the rows of a features CSV as (entity_id, feature, value, event_time) tuples."""
    rows = []
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = [c for c in FEATURE_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{path}: no column {', '.join(missing)}")
            for row in reader:
                where = f"{path}:{reader.line_num}"
                entity = (row["entity_id"] or "").strip()
                feature = (row["feature"] or "").strip()
                if not entity or not feature:
                    raise InputError(f"{where}: entity_id and feature must not be empty")
                try:
                    value = float(row["value"])
                except (TypeError, ValueError):
                    raise InputError(f"{where}: value {row['value']!r} is not a number") from None
                if not math.isfinite(value):
                    raise InputError(f"{where}: value {row['value']!r} is not a finite number")
                when = check_time((row["event_time"] or "").strip(), where)
                rows.append((entity, feature, value, when))
    except OSError as err:
        raise InputError(str(err)) from None
    return rows


def ingest(conn, path):
    """Append every row of a features CSV to the store, all or nothing. Return the count."""
    rows = read_features(path)  # validate everything before writing anything
    with conn:  # one transaction: committed at the end, rolled back on an error
        conn.executemany("INSERT INTO feature_values (entity_id, feature, value, event_time) "
                         "VALUES (?, ?, ?, ?)", rows)
    return len(rows)


LATEST = ("SELECT value FROM feature_values WHERE entity_id = ? AND feature = ? "
          "ORDER BY event_time DESC, rowid DESC LIMIT 1")
AS_OF = ("SELECT value FROM feature_values WHERE entity_id = ? AND feature = ? "
         "AND event_time <= ? ORDER BY event_time DESC, rowid DESC LIMIT 1")


def online(conn, entity_id, features=None):
    """The latest value of each feature of one entity: {feature: value or None}."""
    if features is None:
        features = [name for (name,) in conn.execute(
            "SELECT DISTINCT feature FROM feature_values WHERE entity_id = ? ORDER BY feature",
            (entity_id,))]
    values = {}
    for name in features:
        found = conn.execute(LATEST, (entity_id, name)).fetchone()
        values[name] = found[0] if found else None
    return values


def training(conn, labels_path, features, out):
    """Write the labels CSV to the file object `out` with one column per feature, each holding
    the latest value known at the row's label_time (empty when none was). Return the number of
    rows. Every label_time is checked before anything is written."""
    try:
        with open(labels_path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            columns = list(reader.fieldnames or [])
            for needed in ("entity_id", "label_time"):
                if needed not in columns:
                    raise InputError(f"{labels_path}: no column {needed}")
            clash = [name for name in features if name in columns]
            if clash:
                raise InputError(f"{labels_path}: already has a column {clash[0]}")
            rows = []
            for row in reader:
                check_time((row["label_time"] or "").strip(), f"{labels_path}:{reader.line_num}")
                rows.append(row)
    except OSError as err:
        raise InputError(str(err)) from None
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns + list(features))
    for row in rows:
        entity, when = (row["entity_id"] or "").strip(), row["label_time"].strip()
        cells = [row.get(c) or "" for c in columns]
        for name in features:
            found = conn.execute(AS_OF, (entity, name, when)).fetchone()
            cells.append("" if found is None else repr(found[0]))
        writer.writerow(cells)
    return len(rows)


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
