-- trucklot schema for PostgreSQL 15: mirrors the SQLite schema version 11
-- (src/store/sql/001_initial.sql … 009_checks.sql, as a fresh
-- `trucklot init` leaves it). It MUST change with every SQLite migration:
-- tests/pg_schema.rs compares its tables, columns, indexes and version
-- with a new SQLite lot and fails when the two drift.
--
-- Types: INTEGER → BIGINT, REAL → DOUBLE PRECISION, TEXT stays TEXT; times
-- stay RFC 3339 text in UTC, as in SQLite, so the store's code and the
-- events' JSON read the same values on both backends.
--
-- Not used here on purpose: `x IN (…)` lists. SQLite needed them written
-- as `x = 'a' OR …` for speed (schema 9); PostgreSQL checks either in
-- place, and keeping SQLite's spelling keeps the two files easy to compare.
--
-- Applied in one transaction by whoever creates the database; the
-- database must already exist with UTF8 and the C collation (see below).

-- SQLite compares text byte by byte (BINARY). Plates, bay ids and times are
-- sorted and compared as text (`ORDER BY at`, `to_at >= from_at`, keyset
-- paging on ids), so a locale-aware collation would order them differently
-- from the SQLite store. Refuse such a database rather than differ quietly:
-- create it with
--   CREATE DATABASE lot TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';
DO $$
BEGIN
    IF (SELECT datcollate FROM pg_database WHERE datname = current_database())
           NOT IN ('C', 'POSIX') THEN
        RAISE EXCEPTION 'trucklot needs a database with the C collation (byte order, as SQLite compares text)';
    END IF;
    IF pg_char_to_encoding('UTF8') <> (SELECT encoding FROM pg_database WHERE datname = current_database()) THEN
        RAISE EXCEPTION 'trucklot needs a UTF8 database (plates and names are Chinese)';
    END IF;
END
$$;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- PostgreSQL has no `PRAGMA application_id` / `user_version`: these two
-- rows stand for them (the store will read them when it opens a database).
INSERT INTO meta (key, value) VALUES ('application', 'trucklot'), ('schema_version', '15');

-- The record. Ids are never reused (SQLite's AUTOINCREMENT); ALWAYS so
-- that only a deliberate `OVERRIDING SYSTEM VALUE` (a future `migrate`
-- copying a SQLite log, ids and all) can choose one.
CREATE TABLE events (
    id       BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT    NOT NULL,          -- UTC, RFC 3339 with milliseconds
    operator TEXT    NOT NULL,
    terminal TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    stay     BIGINT,
    bay      TEXT,
    details  TEXT    NOT NULL,          -- the whole event as JSON
    zone     TEXT                       -- last, as SQLite's schema 3 added it
);
CREATE INDEX events_at ON events (at);
CREATE INDEX events_stay ON events (stay, id);
CREATE INDEX events_bay ON events (bay, id);
CREATE INDEX events_zone ON events (zone, id);
CREATE INDEX events_kind ON events (kind, id);
CREATE INDEX events_operator ON events (operator, id);
CREATE INDEX events_terminal ON events (terminal, id);

-- One function refuses every forbidden write; the message is the
-- trigger's argument, the same words as SQLite's RAISE(ABORT, …). The
-- SQLSTATE is in class 23 (integrity constraint violation) so the store
-- can turn it into a typed refusal like any other constraint, never
-- engine text.
CREATE FUNCTION trucklot_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END
$$;

-- Append-only. Row triggers do not see TRUNCATE, which SQLite has no
-- equivalent of, so it is refused by a statement trigger too.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION trucklot_refuse('the event log is append-only');
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION trucklot_refuse('the event log is append-only');
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION trucklot_refuse('the event log is append-only');

-- Every other laptop hears of a commit that recorded events (SQLite's
-- `PRAGMA data_version` changing). A notice is delivered only if its
-- transaction commits, and once per transaction and channel however many
-- events it wrote; its payload is empty because listeners re-read the lot.
CREATE FUNCTION trucklot_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('trucklot_events', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION trucklot_notify();

-- Created before `bays` and `occupancy`, which reference it (SQLite
-- resolves references when a row is written, PostgreSQL when the table is).
CREATE TABLE stays (
    id                   BIGINT  PRIMARY KEY,
    plate                TEXT    NOT NULL,
    status               TEXT    NOT NULL
        CHECK ((status = 'parked' OR status = 'holding' OR status = 'isolated' OR status = 'handoff' OR status = 'handoff_done' OR status = 'departed')),
    driver               TEXT,
    phone                TEXT,
    cargo                TEXT    NOT NULL,
    origin               TEXT,
    destination          TEXT,
    temperature          DOUBLE PRECISION,
    code                 TEXT    CHECK ((code = 'green' OR code = 'yellow' OR code = 'red')),  -- NULL once purged
    travel_flag          BIGINT  NOT NULL,
    handoff_required     BIGINT  NOT NULL,
    gate                 TEXT,
    venue_code           BIGINT,            -- NULL: not recorded (first-version logs)
    flags                TEXT    NOT NULL,  -- what the gate checks found, comma-separated
    findings             TEXT    NOT NULL DEFAULT '[]',  -- the same, naming who: JSON [{person, flag}]
    override_reason      TEXT,
    arrived_at           TEXT    NOT NULL,
    bay_since            TEXT    NOT NULL,
    departed_at          TEXT,
    forced_reason        TEXT,
    status_before_leaving TEXT,             -- what an undone departure returns to
    voided_by            BIGINT,            -- the undone event that took the arrival back
    personal_purged_at   TEXT,              -- when its personal data was blanked
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
    handoff_confirm_due  BIGINT  NOT NULL DEFAULT 1,
    -- The latest positive result's time (NULL: none).
    positive_at          TEXT,
    CONSTRAINT stays_departed_when_departed_at
        CHECK ((status = 'departed') = (departed_at IS NOT NULL))
);
-- A plate is on site at most once.
CREATE UNIQUE INDEX stays_one_open_per_plate ON stays (plate) WHERE departed_at IS NULL;
CREATE INDEX stays_plate ON stays (plate);
CREATE INDEX stays_isolation ON stays (isolated_at) WHERE isolated_at IS NOT NULL AND released_at IS NULL AND departed_at IS NULL;
CREATE INDEX stays_handoff_open ON stays (handoff_done_at) WHERE handoff_started_at IS NOT NULL AND handoff_confirmed_at IS NULL;
CREATE INDEX stays_departed ON stays (departed_at) WHERE departed_at IS NOT NULL;
CREATE INDEX stays_forced_out ON stays (departed_at) WHERE forced_reason IS NOT NULL;
CREATE INDEX stays_positive_on_site ON stays (positive_at)
    WHERE positive_at IS NOT NULL AND departed_at IS NULL;

CREATE TABLE bays (
    id             TEXT    PRIMARY KEY,
    zone           TEXT    NOT NULL,
    ord            BIGINT  NOT NULL UNIQUE,        -- position in the layout
    -- One column, so one truck per bay by construction; `bays_occupant`,
    -- so one bay per truck.
    occupant       BIGINT  REFERENCES stays (id),
    closed_reason  TEXT,
    disinfected_at TEXT,
    -- A closed bay holds no truck.
    CONSTRAINT bays_closed_or_occupied CHECK (occupant IS NULL OR closed_reason IS NULL)
);
CREATE UNIQUE INDEX bays_occupant ON bays (occupant) WHERE occupant IS NOT NULL;
-- The taken bays in layout order: what the gate's suggestion reads (SQLite's 011).
CREATE INDEX bays_taken ON bays (zone, ord) WHERE occupant IS NOT NULL OR closed_reason IS NOT NULL;

CREATE TABLE zones (
    zone           TEXT PRIMARY KEY,
    disinfected_at TEXT
);

CREATE TABLE occupancy (
    id      BIGINT  PRIMARY KEY,                -- the event that put the truck there
    bay     TEXT    NOT NULL REFERENCES bays (id),
    stay    BIGINT  NOT NULL REFERENCES stays (id),
    from_at TEXT    NOT NULL,
    to_at   TEXT,
    CHECK (to_at IS NULL OR to_at >= from_at)
);
CREATE UNIQUE INDEX occupancy_open_bay ON occupancy (bay) WHERE to_at IS NULL;
CREATE UNIQUE INDEX occupancy_open_stay ON occupancy (stay) WHERE to_at IS NULL;
CREATE INDEX occupancy_from ON occupancy (from_at);
CREATE INDEX occupancy_to ON occupancy (to_at) WHERE to_at IS NOT NULL;

CREATE TABLE closures (
    id      BIGINT  PRIMARY KEY,                -- the bay_closed event
    bay     TEXT    NOT NULL REFERENCES bays (id),
    reason  TEXT    NOT NULL,
    from_at TEXT    NOT NULL,
    to_at   TEXT
);
CREATE UNIQUE INDEX closures_open ON closures (bay) WHERE to_at IS NULL;
CREATE INDEX closures_from ON closures (from_at);

CREATE TABLE policy (
    id    BIGINT  PRIMARY KEY CHECK (id = 1),
    value TEXT    NOT NULL,                     -- the policy as JSON
    since TEXT    NOT NULL,
    event BIGINT  NOT NULL                      -- the policy_changed event
);

-- Personal values apart from the log, so a purge can blank them while the
-- log stays append-only.
CREATE TABLE personal (
    event BIGINT  NOT NULL REFERENCES events (id),
    slot  TEXT    NOT NULL,            -- where the value belongs in the event (a JSON pointer)
    stay  BIGINT,                      -- the event's stay, to purge by stay
    value TEXT,                        -- the value as JSON; NULL once purged
    PRIMARY KEY (event, slot)
);
CREATE INDEX personal_stay ON personal (stay);

CREATE TRIGGER personal_no_delete BEFORE DELETE ON personal
    FOR EACH ROW EXECUTE FUNCTION trucklot_refuse('personal data is blanked by a purge, never deleted');
CREATE TRIGGER personal_no_truncate BEFORE TRUNCATE ON personal
    FOR EACH STATEMENT EXECUTE FUNCTION trucklot_refuse('personal data is blanked by a purge, never deleted');
-- The only update allowed is value → NULL, everything else unchanged.
-- `IS DISTINCT FROM` is SQLite's `IS NOT` (NULL-safe).
CREATE TRIGGER personal_only_blanked BEFORE UPDATE ON personal
    FOR EACH ROW
    WHEN (NEW.value IS NOT NULL OR NEW.event IS DISTINCT FROM OLD.event
          OR NEW.slot IS DISTINCT FROM OLD.slot OR NEW.stay IS DISTINCT FROM OLD.stay)
    EXECUTE FUNCTION trucklot_refuse('personal data can only be blanked');

CREATE TABLE undos (
    event BIGINT PRIMARY KEY,
    by    BIGINT NOT NULL
);

-- Every action once: a retry after a lost acknowledgement finds its row.
CREATE TABLE actions (
    id          TEXT    PRIMARY KEY,                     -- made by the client
    first_event BIGINT  NOT NULL UNIQUE REFERENCES events (id),
    last_event  BIGINT  NOT NULL REFERENCES events (id),
    CHECK (last_event >= first_event)
);
CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
    FOR EACH ROW EXECUTE FUNCTION trucklot_refuse('actions are append-only');
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
    FOR EACH ROW EXECUTE FUNCTION trucklot_refuse('actions are append-only');
CREATE TRIGGER actions_no_truncate BEFORE TRUNCATE ON actions
    FOR EACH STATEMENT EXECUTE FUNCTION trucklot_refuse('actions are append-only');

CREATE TABLE people (
    stay        BIGINT  NOT NULL REFERENCES stays (id),
    person      BIGINT  NOT NULL CHECK (person BETWEEN 0 AND 3),
    name        TEXT,
    phone       TEXT,
    temperature DOUBLE PRECISION,
    code        TEXT    CHECK ((code = 'green' OR code = 'yellow' OR code = 'red')),  -- NULL once purged
    checked_at  TEXT    NOT NULL,
    PRIMARY KEY (stay, person)
);

CREATE TABLE samples (
    id        BIGINT  PRIMARY KEY,              -- the id of its sample_taken event
    stay      BIGINT  NOT NULL REFERENCES stays (id),
    test      TEXT    NOT NULL CHECK ((test = 'antigen' OR test = 'pcr')),
    tube      TEXT,                             -- the tube's barcode
    batch     TEXT,
    taken_at  TEXT    NOT NULL,
    due_at    TEXT    NOT NULL,
    result    TEXT    CHECK ((result = 'negative' OR result = 'positive' OR result = 'invalid')),
    result_at TEXT,
    result_id BIGINT                            -- the id of its result_recorded event
);
-- One pending sample per test per stay.
CREATE UNIQUE INDEX samples_one_pending ON samples (stay, test) WHERE result IS NULL;
CREATE UNIQUE INDEX samples_tube ON samples (tube) WHERE tube IS NOT NULL;
CREATE INDEX samples_stay ON samples (stay);
-- The map's mark for a truck that ever tested positive (SQLite's 010).
CREATE INDEX samples_positive ON samples (stay) WHERE result = 'positive';

CREATE TABLE service_calls (
    id           BIGINT  PRIMARY KEY,           -- the id of its service_requested event
    stay         BIGINT  NOT NULL REFERENCES stays (id),
    service      TEXT    NOT NULL CHECK ((service = 'meal' OR service = 'water' OR service = 'medical')),
    requested_at TEXT    NOT NULL,
    done_at      TEXT,
    at_departure BIGINT  NOT NULL DEFAULT 0    -- closed because the truck left
);
CREATE INDEX service_calls_stay ON service_calls (stay);
CREATE INDEX service_calls_open ON service_calls (requested_at) WHERE done_at IS NULL;
