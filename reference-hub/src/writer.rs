//! The single writer: drains commands in batches, applies them to the engine in order, persists each
//! batch in one transaction (group commit), and only then answers and publishes events. Applying the
//! next batch overlaps with persisting the previous one, so readers may see a change a few
//! milliseconds before it is acknowledged, but nothing is acknowledged before it is durable. If a
//! batch cannot be persisted nobody in it (or after it) is answered with success and the writer stops:
//! memory is ahead of the database, so the process must restart and rebuild from the journal.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use geo_protocol::{Amount, EquivalentCode, Pid, PublicKey, Timestamp};
use tokio::sync::{broadcast, mpsc, oneshot, RwLock};

use crate::engine::journal::JournalEvent;
use crate::engine::state::Idx;
use crate::engine::{Command, Effects, Engine, EngineError, EngineResult, Moment, Reply};
use crate::storage::{DebtRow, ParticipantRow, PersistBatch, Store, StoredEvent, TrustLineRow};

/// Wall-clock now as a protocol timestamp (the whole second).
pub fn now() -> Timestamp {
    moment().timestamp()
}

/// Wall-clock now with millisecond resolution (what the engine computes deadlines from).
pub fn moment() -> Moment {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_millis() as i64;
    Moment::from_unix_millis(millis)
}

struct Job {
    command: Command,
    reply: oneshot::Sender<EngineResult<Reply>>,
}

/// Public keys by PID, readable without waiting for the writer (keys never change once registered).
pub type KeyRegistry = Arc<std::sync::RwLock<HashMap<Pid, PublicKey>>>;

/// A handle to submit commands to the writer.
#[derive(Clone)]
pub struct WriterHandle {
    tx: mpsc::Sender<Job>,
    failed: Arc<AtomicBool>,
}

impl WriterHandle {
    /// Submits a command and waits until its outcome is durable.
    pub async fn submit(&self, command: Command) -> EngineResult<Reply> {
        let (reply, rx) = oneshot::channel();
        if self.failed.load(Ordering::Relaxed)
            || self.tx.send(Job { command, reply }).await.is_err()
        {
            return Err(EngineError::Unavailable("the hub is not accepting changes"));
        }
        rx.await
            .unwrap_or_else(|_| Err(EngineError::Unavailable("the change was not recorded")))
    }

    /// True once the writer has stopped after a storage failure.
    pub fn has_failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }
}

/// Writer settings.
#[derive(Debug, Clone)]
pub struct WriterConfig {
    /// Most commands applied per batch.
    pub max_batch: usize,
    /// Queue length before submitters wait.
    pub queue: usize,
}

/// Starts the writer. It runs until every handle is dropped (then drains and stops) or storage fails.
pub fn spawn(
    engine: Arc<RwLock<Engine>>,
    store: Store,
    keys: KeyRegistry,
    events: broadcast::Sender<Arc<StoredEvent>>,
    next_event_id: u64,
    config: WriterConfig,
) -> (WriterHandle, tokio::task::JoinHandle<Result<(), String>>) {
    let (tx, rx) = mpsc::channel(config.queue);
    let failed = Arc::new(AtomicBool::new(false));
    let handle = WriterHandle {
        tx,
        failed: failed.clone(),
    };
    let task = tokio::spawn(run(
        engine,
        store,
        keys,
        events,
        next_event_id,
        config,
        rx,
        failed,
    ));
    (handle, task)
}

/// A batch applied in memory, waiting to be made durable and answered.
struct Pending {
    batch: PersistBatch,
    new_keys: Vec<(Pid, PublicKey)>,
    replies: Vec<(oneshot::Sender<EngineResult<Reply>>, EngineResult<Reply>)>,
    prune_before: Option<Timestamp>,
}

#[allow(clippy::too_many_arguments)]
async fn run(
    engine: Arc<RwLock<Engine>>,
    store: Store,
    keys: KeyRegistry,
    events: broadcast::Sender<Arc<StoredEvent>>,
    mut next_event_id: u64,
    config: WriterConfig,
    mut rx: mpsc::Receiver<Job>,
    failed: Arc<AtomicBool>,
) -> Result<(), String> {
    // Pipelining: while the persister makes batch k durable, the writer applies batch k+1 in memory.
    // Replies go out only from the persister, in order, after their own batch is durable.
    let (ptx, prx) = mpsc::channel::<Pending>(1);
    let persister = tokio::spawn(persist_loop(store, keys, events, failed.clone(), prx));
    let mut last_prune = now();
    loop {
        if failed.load(Ordering::Relaxed) {
            break;
        }
        let wake = engine.read().await.next_hold_expiry();
        let sleep = match wake {
            // Exactly until the deadline's second begins: a hold lapses neither early nor a second late.
            Some(at) => moment().until(at).min(Duration::from_secs(3600)),
            None => Duration::from_secs(30),
        };
        let first = tokio::select! {
            job = rx.recv() => match job {
                Some(job) => Some(job),
                None => break,
            },
            _ = tokio::time::sleep(sleep) => None,
        };
        let mut jobs: Vec<Job> = first.into_iter().collect();
        while jobs.len() < config.max_batch {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let mut fx = Effects::default();
        let mut replies = Vec::with_capacity(jobs.len());
        let mut guard = engine.write().await;
        let apply_started = std::time::Instant::now();
        let t = now();
        if guard.next_hold_expiry().is_some_and(|at| at <= t) {
            if let Err(e) = guard.execute(Command::ExpireHolds, t, &mut fx) {
                tracing::error!(%e, "expiring holds failed");
            }
        }
        for job in jobs {
            let result = guard.execute(job.command, moment(), &mut fx);
            replies.push((job.reply, result));
        }
        let prune_before = (t.unix() - last_prune.unix() > 60).then(|| {
            guard.forget_expired_nonces(t);
            last_prune = t;
            t
        });
        let (batch, new_keys) = build_batch(&guard, fx, &mut next_event_id);
        drop(guard);
        metrics::histogram!("geo_batch_apply_seconds")
            .record(apply_started.elapsed().as_secs_f64());
        if ptx
            .send(Pending {
                batch,
                new_keys,
                replies,
                prune_before,
            })
            .await
            .is_err()
        {
            break;
        }
    }
    drop(ptx);
    persister.await.map_err(|e| e.to_string())?
}

/// Makes batches durable in order, then answers them and publishes their events. After a failure it
/// answers everything with `E_UNAVAILABLE`: memory is ahead of storage and the hub must restart.
async fn persist_loop(
    store: Store,
    keys: KeyRegistry,
    events: broadcast::Sender<Arc<StoredEvent>>,
    failed: Arc<AtomicBool>,
    mut rx: mpsc::Receiver<Pending>,
) -> Result<(), String> {
    let mut outcome = Ok(());
    while let Some(p) = rx.recv().await {
        let Pending {
            mut batch,
            new_keys,
            replies,
            prune_before,
        } = p;
        if outcome.is_ok() && !(batch.entries.is_empty() && batch.nonces.is_empty()) {
            let started = std::time::Instant::now();
            let (persisted, result) = store.persist(batch).await;
            batch = persisted;
            if let Err(e) = result {
                failed.store(true, Ordering::Relaxed);
                tracing::error!(error = %e, "persisting a batch failed; the writer stops and nothing in the batch is acknowledged");
                outcome = Err(e.to_string());
            }
            metrics::histogram!("geo_batch_persist_seconds")
                .record(started.elapsed().as_secs_f64());
            metrics::histogram!("geo_batch_entries").record(batch.entries.len() as f64);
        }
        if outcome.is_err() {
            for (reply, _) in replies {
                let _ = reply.send(Err(EngineError::Unavailable(
                    "the change could not be recorded",
                )));
            }
            continue;
        }
        if !new_keys.is_empty() {
            keys.write().expect("key registry lock").extend(new_keys);
        }
        metrics::counter!("geo_journal_entries_total").increment(batch.entries.len() as u64);
        for (reply, result) in replies {
            let _ = reply.send(result);
        }
        for e in batch.events {
            let _ = events.send(Arc::new(e));
        }
        if let Some(t) = prune_before {
            if let Err(e) = store.prune_nonces(t).await {
                tracing::warn!(%e, "pruning nonces failed");
            }
        }
    }
    outcome
}

/// Turns a batch's effects into rows, reading projections from the (already updated) ledger.
fn build_batch(
    engine: &Engine,
    fx: Effects,
    next_event_id: &mut u64,
) -> (PersistBatch, Vec<(Pid, PublicKey)>) {
    let ledger = engine.ledger();
    let mut batch = PersistBatch {
        nonces: fx.nonces,
        payments: fx.payments,
        ..Default::default()
    };
    let mut new_keys = Vec::new();
    let mut touched: BTreeSet<(EquivalentCode, Idx, Idx)> = BTreeSet::new();
    let mut participants: BTreeSet<Pid> = BTreeSet::new();
    let mut pair = |code: &EquivalentCode, a: &Pid, b: &Pid| {
        let (a, b) = (ledger.by_pid[a], ledger.by_pid[b]);
        touched.insert((code.clone(), a.min(b), a.max(b)));
    };
    for entry in &fx.entries {
        match &entry.event {
            JournalEvent::ParticipantRegistered {
                pid, public_key, ..
            } => {
                new_keys.push((pid.clone(), *public_key));
                participants.insert(pid.clone());
            }
            JournalEvent::ParticipantUpdated { pid, .. }
            | JournalEvent::ParticipantStatusSet { pid, .. } => {
                participants.insert(pid.clone());
            }
            JournalEvent::TrustLineSet {
                line_id,
                creditor,
                debtor,
                equivalent,
                limit,
                policy,
                ..
            } => {
                let precision = ledger.books[equivalent].precision;
                batch.trust_lines.push(TrustLineRow {
                    id: line_id.to_string(),
                    creditor: creditor.to_string(),
                    debtor: debtor.to_string(),
                    equivalent: equivalent.to_string(),
                    limit: Amount::from_minor(*limit, precision).to_string(),
                    policy: serde_json::to_string(policy).expect("policy serialises"),
                    status: "active".into(),
                    journal_seq: entry.seq,
                });
            }
            JournalEvent::TrustLineClosed {
                line_id,
                creditor,
                debtor,
                equivalent,
                ..
            } => {
                batch.trust_lines.push(TrustLineRow {
                    id: line_id.to_string(),
                    creditor: creditor.to_string(),
                    debtor: debtor.to_string(),
                    equivalent: equivalent.to_string(),
                    limit: "0".into(),
                    policy: "{}".into(),
                    status: "closed".into(),
                    journal_seq: entry.seq,
                });
            }
            JournalEvent::PaymentCommitted {
                equivalent, paths, ..
            } => {
                for p in paths {
                    for hop in p.path.windows(2) {
                        pair(equivalent, &hop[0], &hop[1]);
                    }
                }
            }
            JournalEvent::ClearingCommitted {
                equivalent,
                set_offs,
                ..
            } => {
                for s in set_offs {
                    pair(equivalent, &s.debtor, &s.creditor);
                }
            }
            JournalEvent::ClearingProposed { .. }
            | JournalEvent::ClearingConsented { .. }
            | JournalEvent::ClearingProposalClosed { .. }
            | JournalEvent::EquivalentSet { .. }
            | JournalEvent::PaymentPrepared { .. }
            | JournalEvent::PaymentAborted { .. } => {}
        }
    }
    let seq = ledger.last_seq;
    for pid in participants {
        let p = ledger
            .participant(&pid)
            .expect("journaled participant exists");
        batch.participants.push(ParticipantRow {
            pid: pid.to_string(),
            public_key: p.public_key.to_base64(),
            display_name: p.display_name.clone(),
            kind: serde_json::to_value(p.kind)
                .expect("kind")
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            status: p.status.as_str().into(),
            profile: serde_json::to_string(&p.profile).expect("profile"),
            journal_seq: seq,
        });
    }
    for (code, lo, hi) in touched {
        let book = &ledger.books[&code];
        let (lo_pid, hi_pid) = (ledger.pid(lo).to_string(), ledger.pid(hi).to_string());
        let debt = if book.debt(lo, hi) > 0 {
            Some((
                lo_pid.clone(),
                hi_pid.clone(),
                Amount::from_minor(book.debt(lo, hi), book.precision).to_string(),
            ))
        } else if book.debt(hi, lo) > 0 {
            Some((
                hi_pid.clone(),
                lo_pid.clone(),
                Amount::from_minor(book.debt(hi, lo), book.precision).to_string(),
            ))
        } else {
            None
        };
        let pair = if lo_pid < hi_pid {
            (lo_pid, hi_pid)
        } else {
            (hi_pid, lo_pid)
        };
        batch.debts.push(DebtRow {
            equivalent: code.to_string(),
            pair,
            debt,
            journal_seq: seq,
        });
    }
    for n in fx.notifications {
        *next_event_id += 1;
        batch.events.push(StoredEvent {
            id: *next_event_id,
            pid: n.pid,
            kind: n.event.name().to_owned(),
            journal_seq: n.journal_seq,
            event: Some(n.event),
            source: None,
        });
    }
    batch.entries = fx.entries;
    (batch, new_keys)
}
