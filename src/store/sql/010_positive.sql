-- trucklot schema, version 10: the map's first frame on a long season.
-- The map marks a truck that ever tested positive; without this index each
-- truck on site was checked against every sample it ever had. Positives
-- are rare: a partial index holds only them. An index only: no table
-- changes shape, so the upgrade does not replay the log.

CREATE INDEX samples_positive ON samples (stay) WHERE result = 'positive';
