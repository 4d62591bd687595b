-- Projection rows of batches whose journal entries are durable but whose projections may not be
-- applied yet; applying them deletes the row in the same transaction (see storage/sqlite_writer.rs).
CREATE TABLE projection_outbox (
    id   INTEGER PRIMARY KEY,
    rows TEXT NOT NULL
);

-- Payments in insertion order (rowid), with a narrow unique index on tx_id: the wide record is
-- appended instead of being written into a random page of a tx_id-keyed B-tree.
CREATE TABLE payments_appended (
    tx_id       TEXT   NOT NULL UNIQUE,
    payer       TEXT   NOT NULL,
    payee       TEXT   NOT NULL,
    equivalent  TEXT   NOT NULL,
    status      TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    journal_seq BIGINT NOT NULL,
    record      TEXT   NOT NULL
);
INSERT INTO payments_appended (tx_id, payer, payee, equivalent, status, created_at, journal_seq, record)
    SELECT tx_id, payer, payee, equivalent, status, created_at, journal_seq, record FROM payments ORDER BY journal_seq;
DROP TABLE payments;
ALTER TABLE payments_appended RENAME TO payments;
CREATE INDEX payments_payer ON payments (payer, journal_seq);
CREATE INDEX payments_payee ON payments (payee, journal_seq);
