//! The SQLite write path: one connection on a dedicated thread that binds rows directly into
//! prepared, cached statements.
//!
//! Each batch's acknowledgement waits for one durable transaction that appends only sequential rows:
//! the journal entries, the nonces, and one *outbox* row holding the batch's projection rows
//! (payments, events, participants, trust lines, debts). The projection tables are random-keyed
//! B-trees, so writing them per batch dirtied ~16 pages per payment; instead the thread applies the
//! pending projections in one larger transaction every flush interval (or [`FLUSH_ENTRIES`]
//! entries, or on demand), where each dirty page absorbs many rows, and deletes their outbox rows in
//! the same transaction. After a crash the outbox still holds whatever was not applied, and opening
//! the store applies it before anything else reads.
//!
//! Readers see every acknowledged change: [`SqliteWriter::settle`] applies pending projections first
//! (the store calls it before each projection read). Reads, migrations and the small auth writes stay
//! on the async pool; SQLite serialises writers itself (`BEGIN IMMEDIATE` plus a busy timeout).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};
use tokio::sync::oneshot;

use crate::engine::records::PaymentRecord;
use crate::storage::{
    last_per_key, DebtRow, ParticipantRow, PersistBatch, Projection, StorageError, TrustLineRow,
    WriterLock,
};

/// Pending projections are applied as soon as this many journal entries wait for theirs (or when
/// the flush interval has passed, or a reader asks).
pub const FLUSH_ENTRIES: usize = 8192;

type Answer<T> = oneshot::Sender<T>;

enum Job {
    Persist(
        PersistBatch,
        Answer<(PersistBatch, Result<(), StorageError>)>,
    ),
    Settle(Answer<Result<(), StorageError>>),
    Close(Answer<Result<(), StorageError>>),
}

/// A handle to the writer thread; the thread applies what is pending and stops when the last handle
/// is dropped or [`SqliteWriter::close`] is called.
#[derive(Debug, Clone)]
pub struct SqliteWriter {
    jobs: mpsc::Sender<Job>,
    /// Journal entries whose projections are not applied yet.
    pending: Arc<AtomicUsize>,
}

/// The thread's side.
struct Thread {
    conn: Connection,
    /// `(outbox id, projection, journal entries)` in batch order.
    pending: Vec<(i64, Projection, usize)>,
    pending_entries: Arc<AtomicUsize>,
    last_flush: Instant,
    interval: Duration,
    /// Held until the thread stops: no other hub writes meanwhile.
    lock: Option<WriterLock>,
}

impl SqliteWriter {
    /// Opens a write connection to the (already migrated) database file, applies projections left
    /// in the outbox by an earlier run, and starts the thread, which holds `lock` until it stops.
    pub fn open(
        path: &Path,
        interval: Duration,
        lock: WriterLock,
    ) -> Result<SqliteWriter, StorageError> {
        let conn = connect(path)?;
        let pending = Arc::new(AtomicUsize::new(0));
        let mut thread = Thread {
            conn,
            pending: Vec::new(),
            pending_entries: pending.clone(),
            last_flush: Instant::now(),
            interval,
            lock: Some(lock),
        };
        thread.recover()?;
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("geo-sqlite-writer".into())
            .spawn(move || thread.run(rx))
            .map_err(|e| StorageError::Writer(e.to_string()))?;
        Ok(SqliteWriter { jobs, pending })
    }

    /// Writes one batch durably (journal, nonces, outbox) and hands it back; its projections follow.
    pub async fn persist(&self, batch: PersistBatch) -> (PersistBatch, Result<(), StorageError>) {
        let (done, answer) = oneshot::channel();
        if let Err(mpsc::SendError(Job::Persist(batch, _))) =
            self.jobs.send(Job::Persist(batch, done))
        {
            return (batch, Err(stopped()));
        }
        answer
            .await
            .unwrap_or_else(|_| (PersistBatch::default(), Err(stopped())))
    }

    /// Journal entries acknowledged whose projections are not applied yet.
    pub fn lag(&self) -> u64 {
        self.pending.load(Ordering::SeqCst) as u64
    }

    /// Applies every pending projection, so a read that follows sees every acknowledged change.
    pub async fn settle(&self) -> Result<(), StorageError> {
        if self.pending.load(Ordering::SeqCst) == 0 {
            return Ok(());
        }
        self.call(Job::Settle).await
    }

    /// Applies what is pending and stops the thread (later calls fail).
    pub async fn close(&self) -> Result<(), StorageError> {
        self.call(Job::Close).await
    }

    async fn call(
        &self,
        job: impl FnOnce(Answer<Result<(), StorageError>>) -> Job,
    ) -> Result<(), StorageError> {
        let (done, answer) = oneshot::channel();
        self.jobs.send(job(done)).map_err(|_| stopped())?;
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }
}

fn stopped() -> StorageError {
    StorageError::Writer("the SQLite writer thread has stopped".into())
}

fn connect(path: &Path) -> Result<Connection, StorageError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // Durable on commit (WAL + FULL); commits never pay for checkpoints (a background task does them).
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 20000; \
         PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;",
    )?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

impl Thread {
    fn run(mut self, rx: mpsc::Receiver<Job>) {
        loop {
            let job = if self.pending.is_empty() {
                rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
            } else {
                rx.recv_timeout(self.interval.saturating_sub(self.last_flush.elapsed()))
            };
            match job {
                Ok(Job::Persist(mut batch, done)) => {
                    let result = self.persist(&mut batch);
                    let _ = done.send((batch, result));
                    if self.pending_entries.load(Ordering::SeqCst) >= FLUSH_ENTRIES
                        || self.last_flush.elapsed() >= self.interval
                    {
                        self.flush_logged();
                    }
                }
                Ok(Job::Settle(done)) => {
                    let _ = done.send(self.flush());
                }
                Ok(Job::Close(done)) => {
                    let flushed = self.flush();
                    // Unlocked before the answer, so a hub started right after close finds it free.
                    drop(self.lock.take());
                    let _ = done.send(flushed);
                    return;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => self.flush_logged(),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    self.flush_logged();
                    return;
                }
            }
        }
    }

    fn persist(&mut self, b: &mut PersistBatch) -> Result<(), StorageError> {
        let projection = Projection::take_from(b);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO journal (seq, recorded_at, kind, body, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for e in &b.entries {
                st.execute(params![
                    e.seq as i64,
                    e.at.unix(),
                    e.event.kind(),
                    e.body(),
                    e.prev_hash.to_string(),
                    e.hash.to_string()
                ])?;
            }
        }
        if !b.nonces.is_empty() {
            let mut st = tx.prepare_cached(
                "INSERT INTO nonces (signer, nonce, expires_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (signer, nonce) DO NOTHING",
            )?;
            for (signer, nonce, exp) in &b.nonces {
                st.execute(params![signer.as_str(), nonce.as_str(), exp.unix()])?;
            }
        }
        let outbox = if projection.is_empty() {
            None
        } else {
            let rows = serde_json::to_string(&projection).expect("projection rows serialise");
            tx.prepare_cached("INSERT INTO projection_outbox (rows) VALUES (?1)")?
                .execute(params![rows])?;
            Some(tx.last_insert_rowid())
        };
        tx.commit()?;
        if let Some(id) = outbox {
            // Counted before the caller is answered, so any read after the answer settles first.
            self.pending_entries
                .fetch_add(b.entries.len().max(1), Ordering::SeqCst);
            self.pending.push((id, projection, b.entries.len().max(1)));
        }
        Ok(())
    }

    /// Loads projections a previous run left in the outbox and applies them.
    fn recover(&mut self) -> Result<(), StorageError> {
        let mut st = self
            .conn
            .prepare("SELECT id, rows FROM projection_outbox ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut pending = Vec::new();
        for row in rows {
            let (id, text) = row?;
            let projection: Projection =
                serde_json::from_str(&text).map_err(|e| StorageError::Corrupt {
                    seq: 0,
                    why: format!("projection outbox row {id}: {e}"),
                })?;
            pending.push((id, projection, 1));
        }
        drop(st);
        if !pending.is_empty() {
            tracing::info!(
                batches = pending.len(),
                "applying projections left by the last run"
            );
        }
        self.pending_entries
            .fetch_add(pending.len(), Ordering::SeqCst);
        self.pending = pending;
        self.flush()
    }

    fn flush_logged(&mut self) {
        if let Err(e) = self.flush() {
            tracing::error!(error = %e, "applying projections failed; they stay in the outbox and are retried");
        }
    }

    /// Applies every pending projection and removes its outbox rows, in one transaction.
    fn flush(&mut self) -> Result<(), StorageError> {
        self.last_flush = Instant::now();
        let Some(&(last_id, _, _)) = self.pending.last() else {
            return Ok(());
        };
        let started = Instant::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let pending = || self.pending.iter().map(|(_, p, _)| p);
        let payments: Vec<&PaymentRecord> = pending().flat_map(|p| &p.payments).collect();
        if !payments.is_empty() {
            let mut st = tx.prepare_cached(
                "INSERT INTO payments (tx_id, payer, payee, equivalent, status, created_at, journal_seq, record) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (tx_id) DO UPDATE SET status = excluded.status, \
                 journal_seq = excluded.journal_seq, record = excluded.record",
            )?;
            for p in last_per_key(payments.iter().copied(), |p| p.tx_id) {
                st.execute(params![
                    p.tx_id.to_string(),
                    p.payer.as_str(),
                    p.payee.as_str(),
                    p.equivalent.as_str(),
                    p.status.as_str(),
                    p.created_at.unix(),
                    p.journal_seq as i64,
                    serde_json::to_string(&p).expect("records serialise"),
                ])?;
            }
        }
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO events (id, pid, kind, journal_seq) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (id, pid, kind, seq) in pending().flat_map(|p| p.events.iter()) {
                st.execute(params![*id as i64, pid, kind, *seq as i64])?;
            }
            // Appended in journal order (the table's key is its rowid).
            let mut st =
                tx.prepare_cached("INSERT INTO event_bodies (journal_seq, data) VALUES (?1, ?2)")?;
            for (seq, data) in pending().flat_map(|p| p.bodies.iter()) {
                st.execute(params![*seq as i64, data])?;
            }
        }
        let participants: Vec<&ParticipantRow> = pending().flat_map(|p| &p.participants).collect();
        if !participants.is_empty() {
            let mut st = tx.prepare_cached(
                "INSERT INTO participants (pid, public_key, display_name, kind, status, profile, journal_seq) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (pid) DO UPDATE SET display_name = excluded.display_name, \
                 status = excluded.status, profile = excluded.profile, journal_seq = excluded.journal_seq",
            )?;
            for p in last_per_key(participants.iter().copied(), |p| p.pid.clone()) {
                st.execute(params![
                    p.pid,
                    p.public_key,
                    p.display_name,
                    p.kind,
                    p.status,
                    p.profile,
                    p.journal_seq as i64
                ])?;
            }
        }
        let lines: Vec<&TrustLineRow> = pending().flat_map(|p| &p.trust_lines).collect();
        if !lines.is_empty() {
            let mut st = tx.prepare_cached(
                "INSERT INTO trust_lines (id, creditor, debtor, equivalent, credit_limit, policy, status, journal_seq) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET credit_limit = excluded.credit_limit, \
                 policy = excluded.policy, status = excluded.status, journal_seq = excluded.journal_seq",
            )?;
            for l in last_per_key(lines.iter().copied(), |l| l.id.clone()) {
                st.execute(params![
                    l.id,
                    l.creditor,
                    l.debtor,
                    l.equivalent,
                    l.limit,
                    l.policy,
                    l.status,
                    l.journal_seq as i64
                ])?;
            }
        }
        let debts: Vec<&DebtRow> = pending().flat_map(|p| &p.debts).collect();
        if !debts.is_empty() {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO debts (equivalent, pair_lo, pair_hi, debtor, creditor, amount, journal_seq) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (equivalent, pair_lo, pair_hi) DO UPDATE SET \
                 debtor = excluded.debtor, creditor = excluded.creditor, amount = excluded.amount, \
                 journal_seq = excluded.journal_seq",
            )?;
            let mut delete = tx.prepare_cached(
                "DELETE FROM debts WHERE equivalent = ?1 AND pair_lo = ?2 AND pair_hi = ?3",
            )?;
            for d in last_per_key(debts.iter().copied(), |d| {
                (d.equivalent.clone(), d.pair.clone())
            }) {
                match &d.debt {
                    Some((debtor, creditor, amount)) => {
                        upsert.execute(params![
                            d.equivalent,
                            d.pair.0,
                            d.pair.1,
                            debtor,
                            creditor,
                            amount,
                            d.journal_seq as i64
                        ])?;
                    }
                    None => {
                        delete.execute(params![d.equivalent, d.pair.0, d.pair.1])?;
                    }
                }
            }
        }
        tx.prepare_cached("DELETE FROM projection_outbox WHERE id <= ?1")?
            .execute(params![last_id])?;
        tx.commit()?;
        let applied: usize = self.pending.iter().map(|(_, _, n)| n).sum();
        self.pending.clear();
        self.pending_entries.fetch_sub(applied, Ordering::SeqCst);
        metrics::histogram!("geo_projection_flush_seconds").record(started.elapsed().as_secs_f64());
        metrics::histogram!("geo_projection_flush_entries").record(applied as f64);
        Ok(())
    }
}
