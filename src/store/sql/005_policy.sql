-- trucklot schema, version 5: the policy is part of the record.
-- The thresholds in force (fever, due times, the tests a departure needs…)
-- as the last `policy_changed` event set them, so every terminal applies
-- the same ones and a past decision can be explained by the policy of its
-- time. A projection like every state table: rebuilt from the log.

CREATE TABLE policy (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value TEXT    NOT NULL,                     -- the policy as JSON
    since TEXT    NOT NULL,
    event INTEGER NOT NULL                      -- the policy_changed event
) STRICT;
