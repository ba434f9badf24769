-- trucklot schema, version 3: a log that pages fast on millions of events.
-- Every filter of `log` walks an index ending in `id`, so a page newest
-- first (`id < cursor ORDER BY id DESC LIMIT n`) reads only its own rows.
-- `zone` is the zone an event concerns (its bay's, or a zone-wide round's).
-- `bay` and `zone` are where the event happened, as the log row records it
-- beside the event itself; adding `zone` to old rows is the one change made
-- to existing rows, and it adds no fact the row did not already hold.

ALTER TABLE events ADD COLUMN zone TEXT;

DROP TRIGGER events_no_update;
UPDATE events SET zone = (SELECT zone FROM bays WHERE bays.id = events.bay)
 WHERE bay IS NOT NULL;
UPDATE events SET zone = json_extract(details, '$.target.zone')
 WHERE kind = 'disinfected' AND json_extract(details, '$.target.zone') IS NOT NULL;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

DROP INDEX events_stay;
DROP INDEX events_bay;
CREATE INDEX events_stay ON events (stay, id);
CREATE INDEX events_bay ON events (bay, id);
CREATE INDEX events_zone ON events (zone, id);
CREATE INDEX events_kind ON events (kind, id);
CREATE INDEX events_operator ON events (operator, id);
CREATE INDEX events_terminal ON events (terminal, id);
