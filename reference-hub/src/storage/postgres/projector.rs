//! The PostgreSQL write path.
//!
//! Statements bind whole columns as arrays (`INSERT … SELECT * FROM UNNEST(…)`): their text does not
//! depend on the number of rows, so the server parses and plans each once per connection, and a
//! batch costs a handful of round trips however many rows it has.
//!
//! As on SQLite, a batch is acknowledged after one durable transaction that appends the journal
//! entries, their event bodies, the nonces and one outbox row with the batch's projection rows. A [`PgProjector`]
//! applies pending projections on another connection (so journal appends never wait for them) every
//! flush interval, or at once when a reader needs them ([`PgProjector::settle`]), and deletes their
//! outbox rows in the same transaction; opening the store applies whatever a crash left there.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use sqlx::{PgConnection, PgPool, Row};

use crate::storage::writer_lock::{key_halves, HOLDS_LOCK_SQL, HOLD_FOR};
use crate::storage::{last_per_key, PersistBatch, Projection, StorageError, WriterLock};

/// Projections wait for at most this many journal entries before a flush is started.
const FLUSH_ENTRIES: usize = 8192;

/// Applies acknowledged batches' projections behind the journal; cheap to clone.
#[derive(Debug, Clone)]
pub struct PgProjector {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pool: PgPool,
    /// `(outbox id, projection, journal entries)` in batch order.
    pending: Mutex<Vec<(i64, Projection, usize)>>,
    /// Journal entries whose projections are not applied yet.
    pending_entries: AtomicUsize,
    /// One flush at a time, in order.
    flushing: tokio::sync::Mutex<()>,
    /// A size-triggered flush is already on its way (so busy batches do not queue one each).
    flush_scheduled: AtomicBool,
    /// The writer's advisory lock, held until [`PgProjector::close`] (or the process ends).
    lock: tokio::sync::Mutex<Option<WriterLock>>,
    /// The server process of the lock's connection: a flush applies only while it holds the lock.
    lock_pid: Option<i32>,
}

impl PgProjector {
    /// Applies what the outbox holds from an earlier run, then starts the periodic flush. `lock`
    /// (this process is the one writer) is held until [`PgProjector::close`].
    ///
    /// It first waits for any transaction of an earlier writer still holding the journal
    /// ([`fence`]); with a `lease`, one still there after it is ended.
    pub async fn start(
        pool: PgPool,
        interval: Duration,
        lock: WriterLock,
        lease: Option<Duration>,
    ) -> Result<PgProjector, StorageError> {
        // A writer killed with a commit in flight may still have it land after its lock was
        // released (the server drops the lock with the lock's own connection, while another of
        // its connections is still committing). Wait for any such transaction to end before
        // reading the outbox and the journal: otherwise its journal entry is replayed while its
        // payment rows sit unapplied in the outbox, and a resend of that payment, looked up in
        // `payments`, would be taken for a new one and applied twice.
        fence(&pool, lease).await?;
        let rows = sqlx::query("SELECT id, rows FROM projection_outbox ORDER BY id")
            .fetch_all(&pool)
            .await?;
        let mut pending = Vec::with_capacity(rows.len());
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let text: String = row.try_get("rows")?;
            let projection: Projection =
                serde_json::from_str(&text).map_err(|e| StorageError::Corrupt {
                    seq: 0,
                    why: format!("projection outbox row {id}: {e}"),
                })?;
            pending.push((id, projection, 1));
        }
        if !pending.is_empty() {
            tracing::info!(
                batches = pending.len(),
                "applying projections left by the last run"
            );
        }
        let projector = PgProjector {
            inner: Arc::new(Inner {
                pool,
                pending_entries: AtomicUsize::new(pending.len()),
                pending: Mutex::new(pending),
                flushing: tokio::sync::Mutex::new(()),
                flush_scheduled: AtomicBool::new(false),
                lock_pid: lock.backend_pid(),
                lock: tokio::sync::Mutex::new(Some(lock)),
            }),
        };
        projector.flush().await?;
        let weak = Arc::downgrade(&projector.inner);
        tokio::spawn(flush_periodically(weak, interval));
        Ok(projector)
    }

    /// Writes one batch durably (journal, nonces, outbox); its projections follow.
    pub async fn persist(&self, b: &mut PersistBatch) -> Result<(), StorageError> {
        let projection = Projection::take_from(b);
        let mut tx = self.inner.pool.begin().await?;
        write_journal(&mut tx, b).await?;
        // Checked after the journal append, which holds the journal against a next writer's fence
        // until this transaction ends: either the fence runs first (and the lock is already the
        // next writer's), or it waits for this commit. A writer stopped while another took over
        // thus commits nothing once it runs again, even on connections opened after its old ones
        // were ended.
        if !self.holds_lock(&mut tx).await? {
            return Err(StorageError::Writer(
                "the writer lock is lost: the batch is not committed, another hub may be writing"
                    .into(),
            ));
        }
        let outbox = if projection.is_empty() {
            None
        } else {
            let rows = serde_json::to_string(&projection).expect("projection rows serialise");
            let row = sqlx::query("INSERT INTO projection_outbox (rows) VALUES ($1) RETURNING id")
                .bind(rows)
                .fetch_one(&mut *tx)
                .await?;
            Some(row.try_get::<i64, _>("id")?)
        };
        tx.commit().await?;
        if let Some(id) = outbox {
            let entries = b.entries.len().max(1);
            // Counted before the caller is answered, so any read after the answer settles first.
            self.inner
                .pending_entries
                .fetch_add(entries, Ordering::SeqCst);
            self.inner
                .pending
                .lock()
                .expect("pending projections lock")
                .push((id, projection, entries));
            if self.inner.pending_entries.load(Ordering::SeqCst) >= FLUSH_ENTRIES
                && !self.inner.flush_scheduled.swap(true, Ordering::SeqCst)
            {
                let me = self.clone();
                tokio::spawn(async move {
                    me.flush_logged().await;
                    me.inner.flush_scheduled.store(false, Ordering::SeqCst);
                });
            }
        }
        Ok(())
    }

    /// Journal entries acknowledged whose projections are not applied yet.
    pub fn lag(&self) -> u64 {
        self.inner.pending_entries.load(Ordering::SeqCst) as u64
    }

    /// Applies every pending projection, so a read that follows sees every acknowledged change.
    pub async fn settle(&self) -> Result<(), StorageError> {
        if self.inner.pending_entries.load(Ordering::SeqCst) == 0 {
            return Ok(());
        }
        self.flush().await
    }

    async fn flush_logged(&self) {
        if let Err(e) = self.flush().await {
            tracing::error!(error = %e, "applying projections failed; they stay in the outbox and are retried");
        }
    }

    /// True while the writer's advisory lock is not known lost and its connection answers now
    /// (within [`HOLD_FOR`]).
    pub async fn lock_alive(&self) -> bool {
        let conn = match self.inner.lock.lock().await.as_ref() {
            Some(lock @ WriterLock::Postgres(conn, ..)) if !lock.is_lost() => conn.clone(),
            _ => return false,
        };
        let ping = async {
            sqlx::query("SELECT 1")
                .execute(&mut *conn.lock().await)
                .await
        };
        matches!(tokio::time::timeout(HOLD_FOR, ping).await, Ok(Ok(_)))
    }

    /// Resolves once the writer lock is lost, with why ([`WriterLock::lost`]); never once it is
    /// released.
    pub async fn lock_lost(&self) -> String {
        let lost = match self.inner.lock.lock().await.as_ref() {
            Some(lock) => lock.lost(),
            None => return std::future::pending().await,
        };
        lost.await
    }

    /// Gives up the writer lock after a failure, without applying what is pending: the outbox keeps
    /// it for the next writer (this hub once it resumes, or another), and the database may not
    /// answer (a lock known lost is dropped, not released).
    pub async fn abandon(&self) {
        if let Some(lock) = self.inner.lock.lock().await.take() {
            lock.release().await;
        }
    }

    /// True while the lock's connection holds the writer lock, read live in the caller's
    /// transaction (always true for a store that took no lock).
    async fn holds_lock(&self, tx: &mut PgConnection) -> Result<bool, StorageError> {
        let Some(pid) = self.inner.lock_pid else {
            return Ok(true);
        };
        let (high, low) = key_halves();
        Ok(sqlx::query_scalar(HOLDS_LOCK_SQL)
            .bind(pid)
            .bind(high)
            .bind(low)
            .fetch_one(&mut *tx)
            .await?)
    }

    /// Applies what is pending and gives up the writer lock; call once nothing else writes.
    pub async fn close(&self) -> Result<(), StorageError> {
        let flushed = self.flush().await;
        if let Some(lock) = self.inner.lock.lock().await.take() {
            lock.release().await;
        }
        flushed
    }

    /// Applies what is pending now, and removes its outbox rows, in one transaction.
    pub async fn flush(&self) -> Result<(), StorageError> {
        let _one_at_a_time = self.inner.flushing.lock().await;
        let items =
            std::mem::take(&mut *self.inner.pending.lock().expect("pending projections lock"));
        let Some(&(last_id, _, _)) = items.last() else {
            return Ok(());
        };
        let started = Instant::now();
        let result = async {
            let mut tx = self.inner.pool.begin().await?;
            // A writer that lost its lock leaves the outbox to the next writer, which applies it
            // itself: both applying the same rows would fail the second on the events' key. The
            // outbox is locked before the lock is checked, so a next writer's fence waits for
            // this transaction, or this one sees the lock gone.
            sqlx::query("LOCK TABLE projection_outbox IN ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
            if !self.holds_lock(&mut tx).await? {
                return Err(StorageError::Writer(
                    "the writer lock is lost: pending projections are left in the outbox to \
                     the next writer"
                        .into(),
                ));
            }
            let refs: Vec<&Projection> = items.iter().map(|(_, p, _)| p).collect();
            write_projections(&mut tx, &refs).await?;
            sqlx::query("DELETE FROM projection_outbox WHERE id <= $1")
                .bind(last_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StorageError>(())
        }
        .await;
        match result {
            Ok(()) => {
                let applied: usize = items.iter().map(|(_, _, n)| n).sum();
                self.inner
                    .pending_entries
                    .fetch_sub(applied, Ordering::SeqCst);
                metrics::histogram!("geo_projection_flush_seconds")
                    .record(started.elapsed().as_secs_f64());
                metrics::histogram!("geo_projection_flush_entries").record(applied as f64);
                Ok(())
            }
            Err(e) => {
                // Put them back in front of anything that arrived meanwhile, to retry in order.
                let mut pending = self.inner.pending.lock().expect("pending projections lock");
                let later = std::mem::replace(&mut *pending, items);
                pending.extend(later);
                Err(e)
            }
        }
    }
}

/// How long one try of the fence waits before it says who it waits for.
const FENCE_TRY: Duration = Duration::from_secs(1);

/// Waits until no transaction of an earlier writer holds the journal or the projection outbox
/// (`LOCK TABLE … IN SHARE MODE` conflicts with a transaction that appends to or deletes from them). The writer lock is this process's by
/// now, so such a transaction belongs to a writer that lost the lock: a killed one whose commit is
/// still in flight, or one stopped or cut off mid-batch. While it waits it says which sessions hold
/// the journal (at once, then less and less often); with a `lease`, it ends those still there after
/// it (a partitioned writer's sessions are dropped by the server within about 11 s anyway,
/// [`super::session`]).
async fn fence(pool: &PgPool, lease: Option<Duration>) -> Result<(), StorageError> {
    let started = Instant::now();
    let mut quiet = crate::throttle::Throttle::new(started);
    loop {
        let mut tx = pool.begin().await?;
        sqlx::query(&format!(
            "SET LOCAL lock_timeout = '{}ms'",
            FENCE_TRY.as_millis()
        ))
        .execute(&mut *tx)
        .await?;
        match sqlx::query("LOCK TABLE journal, projection_outbox IN SHARE MODE")
            .execute(&mut *tx)
            .await
        {
            Ok(_) => {
                tx.commit().await?;
                return Ok(());
            }
            Err(e) if e.as_database_error().and_then(|d| d.code()).as_deref() == Some("55P03") => {
                drop(tx);
            }
            Err(e) => return Err(e.into()),
        }
        let holders: Vec<(i32, String, String)> = sqlx::query_as(
            "SELECT DISTINCT a.pid, coalesce(a.application_name, ''), \
             coalesce(to_char(a.xact_start AT TIME ZONE 'UTC', 'HH24:MI:SS \"UTC\"'), '') \
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.relation IN ('journal'::regclass, 'projection_outbox'::regclass) AND l.granted \
             AND l.mode <> 'AccessShareLock' AND a.pid <> pg_backend_pid()",
        )
        .fetch_all(pool)
        .await?;
        let said: Vec<String> = holders
            .iter()
            .map(|(pid, name, since)| {
                format!("backend pid {pid} (application_name \"{name}\", in a transaction since {since})")
            })
            .collect();
        let waited = started.elapsed();
        if let Some((waited, _)) = quiet.due(Instant::now()) {
            tracing::warn!(
                waited_s = waited.as_secs(),
                holders = %said.join("; "),
                "the writer waits for an earlier writer's transaction on the journal to end \
                 before it reads the journal; still waiting"
            );
        }
        if lease.is_some_and(|lease| waited > lease) && !holders.is_empty() {
            let pids: Vec<i32> = holders.iter().map(|h| h.0).collect();
            sqlx::query("SELECT pg_terminate_backend(pid) FROM UNNEST($1::int[]) AS t(pid)")
                .bind(&pids)
                .execute(pool)
                .await?;
            tracing::warn!(
                holders = %said.join("; "),
                "an earlier writer's transaction held the journal past the writer lease: its \
                 sessions are ended"
            );
        }
    }
}

async fn flush_periodically(inner: Weak<Inner>, interval: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        let Some(inner) = inner.upgrade() else {
            return;
        };
        let projector = PgProjector { inner };
        if projector.inner.pending_entries.load(Ordering::SeqCst) > 0 {
            projector.flush_logged().await;
        }
    }
}

/// Appends a batch's journal entries, their event bodies and its nonces.
async fn write_journal(tx: &mut PgConnection, b: &PersistBatch) -> Result<(), StorageError> {
    if !b.entries.is_empty() {
        let e = &b.entries;
        sqlx::query(
            "INSERT INTO journal (seq, recorded_at, kind, body, prev_hash, hash) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])",
        )
        .bind(e.iter().map(|e| e.seq as i64).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.at.unix()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.event.kind()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.body()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.prev_hash.to_string()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.hash.to_string()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let (seqs, bodies): (Vec<i64>, Vec<&str>) = b.bodies().map(|(seq, d)| (seq as i64, d)).unzip();
    if !seqs.is_empty() {
        sqlx::query(
            "INSERT INTO event_bodies (journal_seq, data) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[])",
        )
        .bind(seqs)
        .bind(bodies)
        .execute(&mut *tx)
        .await?;
    }
    if !b.nonces.is_empty() {
        let n = &b.nonces;
        sqlx::query(
            "INSERT INTO nonces (signer, nonce, expires_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[]) ON CONFLICT (signer, nonce) DO NOTHING",
        )
        .bind(n.iter().map(|(s, _, _)| s.as_str()).collect::<Vec<_>>())
        .bind(n.iter().map(|(_, n, _)| n.as_str()).collect::<Vec<_>>())
        .bind(n.iter().map(|(_, _, e)| e.unix()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Applies projections, in order, in the caller's transaction.
async fn write_projections(
    tx: &mut PgConnection,
    items: &[&Projection],
) -> Result<(), StorageError> {
    let payments = last_per_key(items.iter().flat_map(|p| &p.payments), |p| p.tx_id);
    if !payments.is_empty() {
        let p = &payments;
        sqlx::query(
            "INSERT INTO payments (tx_id, payer, payee, equivalent, status, created_at, journal_seq, record) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], \
             $7::bigint[], $8::text[]) ON CONFLICT (tx_id) DO UPDATE SET status = excluded.status, \
             journal_seq = excluded.journal_seq, record = excluded.record",
        )
        .bind(p.iter().map(|p| p.tx_id.to_string()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.payer.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.payee.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.equivalent.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.status.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.created_at.unix()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.journal_seq as i64).collect::<Vec<_>>())
        .bind(
            p.iter()
                .map(|p| serde_json::to_string(p).expect("records serialise"))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await?;
    }
    // Only in outbox rows an older hub left (see `Projection::bodies`).
    let bodies: Vec<_> = items.iter().flat_map(|p| &p.bodies).collect();
    if !bodies.is_empty() {
        sqlx::query(
            "INSERT INTO event_bodies (journal_seq, data) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[])",
        )
        .bind(bodies.iter().map(|b| b.0 as i64).collect::<Vec<_>>())
        .bind(bodies.iter().map(|b| b.1.as_str()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let events: Vec<_> = items.iter().flat_map(|p| &p.events).collect();
    if !events.is_empty() {
        let e = &events;
        sqlx::query(
            "INSERT INTO events (id, pid, kind, journal_seq) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[])",
        )
        .bind(e.iter().map(|e| e.0 as i64).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.1.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.2.as_str()).collect::<Vec<_>>())
        .bind(e.iter().map(|e| e.3 as i64).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let participants = last_per_key(items.iter().flat_map(|p| &p.participants), |p| {
        p.pid.clone()
    });
    if !participants.is_empty() {
        let p = &participants;
        sqlx::query(
            "INSERT INTO participants (pid, public_key, display_name, kind, status, profile, journal_seq) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::bigint[]) ON CONFLICT (pid) DO UPDATE SET display_name = excluded.display_name, \
             status = excluded.status, profile = excluded.profile, journal_seq = excluded.journal_seq",
        )
        .bind(p.iter().map(|p| p.pid.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.public_key.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.display_name.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.status.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.profile.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.journal_seq as i64).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let lines = last_per_key(items.iter().flat_map(|p| &p.trust_lines), |l| l.id.clone());
    if !lines.is_empty() {
        let l = &lines;
        sqlx::query(
            "INSERT INTO trust_lines (id, creditor, debtor, equivalent, credit_limit, policy, status, journal_seq) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::text[], $8::bigint[]) ON CONFLICT (id) DO UPDATE SET credit_limit = excluded.credit_limit, \
             policy = excluded.policy, status = excluded.status, journal_seq = excluded.journal_seq",
        )
        .bind(l.iter().map(|l| l.id.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.creditor.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.debtor.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.equivalent.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.limit.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.policy.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.status.as_str()).collect::<Vec<_>>())
        .bind(l.iter().map(|l| l.journal_seq as i64).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    let debts = last_per_key(items.iter().flat_map(|p| &p.debts), |d| {
        (d.equivalent.clone(), d.pair.clone())
    });
    let (live, gone): (Vec<_>, Vec<_>) = debts.into_iter().partition(|d| d.debt.is_some());
    if !live.is_empty() {
        let d = &live;
        let debt = |d: &crate::storage::DebtRow| d.debt.clone().expect("partitioned");
        sqlx::query(
            "INSERT INTO debts (equivalent, pair_lo, pair_hi, debtor, creditor, amount, journal_seq) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::bigint[]) ON CONFLICT (equivalent, pair_lo, pair_hi) DO UPDATE SET debtor = excluded.debtor, \
             creditor = excluded.creditor, amount = excluded.amount, journal_seq = excluded.journal_seq",
        )
        .bind(d.iter().map(|d| d.equivalent.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.pair.0.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.pair.1.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| debt(d).0).collect::<Vec<_>>())
        .bind(d.iter().map(|d| debt(d).1).collect::<Vec<_>>())
        .bind(d.iter().map(|d| debt(d).2).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.journal_seq as i64).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    if !gone.is_empty() {
        let d = &gone;
        sqlx::query(
            "DELETE FROM debts d USING UNNEST($1::text[], $2::text[], $3::text[]) AS g(equivalent, lo, hi) \
             WHERE d.equivalent = g.equivalent AND d.pair_lo = g.lo AND d.pair_hi = g.hi",
        )
        .bind(d.iter().map(|d| d.equivalent.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.pair.0.as_str()).collect::<Vec<_>>())
        .bind(d.iter().map(|d| d.pair.1.as_str()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
