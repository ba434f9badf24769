-- trucklot on a server, schema 14 to 15: SQLite's 015, a positive carried
-- from the truck's last stay marks its new stay from its arrival on.
UPDATE stays SET positive_at = arrived_at
 WHERE positive_at IS NULL AND findings LIKE '%"positive_before"%';
UPDATE meta SET value = '15' WHERE key = 'schema_version';
