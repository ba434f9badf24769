-- trucklot schema, version 11: the gate's suggestion of a bay. Each
-- arrival asks which bays of a zone are free; read as "every bay of the
-- zone but the taken ones", the taken ones (trucks and closures, a third
-- of a busy lot) are all it needs, and this partial index holds only them,
-- in layout order. An index only: the upgrade does not replay the log.

CREATE INDEX bays_taken ON bays (zone, ord) WHERE occupant IS NOT NULL OR closed_reason IS NOT NULL;
