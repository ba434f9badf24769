-- trucklot schema, version 2: the closed loop.
-- Everyone in the cab is checked (people), the gate and venue code are kept,
-- a flagged truck can wait on the holding list, samples carry their tube id
-- and batch, releases and escorts name who decided, handoffs name their
-- receiver or escort and are confirmed at the destination.
--
-- Only state tables change; the event log is untouched. They are projections,
-- so they are recreated empty here and `store::open` replays the log into
-- them in this same transaction.

UPDATE bays SET occupant = NULL;
DROP TABLE samples;
DROP TABLE service_calls;
DROP TABLE stays;

CREATE TABLE stays (
    id                   INTEGER PRIMARY KEY,
    plate                TEXT    NOT NULL,
    status               TEXT    NOT NULL
        CHECK (status IN ('parked', 'holding', 'isolated', 'handoff', 'handoff_done', 'departed')),
    driver               TEXT,
    phone                TEXT,
    cargo                TEXT    NOT NULL,
    origin               TEXT,
    destination          TEXT,
    temperature          REAL,
    code                 TEXT    NOT NULL,
    travel_flag          INTEGER NOT NULL,
    handoff_required     INTEGER NOT NULL,
    gate                 TEXT,
    venue_code           INTEGER,           -- NULL: not recorded (first-version logs)
    flags                TEXT    NOT NULL,   -- what the gate checks found, comma-separated
    findings             TEXT    NOT NULL DEFAULT '[]',  -- the same, naming who: JSON [{person, flag}]
    override_reason      TEXT,
    arrived_at           TEXT    NOT NULL,
    bay_since            TEXT    NOT NULL,
    departed_at          TEXT,
    forced_reason        TEXT,
    isolation_reason     TEXT,
    isolated_at          TEXT,
    released_at          TEXT,
    release_reason       TEXT,
    released_by          TEXT,
    escalated_at         TEXT,
    escalation_note      TEXT,
    handoff_mode         TEXT,
    handoff_counterpart  TEXT,
    handoff_by           TEXT,
    handoff_started_at   TEXT,
    handoff_done_at      TEXT,
    handoff_confirmed_at TEXT,
    -- First-version logs never asked for a confirmation at the destination.
    handoff_confirm_due  INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'departed') = (departed_at IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX stays_one_open_per_plate ON stays (plate) WHERE departed_at IS NULL;
CREATE INDEX stays_plate ON stays (plate);
-- The isolation board and the holding list.
CREATE INDEX stays_isolation ON stays (isolated_at) WHERE isolated_at IS NOT NULL AND released_at IS NULL AND departed_at IS NULL;
-- Handoffs done and not yet confirmed, on the clocks board after departure too.
CREATE INDEX stays_handoff_open ON stays (handoff_done_at) WHERE handoff_started_at IS NOT NULL AND handoff_confirmed_at IS NULL;

-- Everyone in the cab, with their latest measurement. Person 0 is the driver.
CREATE TABLE people (
    stay        INTEGER NOT NULL REFERENCES stays (id),
    person      INTEGER NOT NULL CHECK (person BETWEEN 0 AND 3),
    name        TEXT,
    phone       TEXT,
    temperature REAL,
    code        TEXT    NOT NULL CHECK (code IN ('green', 'yellow', 'red')),
    checked_at  TEXT    NOT NULL,
    PRIMARY KEY (stay, person)
) STRICT;

CREATE TABLE samples (
    id        INTEGER PRIMARY KEY,              -- the id of its sample_taken event
    stay      INTEGER NOT NULL REFERENCES stays (id),
    test      TEXT    NOT NULL CHECK (test IN ('antigen', 'pcr')),
    tube      TEXT,                             -- the tube's barcode
    batch     TEXT,
    taken_at  TEXT    NOT NULL,
    due_at    TEXT    NOT NULL,
    result    TEXT    CHECK (result IN ('negative', 'positive', 'invalid')),
    result_at TEXT,
    result_id INTEGER                           -- the id of its result_recorded event
) STRICT;
CREATE UNIQUE INDEX samples_one_pending ON samples (stay, test) WHERE result IS NULL;
CREATE UNIQUE INDEX samples_tube ON samples (tube) WHERE tube IS NOT NULL;
CREATE INDEX samples_stay ON samples (stay);

CREATE TABLE service_calls (
    id           INTEGER PRIMARY KEY,           -- the id of its service_requested event
    stay         INTEGER NOT NULL REFERENCES stays (id),
    service      TEXT    NOT NULL CHECK (service IN ('meal', 'water', 'medical')),
    requested_at TEXT    NOT NULL,
    done_at      TEXT,
    at_departure INTEGER NOT NULL DEFAULT 0    -- closed because the truck left
) STRICT;
CREATE INDEX service_calls_stay ON service_calls (stay);
