-- Projection rows of batches whose journal entries are durable but whose projections may not be
-- applied yet; applying them deletes the row in the same transaction (see storage/postgres_writer.rs).
CREATE TABLE projection_outbox (
    id   BIGSERIAL PRIMARY KEY,
    rows TEXT NOT NULL
);
