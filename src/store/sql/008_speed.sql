-- trucklot schema, version 8: reads that stay flat as the log grows.
-- The clocks board asks for the open service calls on every refresh;
-- without this it scanned every call ever made. A partial index holds only
-- the open ones, in the order the board shows them. State tables only; the
-- log is untouched.

CREATE INDEX service_calls_open ON service_calls (requested_at) WHERE done_at IS NULL;
