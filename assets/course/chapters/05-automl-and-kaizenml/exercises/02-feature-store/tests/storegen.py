"""Synthetic feature histories and label events, and a reference point-in-time lookup.

Shared by generate.py (which writes the CSV files) and check_store.py (which replays them).
The reference deliberately does not use SQLite: it keeps every value in Python lists.
"""
import csv
import datetime
import io

EPOCH = datetime.datetime(2024, 3, 1)
FEATURE_POOL = {  # name -> (low, high, decimals)
    "posts_7d": (0, 40, 0),
    "followers_k": (0, 300, 1),
    "sessions_7d": (0, 60, 0),
    "minutes_7d": (0, 900, 1),
    "comments_7d": (0, 80, 0),
    "days_since_login": (0, 45, 0),
}


def stamp(seconds):
    return (EPOCH + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def seconds(text):
    """The inverse of stamp()."""
    when = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    return int((when - EPOCH).total_seconds())


def value(rng, feature):
    low, high, decimals = FEATURE_POOL[feature]
    v = round(rng.uniform(low, high), decimals)
    return float(v)


def fmt(v):
    """How a value is written in the CSV: integers without a decimal point, like a real export."""
    return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)


def to_csv(rows, columns=("entity_id", "feature", "value", "event_time")):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([fmt(r[c]) if c == "value" else r[c] for c in columns])
    return buf.getvalue()


class Reference:
    """Every value ever ingested, in ingestion order, and the lookups the store must answer."""

    def __init__(self):
        self.history = {}  # (entity, feature) -> [(event_time, order, value)]
        self.order = 0

    def ingest(self, rows):
        for r in rows:
            self.order += 1
            self.history.setdefault((r["entity_id"], r["feature"]), []).append(
                (r["event_time"], self.order, r["value"]))

    def count(self):
        return self.order

    def latest(self, entity, feature, at=None):
        found = [h for h in self.history.get((entity, feature), []) if at is None or h[0] <= at]
        return max(found)[2] if found else None

    def before(self, entity, feature, at):
        """What a store that used `<` instead of `<=` would answer."""
        found = [h for h in self.history.get((entity, feature), []) if h[0] < at]
        return max(found)[2] if found else None

    def first_ingested(self, entity, feature, at=None):
        """What a store that broke ties by the first ingested row would answer."""
        found = [h for h in self.history.get((entity, feature), []) if at is None or h[0] <= at]
        if not found:
            return None
        newest = max(h[0] for h in found)
        return min(h for h in found if h[0] == newest)[2]

    def last_ingested(self, entity, feature):
        """What a store that ordered by rowid alone would answer."""
        found = self.history.get((entity, feature), [])
        return max(found, key=lambda h: h[1])[2] if found else None

    def features_of(self, entity):
        return sorted({f for (e, f) in self.history if e == entity})
