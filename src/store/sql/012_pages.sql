-- trucklot schema, version 12: fewer pages written by each gate action.
--
-- A durable action costs about as much for every page it changes as for
-- its commit's sync: each changed page is two writes to the WAL. An
-- arrival changed 28; three of them were a second b-tree beside a table
-- whose key is already unique, or an index entry nobody reads:
--
-- * `people` and `actions` are looked up by their primary key alone: kept
--   WITHOUT ROWID, the key is the table and there is no second b-tree to
--   write. Same columns, same rules, same rows (copied, not replayed).
-- * `bays.occupant` was UNIQUE over every bay, the free ones' NULLs too:
--   taking a bay moved its entry from the NULLs to the stays, two pages.
--   The same rule as a unique index of the taken bays alone writes one.
--   The table is made again with its rows; its references are deferred
--   while it is away, and hold again when its rows are back.
-- * `occupancy_to` serves "who was in the bay at time T" through the times
--   a truck left; an open stretch (to_at NULL) has none, so the index holds
--   only closed stretches and an arrival no longer writes it.
--
-- No state changes: the upgrade does not replay the log.

CREATE TABLE people_keyed (
    stay        INTEGER NOT NULL REFERENCES stays (id),
    person      INTEGER NOT NULL CHECK (person BETWEEN 0 AND 3),
    name        TEXT,
    phone       TEXT,
    temperature REAL,
    code        TEXT    CHECK ((code = 'green' OR code = 'yellow' OR code = 'red')),  -- NULL once purged
    checked_at  TEXT    NOT NULL,
    PRIMARY KEY (stay, person)
) STRICT, WITHOUT ROWID;
INSERT INTO people_keyed (stay, person, name, phone, temperature, code, checked_at)
    SELECT stay, person, name, phone, temperature, code, checked_at FROM people;
DROP TABLE people;
ALTER TABLE people_keyed RENAME TO people;

CREATE TABLE actions_keyed (
    id          TEXT    PRIMARY KEY,                     -- made by the client
    first_event INTEGER NOT NULL UNIQUE REFERENCES events (id),
    last_event  INTEGER NOT NULL REFERENCES events (id),
    CHECK (last_event >= first_event)
) STRICT, WITHOUT ROWID;
INSERT INTO actions_keyed (id, first_event, last_event)
    SELECT id, first_event, last_event FROM actions;
-- Dropping the table drops its triggers without firing them.
DROP TABLE actions;
ALTER TABLE actions_keyed RENAME TO actions;
CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are append-only'); END;
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are append-only'); END;

CREATE TEMP TABLE bays_kept AS SELECT * FROM bays;
PRAGMA defer_foreign_keys = ON;
DROP TABLE bays;
CREATE TABLE bays (
    id             TEXT    PRIMARY KEY,
    zone           TEXT    NOT NULL,
    ord            INTEGER NOT NULL UNIQUE,        -- position in the layout
    -- One column, so one truck per bay by construction; `bays_occupant`,
    -- so one bay per truck.
    occupant       INTEGER REFERENCES stays (id),
    closed_reason  TEXT,
    disinfected_at TEXT,
    CHECK (occupant IS NULL OR closed_reason IS NULL)
) STRICT;
CREATE UNIQUE INDEX bays_occupant ON bays (occupant) WHERE occupant IS NOT NULL;
CREATE INDEX bays_taken ON bays (zone, ord) WHERE occupant IS NOT NULL OR closed_reason IS NOT NULL;
INSERT INTO bays (id, zone, ord, occupant, closed_reason, disinfected_at)
    SELECT id, zone, ord, occupant, closed_reason, disinfected_at FROM bays_kept ORDER BY rowid;
DROP TABLE bays_kept;

DROP INDEX occupancy_to;
CREATE INDEX occupancy_to ON occupancy (to_at) WHERE to_at IS NOT NULL;
