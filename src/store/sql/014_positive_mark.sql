-- trucklot schema, version 14: the trucks on site with a positive result,
-- found without asking every truck on site.
--
-- The clocks (and so the first frame) look for a truck on site whose
-- positive result stands and that is not isolated. They asked each truck
-- on site whether it had a positive sample: some 400 lookups on a full lot
-- for the rare truck that has one. `positive_at` is the time of the stay's
-- latest positive result (NULL: none), kept by the projection with each
-- result and its undoing, and a partial index holds the stays on site that
-- have one. Filled here by the same expression the projection uses, so the
-- upgrade keeps the state and does not replay the log.

ALTER TABLE stays ADD COLUMN positive_at TEXT;
UPDATE stays SET positive_at =
    (SELECT max(x.result_at) FROM samples x WHERE x.stay = stays.id AND x.result = 'positive')
 WHERE id IN (SELECT stay FROM samples WHERE result = 'positive');
CREATE INDEX stays_positive_on_site ON stays (positive_at)
    WHERE positive_at IS NOT NULL AND departed_at IS NULL;
