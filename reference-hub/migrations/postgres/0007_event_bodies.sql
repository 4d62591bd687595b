-- Each event keeps its body (the frame's `data`, JSON text): made once by the writer when the change
-- is journaled, a clearing's with its signed receipt, and served as stored. Rows stored by an older
-- hub (whose bodies were rebuilt from the journal on every read) get theirs once at start-up, from
-- a replay of the journal (`Store::complete_upgrades`).
ALTER TABLE events ADD COLUMN data TEXT;
INSERT INTO pending_upgrades (name) VALUES ('event_bodies');
-- The operator's clearing read finds a clearing's receipt in one of its events. Partial: only
-- clearings' events enter it, so a payment's events cost it nothing.
CREATE INDEX events_clearings ON events (journal_seq) WHERE kind = 'clearing_committed';
