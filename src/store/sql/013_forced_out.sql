-- trucklot schema, version 13: a positive result that comes back after the
-- truck left.
--
-- Only a departure forced past a pending result (or an authorised escort)
-- lets a truck leave before its result is in; when that result is
-- positive, the clocks raise an alarm until the case is reported
-- (escalated). The clocks find those trucks among the stays forced out:
-- this index holds only them, a handful a season, so the first frame does
-- not look at every truck that ever left with a positive. An index only:
-- the upgrade does not replay the log.

CREATE INDEX stays_forced_out ON stays (departed_at) WHERE forced_reason IS NOT NULL;
