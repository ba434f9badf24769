-- trucklot on a server, schema 13 to 14: SQLite's 014, each stay's latest
-- positive result and the index of the stays on site that have one.
ALTER TABLE stays ADD COLUMN positive_at TEXT;
UPDATE stays SET positive_at =
    (SELECT max(x.result_at) FROM samples x WHERE x.stay = stays.id AND x.result = 'positive')
 WHERE id IN (SELECT stay FROM samples WHERE result = 'positive');
CREATE INDEX stays_positive_on_site ON stays (positive_at)
    WHERE positive_at IS NOT NULL AND departed_at IS NULL;
UPDATE meta SET value = '14' WHERE key = 'schema_version';
