-- trucklot on a server, schema 12 to 13: SQLite's 013, the index of the
-- stays forced out (where a positive result after departure is looked for).
CREATE INDEX stays_forced_out ON stays (departed_at) WHERE forced_reason IS NOT NULL;
UPDATE meta SET value = '13' WHERE key = 'schema_version';
