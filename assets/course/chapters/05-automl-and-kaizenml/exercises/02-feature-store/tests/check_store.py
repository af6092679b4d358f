"""Drive the learner's fstore.py through this attempt's hidden files and compare every answer
with a reference that keeps the history in plain Python.

Writes {"tests": [...]} to $KAIZEN_RESULTS.
"""
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storegen import Reference  # noqa: E402

RESULTS = os.environ.get("KAIZEN_RESULTS", ".kaizen/results.json")
GEN = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
SCRATCH = tempfile.mkdtemp(prefix="fstore-")
BIG_LIMIT_S = 25.0
results = []


def report(name, ok, message=""):
    results.append({"name": name, "status": "pass" if ok else "fail", "message": "" if ok else message})


def gen(name):
    return os.path.join(GEN, name)


def load_rows(path):
    with open(path, newline="") as f:
        return [dict(r, value=float(r["value"])) for r in csv.DictReader(f)]


class Failed(Exception):
    pass


def fstore(db, *args, timeout=20, expect=(0,)):
    cmd = [sys.executable, "fstore.py", "--db", db, *args]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failed(f"`fstore.py {args[0]}` did not finish within {timeout} s")
    if expect is not None and proc.returncode not in expect:
        lines = proc.stderr.strip().splitlines()
        last = lines[-1][:200] if lines else "(nothing on stderr)"
        raise Failed(f"`fstore.py {args[0]}` exited with status {proc.returncode}: {last}")
    return proc


def stored_count(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM feature_values").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return isinstance(a, (int, float)) and not isinstance(a, bool) and abs(a - b) <= 1e-9


def show(v):
    return "empty" if v is None else repr(v)


def main():
    with open(gen("plan.json")) as f:
        plan = json.load(f)
    ref = Reference()
    db = os.path.join(SCRATCH, "store.db")
    batch1, batch2 = load_rows(gen("batch1.csv")), load_rows(gen("batch2.csv"))

    # 1. ingest into a new store
    name = "ingest creates the store with schema.sql's table and index, and reports the count"
    try:
        proc = fstore(db, "ingest", gen("batch1.csv"))
        ref.ingest(batch1)
        try:
            said = json.loads(proc.stdout)
        except ValueError:
            said = None
        try:
            conn = sqlite3.connect(db)
            cols = [r[1] for r in conn.execute("PRAGMA table_info(feature_values)")]
            indexes = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'feature_values'")]
            conn.close()
        except sqlite3.Error as err:
            raise Failed(f"the --db file is not a usable SQLite database ({err})")
        if cols != ["entity_id", "feature", "value", "event_time"]:
            raise Failed("the store has no table feature_values with the columns of schema.sql "
                         f"(found {cols or 'no such table'}): run schema.sql with executescript()")
        if "feature_values_lookup" not in indexes:
            raise Failed("the store lacks schema.sql's index feature_values_lookup: create the "
                         "store by running schema.sql itself")
        if stored_count(db) != len(batch1):
            raise Failed(f"after ingesting a file of {len(batch1)} values the store holds "
                         f"{stored_count(db)}")
        if said != {"ingested": len(batch1)}:
            raise Failed(f"ingest must print {{\"ingested\": {len(batch1)}}}, printed "
                         f"{proc.stdout.strip()[:80]!r}")
        report(name, True)
        ingested = True
    except Failed as err:
        report(name, False, str(err))
        ingested = stored_count(db) == len(batch1)

    # 2. a second file appends
    name = "A second ingest appends to what is stored"
    try:
        if not ingested:
            raise Failed("the first ingest did not work, see above")
        fstore(db, "ingest", gen("batch2.csv"))
        ref.ingest(batch2)
        if stored_count(db) != ref.count():
            raise Failed(f"after two files of {len(batch1)} and {len(batch2)} values the store "
                         f"holds {stored_count(db)}: append, never replace")
        report(name, True)
    except Failed as err:
        report(name, False, str(err))
        ref.ingest(batch2)

    # 3. a bad file is refused whole
    name = "A file with an unusable row is refused whole: exit 2, nothing stored"
    try:
        before = stored_count(db)
        proc = fstore(db, "ingest", gen("bad.csv"), expect=None)
        if proc.returncode != 2:
            raise Failed(f"ingesting a file with an unusable row must exit with status 2, got "
                         f"{proc.returncode}")
        if stored_count(db) != before:
            raise Failed(f"the file was refused but {stored_count(db) - before} of its rows were "
                         "stored: check every row before writing, or write in one transaction")
        report(name, True)
    except Failed as err:
        report(name, False, str(err))

    # 4. online
    name = "online gives each feature's value with the newest event_time"
    late = {tuple(x) for x in plan["late"]}
    try:
        for entity in plan["online"]:
            proc = fstore(db, "online", entity)
            try:
                got = json.loads(proc.stdout)
            except ValueError:
                raise Failed("online must print a JSON object")
            values = got.get("features") if isinstance(got, dict) else None
            if not isinstance(values, dict):
                raise Failed('online must print {"entity_id": ..., "features": {...}}')
            for feature in ref.features_of(entity):
                want = ref.latest(entity, feature)
                have = values.get(feature)
                if same(have, want):
                    continue
                why = ""
                if (entity, feature) in late or same(have, ref.last_ingested(entity, feature)):
                    why = (": a value with an older event_time was ingested after the newest "
                           "one; the newest event_time wins, not the newest row")
                elif same(have, ref.first_ingested(entity, feature)):
                    why = (": two values share the newest event_time, and the one ingested last "
                           "wins (ORDER BY event_time DESC, rowid DESC)")
                raise Failed(f"entity {entity}, {feature}: got {show(have)}, expected {want!r}{why}")
            extra = sorted(set(values) - set(ref.features_of(entity)))
            if extra:
                raise Failed(f"entity {entity}: lists {extra[0]}, a feature it never had")
        report(name, True)
    except Failed as err:
        report(name, False, str(err))

    name = "online gives null for a feature or an entity the store has never seen"
    try:
        entity = plan["online"][0]
        asked = plan["asked"] + ["no_such_feature"]
        proc = fstore(db, "online", entity, "--features", ",".join(asked))
        try:
            got = json.loads(proc.stdout)["features"]
        except (ValueError, KeyError, TypeError):
            raise Failed('online must print {"entity_id": ..., "features": {...}}')
        for feature in asked:
            if feature not in got or not same(got[feature], ref.latest(entity, feature)):
                raise Failed(f"with --features, entity {entity}, {feature}: got "
                             f"{show(got.get(feature))}, expected "
                             f"{'null' if ref.latest(entity, feature) is None else ref.latest(entity, feature)}")
        proc = fstore(db, "online", plan["unknown"], "--features", ",".join(plan["asked"]))
        got = json.loads(proc.stdout).get("features")
        if got != {f: None for f in plan["asked"]}:
            raise Failed(f"for an entity the store has never seen, every asked feature must be "
                         f"null, got {json.dumps(got)[:100]}")
        report(name, True)
    except Failed as err:
        report(name, False, str(err))
    except ValueError:
        report(name, False, "online must print a JSON object")

    # 5. training
    with open(gen("labels.csv"), newline="") as f:
        reader = csv.DictReader(f)
        label_columns = list(reader.fieldnames)
        labels = list(reader)
    asked = plan["asked"]
    names = {
        "pit": "training uses only values known at each label_time, and the newest of those",
        "shape": "training keeps the label file's columns and rows, then one column per feature",
        "empty": "training leaves a cell empty when no value was known yet",
    }
    try:
        proc = fstore(db, "training", gen("labels.csv"), "--features", ",".join(asked))
        table = list(csv.reader(io.StringIO(proc.stdout)))
        header, rows = (table[0], table[1:]) if table else ([], [])
        if header != label_columns + asked:
            raise Failed(f"the header is {','.join(header)[:120]!r}, expected "
                         f"{','.join(label_columns + asked)!r}")
        if len(rows) != len(labels):
            raise Failed(f"{len(rows)} rows for {len(labels)} label events")
        for i, (row, label) in enumerate(zip(rows, labels), start=1):
            if row[:len(label_columns)] != [label[c] for c in label_columns]:
                raise Failed(f"row {i}: the label file's cells must be copied unchanged, in order")
        report(names["shape"], True)
        shape_ok = True
    except Failed as err:
        for key in ("shape", "pit", "empty"):
            report(names[key], False, str(err))
        shape_ok = False

    if shape_ok:
        pit_msg = empty_msg = ""
        for i, (row, label) in enumerate(zip(rows, labels), start=1):
            entity, when = label["entity_id"], label["label_time"]
            for j, feature in enumerate(asked):
                cell = row[len(label_columns) + j]
                want = ref.latest(entity, feature, when)
                try:
                    have = float(cell) if cell.strip() else None
                except ValueError:
                    have = "?"
                if same(have, want):
                    continue
                where = f"row {i} ({entity} at {when}), {feature}: got {cell or 'empty'}, expected {show(want)}"
                if want is None:
                    empty_msg = empty_msg or (where + ": nothing was known yet, so the cell stays "
                                              "empty (no value from the future)")
                    continue
                if same(have, ref.latest(entity, feature)):
                    why = ": that value was written after label_time, a leak from the future"
                elif same(have, ref.before(entity, feature, when)):
                    why = ": a value whose event_time equals label_time was known then (<=, not <)"
                elif same(have, ref.first_ingested(entity, feature, when)):
                    why = ": two values share that event_time and the one ingested last wins"
                else:
                    why = ""
                pit_msg = pit_msg or where + why
        report(names["pit"], not pit_msg, pit_msg)
        report(names["empty"], not empty_msg, empty_msg)

    # 6. a big store
    name = f"40,000 values and 4,000 label events take less than {BIG_LIMIT_S:g} s"
    try:
        big = os.path.join(SCRATCH, "big.db")
        start = time.monotonic()
        fstore(big, "ingest", gen("big.csv"), timeout=BIG_LIMIT_S)
        proc = fstore(big, "training", gen("big_labels.csv"), "--features",
                      ",".join(plan["features"][:3]), timeout=BIG_LIMIT_S)
        elapsed = time.monotonic() - start
        lines = proc.stdout.count("\n")
        if lines != 4001:
            raise Failed(f"the big training set has {lines} lines, expected 4001")
        if elapsed > BIG_LIMIT_S:
            raise Failed(f"it took {elapsed:.1f} s: is schema.sql's index there, and does each "
                         "lookup filter on entity_id, feature and event_time?")
        report(name, True)
    except Failed as err:
        msg = str(err)
        if "ingest` did not finish" in msg:
            msg += ": insert the whole file with executemany() in one transaction, not one commit per row"
        elif "did not finish" in msg:
            msg += (": is schema.sql's index there, and does each lookup filter on entity_id, "
                    "feature and event_time?")
        report(name, False, msg)


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # noqa: BLE001
        results.append({"name": "The checker finished", "status": "error",
                        "message": f"{type(err).__name__}: {err}"})
    finally:
        with open(RESULTS, "w") as f:
            json.dump({"tests": results}, f)
