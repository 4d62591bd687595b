-- The journal is the source of truth; every other table is a projection of it (or auth state).
CREATE TABLE journal (
    seq         BIGINT PRIMARY KEY,
    recorded_at BIGINT NOT NULL,
    kind        TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    prev_hash   TEXT   NOT NULL,
    hash        TEXT   NOT NULL
);

CREATE TABLE nonces (
    signer     TEXT   NOT NULL,
    nonce      TEXT   NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (signer, nonce)
);
CREATE INDEX nonces_expiry ON nonces (expires_at);

CREATE TABLE payments (
    tx_id       TEXT   PRIMARY KEY,
    payer       TEXT   NOT NULL,
    payee       TEXT   NOT NULL,
    equivalent  TEXT   NOT NULL,
    status      TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    journal_seq BIGINT NOT NULL,
    record      TEXT   NOT NULL
);
CREATE INDEX payments_payer ON payments (payer, journal_seq);
CREATE INDEX payments_payee ON payments (payee, journal_seq);

-- One row per notification; its body is rebuilt from the journal entry it points to.
CREATE TABLE events (
    pid         TEXT   NOT NULL,
    id          BIGINT NOT NULL,
    kind        TEXT   NOT NULL,
    journal_seq BIGINT NOT NULL,
    PRIMARY KEY (pid, id)
);

CREATE TABLE participants (
    pid          TEXT   PRIMARY KEY,
    public_key   TEXT   NOT NULL UNIQUE,
    display_name TEXT   NOT NULL,
    kind         TEXT   NOT NULL,
    status       TEXT   NOT NULL,
    profile      TEXT   NOT NULL,
    journal_seq  BIGINT NOT NULL
);

CREATE TABLE trust_lines (
    id          TEXT   PRIMARY KEY,
    creditor    TEXT   NOT NULL,
    debtor      TEXT   NOT NULL,
    equivalent  TEXT   NOT NULL,
    credit_limit TEXT  NOT NULL,
    policy      TEXT   NOT NULL,
    status      TEXT   NOT NULL,
    journal_seq BIGINT NOT NULL
);
CREATE INDEX trust_lines_creditor ON trust_lines (creditor);
CREATE INDEX trust_lines_debtor ON trust_lines (debtor);

-- One row per pair with debt (pair_lo < pair_hi as PID text); the direction is debtor -> creditor.
CREATE TABLE debts (
    equivalent  TEXT   NOT NULL,
    pair_lo     TEXT   NOT NULL,
    pair_hi     TEXT   NOT NULL,
    debtor      TEXT   NOT NULL,
    creditor    TEXT   NOT NULL,
    amount      TEXT   NOT NULL,
    journal_seq BIGINT NOT NULL,
    PRIMARY KEY (equivalent, pair_lo, pair_hi)
);

CREATE TABLE refresh_tokens (
    token_hash TEXT   PRIMARY KEY,
    pid        TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
