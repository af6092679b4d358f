-- schema.sql: the feature store's one table, and the index that makes lookups fast.
--
-- Every value ever ingested is kept (nothing is updated in place), with the time it became true.
-- event_time is UTC text in one fixed format, 'YYYY-MM-DDTHH:MM:SSZ', so comparing the text
-- compares the times. rowid (SQLite's implicit row number) grows with every insert, so among
-- values with the same event_time the one with the largest rowid was ingested last.

CREATE TABLE IF NOT EXISTS feature_values (
    entity_id  TEXT NOT NULL,
    feature    TEXT NOT NULL,
    value      REAL NOT NULL,
    event_time TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS feature_values_lookup
    ON feature_values (entity_id, feature, event_time);
