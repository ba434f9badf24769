-- trucklot schema, version 4: the lot at any past moment.
-- Each stretch a truck spent in a bay, and each stretch a bay was closed,
-- with its start and end (NULL: still so). Kept by `store::apply` in the
-- event's own transaction, rebuilt from the log like every state table, so
-- the lot at time T is an indexed query, not a replay.

CREATE TABLE occupancy (
    id      INTEGER PRIMARY KEY,                -- the event that put the truck there
    bay     TEXT    NOT NULL REFERENCES bays (id),
    stay    INTEGER NOT NULL REFERENCES stays (id),
    from_at TEXT    NOT NULL,
    to_at   TEXT,
    CHECK (to_at IS NULL OR to_at >= from_at)
) STRICT;
-- One open stretch per bay and per stay, as the bays table says.
CREATE UNIQUE INDEX occupancy_open_bay ON occupancy (bay) WHERE to_at IS NULL;
CREATE UNIQUE INDEX occupancy_open_stay ON occupancy (stay) WHERE to_at IS NULL;
CREATE INDEX occupancy_from ON occupancy (from_at);
CREATE INDEX occupancy_to ON occupancy (to_at);

CREATE TABLE closures (
    id      INTEGER PRIMARY KEY,                -- the bay_closed event
    bay     TEXT    NOT NULL REFERENCES bays (id),
    reason  TEXT    NOT NULL,
    from_at TEXT    NOT NULL,
    to_at   TEXT
) STRICT;
CREATE UNIQUE INDEX closures_open ON closures (bay) WHERE to_at IS NULL;
CREATE INDEX closures_from ON closures (from_at);
