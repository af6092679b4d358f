-- Learners are rows so one file serves one person or a whole class server.
CREATE TABLE learners (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,          -- "local", or "ssh:" + key fingerprint
    name        TEXT    NOT NULL DEFAULT '',
    student_id  TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL                  -- unix milliseconds
);

-- Every learner action, append-only. uid makes merging exported files idempotent.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    uid            TEXT    NOT NULL UNIQUE,
    learner_id     INTEGER NOT NULL REFERENCES learners(id),
    at             INTEGER NOT NULL,              -- unix milliseconds
    kind           TEXT    NOT NULL,
    subject        TEXT    NOT NULL,              -- the id the event is about
    data           TEXT    NOT NULL DEFAULT '{}', -- JSON
    course_id      TEXT    NOT NULL,
    course_version TEXT    NOT NULL
);
CREATE INDEX events_by_learner ON events(learner_id, at);
CREATE INDEX events_by_kind ON events(learner_id, kind, subject);

-- Lesson state, a projection of lesson.* events.
CREATE TABLE lesson_progress (
    learner_id  INTEGER NOT NULL REFERENCES learners(id),
    lesson_id   TEXT    NOT NULL,
    opened_at   INTEGER NOT NULL,
    last_at     INTEGER NOT NULL,
    finished_at INTEGER,
    scroll      REAL    NOT NULL DEFAULT 0,       -- fraction of the lesson, 0..1
    seconds     INTEGER NOT NULL DEFAULT 0,       -- active reading time
    PRIMARY KEY (learner_id, lesson_id)
);
