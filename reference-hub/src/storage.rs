//! Durable storage on SQLite (embedded default) or PostgreSQL: the hash-chained journal, its query
//! projections, nonces, events and refresh tokens. One implementation, instantiated for both backends.
//!
//! The writer persists a whole batch in one transaction with multi-row statements (group commit), so
//! the cost of durability is paid once per batch rather than once per payment.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::Arc;

use geo_protocol::{Digest, EquivalentCode, Nonce, Pid, Timestamp, TxId};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};

use crate::engine::journal::{JournalEntry, JournalEvent};
use crate::engine::records::PaymentRecord;

mod journal_store;
mod outbox_body;
mod postgres;
mod queries;
mod schema;
mod sqlite;
mod writer_lock;
pub use journal_store::{JournalStore, MemoryJournal};
use outbox_body::OutboxBody;
pub use postgres::PgProjector;
use queries::Queries;
pub use schema::SchemaError;
pub use sqlite::SqliteWriter;
pub use writer_lock::{Holder, WriterLock, HOLD_FOR, POSTGRES_LOCK_KEY, RENEW_EVERY};

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
    /// The database file or its write-ahead log was removed or replaced under the running hub: its
    /// commits go on into a file no restart reads.
    #[error("{0} was removed or replaced while the hub ran; restore it, then start the hub again")]
    Displaced(String),
    /// The URL names no supported backend.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    Url(String),
    /// Another process is the database's writer.
    #[error("{0}")]
    Locked(String),
    /// The hub may not write where its database lives (the folder or the file is read-only to the
    /// user it runs as, or on a read-only file system): a writer cannot start there.
    #[error(
        "{}: permission denied: the hub writes its database and the files beside it, so the user \
         it runs as needs write access to that folder (`geo-hub check` only reads, and runs \
         without it)",
        .0.display()
    )]
    NotWritable(std::path::PathBuf),
    /// The database is missing, is not a hub's, or has a schema this build does not know.
    #[error(transparent)]
    Schema(#[from] SchemaError),
}

/// What a storage failure means for the hub, by its cause: the SQLSTATE class on PostgreSQL, the
/// result code on SQLite, never the message. One table decides the HTTP answer, the writer's
/// reaction and whether a recovering hub waits or stops (README, "When the database fails under a
/// running hub"). Each kind has a stable code ([`FailureKind::code`]) for logs and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Passes when the database comes back or is retried: the server unreachable, restarting or
    /// shutting down, out of memory or connections, an I/O or internal error (`XX000`, how
    /// PostgreSQL reports an operating system failure it has no code for), a serialization failure
    /// or deadlock, a lock or statement timeout, a read-only server. Requests get `503` with
    /// `Retry-After`; the hub waits in outage mode and resumes in the same process.
    Unavailable,
    /// The database's disk is full (PostgreSQL `53100`, SQLite's `SQLITE_FULL`): as
    /// [`FailureKind::Unavailable`], until space is freed.
    DiskFull,
    /// The database says its stored data is damaged (`XX001` data corrupted, `XX002` index
    /// corrupted; SQLite's corrupt or not-a-database file) or the journal's hash chain is broken.
    /// Waiting does not cure it and writing on could spread it: the hub stops (exit code 1) with a
    /// log line that says so.
    Corruption,
    /// A statement the database refuses (a constraint, a permission, a missing table, a code this
    /// table does not know), or a schema this build does not know. A request gets `500`; a writer
    /// that meets it steps down into outage mode (a journal key conflict is how a writer that lost
    /// its lock learns it), where the hub waits, logging it, until an operator fixes the database;
    /// a first start that meets it stops.
    Refused,
}

impl FailureKind {
    /// The stable code: the `kind` of the log lines and of `geo_storage_failures_total`.
    pub fn code(self) -> &'static str {
        match self {
            FailureKind::Unavailable => "database_unavailable",
            FailureKind::DiskFull => "database_disk_full",
            FailureKind::Corruption => "database_corrupt",
            FailureKind::Refused => "database_refused",
        }
    }

    /// True when waiting (or freeing space) cures it: a request refused for it may be sent again.
    pub fn is_transient(self) -> bool {
        matches!(self, FailureKind::Unavailable | FailureKind::DiskFull)
    }
}

impl StorageError {
    /// What the failure means for the hub ([`FailureKind`]).
    pub fn kind(&self) -> FailureKind {
        match self {
            StorageError::Database(e) => sqlx_kind(e),
            StorageError::Migration(sqlx::migrate::MigrateError::Execute(e)) => sqlx_kind(e),
            StorageError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                sqlite_kind(e.extended_code)
            }
            StorageError::Writer(_) => FailureKind::Unavailable,
            StorageError::Corrupt { .. } | StorageError::Displaced(_) => FailureKind::Corruption,
            _ => FailureKind::Refused,
        }
    }

    /// True for failures that pass when the database comes back or gets space again
    /// ([`FailureKind::is_transient`]): a request refused for one of these may be sent again.
    pub fn is_transient(&self) -> bool {
        self.kind().is_transient()
    }
}

fn sqlx_kind(e: &sqlx::Error) -> FailureKind {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => FailureKind::Unavailable,
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                sqlstate_kind(pg.code())
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // SQLite's extended result code, as text.
                db.code()
                    .and_then(|c| c.parse::<i32>().ok())
                    .map_or(FailureKind::Refused, sqlite_kind)
            } else {
                FailureKind::Refused
            }
        }
        _ => FailureKind::Refused,
    }
}

/// PostgreSQL's SQLSTATE, by class (Appendix A of its manual) and a few single codes.
pub fn sqlstate_kind(code: &str) -> FailureKind {
    match code {
        "53100" => FailureKind::DiskFull,
        // Data corrupted, index corrupted.
        "XX001" | "XX002" => FailureKind::Corruption,
        // Read-only transaction (a server in recovery or a replica), lock not available, object in
        // use, query canceled (a statement timeout).
        "25006" | "55P03" | "55006" | "57014" => FailureKind::Unavailable,
        _ => match code.get(..2) {
            // Connection exception, transaction rollback (serialization failure, deadlock),
            // insufficient resources, operator intervention (shutdown, starting up), system error
            // (I/O), internal error (the rest of class XX).
            Some("08" | "40" | "53" | "57" | "58" | "XX") => FailureKind::Unavailable,
            _ => FailureKind::Refused,
        },
    }
}

/// SQLite's extended (or primary) result code: its low byte is the primary code.
fn sqlite_kind(code: i32) -> FailureKind {
    match code & 0xff {
        // SQLITE_FULL.
        13 => FailureKind::DiskFull,
        // SQLITE_BUSY 5, SQLITE_LOCKED 6, SQLITE_NOMEM 7, SQLITE_IOERR 10, SQLITE_CANTOPEN 14.
        5 | 6 | 7 | 10 | 14 => FailureKind::Unavailable,
        // SQLITE_CORRUPT 11, SQLITE_NOTADB 26.
        11 | 26 => FailureKind::Corruption,
        _ => FailureKind::Refused,
    }
}

/// What the event-bodies upgrade makes of one journal entry: the body of the events it tells, if it
/// tells anyone (`Store::complete_upgrades`).
pub type EntryBody<'a> = dyn FnMut(&JournalEntry) -> Option<Arc<str>> + Send + 'a;

/// An event of a participant's stream, as stored: its `events` row with its entry's `event_bodies` row.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// Global, increasing id (the stream cursor).
    pub id: u64,
    /// Recipient.
    pub pid: Pid,
    /// Event type (the frame's `kind`).
    pub kind: String,
    /// Journal position.
    pub journal_seq: u64,
    /// Its body, the frame's `data` as JSON text: made once by the writer when the change was
    /// journaled (`engine::event_body`), served as stored. One per journal entry (its
    /// `event_bodies` row), shared by the entry's events.
    pub data: Arc<str>,
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

impl PersistBatch {
    /// `(journal_seq, data)`: the body of each entry that tells anyone, once (an entry's events are
    /// adjacent and share its body). Written with the journal entries, in the acknowledged
    /// transaction: each body is written once, and is durable when its payment is acknowledged.
    pub(crate) fn bodies(&self) -> impl Iterator<Item = (u64, &str)> {
        let mut last = None;
        self.events
            .iter()
            .filter(move |e| last.replace(e.journal_seq) != Some(e.journal_seq))
            .map(|e| (e.journal_seq, &*e.data))
    }
}

/// One batch's projection rows, as kept in memory and in the outbox.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Projection {
    pub(crate) payments: Vec<PaymentRecord>,
    /// `(id, pid, kind, journal_seq)`.
    pub(crate) events: Vec<(u64, String, String, u64)>,
    /// `(journal_seq, data)`: event bodies held by an outbox row an older hub left, applied with
    /// its rows. A hub now stores each body once, in the acknowledged transaction itself
    /// ([`PersistBatch::bodies`]), so this is empty in the rows it writes (and absent from their
    /// text). Rows from hubs before bodies were kept have none: their entries get theirs at
    /// start-up, `Store::complete_upgrades`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) bodies: Vec<(u64, OutboxBody)>,
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
            bodies: Vec::new(),
            participants: std::mem::take(&mut b.participants),
            trust_lines: std::mem::take(&mut b.trust_lines),
            debts: std::mem::take(&mut b.debts),
        }
    }

    /// Rows this projection writes (its cost when applied).
    pub(crate) fn rows(&self) -> usize {
        self.payments.len()
            + self.events.len()
            + self.bodies.len()
            + self.participants.len()
            + self.trust_lines.len()
            + self.debts.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.payments.is_empty()
            && self.events.is_empty()
            && self.participants.is_empty()
            && self.trust_lines.is_empty()
            && self.debts.is_empty()
    }
}

/// A stored checkpoint's header: where it is, what it claims, and its own hash
/// ([`crate::engine::snapshot::checkpoint_hash`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointHead {
    /// The journal position the snapshot is of.
    pub seq: u64,
    /// The hash of the journal entry at `seq` when the snapshot was taken.
    pub journal_hash: Digest,
    /// The snapshot's format ([`crate::engine::snapshot::FORMAT`] of the build that wrote it).
    pub format: i64,
    /// The checkpoint's hash over its position, journal hash and snapshot.
    pub hash: Digest,
}

/// A checkpoint to store.
#[derive(Debug, Clone)]
pub struct NewCheckpoint {
    /// Header.
    pub head: CheckpointHead,
    /// The ledger snapshot.
    pub snapshot: Vec<u8>,
    /// When it was taken.
    pub created_at: Timestamp,
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
    /// Embedded SQLite file: a pool for reads and small writes, and the batch writer (none for a
    /// read-only store).
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

fn parse_record(text: &str) -> Result<PaymentRecord, StorageError> {
    serde_json::from_str(text).map_err(|e| StorageError::Corrupt {
        seq: 0,
        why: format!("payment record: {e}"),
    })
}

macro_rules! dispatch {
    ($self:expr, $f:ident ( $($arg:expr),* )) => {
        match $self {
            Store::Sqlite(p, _) => Queries::$f(p, $($arg),*).await,
            Store::Postgres(p, _) => Queries::$f(p, $($arg),*).await,
        }
    };
}

/// Longest wait for a pooled PostgreSQL connection.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The write-ahead log beside the SQLite database `file`.
fn sqlite_wal(file: &std::path::Path) -> std::path::PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

/// True when SQLite refused to read because it could not write beside the file (read-only, or
/// cannot open: its `-shm` index could not be made).
fn cannot_read_without_writing(e: &StorageError) -> bool {
    let code = match e {
        StorageError::Database(sqlx::Error::Database(db)) => {
            db.code().and_then(|c| c.parse::<i32>().ok())
        }
        _ => None,
    };
    // SQLITE_READONLY 8 (its extended codes: cannot initialise the index, read-only folder),
    // SQLITE_CANTOPEN 14.
    code.is_some_and(|c| matches!(c & 0xff, 8 | 14))
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Store {
    /// Opens `sqlite:PATH` (created if missing) or `postgres://…` as its one writer: takes the
    /// writer lock ([`WriterLock`]; refused while another hub holds it), runs the migrations
    /// (refusing a database written by a newer hub) and applies projections a crash left pending.
    /// `projection_flush` bounds how long acknowledged changes wait in the outbox before they reach
    /// the query tables (reads never wait: they apply what is pending first). With a
    /// `writer_lease`, a PostgreSQL writer lock holder silent for longer has its sessions ended
    /// ([`WriterLock::postgres`]).
    pub async fn open(
        url: &str,
        max_connections: u32,
        projection_flush: std::time::Duration,
        writer_lease: Option<std::time::Duration>,
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
            // The journal needs a file: the batch writer has its own connection to it.
            if opts.get_filename() == std::path::Path::new(":memory:") {
                return Err(StorageError::Url(url.to_owned()));
            }
            let file = opts.get_filename().to_owned();
            // The writer lock comes first: nothing is migrated or recovered under another writer.
            let lock = WriterLock::sqlite(&file)?;
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .connect_with(opts)
                .await?;
            Sqlite::migrate(&pool).await?;
            let writer = SqliteWriter::open(&file, projection_flush, lock)?;
            Ok(Store::Sqlite(pool, Some(writer)))
        } else if is_postgres(url) {
            let name = postgres::session::application_name("");
            let opts = postgres::session::hub_session(PgConnectOptions::from_str(url)?, &name);
            let lock = WriterLock::postgres(&opts, writer_lease).await?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                // While the server is down a request waits this long for a connection, then is
                // refused as unavailable (sqlx's default is 30 s).
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(opts)
                .await?;
            Postgres::migrate(&pool).await?;
            let projector =
                PgProjector::start(pool.clone(), projection_flush, lock, writer_lease).await?;
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
            let read = |opts: SqliteConnectOptions| async move {
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts)
                    .await?;
                let applied = Sqlite::applied_migrations(&pool).await?;
                Ok::<_, StorageError>((pool, applied))
            };
            let (pool, applied) = match read(opts.clone()).await {
                // SQLite reads a database in WAL mode through an index (`-shm`) beside it, which it
                // must create when no connection has: a user who may only read the folder cannot.
                // Without a `-wal` file no writer has the database open (a writer keeps it while
                // it runs), so the file is read as it is, as immutable; a hub started meanwhile is
                // not seen (check again).
                Err(e) if cannot_read_without_writing(&e) && !sqlite_wal(&file).exists() => {
                    read(opts.immutable(true)).await?
                }
                read => read?,
            };
            schema::check_read_only(applied, &Sqlite::migrator(), &file.display().to_string())?;
            Ok(Store::Sqlite(pool, None))
        } else if is_postgres(url) {
            let name = postgres::session::application_name(" read-only");
            let opts = postgres::session::hub_session(PgConnectOptions::from_str(url)?, &name)
                .options([("default_transaction_read_only", "on")]);
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .connect_with(opts)
                .await?;
            let applied = Postgres::applied_migrations(&pool).await?;
            schema::check_read_only(applied, &Postgres::migrator(), "the PostgreSQL database")?;
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
            Store::Sqlite(_, None) => (
                batch,
                Err(StorageError::Writer(
                    "this store was opened read-only".into(),
                )),
            ),
        }
    }

    /// Streams the journal in order, checking the hash chain, into `apply`. Returns the last seq.
    pub async fn replay(
        &self,
        apply: impl FnMut(JournalEntry) -> Result<(), StorageError>,
    ) -> Result<u64, StorageError> {
        self.replay_after(0, crate::engine::journal::genesis_hash(), apply)
            .await
    }

    /// Streams the journal entries after `seq`, whose hash is `hash`, in order, checking the chain
    /// from there. Returns the last seq (`seq` when none follow).
    pub async fn replay_after(
        &self,
        seq: u64,
        hash: Digest,
        apply: impl FnMut(JournalEntry) -> Result<(), StorageError>,
    ) -> Result<u64, StorageError> {
        dispatch!(self, replay(seq, hash, apply))
    }

    /// The hash of the journal entry at `seq`, if there is one.
    pub async fn journal_hash_at(&self, seq: u64) -> Result<Option<Digest>, StorageError> {
        dispatch!(self, journal_hash_at(seq))
    }

    /// The stored checkpoints, newest first (without their snapshots).
    pub async fn checkpoints(&self) -> Result<Vec<CheckpointHead>, StorageError> {
        dispatch!(self, checkpoints())
    }

    /// The snapshot of the checkpoint at `seq`, as stored.
    pub async fn checkpoint_snapshot(&self, seq: u64) -> Result<Option<Vec<u8>>, StorageError> {
        dispatch!(self, checkpoint_snapshot(seq))
    }

    /// Removes the checkpoint at `seq` (one found unusable).
    pub async fn delete_checkpoint(&self, seq: u64) -> Result<(), StorageError> {
        dispatch!(self, delete_checkpoint(seq))
    }

    /// Stores a checkpoint (its journal entry must be durable already) and keeps only the newest
    /// `keep` checkpoints.
    pub async fn write_checkpoint(
        &self,
        checkpoint: &NewCheckpoint,
        keep: u32,
    ) -> Result<(), StorageError> {
        dispatch!(self, write_checkpoint(checkpoint, keep))
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

    /// The time of the journal's last entry (Unix seconds), if any.
    pub async fn last_journal_time(&self) -> Result<Option<i64>, StorageError> {
        dispatch!(self, last_journal_time())
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

    /// A payment the writer knows was decided: its row, or when the row is missing (lost, or an
    /// earlier writer's batch not projected) its record rebuilt from the journal, the source of
    /// truth. Not for lookups of ids a client names (the journal scan is for this rare case).
    pub async fn known_payment(&self, tx_id: &TxId) -> Result<Option<PaymentRecord>, StorageError> {
        if let Some(record) = self.payment(tx_id).await? {
            return Ok(Some(record));
        }
        let entries = dispatch!(self, payment_entries_containing(&tx_id.to_string()))?;
        // Each equivalent's precision: its latest setting (fixed once it has trust lines).
        let settings = self
            .journal_of_kind("equivalent_set", None, u32::MAX)
            .await?;
        let precision = |equivalent: &EquivalentCode| {
            settings.iter().find_map(|(_, _, e)| match e {
                JournalEvent::EquivalentSet {
                    code, precision, ..
                } if code == equivalent => Some(*precision),
                _ => None,
            })
        };
        Ok(PaymentRecord::from_journal(tx_id, &entries, precision))
    }

    /// The payments among `ids` as the `payments` table has them now, without applying pending
    /// projections first (the writer's idempotency lookups: it keeps pending payments in memory).
    pub async fn payments_by_id(&self, ids: &[TxId]) -> Result<Vec<PaymentRecord>, StorageError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            out.extend(dispatch!(self, payments_by_id(chunk))?);
        }
        Ok(out)
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

    /// Completes the upgrade steps a migration left pending, once (`pending_upgrades`): signing
    /// the receipts of payment rows stored before receipts were kept, with `sign`, and storing the
    /// body of the events of each journal entry stored before bodies were kept, made by `bodies`
    /// from each entry in order. Call it at start-up, before serving; returns how many payment rows
    /// and entries' bodies it filled.
    pub async fn complete_upgrades(
        &self,
        sign: &(dyn Fn(&PaymentRecord) -> Option<geo_protocol::Signature> + Sync),
        bodies: &mut EntryBody<'_>,
    ) -> Result<(u64, u64), StorageError> {
        self.settle().await?;
        let receipts = dispatch!(self, fill_payment_receipts(sign))?;
        let events = dispatch!(self, fill_event_bodies(bodies))?;
        Ok((receipts, events))
    }

    /// The stored body (`data`) of the events of journal entry `seq` (for a committed clearing, with
    /// its `clearing_receipt`).
    pub async fn event_body(&self, seq: u64) -> Result<Option<String>, StorageError> {
        self.settle().await?;
        dispatch!(self, event_body(seq))
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

    /// Gives up the writer lock after a storage failure. On PostgreSQL pending projections stay in
    /// the outbox for the next writer (which applies them at its start) and nothing waits for the
    /// database, which may not answer; on SQLite, whose file is local, it is [`Store::close`].
    pub async fn abandon(&self) -> Result<(), StorageError> {
        match self {
            Store::Postgres(_, Some(projector)) => {
                projector.abandon().await;
                Ok(())
            }
            _ => self.close().await,
        }
    }

    /// Resolves once this store's writer lock is lost, with why: a PostgreSQL lock whose lease
    /// renewal failed or went unanswered ([`WriterLock::lost`]). Never for SQLite (a lock file
    /// cannot be lost) nor a read-only store.
    pub async fn writer_lock_lost(&self) -> String {
        match self {
            Store::Postgres(_, Some(projector)) => projector.lock_lost().await,
            _ => std::future::pending().await,
        }
    }

    /// True while this store still holds its writer lock. PostgreSQL drops the advisory lock with
    /// the connection that holds it (a server restart, a cut connection): from then on another hub
    /// may take over, so this one must stop writing. An SQLite lock file cannot be lost.
    pub async fn holds_writer_lock(&self) -> bool {
        match self {
            Store::Postgres(_, Some(projector)) => projector.lock_alive().await,
            Store::Sqlite(_, Some(_)) => true,
            Store::Postgres(_, None) | Store::Sqlite(_, None) => false,
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
