-- trucklot schema, version 15: a positive carried from the truck's last
-- stay stands on its new stay.
--
-- A truck that left with a positive still standing is flagged when it
-- comes back (`positive_before` in the stay's findings). Its positive now
-- stands on the new stay until a negative PCR clears it, so the clocks
-- must find it among the trucks on site with a positive: such a stay has
-- `positive_at` from its arrival on, unless a positive of its own came
-- later. Filled here by the expression the projection uses, so the upgrade
-- keeps the state and does not replay the log.

UPDATE stays SET positive_at = arrived_at
 WHERE positive_at IS NULL AND findings LIKE '%"positive_before"%';
