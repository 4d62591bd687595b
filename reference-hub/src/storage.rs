//! Durable storage on SQLite (embedded default) or PostgreSQL: the hash-chained journal, its query
//! projections, nonces, events and refresh tokens. One implementation, instantiated for both backends.
//!
//! The writer persists a whole batch in one transaction with multi-row statements (group commit), so
//! the cost of durability is paid once per batch rather than once per payment.

use std::collections::BTreeMap;
use std::str::FromStr;

use futures_util::TryStreamExt;
use geo_protocol::{Digest, Nonce, Pid, Timestamp, TxId};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, QueryBuilder, Row, SqlitePool};

use crate::engine::journal::{JournalEntry, JournalEvent};
use crate::engine::records::PaymentRecord;

mod postgres_writer;
mod schema;
mod sqlite_writer;
mod writer_lock;
pub use postgres_writer::PgProjector;
pub use schema::SchemaError;
pub use sqlite_writer::SqliteWriter;
pub use writer_lock::{WriterLock, POSTGRES_LOCK_KEY};

/// Rows per multi-row statement (well under both backends' bind-parameter limits).
const CHUNK: usize = 400;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database refused or failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Stored data does not parse or the hash chain is broken.
    #[error("corrupt journal at seq {seq}: {why}")]
    Corrupt {
        /// Where.
        seq: u64,
        /// What.
        why: String,
    },
    /// SQLite refused or failed on the write connection.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The write thread could not start or has stopped.
    #[error("writer: {0}")]
    Writer(String),
    /// The URL names no supported backend.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    Url(String),
    /// Another process is the database's writer.
    #[error("{0}")]
    Locked(String),
    /// The database is missing, is not a hub's, or has a schema this build does not know.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// A notification row for a participant's event stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// Global, increasing id (the stream cursor).
    pub id: u64,
    /// Recipient.
    pub pid: Pid,
    /// Event type.
    pub kind: String,
    /// Journal position.
    pub journal_seq: u64,
    /// What happened (live events; `None` when read back from storage, see `source`).
    pub event: Option<geo_api::EventKind>,
    /// For events read from storage: the journal entry's time and event, to rebuild the body from.
    pub source: Option<(Timestamp, JournalEvent)>,
}

/// A participant projection row.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ParticipantRow {
    /// PID.
    pub pid: String,
    /// Public key (base64).
    pub public_key: String,
    /// Name.
    pub display_name: String,
    /// Kind.
    pub kind: String,
    /// Status.
    pub status: String,
    /// Profile JSON.
    pub profile: String,
    /// Journal position of the last change.
    pub journal_seq: u64,
}

/// A trust line projection row.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TrustLineRow {
    /// Line id.
    pub id: String,
    /// Creditor PID.
    pub creditor: String,
    /// Debtor PID.
    pub debtor: String,
    /// Equivalent code.
    pub equivalent: String,
    /// Limit, canonical decimal.
    pub limit: String,
    /// Policy JSON.
    pub policy: String,
    /// `active` or `closed`.
    pub status: String,
    /// Journal position of the last change.
    pub journal_seq: u64,
}

/// A debt projection row; `amount == None` deletes the pair's row.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DebtRow {
    /// Equivalent code.
    pub equivalent: String,
    /// The pair, as PIDs (lo < hi).
    pub pair: (String, String),
    /// `(debtor, creditor, canonical amount)` or none when the pair owes nothing.
    pub debt: Option<(String, String, String)>,
    /// Journal position.
    pub journal_seq: u64,
}

/// Everything one batch writes, in one transaction.
#[derive(Debug, Default)]
pub struct PersistBatch {
    /// Journal entries.
    pub entries: Vec<JournalEntry>,
    /// Nonces of applied messages.
    pub nonces: Vec<(Pid, Nonce, Timestamp)>,
    /// Payment rows (last one per tx_id wins).
    pub payments: Vec<PaymentRecord>,
    /// Notifications.
    pub events: Vec<StoredEvent>,
    /// Participant rows.
    pub participants: Vec<ParticipantRow>,
    /// Trust line rows.
    pub trust_lines: Vec<TrustLineRow>,
    /// Debt rows.
    pub debts: Vec<DebtRow>,
}

/// One batch's projection rows, as kept in memory and in the outbox.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Projection {
    pub(crate) payments: Vec<PaymentRecord>,
    /// `(id, pid, kind, journal_seq)`.
    pub(crate) events: Vec<(u64, String, String, u64)>,
    pub(crate) participants: Vec<ParticipantRow>,
    pub(crate) trust_lines: Vec<TrustLineRow>,
    pub(crate) debts: Vec<DebtRow>,
}

impl Projection {
    pub(crate) fn take_from(b: &mut PersistBatch) -> Projection {
        Projection {
            payments: std::mem::take(&mut b.payments),
            events: b
                .events
                .iter()
                .map(|e| {
                    (
                        e.id,
                        e.pid.as_str().to_owned(),
                        e.kind.clone(),
                        e.journal_seq,
                    )
                })
                .collect(),
            participants: std::mem::take(&mut b.participants),
            trust_lines: std::mem::take(&mut b.trust_lines),
            debts: std::mem::take(&mut b.debts),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.payments.is_empty()
            && self.events.is_empty()
            && self.participants.is_empty()
            && self.trust_lines.is_empty()
            && self.debts.is_empty()
    }
}

/// Filters for a participant's payment history.
#[derive(Debug, Clone, Default)]
pub struct HistoryQuery {
    /// Whose side of the payment: paid, received, relayed, or any.
    pub direction: HistoryDirection,
    /// Only this equivalent.
    pub equivalent: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Created at or after.
    pub from: Option<i64>,
    /// Created at or before.
    pub to: Option<i64>,
    /// Entries before this journal position (the page cursor).
    pub before_seq: Option<u64>,
    /// Page size.
    pub limit: u32,
}

/// Which of a participant's payments a history lists. A payee never sees an aborted payment (it
/// was never told of it); an intermediary sees the committed payments that ran through it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HistoryDirection {
    /// Sent, received and relayed.
    #[default]
    All,
    /// Paid by the participant.
    Sent,
    /// Paid to the participant (not aborted).
    Received,
    /// Committed through the participant, who neither paid nor received it.
    Relayed,
}

/// A connection pool on one backend.
#[derive(Debug, Clone)]
pub enum Store {
    /// Embedded SQLite file: a pool for reads and small writes, and the batch writer (none for an
    /// in-memory database, which only the pool can see).
    Sqlite(SqlitePool, Option<SqliteWriter>),
    /// PostgreSQL server: the pool, and the projector that applies projections behind the journal
    /// (none for a read-only store).
    Postgres(PgPool, Option<PgProjector>),
}

/// The last row per key, in key order (an upsert statement may not touch one key twice).
fn last_per_key<'a, T, K: Ord>(
    rows: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&T) -> K,
) -> Vec<&'a T> {
    let mut map = BTreeMap::new();
    for r in rows {
        map.insert(key(r), r);
    }
    map.into_values().collect()
}

macro_rules! backend {
    ($module:ident, $db:ty, $migrations:literal, $has_migration_table:literal) => {
        mod $module {
            use super::*;

            type Pool = sqlx::Pool<$db>;

            pub fn migrator() -> sqlx::migrate::Migrator {
                sqlx::migrate!($migrations)
            }

            /// Refuses a database written by a newer hub, then applies this build's migrations.
            pub async fn migrate(pool: &Pool) -> Result<(), StorageError> {
                let migrator = migrator();
                if let Some(applied) = applied_migrations(pool).await? {
                    schema::check(&applied, &migrator, true)?;
                }
                migrator.run(pool).await?;
                Ok(())
            }

            /// The versions of the migrations applied to the database; none when it has no
            /// migration table (a new or foreign database).
            pub async fn applied_migrations(pool: &Pool) -> Result<Option<Vec<i64>>, StorageError> {
                let present: bool = sqlx::query_scalar($has_migration_table).fetch_one(pool).await?;
                if !present {
                    return Ok(None);
                }
                let versions = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                    .fetch_all(pool)
                    .await?;
                Ok(Some(versions))
            }

            pub async fn persist(pool: &Pool, b: &PersistBatch) -> Result<(), StorageError> {
                let mut tx = pool.begin().await?;
                for chunk in b.entries.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO journal (seq, recorded_at, kind, body, prev_hash, hash) ",
                    );
                    q.push_values(chunk, |mut row, e| {
                        row.push_bind(e.seq as i64)
                            .push_bind(e.at.unix())
                            .push_bind(e.event.kind())
                            .push_bind(e.body())
                            .push_bind(e.prev_hash.to_string())
                            .push_bind(e.hash.to_string());
                    });
                    q.build().execute(&mut *tx).await?;
                }
                for chunk in b.nonces.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO nonces (signer, nonce, expires_at) ");
                    q.push_values(chunk, |mut row, (signer, nonce, exp)| {
                        row.push_bind(signer.as_str().to_owned()).push_bind(nonce.as_str().to_owned()).push_bind(exp.unix());
                    });
                    q.push(" ON CONFLICT (signer, nonce) DO NOTHING");
                    q.build().execute(&mut *tx).await?;
                }
                let payments = last_per_key(&b.payments, |p| p.tx_id);
                for chunk in payments.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO payments (tx_id, payer, payee, equivalent, status, created_at, journal_seq, record) ",
                    );
                    q.push_values(chunk, |mut row, p| {
                        row.push_bind(p.tx_id.to_string())
                            .push_bind(p.payer.as_str().to_owned())
                            .push_bind(p.payee.as_str().to_owned())
                            .push_bind(p.equivalent.as_str().to_owned())
                            .push_bind(p.status.as_str())
                            .push_bind(p.created_at.unix())
                            .push_bind(p.journal_seq as i64)
                            .push_bind(serde_json::to_string(p).expect("records serialise"));
                    });
                    q.push(
                        " ON CONFLICT (tx_id) DO UPDATE SET status = excluded.status, \
                         journal_seq = excluded.journal_seq, record = excluded.record",
                    );
                    q.build().execute(&mut *tx).await?;
                }
                for chunk in b.events.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO events (id, pid, kind, journal_seq) ");
                    q.push_values(chunk, |mut row, e| {
                        row.push_bind(e.id as i64)
                            .push_bind(e.pid.as_str().to_owned())
                            .push_bind(e.kind.clone())
                            .push_bind(e.journal_seq as i64);
                    });
                    q.build().execute(&mut *tx).await?;
                }
                let participants = last_per_key(&b.participants, |p| p.pid.clone());
                for chunk in participants.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO participants (pid, public_key, display_name, kind, status, profile, journal_seq) ",
                    );
                    q.push_values(chunk, |mut row, p| {
                        row.push_bind(p.pid.clone())
                            .push_bind(p.public_key.clone())
                            .push_bind(p.display_name.clone())
                            .push_bind(p.kind.clone())
                            .push_bind(p.status.clone())
                            .push_bind(p.profile.clone())
                            .push_bind(p.journal_seq as i64);
                    });
                    q.push(
                        " ON CONFLICT (pid) DO UPDATE SET display_name = excluded.display_name, \
                         status = excluded.status, profile = excluded.profile, journal_seq = excluded.journal_seq",
                    );
                    q.build().execute(&mut *tx).await?;
                }
                let lines = last_per_key(&b.trust_lines, |l| l.id.clone());
                for chunk in lines.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO trust_lines (id, creditor, debtor, equivalent, credit_limit, policy, status, journal_seq) ",
                    );
                    q.push_values(chunk, |mut row, l| {
                        row.push_bind(l.id.clone())
                            .push_bind(l.creditor.clone())
                            .push_bind(l.debtor.clone())
                            .push_bind(l.equivalent.clone())
                            .push_bind(l.limit.clone())
                            .push_bind(l.policy.clone())
                            .push_bind(l.status.clone())
                            .push_bind(l.journal_seq as i64);
                    });
                    q.push(
                        " ON CONFLICT (id) DO UPDATE SET credit_limit = excluded.credit_limit, \
                         policy = excluded.policy, status = excluded.status, journal_seq = excluded.journal_seq",
                    );
                    q.build().execute(&mut *tx).await?;
                }
                let debts = last_per_key(&b.debts, |d| (d.equivalent.clone(), d.pair.clone()));
                let (live, gone): (Vec<_>, Vec<_>) = debts.into_iter().partition(|d| d.debt.is_some());
                for chunk in live.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO debts (equivalent, pair_lo, pair_hi, debtor, creditor, amount, journal_seq) ",
                    );
                    q.push_values(chunk, |mut row, d| {
                        let (debtor, creditor, amount) = d.debt.clone().expect("partitioned");
                        row.push_bind(d.equivalent.clone())
                            .push_bind(d.pair.0.clone())
                            .push_bind(d.pair.1.clone())
                            .push_bind(debtor)
                            .push_bind(creditor)
                            .push_bind(amount)
                            .push_bind(d.journal_seq as i64);
                    });
                    q.push(
                        " ON CONFLICT (equivalent, pair_lo, pair_hi) DO UPDATE SET debtor = excluded.debtor, \
                         creditor = excluded.creditor, amount = excluded.amount, journal_seq = excluded.journal_seq",
                    );
                    q.build().execute(&mut *tx).await?;
                }
                for chunk in gone.chunks(CHUNK) {
                    let mut q = QueryBuilder::<$db>::new("DELETE FROM debts WHERE ");
                    let mut sep = q.separated(" OR ");
                    for d in chunk {
                        sep.push("(equivalent = ");
                        sep.push_bind_unseparated(d.equivalent.clone());
                        sep.push_unseparated(" AND pair_lo = ");
                        sep.push_bind_unseparated(d.pair.0.clone());
                        sep.push_unseparated(" AND pair_hi = ");
                        sep.push_bind_unseparated(d.pair.1.clone());
                        sep.push_unseparated(")");
                    }
                    q.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            pub async fn replay(
                pool: &Pool,
                mut apply: impl FnMut(JournalEntry) -> Result<(), StorageError>,
            ) -> Result<u64, StorageError> {
                let mut rows = sqlx::query("SELECT seq, recorded_at, body, prev_hash, hash FROM journal ORDER BY seq")
                    .fetch(pool);
                let mut prev = crate::engine::journal::genesis_hash();
                let mut expected_seq = 1u64;
                while let Some(row) = rows.try_next().await? {
                    let seq = row.try_get::<i64, _>("seq")? as u64;
                    let corrupt = |why: String| StorageError::Corrupt { seq, why };
                    if seq != expected_seq {
                        return Err(corrupt(format!("expected seq {expected_seq}")));
                    }
                    let at = Timestamp::from_unix(row.try_get("recorded_at")?).map_err(|e| corrupt(e.to_string()))?;
                    let body: String = row.try_get("body")?;
                    let event: JournalEvent = serde_json::from_str(&body).map_err(|e| corrupt(e.to_string()))?;
                    let prev_hash = Digest::from_str(&row.try_get::<String, _>("prev_hash")?).map_err(|e| corrupt(e.to_string()))?;
                    let hash = Digest::from_str(&row.try_get::<String, _>("hash")?).map_err(|e| corrupt(e.to_string()))?;
                    if prev_hash != prev {
                        return Err(corrupt("hash chain broken (prev_hash)".into()));
                    }
                    let entry = JournalEntry::seal(seq, at, event, prev_hash);
                    if entry.hash != hash || entry.body() != body {
                        return Err(corrupt("entry content does not match its hash".into()));
                    }
                    prev = hash;
                    expected_seq += 1;
                    apply(entry)?;
                }
                Ok(expected_seq - 1)
            }

            pub async fn nonces(pool: &Pool, now: Timestamp) -> Result<Vec<(Pid, Nonce, Timestamp)>, StorageError> {
                let rows = sqlx::query("SELECT signer, nonce, expires_at FROM nonces WHERE expires_at >= $1")
                    .bind(now.unix())
                    .fetch_all(pool)
                    .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let (Ok(pid), Ok(nonce), Ok(exp)) = (
                        Pid::parse(&r.try_get::<String, _>("signer")?),
                        Nonce::parse(&r.try_get::<String, _>("nonce")?),
                        Timestamp::from_unix(r.try_get("expires_at")?),
                    ) else {
                        continue;
                    };
                    out.push((pid, nonce, exp));
                }
                Ok(out)
            }

            pub async fn prune_nonces(pool: &Pool, now: Timestamp) -> Result<u64, StorageError> {
                let r = sqlx::query("DELETE FROM nonces WHERE expires_at < $1").bind(now.unix()).execute(pool).await?;
                Ok(r.rows_affected())
            }

            pub async fn max_event_id(pool: &Pool) -> Result<u64, StorageError> {
                let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS m FROM events").fetch_one(pool).await?;
                Ok(row.try_get::<i64, _>("m")? as u64)
            }

            pub async fn payment(pool: &Pool, tx_id: &TxId) -> Result<Option<PaymentRecord>, StorageError> {
                let row = sqlx::query("SELECT record FROM payments WHERE tx_id = $1")
                    .bind(tx_id.to_string())
                    .fetch_optional(pool)
                    .await?;
                row.map(|r| parse_record(&r.try_get::<String, _>("record")?)).transpose()
            }

            pub async fn history(pool: &Pool, pid: &Pid, h: &HistoryQuery) -> Result<Vec<PaymentRecord>, StorageError> {
                let mut q = QueryBuilder::<$db>::new("SELECT record FROM payments WHERE ");
                let me = || pid.as_str().to_owned();
                // A relayed payment is the one committed by the journal entry of a `payment_relayed`
                // event of the participant (one journal entry holds one event).
                let relayed = |q: &mut QueryBuilder<'_, $db>| {
                    q.push("journal_seq IN (SELECT journal_seq FROM events WHERE pid = ")
                        .push_bind(me())
                        .push(" AND kind = 'payment_relayed')");
                };
                match h.direction {
                    HistoryDirection::Sent => {
                        q.push("payer = ").push_bind(me());
                    }
                    HistoryDirection::Received => {
                        q.push("payee = ").push_bind(me()).push(" AND status <> 'aborted'");
                    }
                    HistoryDirection::Relayed => relayed(&mut q),
                    HistoryDirection::All => {
                        q.push("(payer = ").push_bind(me());
                        q.push(" OR (payee = ").push_bind(me()).push(" AND status <> 'aborted') OR ");
                        relayed(&mut q);
                        q.push(")");
                    }
                }
                if let Some(e) = &h.equivalent {
                    q.push(" AND equivalent = ").push_bind(e.clone());
                }
                if let Some(s) = &h.status {
                    q.push(" AND status = ").push_bind(s.clone());
                }
                if let Some(f) = h.from {
                    q.push(" AND created_at >= ").push_bind(f);
                }
                if let Some(t) = h.to {
                    q.push(" AND created_at <= ").push_bind(t);
                }
                if let Some(b) = h.before_seq {
                    q.push(" AND journal_seq < ").push_bind(b as i64);
                }
                q.push(" ORDER BY journal_seq DESC LIMIT ").push_bind(h.limit as i64);
                let rows = q.build().fetch_all(pool).await?;
                rows.iter().map(|r| parse_record(&r.try_get::<String, _>("record")?)).collect()
            }

            fn stored_event(r: &<$db as sqlx::Database>::Row, pid: &Pid) -> Result<StoredEvent, StorageError> {
                let seq = r.try_get::<i64, _>("journal_seq")? as u64;
                let at = Timestamp::from_unix(r.try_get("recorded_at")?)
                    .map_err(|e| StorageError::Corrupt { seq, why: e.to_string() })?;
                let event: JournalEvent = serde_json::from_str(&r.try_get::<String, _>("body")?)
                    .map_err(|e| StorageError::Corrupt { seq, why: e.to_string() })?;
                Ok(StoredEvent {
                    id: r.try_get::<i64, _>("id")? as u64,
                    pid: pid.clone(),
                    kind: r.try_get("kind")?,
                    journal_seq: seq,
                    event: None,
                    source: Some((at, event)),
                })
            }

            pub async fn events_after(pool: &Pool, pid: &Pid, after: u64, limit: u32) -> Result<Vec<StoredEvent>, StorageError> {
                let rows = sqlx::query(
                    "SELECT e.id, e.kind, e.journal_seq, j.recorded_at, j.body FROM events e \
                     JOIN journal j ON j.seq = e.journal_seq WHERE e.pid = $1 AND e.id > $2 ORDER BY e.id LIMIT $3",
                )
                .bind(pid.as_str().to_owned())
                .bind(after as i64)
                .bind(limit as i64)
                .fetch_all(pool)
                .await?;
                rows.iter().map(|r| stored_event(r, pid)).collect()
            }

            pub async fn events_of_kind(
                pool: &Pool,
                pid: &Pid,
                kind: &str,
                before: Option<u64>,
                limit: u32,
            ) -> Result<Vec<StoredEvent>, StorageError> {
                let rows = sqlx::query(
                    "SELECT e.id, e.kind, e.journal_seq, j.recorded_at, j.body FROM events e \
                     JOIN journal j ON j.seq = e.journal_seq WHERE e.pid = $1 AND e.kind = $2 AND e.id < $3 \
                     ORDER BY e.id DESC LIMIT $4",
                )
                .bind(pid.as_str().to_owned())
                .bind(kind.to_owned())
                .bind(before.map(|b| b as i64).unwrap_or(i64::MAX))
                .bind(limit as i64)
                .fetch_all(pool)
                .await?;
                rows.iter().map(|r| stored_event(r, pid)).collect()
            }

            pub async fn journal_of_kind(
                pool: &Pool,
                kind: &str,
                before: u64,
                limit: u32,
            ) -> Result<Vec<(u64, Timestamp, JournalEvent)>, StorageError> {
                let rows = sqlx::query(
                    "SELECT seq, recorded_at, body FROM journal WHERE kind = $1 AND seq < $2 \
                     ORDER BY seq DESC LIMIT $3",
                )
                .bind(kind.to_owned())
                .bind(before.min(i64::MAX as u64) as i64)
                .bind(limit as i64)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let seq = r.try_get::<i64, _>("seq")? as u64;
                        let corrupt = |why: String| StorageError::Corrupt { seq, why };
                        let at = Timestamp::from_unix(r.try_get("recorded_at")?)
                            .map_err(|e| corrupt(e.to_string()))?;
                        let event: JournalEvent = serde_json::from_str(&r.try_get::<String, _>("body")?)
                            .map_err(|e| corrupt(e.to_string()))?;
                        Ok((seq, at, event))
                    })
                    .collect()
            }

            pub async fn insert_refresh(pool: &Pool, hash: &str, pid: &Pid, expires_at: i64) -> Result<(), StorageError> {
                sqlx::query("INSERT INTO refresh_tokens (token_hash, pid, expires_at) VALUES ($1, $2, $3)")
                    .bind(hash.to_owned())
                    .bind(pid.as_str().to_owned())
                    .bind(expires_at)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub async fn take_refresh(pool: &Pool, hash: &str) -> Result<Option<(String, i64)>, StorageError> {
                let row = sqlx::query("DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING pid, expires_at")
                    .bind(hash.to_owned())
                    .fetch_optional(pool)
                    .await?;
                Ok(match row {
                    Some(r) => Some((r.try_get("pid")?, r.try_get("expires_at")?)),
                    None => None,
                })
            }

            pub async fn ping(pool: &Pool) -> Result<(), StorageError> {
                sqlx::query("SELECT 1").execute(pool).await?;
                Ok(())
            }

            pub async fn count(pool: &Pool, table: &'static str) -> Result<u64, StorageError> {
                let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(pool).await?;
                Ok(row.try_get::<i64, _>("n")? as u64)
            }
        }
    };
}

fn parse_record(text: &str) -> Result<PaymentRecord, StorageError> {
    serde_json::from_str(text).map_err(|e| StorageError::Corrupt {
        seq: 0,
        why: format!("payment record: {e}"),
    })
}

backend!(
    sqlite_backend,
    sqlx::Sqlite,
    "./migrations/sqlite",
    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')"
);
backend!(
    postgres_backend,
    sqlx::Postgres,
    "./migrations/postgres",
    "SELECT to_regclass('_sqlx_migrations') IS NOT NULL"
);

macro_rules! dispatch {
    ($self:expr, $f:ident ( $($arg:expr),* )) => {
        match $self {
            Store::Sqlite(p, _) => sqlite_backend::$f(p, $($arg),*).await,
            Store::Postgres(p, _) => postgres_backend::$f(p, $($arg),*).await,
        }
    };
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Store {
    /// Opens `sqlite:PATH` (created if missing) or `postgres://…` as its one writer: takes the
    /// writer lock ([`WriterLock`]; refused while another hub holds it), runs the migrations
    /// (refusing a database written by a newer hub) and applies projections a crash left pending.
    /// `projection_flush` bounds how long acknowledged changes wait in the outbox before they reach
    /// the query tables (reads never wait: they apply what is pending first).
    pub async fn open(
        url: &str,
        max_connections: u32,
        projection_flush: std::time::Duration,
    ) -> Result<Store, StorageError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(std::time::Duration::from_secs(10))
                // Commits must not pay for checkpoints: a background task checkpoints instead.
                .pragma("wal_autocheckpoint", "20000")
                // Random-keyed projections touch pages all over their B-trees: keep them in memory.
                .pragma("cache_size", "-65536")
                .pragma("mmap_size", "268435456")
                .foreign_keys(true);
            let in_memory = opts.get_filename() == std::path::Path::new(":memory:");
            let file = opts.get_filename().to_owned();
            // The writer lock comes first: nothing is migrated or recovered under another writer.
            let lock = if in_memory {
                None
            } else {
                Some(WriterLock::sqlite(&file)?)
            };
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .connect_with(opts)
                .await?;
            sqlite_backend::migrate(&pool).await?;
            let writer = match lock {
                None => None,
                Some(lock) => Some(SqliteWriter::open(&file, projection_flush, lock)?),
            };
            Ok(Store::Sqlite(pool, writer))
        } else if is_postgres(url) {
            let opts = PgConnectOptions::from_str(url)?;
            let lock = WriterLock::postgres(&opts).await?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .connect_with(opts)
                .await?;
            postgres_backend::migrate(&pool).await?;
            let projector = PgProjector::start(pool.clone(), projection_flush, lock).await?;
            Ok(Store::Postgres(pool, Some(projector)))
        } else {
            Err(StorageError::Url(url.to_owned()))
        }
    }

    /// Opens an existing hub database to read it only (`geo-hub check`), beside a live writer if
    /// there is one: no writer lock, no migration, no projection recovery, and nothing created.
    /// Refuses a missing database, a database that is not a hub's, and an unknown schema.
    pub async fn open_read_only(url: &str) -> Result<Store, StorageError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?;
            let file = opts.get_filename().to_owned();
            if !file.is_file() {
                return Err(SchemaError::Missing(file.display().to_string()).into());
            }
            let opts = opts
                .read_only(true)
                .busy_timeout(std::time::Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(opts)
                .await?;
            let applied = sqlite_backend::applied_migrations(&pool).await?;
            schema::check_read_only(
                applied,
                &sqlite_backend::migrator(),
                &file.display().to_string(),
            )?;
            Ok(Store::Sqlite(pool, None))
        } else if is_postgres(url) {
            let opts =
                PgConnectOptions::from_str(url)?.options([("default_transaction_read_only", "on")]);
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(opts)
                .await?;
            let applied = postgres_backend::applied_migrations(&pool).await?;
            schema::check_read_only(
                applied,
                &postgres_backend::migrator(),
                "the PostgreSQL database",
            )?;
            Ok(Store::Postgres(pool, None))
        } else {
            Err(StorageError::Url(url.to_owned()))
        }
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(..) => "sqlite",
            Store::Postgres(..) => "postgres",
        }
    }

    /// Writes one batch atomically and durably, and hands it back.
    pub async fn persist(&self, batch: PersistBatch) -> (PersistBatch, Result<(), StorageError>) {
        match self {
            Store::Sqlite(_, Some(writer)) => writer.persist(batch).await,
            Store::Postgres(_, Some(projector)) => {
                let mut batch = batch;
                let result = projector.persist(&mut batch).await;
                (batch, result)
            }
            Store::Postgres(_, None) => (
                batch,
                Err(StorageError::Writer(
                    "this store was opened read-only".into(),
                )),
            ),
            Store::Sqlite(_, None) => {
                let result = dispatch!(self, persist(&batch));
                (batch, result)
            }
        }
    }

    /// Streams the journal in order, checking the hash chain, into `apply`. Returns the last seq.
    pub async fn replay(
        &self,
        apply: impl FnMut(JournalEntry) -> Result<(), StorageError>,
    ) -> Result<u64, StorageError> {
        dispatch!(self, replay(apply))
    }

    /// Nonces still remembered at `now`.
    pub async fn nonces(
        &self,
        now: Timestamp,
    ) -> Result<Vec<(Pid, Nonce, Timestamp)>, StorageError> {
        dispatch!(self, nonces(now))
    }

    /// Deletes nonces of expired messages.
    pub async fn prune_nonces(&self, now: Timestamp) -> Result<u64, StorageError> {
        dispatch!(self, prune_nonces(now))
    }

    /// The largest event id used.
    pub async fn max_event_id(&self) -> Result<u64, StorageError> {
        self.settle().await?;
        dispatch!(self, max_event_id())
    }

    /// One payment by id.
    pub async fn payment(&self, tx_id: &TxId) -> Result<Option<PaymentRecord>, StorageError> {
        self.settle().await?;
        dispatch!(self, payment(tx_id))
    }

    /// A page of a participant's payments, newest first.
    pub async fn history(
        &self,
        pid: &Pid,
        query: &HistoryQuery,
    ) -> Result<Vec<PaymentRecord>, StorageError> {
        self.settle().await?;
        dispatch!(self, history(pid, query))
    }

    /// A participant's events after a cursor.
    pub async fn events_after(
        &self,
        pid: &Pid,
        after: u64,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StorageError> {
        self.settle().await?;
        dispatch!(self, events_after(pid, after, limit))
    }

    /// A participant's events of one kind, newest first, before an id.
    pub async fn events_of_kind(
        &self,
        pid: &Pid,
        kind: &str,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StorageError> {
        self.settle().await?;
        dispatch!(self, events_of_kind(pid, kind, before, limit))
    }

    /// Journal entries of one kind (`JournalEvent::kind`), newest first, below journal position
    /// `before` (all when `None`). Reads the journal itself, so it never waits for projections.
    pub async fn journal_of_kind(
        &self,
        kind: &str,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<(u64, Timestamp, JournalEvent)>, StorageError> {
        dispatch!(
            self,
            journal_of_kind(kind, before.unwrap_or(u64::MAX), limit)
        )
    }

    /// Stores a refresh token's hash.
    pub async fn insert_refresh(
        &self,
        hash: &str,
        pid: &Pid,
        expires_at: i64,
    ) -> Result<(), StorageError> {
        dispatch!(self, insert_refresh(hash, pid, expires_at))
    }

    /// Removes and returns a refresh token (single use).
    pub async fn take_refresh(&self, hash: &str) -> Result<Option<(String, i64)>, StorageError> {
        dispatch!(self, take_refresh(hash))
    }

    /// Copies the SQLite write-ahead log into the database without blocking writers (no-op on PostgreSQL).
    pub async fn checkpoint(&self) -> Result<(), StorageError> {
        if let Store::Sqlite(pool, _) = self {
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// How far the query tables trail the journal: entries acknowledged (journal head) whose
    /// projections are not applied yet (0 on a read-only store).
    pub fn projection_lag(&self) -> u64 {
        match self {
            Store::Sqlite(_, Some(writer)) => writer.lag(),
            Store::Postgres(_, Some(projector)) => projector.lag(),
            Store::Sqlite(_, None) | Store::Postgres(_, None) => 0,
        }
    }

    /// Makes every acknowledged change visible to reads: applies pending projections.
    pub async fn settle(&self) -> Result<(), StorageError> {
        match self {
            Store::Sqlite(_, Some(writer)) => writer.settle().await,
            Store::Postgres(_, Some(projector)) => projector.settle().await,
            Store::Sqlite(_, None) | Store::Postgres(_, None) => Ok(()),
        }
    }

    /// Applies what is pending (and stops the SQLite write thread); call once nothing else writes.
    pub async fn close(&self) -> Result<(), StorageError> {
        match self {
            Store::Sqlite(_, Some(writer)) => writer.close().await,
            Store::Postgres(_, Some(projector)) => projector.close().await,
            Store::Sqlite(_, None) | Store::Postgres(_, None) => Ok(()),
        }
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> Result<(), StorageError> {
        dispatch!(self, ping())
    }

    /// Row count of a table (diagnostics and tests).
    pub async fn count(&self, table: &'static str) -> Result<u64, StorageError> {
        self.settle().await?;
        dispatch!(self, count(table))
    }
}
