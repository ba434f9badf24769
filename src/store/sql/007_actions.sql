-- trucklot schema, version 7: every action carries an id made by the client.
--
-- A terminal names each action it sends (a UUID v7) and the lot keeps the
-- name with the events the action recorded, unique: an action whose commit
-- was acknowledged or not, sent again with the same id, is found done and
-- recorded once. Part of the record, like the log: append-only.

CREATE TABLE actions (
    id          TEXT    PRIMARY KEY,                     -- made by the client
    first_event INTEGER NOT NULL UNIQUE REFERENCES events (id),
    last_event  INTEGER NOT NULL REFERENCES events (id),
    CHECK (last_event >= first_event)
) STRICT;
CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are append-only'); END;
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are append-only'); END;
