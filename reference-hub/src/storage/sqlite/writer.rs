//! The SQLite write path: one connection on a dedicated thread that binds rows directly into
//! prepared, cached statements.
//!
//! Each batch's acknowledgement waits for one durable transaction that appends only sequential rows:
//! the journal entries, their event bodies (`event_bodies`, keyed by journal position: each body
//! written once, here), the nonces, and one *outbox* row holding the batch's projection rows
//! (payments, events, participants, trust lines, debts). The projection tables are random-keyed
//! B-trees, so writing them per batch dirtied ~16 pages per payment; instead the thread applies the
//! pending projections every flush interval (or at [`FLUSH_ENTRIES`] waiting entries, or on demand),
//! where each dirty page absorbs many rows, and deletes their outbox rows in the same transaction.
//! After a crash the outbox still holds whatever was not applied, and opening the store applies it
//! before anything else reads.
//!
//! A flush is applied in chunks of at most [`CHUNK_ROWS`] rows, one transaction each, and the
//! thread takes the next waiting journal batch between two chunks: one thread does both, so a
//! flush of everything at once held every acknowledgement behind it (20–28 flushes over 50 ms per
//! 15 s open-loop run in BENCHMARKS.md); now a batch waits for one chunk at most. A chunk's commit
//! is not synced (`synchronous = NORMAL` for it): it only copies rows whose outbox row is durable and
//! deletes that outbox row in the same transaction, so losing it in a crash loses nothing (the
//! restart applies the outbox again), and the next journal commit syncs the log up to it anyway.
//!
//! Readers see every acknowledged change: [`SqliteWriter::settle`] waits until the projections
//! pending when it asked are applied (the store calls it before each projection read). Reads,
//! migrations and the small auth writes stay on the async pool; SQLite serialises writers itself
//! (`BEGIN IMMEDIATE` plus a busy timeout).

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};
use tokio::sync::oneshot;

use super::file_identity::FileIdentity;
use crate::engine::records::PaymentRecord;
use crate::storage::{
    last_per_key, DebtRow, ParticipantRow, PersistBatch, Projection, StorageError, TrustLineRow,
    WriterLock,
};

/// Pending projections are applied as soon as this many journal entries wait for theirs (or when
/// the flush interval has passed, or a reader asks).
pub const FLUSH_ENTRIES: usize = 8192;

/// At most this many projection rows are applied in one transaction (a chunk; a larger batch is a
/// chunk of its own), so a flush delays the next journal batch by one chunk at most. Smaller chunks
/// rewrite the same B-tree pages more often: 1,024 rows cost 16 % more CPU and twice the bytes
/// written per payment (BENCHMARKS.md, "Load generator").
pub const CHUNK_ROWS: usize = 4096;

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
    pending: VecDeque<(i64, Projection, usize)>,
    pending_entries: Arc<AtomicUsize>,
    last_flush: Instant,
    interval: Duration,
    /// A flush has begun and goes on, chunk by chunk, until nothing is pending.
    flushing: bool,
    /// Readers waiting until the projections up to an outbox id are applied.
    settling: Vec<(i64, Answer<Result<(), StorageError>>)>,
    /// The connection may still commit without syncing (a chunk failed before restoring `FULL`):
    /// no journal batch is written until it is restored.
    relaxed: bool,
    /// Held until the thread stops: no other hub writes meanwhile.
    lock: Option<WriterLock>,
    /// The files the connection writes, compared after each journal commit.
    files: FileIdentity,
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
            pending: VecDeque::new(),
            pending_entries: pending.clone(),
            last_flush: Instant::now(),
            interval,
            flushing: false,
            settling: Vec::new(),
            relaxed: false,
            lock: Some(lock),
            files: FileIdentity::of(path),
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

    /// Waits until every projection pending now is applied, so a read that follows sees every
    /// acknowledged change.
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
            let busy = self.flushing || !self.settling.is_empty();
            let job = if busy {
                // Between two chunks: a waiting batch goes first, else the next chunk.
                match rx.try_recv() {
                    Ok(job) => Some(job),
                    Err(mpsc::TryRecvError::Empty) => None,
                    Err(mpsc::TryRecvError::Disconnected) => return self.stop(None),
                }
            } else if self.pending.is_empty() {
                match rx.recv() {
                    Ok(job) => Some(job),
                    Err(_) => return self.stop(None),
                }
            } else {
                match rx.recv_timeout(self.interval.saturating_sub(self.last_flush.elapsed())) {
                    Ok(job) => Some(job),
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        self.flushing = true;
                        None
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return self.stop(None),
                }
            };
            match job {
                Some(Job::Persist(mut batch, done)) => {
                    let result = self.persist(&mut batch);
                    let _ = done.send((batch, result));
                    if self.pending_entries.load(Ordering::SeqCst) >= FLUSH_ENTRIES
                        || self.last_flush.elapsed() >= self.interval
                    {
                        self.flushing = !self.pending.is_empty();
                    }
                }
                Some(Job::Settle(done)) => match self.pending.back() {
                    Some(&(last, _, _)) => self.settling.push((last, done)),
                    None => {
                        let _ = done.send(Ok(()));
                    }
                },
                Some(Job::Close(done)) => return self.stop(Some(done)),
                None => {}
            }
            if self.flushing || !self.settling.is_empty() {
                self.step();
            }
        }
    }

    /// Applies one chunk, answers the readers it satisfies, and ends the flush when nothing is
    /// left. After a failure the flush stops (the rows stay in the outbox; the next interval
    /// retries) and every waiting reader gets the error.
    fn step(&mut self) {
        match self.apply_chunk() {
            Ok(applied) => {
                let mut i = 0;
                while i < self.settling.len() {
                    if self.settling[i].0 <= applied {
                        let (_, done) = self.settling.swap_remove(i);
                        let _ = done.send(Ok(()));
                    } else {
                        i += 1;
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "applying projections failed; they stay in the outbox and are retried");
                for (_, done) in self.settling.drain(..) {
                    let _ = done.send(Err(copy(&e)));
                }
                self.flushing = false;
                self.last_flush = Instant::now();
            }
        }
        if self.pending.is_empty() {
            self.flushing = false;
            self.last_flush = Instant::now();
        }
    }

    /// Applies everything pending, answers whoever waits, and ends the thread.
    fn stop(mut self, done: Option<Answer<Result<(), StorageError>>>) {
        let flushed = self.flush();
        for (_, waiting) in self.settling.drain(..) {
            let _ = waiting.send(flushed.as_ref().map(|_| ()).map_err(copy));
        }
        if let Err(e) = &flushed {
            tracing::error!(error = %e, "applying projections failed; they stay in the outbox and are applied at the next start");
        }
        // Unlocked before the answer, so a hub started right after close finds it free.
        drop(self.lock.take());
        if let Some(done) = done {
            let _ = done.send(flushed);
        }
    }

    fn persist(&mut self, b: &mut PersistBatch) -> Result<(), StorageError> {
        if self.relaxed {
            self.conn.pragma_update(None, "synchronous", "FULL")?;
            self.relaxed = false;
        }
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
        {
            // Appended in journal order (the table's key is its rowid).
            let mut st =
                tx.prepare_cached("INSERT INTO event_bodies (journal_seq, data) VALUES (?1, ?2)")?;
            for (seq, data) in b.bodies() {
                st.execute(params![seq as i64, data])?;
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
        // A commit into a file no longer at its path is not durable for the next start: not answered.
        self.files.check()?;
        if let Some(id) = outbox {
            // Counted before the caller is answered, so any read after the answer settles first.
            self.pending_entries
                .fetch_add(b.entries.len().max(1), Ordering::SeqCst);
            self.pending
                .push_back((id, projection, b.entries.len().max(1)));
        }
        Ok(())
    }

    /// Loads projections a previous run left in the outbox and applies them.
    fn recover(&mut self) -> Result<(), StorageError> {
        let mut st = self
            .conn
            .prepare("SELECT id, rows FROM projection_outbox ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut pending = VecDeque::new();
        for row in rows {
            let (id, text) = row?;
            let projection: Projection =
                serde_json::from_str(&text).map_err(|e| StorageError::Corrupt {
                    seq: 0,
                    why: format!("projection outbox row {id}: {e}"),
                })?;
            pending.push_back((id, projection, 1));
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

    /// Applies every pending projection, chunk after chunk.
    fn flush(&mut self) -> Result<(), StorageError> {
        while !self.pending.is_empty() {
            self.apply_chunk()?;
        }
        self.last_flush = Instant::now();
        Ok(())
    }

    /// Applies the oldest pending projections, at most [`CHUNK_ROWS`] rows of them (at least one
    /// batch), and removes their outbox rows, in one transaction; returns the last outbox id applied.
    fn apply_chunk(&mut self) -> Result<i64, StorageError> {
        let take = chunk_len(self.pending.iter().map(|(_, p, _)| p.rows()), CHUNK_ROWS);
        let Some(&(last_id, _, _)) = self.pending.get(take.wrapping_sub(1)) else {
            return Ok(0);
        };
        // Not synced on commit: see the module documentation.
        self.relaxed = true;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let applied = self.apply(take, last_id);
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.relaxed = false;
        applied?;
        let entries: usize = self.pending.drain(..take).map(|(_, _, n)| n).sum();
        self.pending_entries.fetch_sub(entries, Ordering::SeqCst);
        metrics::histogram!("geo_projection_flush_entries").record(entries as f64);
        Ok(last_id)
    }

    /// Writes the projections of the first `take` pending batches and deletes their outbox rows
    /// (ids up to `last_id`), in one transaction.
    fn apply(&mut self, take: usize, last_id: i64) -> Result<(), StorageError> {
        let started = Instant::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let pending = || self.pending.iter().take(take).map(|(_, p, _)| p);
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
            // Only in outbox rows an older hub left (see `Projection::bodies`).
            let mut st =
                tx.prepare_cached("INSERT INTO event_bodies (journal_seq, data) VALUES (?1, ?2)")?;
            for (seq, data) in pending().flat_map(|p| p.bodies.iter()) {
                st.execute(params![*seq as i64, data.as_str()])?;
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
        metrics::histogram!("geo_projection_flush_seconds").record(started.elapsed().as_secs_f64());
        Ok(())
    }
}

/// How many of the oldest batches, of `rows` rows each, make the next chunk: as many as fit in
/// `limit` rows, and at least one (a batch is never split: its outbox row goes at once).
fn chunk_len(rows: impl Iterator<Item = usize>, limit: usize) -> usize {
    let mut total = 0;
    let mut n = 0;
    for r in rows {
        if n > 0 && total + r > limit {
            break;
        }
        total += r;
        n += 1;
    }
    n
}

/// The same failure for one more waiting reader (the error types are not `Clone`).
fn copy(e: &StorageError) -> StorageError {
    match e {
        StorageError::Sqlite(rusqlite::Error::SqliteFailure(code, msg)) => {
            StorageError::Sqlite(rusqlite::Error::SqliteFailure(*code, msg.clone()))
        }
        other => StorageError::Writer(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::chunk_len;

    #[test]
    fn a_chunk_takes_whole_batches_up_to_the_limit_and_at_least_one() {
        assert_eq!(chunk_len([].into_iter(), 10), 0);
        assert_eq!(chunk_len([4, 4, 4].into_iter(), 10), 2);
        assert_eq!(chunk_len([4, 6, 1].into_iter(), 10), 2);
        assert_eq!(chunk_len([30, 1].into_iter(), 10), 1);
        assert_eq!(chunk_len([1, 1, 1].into_iter(), 10), 3);
    }
}
