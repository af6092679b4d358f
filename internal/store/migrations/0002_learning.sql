-- Quiz answers (from quizzes and reviews), a projection of quiz.answered events.
CREATE TABLE quiz_answers (
    id          INTEGER PRIMARY KEY,
    learner_id  INTEGER NOT NULL REFERENCES learners(id),
    event_uid   TEXT    NOT NULL UNIQUE,
    question_id TEXT    NOT NULL,
    chapter_id  TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    correct     INTEGER NOT NULL,
    score       REAL    NOT NULL,
    confidence  TEXT    NOT NULL DEFAULT '',
    seconds     REAL    NOT NULL DEFAULT 0,
    source      TEXT    NOT NULL DEFAULT 'quiz'   -- quiz | review
);
CREATE INDEX quiz_answers_by_learner ON quiz_answers(learner_id, at);

-- Spaced-review cards (FSRS state), one per answered question.
CREATE TABLE cards (
    learner_id  INTEGER NOT NULL REFERENCES learners(id),
    question_id TEXT    NOT NULL,
    chapter_id  TEXT    NOT NULL,
    state       TEXT    NOT NULL,   -- JSON of quiz.Card
    due         INTEGER NOT NULL,   -- unix milliseconds, for the due index
    PRIMARY KEY (learner_id, question_id)
);
CREATE INDEX cards_due ON cards(learner_id, due);

-- One row per finished quiz attempt.
CREATE TABLE quiz_results (
    learner_id INTEGER NOT NULL REFERENCES learners(id),
    event_uid  TEXT    NOT NULL UNIQUE,
    chapter_id TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    correct    INTEGER NOT NULL,
    total      INTEGER NOT NULL,
    score      REAL    NOT NULL
);

-- Discussion journal: the latest saved answer, its revisions and self-ratings.
CREATE TABLE journal (
    learner_id INTEGER NOT NULL REFERENCES learners(id),
    prompt_id  TEXT    NOT NULL,
    chapter_id TEXT    NOT NULL,
    revisions  INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    portfolio  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (learner_id, prompt_id)
);
CREATE TABLE journal_revisions (
    learner_id INTEGER NOT NULL REFERENCES learners(id),
    prompt_id  TEXT    NOT NULL,
    rev        INTEGER NOT NULL,
    event_uid  TEXT    NOT NULL UNIQUE,
    body       TEXT    NOT NULL,
    saved_at   INTEGER NOT NULL,
    ratings    TEXT    NOT NULL DEFAULT '{}',   -- JSON {trait: 1..4}
    note       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (learner_id, prompt_id, rev)
);
-- Unsaved drafts: written on every pause in typing, never lost on quit; not events.
CREATE TABLE journal_drafts (
    learner_id INTEGER NOT NULL REFERENCES learners(id),
    prompt_id  TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (learner_id, prompt_id)
);

-- Exercises: state per exercise and every check attempt.
CREATE TABLE exercise_state (
    learner_id      INTEGER NOT NULL REFERENCES learners(id),
    exercise_id     TEXT    NOT NULL,
    chapter_id      TEXT    NOT NULL DEFAULT '',
    started_at      INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    best_points     REAL    NOT NULL DEFAULT 0,
    max_points      REAL    NOT NULL DEFAULT 0,
    passed_at       INTEGER,
    hints           INTEGER NOT NULL DEFAULT 0,
    revealed_at     INTEGER,
    gave_up         INTEGER NOT NULL DEFAULT 0,
    last_at         INTEGER NOT NULL,
    PRIMARY KEY (learner_id, exercise_id)
);
CREATE TABLE exercise_attempts (
    learner_id  INTEGER NOT NULL REFERENCES learners(id),
    event_uid   TEXT    NOT NULL UNIQUE,
    exercise_id TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    passed      INTEGER NOT NULL,
    points      REAL    NOT NULL,
    max_points  REAL    NOT NULL,
    report      TEXT    NOT NULL DEFAULT '{}'
);

-- Case-study runs.
CREATE TABLE case_runs (
    learner_id INTEGER NOT NULL REFERENCES learners(id),
    event_uid  TEXT    NOT NULL UNIQUE,
    case_id    TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    choices    TEXT    NOT NULL,   -- JSON list of choice keys
    ending     TEXT    NOT NULL,
    data       TEXT    NOT NULL DEFAULT '{}'
);

-- Portfolio links attached to an exercise or a case-study run.
CREATE TABLE links (
    learner_id INTEGER NOT NULL REFERENCES learners(id),
    subject    TEXT    NOT NULL,
    repo       TEXT    NOT NULL DEFAULT '',
    video      TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL,
    PRIMARY KEY (learner_id, subject)
);
