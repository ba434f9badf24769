-- trucklot schema, version 7 (numbered after 006, written on another
-- branch at the same time): reads that stay flat as the log grows.
-- The clocks board asks for the open service calls and the pending samples
-- on every refresh; without these the first was a scan of every call ever
-- made. Partial indexes hold only the open rows, in the order the board
-- shows them. State tables only; the log is untouched.

CREATE INDEX service_calls_open ON service_calls (requested_at) WHERE done_at IS NULL;
CREATE INDEX samples_pending ON samples (due_at) WHERE result IS NULL;
