-- The body of a journal entry's events (the frame's `data`, JSON text; every party the entry tells
-- gets the same body, only the kind differs): made once by the writer when the change is
-- journaled, a clearing's with its signed receipt, and served as stored. Keyed by the rowid, so
-- rows are appended in journal order. Entries stored by an older hub (whose event bodies were
-- rebuilt from the journal on every read) get theirs once at start-up, from a replay of the journal
-- (`Store::complete_upgrades`).
CREATE TABLE event_bodies (
    journal_seq INTEGER PRIMARY KEY,
    data        TEXT    NOT NULL
);
INSERT INTO pending_upgrades (name) VALUES ('event_bodies');
