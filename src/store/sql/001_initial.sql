-- trucklot schema, version 1.
-- `events` is the record; every other table is a projection of it that
-- `store::apply` keeps current in the event's own transaction and that
-- `trucklot check` rebuilds from the log and compares.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT    NOT NULL,          -- UTC, RFC 3339 with milliseconds
    operator TEXT    NOT NULL,
    terminal TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    stay     INTEGER,
    bay      TEXT,
    details  TEXT    NOT NULL           -- the whole event as JSON
) STRICT;
CREATE INDEX events_stay ON events (stay);
CREATE INDEX events_bay ON events (bay);
CREATE INDEX events_at ON events (at);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

CREATE TABLE stays (
    id                  INTEGER PRIMARY KEY,
    plate               TEXT    NOT NULL,
    status              TEXT    NOT NULL
        CHECK (status IN ('parked', 'isolated', 'handoff', 'handoff_done', 'departed')),
    driver              TEXT,
    phone               TEXT,
    cargo               TEXT    NOT NULL,
    origin              TEXT,
    destination         TEXT,
    temperature         REAL,
    code                TEXT    NOT NULL,
    travel_flag         INTEGER NOT NULL,
    handoff_required    INTEGER NOT NULL,
    flags               TEXT    NOT NULL,   -- what the gate checks found, comma-separated
    override_reason     TEXT,
    arrived_at          TEXT    NOT NULL,
    bay_since           TEXT    NOT NULL,
    departed_at         TEXT,
    forced_reason       TEXT,
    isolation_reason    TEXT,
    isolated_at         TEXT,
    released_at         TEXT,
    release_reason      TEXT,
    escalated_at        TEXT,
    escalation_note     TEXT,
    handoff_mode        TEXT,
    handoff_counterpart TEXT,
    handoff_started_at  TEXT,
    handoff_done_at     TEXT,
    CHECK ((status = 'departed') = (departed_at IS NOT NULL))
) STRICT;
-- A plate is on site at most once.
CREATE UNIQUE INDEX stays_one_open_per_plate ON stays (plate) WHERE departed_at IS NULL;
CREATE INDEX stays_plate ON stays (plate);

CREATE TABLE bays (
    id             TEXT    PRIMARY KEY,
    zone           TEXT    NOT NULL,
    ord            INTEGER NOT NULL UNIQUE,        -- position in the layout
    -- One column, so one truck per bay by construction; UNIQUE, so one bay per truck.
    occupant       INTEGER UNIQUE REFERENCES stays (id),
    closed_reason  TEXT,
    disinfected_at TEXT,
    CHECK (occupant IS NULL OR closed_reason IS NULL)
) STRICT;

CREATE TABLE samples (
    id        INTEGER PRIMARY KEY,              -- the id of its sample_taken event
    stay      INTEGER NOT NULL REFERENCES stays (id),
    test      TEXT    NOT NULL CHECK (test IN ('antigen', 'pcr')),
    taken_at  TEXT    NOT NULL,
    due_at    TEXT    NOT NULL,
    result    TEXT    CHECK (result IN ('negative', 'positive', 'invalid')),
    result_at TEXT
) STRICT;
-- One pending sample per test per stay.
CREATE UNIQUE INDEX samples_one_pending ON samples (stay, test) WHERE result IS NULL;
CREATE INDEX samples_stay ON samples (stay);

CREATE TABLE service_calls (
    id           INTEGER PRIMARY KEY,           -- the id of its service_requested event
    stay         INTEGER NOT NULL REFERENCES stays (id),
    service      TEXT    NOT NULL CHECK (service IN ('meal', 'water', 'medical')),
    requested_at TEXT    NOT NULL,
    done_at      TEXT
) STRICT;
CREATE INDEX service_calls_stay ON service_calls (stay);

CREATE TABLE zones (
    zone           TEXT PRIMARY KEY,
    disinfected_at TEXT
) STRICT;
