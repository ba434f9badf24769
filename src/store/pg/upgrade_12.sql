-- trucklot on a server, schema 11 to 12: the same rules as SQLite's 012,
-- in PostgreSQL's words. "One bay per truck" becomes a unique index of the
-- taken bays alone; the index of stretch ends holds closed stretches only.
ALTER TABLE bays DROP CONSTRAINT bays_occupant_key;
CREATE UNIQUE INDEX bays_occupant ON bays (occupant) WHERE occupant IS NOT NULL;
DROP INDEX occupancy_to;
CREATE INDEX occupancy_to ON occupancy (to_at) WHERE to_at IS NOT NULL;
UPDATE meta SET value = '12' WHERE key = 'schema_version';
