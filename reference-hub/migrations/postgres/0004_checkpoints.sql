-- Verified snapshots of the ledger at journal positions (src/engine/snapshot.rs): a hub starts from
-- the newest one that matches its journal and replays only the entries after it.
CREATE TABLE checkpoints (
    seq          BIGINT PRIMARY KEY,
    journal_hash TEXT   NOT NULL,
    format       BIGINT NOT NULL,
    hash         TEXT   NOT NULL,
    snapshot     BYTEA  NOT NULL,
    created_at   BIGINT NOT NULL
);
