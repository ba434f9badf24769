-- trucklot schema, version 6: personal data apart from the log; undo.
--
-- Names, phones, temperatures and health codes leave the events: each value
-- sits in `personal`, keyed by its event and its place in the event (a JSON
-- pointer), and the event keeps a null there. A purge blanks these values
-- for stays that ended long enough ago; the events themselves never change.
-- `store::open` moves the values of existing events here, once, in this
-- migration's transaction, after a backup beside the file: the only rewrite
-- of the log there has ever been, so its guard is lifted here and put back
-- (`personal::move_out_of_events`).
--
-- The state tables are projections: recreated empty (health codes may now be
-- blank, a stay remembers its status before it left, an arrival can be
-- voided) and refilled from the log in this same transaction.

DROP TRIGGER events_no_update;

CREATE TABLE personal (
    event INTEGER NOT NULL REFERENCES events (id),
    slot  TEXT    NOT NULL,            -- where the value belongs in the event (a JSON pointer)
    stay  INTEGER,                     -- the event's stay, to purge by stay
    value TEXT,                        -- the value as JSON; NULL once purged
    PRIMARY KEY (event, slot)
) STRICT, WITHOUT ROWID;
CREATE INDEX personal_stay ON personal (stay);
CREATE TRIGGER personal_no_delete BEFORE DELETE ON personal
BEGIN SELECT RAISE(ABORT, 'personal data is blanked by a purge, never deleted'); END;
CREATE TRIGGER personal_only_blanked BEFORE UPDATE ON personal
WHEN NEW.value IS NOT NULL OR NEW.event IS NOT OLD.event OR NEW.slot IS NOT OLD.slot
     OR NEW.stay IS NOT OLD.stay
BEGIN SELECT RAISE(ABORT, 'personal data can only be blanked'); END;

UPDATE bays SET occupant = NULL, closed_reason = NULL, disinfected_at = NULL;
DELETE FROM occupancy;
DELETE FROM closures;
DELETE FROM samples;
DELETE FROM service_calls;
DROP TABLE people;
DELETE FROM stays;
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
    code                 TEXT    CHECK (code IN ('green', 'yellow', 'red')),  -- NULL once purged
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
    status_before_leaving TEXT,              -- what an undone departure returns to
    voided_by            INTEGER,            -- the undone event that took the arrival back
    personal_purged_at   TEXT,               -- when its personal data was blanked
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
CREATE INDEX stays_isolation ON stays (isolated_at) WHERE isolated_at IS NOT NULL AND released_at IS NULL AND departed_at IS NULL;
CREATE INDEX stays_handoff_open ON stays (handoff_done_at) WHERE handoff_started_at IS NOT NULL AND handoff_confirmed_at IS NULL;
-- What a purge looks for: stays that ended, by when.
CREATE INDEX stays_departed ON stays (departed_at) WHERE departed_at IS NOT NULL;

-- Everyone in the cab, with their latest measurement. Person 0 is the driver.
CREATE TABLE people (
    stay        INTEGER NOT NULL REFERENCES stays (id),
    person      INTEGER NOT NULL CHECK (person BETWEEN 0 AND 3),
    name        TEXT,
    phone       TEXT,
    temperature REAL,
    code        TEXT    CHECK (code IN ('green', 'yellow', 'red')),  -- NULL once purged
    checked_at  TEXT    NOT NULL,
    PRIMARY KEY (stay, person)
) STRICT;

-- Actions taken back: the event undone and the `undone` event that did it.
CREATE TABLE undos (
    event INTEGER PRIMARY KEY,
    by    INTEGER NOT NULL
) STRICT;
