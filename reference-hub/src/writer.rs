//! The single writer: drains commands in batches, applies them to the engine in order, signs the
//! batch's payment and clearing receipts and serialises its events' bodies off the engine's lock and
//! out of its serial loop, persists each batch in one transaction (group commit), and only then
//! answers and publishes events. Applying the
//! next batch overlaps with persisting the previous one, so readers may see a change a few
//! milliseconds before it is acknowledged, but nothing is acknowledged before it is durable. If a
//! batch cannot be persisted nobody in it (or after it) is answered with success and the writer stops:
//! memory is ahead of the database, so the process must restart and rebuild from the journal.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use geo_api::EventKind;
use geo_protocol::{
    Amount, EquivalentCode, Identity, Pid, Precision, PublicKey, Signature, Timestamp, TxId,
};
use tokio::sync::{broadcast, mpsc, oneshot, watch, RwLock};

use crate::clock::Clock;
use crate::engine::journal::JournalSetOff;
use crate::engine::ledger::{Idx, Touched};
use crate::engine::records::{PaymentRecord, PaymentState};
use crate::engine::{event_body, receipt};
use crate::engine::{Command, Effects, Engine, EngineError, EngineResult, Reply};
use crate::storage::{
    DebtRow, FailureKind, JournalStore, ParticipantRow, PersistBatch, StorageError, StoredEvent,
    TrustLineRow,
};

/// The wall clock, for request handling outside the writer (the writer reads its [`Clock`]).
pub use crate::clock::{moment, now};

/// Longest the writer sleeps without a command (it then expires due holds).
const WAKE: Duration = Duration::from_secs(30);

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
    failed: Arc<watch::Sender<bool>>,
    corruption: Corruption,
}

/// Set once when the database reported damaged data to the writer ([`FailureKind::Corruption`]):
/// the hub must stop rather than resume.
pub type Corruption = Arc<std::sync::OnceLock<String>>;

impl WriterHandle {
    /// Submits a command and waits until its outcome is durable.
    pub async fn submit(&self, command: Command) -> EngineResult<Reply> {
        let (reply, rx) = oneshot::channel();
        if self.has_failed() || self.tx.send(Job { command, reply }).await.is_err() {
            return Err(EngineError::Unavailable("the hub is not accepting changes"));
        }
        rx.await
            .unwrap_or(Err(EngineError::Unavailable("the change was not recorded")))
    }

    /// Submits commands side by side in the queue (so they usually share one batch and its one
    /// commit) and waits until each outcome is durable; the outcomes come in the commands' order.
    pub async fn submit_all(&self, commands: Vec<Command>) -> Vec<EngineResult<Reply>> {
        let unavailable = || Err(EngineError::Unavailable("the hub is not accepting changes"));
        if commands.is_empty() {
            return Vec::new();
        }
        let permits = match self.has_failed() {
            true => None,
            false => self.tx.reserve_many(commands.len()).await.ok(),
        };
        let Some(permits) = permits else {
            return commands.iter().map(|_| unavailable()).collect();
        };
        let mut answers = Vec::with_capacity(commands.len());
        for (command, permit) in commands.into_iter().zip(permits) {
            let (reply, rx) = oneshot::channel();
            permit.send(Job { command, reply });
            answers.push(rx);
        }
        let mut out = Vec::with_capacity(answers.len());
        for rx in answers {
            out.push(
                rx.await
                    .unwrap_or(Err(EngineError::Unavailable("the change was not recorded"))),
            );
        }
        out
    }

    /// True once the writer has stopped after a storage failure.
    pub fn has_failed(&self) -> bool {
        *self.failed.borrow()
    }

    /// Stops the writer as a storage failure would: nothing more is acknowledged (the hub lost its
    /// writer lock, so its memory may no longer be the database's).
    pub fn fail(&self) {
        self.failed.send_replace(true);
    }

    /// Resolves once the writer has stopped after a storage failure.
    pub async fn failure(&self) {
        let mut failed = self.failed.subscribe();
        let _ = failed.wait_for(|f| *f).await;
    }

    /// What the database said when it reported damaged data to the writer, if it did: such a
    /// failure stops the hub instead of an in-process resumption ([`crate::outage`]).
    pub fn corruption(&self) -> Option<&str> {
        self.corruption.get().map(String::as_str)
    }
}

/// Writer settings.
#[derive(Debug, Clone)]
pub struct WriterConfig {
    /// Most commands applied per batch.
    pub max_batch: usize,
    /// Queue length before submitters wait.
    pub queue: usize,
    /// Journal entries between ledger checkpoints (0: none, not even at a graceful stop).
    pub checkpoint_every: u64,
    /// The journal position of the newest checkpoint (0: none).
    pub last_checkpoint: u64,
}

/// A ledger snapshot taken between batches, stored once its batch is durable.
struct Snapshot {
    seq: u64,
    journal_hash: geo_protocol::Digest,
    bytes: Vec<u8>,
    at: Timestamp,
}

impl Snapshot {
    /// The engine's snapshot if a checkpoint is due (at a stop, `force`, for anything new).
    fn due(
        engine: &Engine,
        config: &WriterConfig,
        last: &mut u64,
        force: bool,
        at: Timestamp,
    ) -> Option<Snapshot> {
        let ledger = engine.ledger();
        let every = config.checkpoint_every;
        // At a stop, only a journal of at least one interval gets one: a shorter one replays fast,
        // and a start from the first entry re-verifies every entry's hash.
        let due = every > 0
            && ledger.last_seq > *last
            && (ledger.last_seq - *last >= every || (force && ledger.last_seq >= every));
        if !due {
            return None;
        }
        let started = std::time::Instant::now();
        let bytes = ledger.snapshot();
        metrics::histogram!("geo_checkpoint_snapshot_seconds")
            .record(started.elapsed().as_secs_f64());
        *last = ledger.last_seq;
        tracing::info!(
            seq = ledger.last_seq,
            bytes = bytes.len(),
            millis = started.elapsed().as_millis() as u64,
            "ledger snapshot taken for a checkpoint"
        );
        Some(Snapshot {
            seq: ledger.last_seq,
            journal_hash: ledger.last_hash?,
            bytes,
            at,
        })
    }
}

/// Starts the writer. It runs until every handle is dropped (then drains and stops) or storage fails.
pub fn spawn<S: JournalStore>(
    clock: Arc<dyn Clock>,
    engine: Arc<RwLock<Engine>>,
    store: S,
    keys: KeyRegistry,
    events: broadcast::Sender<Arc<StoredEvent>>,
    next_event_id: u64,
    config: WriterConfig,
) -> (WriterHandle, tokio::task::JoinHandle<Result<(), String>>) {
    let (tx, rx) = mpsc::channel(config.queue);
    let failed = Arc::new(watch::Sender::new(false));
    let corruption = Corruption::default();
    let handle = WriterHandle {
        tx,
        failed: failed.clone(),
        corruption: corruption.clone(),
    };
    let task = tokio::spawn(run(
        clock,
        engine,
        store,
        keys,
        events,
        next_event_id,
        config,
        rx,
        failed,
        corruption,
    ));
    (handle, task)
}

/// An event a journal entry tells a participant, its body not serialised yet.
pub(crate) struct Told {
    /// The event's id (its position in every stream).
    pub id: u64,
    /// The journal entry it comes from.
    pub seq: u64,
    /// Who is told.
    pub pid: Pid,
    /// Its body (a clearing's without its receipt until [`seal_events`]).
    pub event: EventKind,
}

/// A committed clearing whose receipt is to be signed (noted by the ledger as
/// `Touched::ClearingCommitted`).
pub(crate) struct ClearingToSign {
    seq: u64,
    clearing_id: TxId,
    equivalent: EquivalentCode,
    set_offs: Vec<JournalSetOff>,
    precision: Precision,
    at: Timestamp,
}

/// Events as stored: each clearing's receipt signed once and put into the bodies of its events,
/// then each entry's body serialised once (`event_body::data_text`) and shared by its events: every
/// party an entry tells gets the same body, only the kind differs (`Ledger::evolve`). The writer's
/// signing stage runs it for each batch, the event-bodies upgrade for each replayed entry.
pub(crate) fn seal_events(
    hub: &Identity,
    told: Vec<Told>,
    clearings: &[ClearingToSign],
) -> Vec<StoredEvent> {
    let receipts: HashMap<u64, String> = clearings
        .iter()
        .map(|c| {
            let signed = receipt::clearing_receipt(
                hub,
                c.clearing_id,
                &c.equivalent,
                &c.set_offs,
                c.precision,
                c.at,
                c.seq,
            );
            (c.seq, signed)
        })
        .collect();
    let mut body: Option<(u64, Arc<str>)> = None;
    told.into_iter()
        .map(|mut t| {
            if let EventKind::ClearingCommitted { receipt, .. } = &mut t.event {
                *receipt = receipts.get(&t.seq).cloned();
            }
            let data = match &body {
                Some((seq, data)) if *seq == t.seq => {
                    debug_assert_eq!(
                        **data,
                        *event_body::data_text(&t.event),
                        "an entry tells every party the same body (entry {seq})"
                    );
                    data.clone()
                }
                _ => {
                    let data: Arc<str> = event_body::data_text(&t.event).into();
                    body = Some((t.seq, data.clone()));
                    data
                }
            };
            StoredEvent {
                id: t.id,
                kind: t.event.name().to_owned(),
                data,
                pid: t.pid,
                journal_seq: t.seq,
            }
        })
        .collect()
}

/// Sorts what a ledger noted into the events it tells (numbered after `next_event_id`) and the
/// clearings whose receipts they carry; the rows it noted are left to the caller.
pub(crate) fn told_of(
    touched: Vec<(u64, Touched)>,
    next_event_id: &mut u64,
    mut rest: impl FnMut(u64, Touched),
) -> (Vec<Told>, Vec<ClearingToSign>) {
    let (mut told, mut clearings) = (Vec::new(), Vec::new());
    for (seq, t) in touched {
        match t {
            Touched::Told(pid, event) => {
                *next_event_id += 1;
                told.push(Told {
                    id: *next_event_id,
                    seq,
                    pid,
                    event,
                });
            }
            Touched::ClearingCommitted {
                clearing_id,
                equivalent,
                set_offs,
                precision,
                at,
            } => clearings.push(ClearingToSign {
                seq,
                clearing_id,
                equivalent,
                set_offs,
                precision,
                at,
            }),
            other => rest(seq, other),
        }
    }
    (told, clearings)
}

/// A batch applied in memory, waiting to be made durable and answered.
struct Pending {
    batch: PersistBatch,
    /// The events its entries tell (stored in `batch.events` by the signing stage).
    told: Vec<Told>,
    /// The clearings it committed, whose receipts the signing stage signs.
    clearings: Vec<ClearingToSign>,
    new_keys: Vec<(Pid, PublicKey)>,
    replies: Vec<(oneshot::Sender<EngineResult<Reply>>, EngineResult<Reply>)>,
    prune_before: Option<Timestamp>,
    checkpoint: Option<Snapshot>,
}

#[allow(clippy::too_many_arguments)]
async fn run<S: JournalStore>(
    clock: Arc<dyn Clock>,
    engine: Arc<RwLock<Engine>>,
    store: S,
    keys: KeyRegistry,
    events: broadcast::Sender<Arc<StoredEvent>>,
    mut next_event_id: u64,
    config: WriterConfig,
    mut rx: mpsc::Receiver<Job>,
    failed: Arc<watch::Sender<bool>>,
    corruption: Corruption,
) -> Result<(), String> {
    // Pipelining: while the persister makes batch k durable, the signer signs batch k+1's receipts
    // and the writer applies batch k+2 in memory. Replies go out only from the persister, in order,
    // after their own batch is durable.
    let hub = Arc::new(engine.read().await.hub_identity().clone());
    let (ptx, srx) = mpsc::channel::<Pending>(1);
    let (stx, prx) = mpsc::channel::<Pending>(1);
    tokio::spawn(sign_loop(hub, srx, stx));
    // The journal head known durable (acknowledged), for forgetting payments kept in memory.
    let durable = Arc::new(AtomicU64::new(engine.read().await.ledger().last_seq));
    let persister = tokio::spawn(persist_loop(
        store.clone(),
        keys,
        events,
        failed.clone(),
        corruption.clone(),
        durable.clone(),
        prx,
    ));
    let mut last_prune = clock.now();
    let mut last_checkpoint = config.last_checkpoint;
    let mut failure = failed.subscribe();
    loop {
        if *failed.borrow() {
            break;
        }
        let wake = engine.read().await.next_hold_expiry();
        let sleep = match wake {
            // Exactly until the deadline's second begins: a hold lapses neither early nor a second
            // late. At most [`WAKE`]: after the clock steps forward, due holds lapse within it.
            Some(at) => clock.moment().until(at).min(WAKE),
            None => WAKE,
        };
        let first = tokio::select! {
            job = rx.recv() => match job {
                Some(job) => Some(job),
                None => break,
            },
            _ = tokio::time::sleep(sleep) => None,
            _ = failure.wait_for(|f| *f) => break,
        };
        let mut jobs: Vec<Job> = first.into_iter().collect();
        while jobs.len() < config.max_batch {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        // Payments the commands name that the engine no longer keeps in memory are looked up in
        // storage first (the engine refuses to decide on a payment it was not told about).
        let asked = engine
            .read()
            .await
            .payments_to_look_up(jobs.iter().map(|j| &j.command));
        let found = if asked.is_empty() {
            Ok(Vec::new())
        } else {
            // A lookup stuck on a database cut off by the network ends with the writer.
            tokio::select! {
                found = store.payments_by_id(&asked) => found,
                _ = failure.wait_for(|f| *f) => break,
            }
        };
        let found = match found {
            Ok(found) => found,
            Err(e) => {
                tracing::error!(error = %e, "looking up payments failed; the batch is refused");
                if e.kind() == FailureKind::Corruption {
                    let _ = corruption.set(e.to_string());
                    failed.send_replace(true);
                }
                for job in jobs {
                    let _ = job.reply.send(Err(EngineError::Unavailable(
                        "the hub could not read its payments",
                    )));
                }
                continue;
            }
        };
        let mut fx = Effects::default();
        let mut replies = Vec::with_capacity(jobs.len());
        let mut guard = engine.write().await;
        guard.looked_up(
            &asked,
            found
                .into_iter()
                .map(|p| (p.tx_id, p.payer, p.payload_digest, p.status)),
        );
        let apply_started = std::time::Instant::now();
        let t = clock.now();
        if guard.next_hold_expiry().is_some_and(|at| at <= t) {
            if let Err(e) = guard.execute(Command::ExpireHolds, t, &mut fx) {
                tracing::error!(%e, "expiring holds failed");
            }
        }
        for job in jobs {
            let result = guard.execute(job.command, clock.moment(), &mut fx);
            replies.push((job.reply, result));
        }
        let prune_before = (t.unix() - last_prune.unix() > 60).then(|| {
            guard.forget_expired_nonces(t);
            last_prune = t;
            t
        });
        let (batch, told, clearings, new_keys) = build_batch(&guard, fx, &mut next_event_id);
        let checkpoint = Snapshot::due(&guard, &config, &mut last_checkpoint, false, t);
        let forget = guard.payments_over_capacity();
        drop(guard);
        metrics::histogram!("geo_batch_apply_seconds")
            .record(apply_started.elapsed().as_secs_f64());
        if forget {
            // Every payment acknowledged by now gets its row; then the older half is forgotten.
            let head = durable.load(Ordering::SeqCst);
            match store.settle().await {
                Ok(()) => engine.write().await.forget_projected_payments(head),
                Err(e) => {
                    tracing::warn!(error = %e, "applying projections failed; payments stay in memory")
                }
            }
        }
        if ptx
            .send(Pending {
                batch,
                told,
                clearings,
                new_keys,
                replies,
                prune_before,
                checkpoint,
            })
            .await
            .is_err()
        {
            break;
        }
    }
    // A graceful stop leaves a checkpoint at the journal's end: the next start replays nothing.
    if !*failed.borrow() {
        let engine = engine.read().await;
        let checkpoint = Snapshot::due(&engine, &config, &mut last_checkpoint, true, clock.now());
        drop(engine);
        if checkpoint.is_some() {
            let _ = ptx
                .send(Pending {
                    batch: PersistBatch::default(),
                    told: Vec::new(),
                    clearings: Vec::new(),
                    new_keys: Vec::new(),
                    replies: Vec::new(),
                    prune_before: None,
                    checkpoint,
                })
                .await;
        }
    }
    drop(ptx);
    persister.await.map_err(|e| e.to_string())?
}

/// Signs the receipts of each batch's decided payments and committed clearings and serialises its
/// events' bodies, in order, between the writer and the persister: Ed25519 signing (the larger part
/// of a payment's cost in the writer) and serialisation stay off the engine's lock and out of the
/// writer's serial loop, and still happen before the batch is stored.
async fn sign_loop(hub: Arc<Identity>, mut rx: mpsc::Receiver<Pending>, tx: mpsc::Sender<Pending>) {
    while let Some(mut p) = rx.recv().await {
        if p.batch.payments.iter().any(unsigned) || !p.told.is_empty() {
            let hub = hub.clone();
            p = match tokio::task::spawn_blocking(move || {
                if p.batch.payments.iter().any(unsigned) {
                    sign_receipts(&hub, &mut p);
                }
                let told = std::mem::take(&mut p.told);
                p.batch.events = seal_events(&hub, told, &std::mem::take(&mut p.clearings));
                p
            })
            .await
            {
                Ok(p) => p,
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            };
        }
        if tx.send(p).await.is_err() {
            break;
        }
    }
}

/// A decided payment whose receipt is not signed yet.
fn unsigned(r: &PaymentRecord) -> bool {
    r.receipt_signature.is_none() && r.status != PaymentState::Prepared
}

/// Signs the batch's receipts (on every core for a large batch) and gives each reply its signature
/// and the receipt's text, written with the signed bytes (so the answer does not write it again).
fn sign_receipts(hub: &Identity, p: &mut Pending) {
    let payments = &mut p.batch.payments;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = payments.len().div_ceil(cores).max(SIGNED_PER_THREAD);
    let sign = |part: &mut [PaymentRecord]| {
        let mut texts = Vec::new();
        for r in part.iter_mut().filter(|r| unsigned(r)) {
            if let Some((signature, text)) = receipt::sign_payment_receipt_text(hub, r) {
                r.receipt_signature = Some(signature);
                texts.push(((r.tx_id, r.journal_seq), text));
            }
        }
        texts
    };
    let texts: Vec<((TxId, u64), String)> = if payments.len() <= chunk {
        sign(payments)
    } else {
        // The first part is signed on this thread, the others on threads of their own.
        std::thread::scope(|s| {
            let mut parts = payments.chunks_mut(chunk);
            let first = parts.next().expect("more payments than one part");
            let others: Vec<_> = parts.map(|part| s.spawn(move || sign(part))).collect();
            let mut texts = sign(first);
            for t in others {
                texts.extend(t.join().expect("signing does not panic"));
            }
            texts
        })
    };
    // A reply's record is a copy of the batch's record with the same id and journal position.
    let signed: HashMap<(TxId, u64), Signature> = payments
        .iter()
        .filter_map(|r| Some(((r.tx_id, r.journal_seq), r.receipt_signature?)))
        .collect();
    let mut texts: HashMap<(TxId, u64), String> = texts.into_iter().collect();
    for (_, result) in &mut p.replies {
        if let Ok(Reply::Payment(r, text)) = result {
            if r.receipt_signature.is_none() {
                let key = (r.tx_id, r.journal_seq);
                r.receipt_signature = signed.get(&key).copied();
                *text = texts.remove(&key);
            }
        }
    }
}

/// Below this many receipts per core a batch is signed on one thread (a thread costs more).
const SIGNED_PER_THREAD: usize = 32;

/// Makes batches durable in order, then answers them and publishes their events. After a failure it
/// answers everything with `E_UNAVAILABLE`: memory is ahead of storage and the hub must restart.
async fn persist_loop<S: JournalStore>(
    store: S,
    keys: KeyRegistry,
    events: broadcast::Sender<Arc<StoredEvent>>,
    failed: Arc<watch::Sender<bool>>,
    corruption: Corruption,
    durable: Arc<AtomicU64>,
    mut rx: mpsc::Receiver<Pending>,
) -> Result<(), String> {
    let mut outcome = Ok(());
    while let Some(p) = rx.recv().await {
        let Pending {
            mut batch,
            told: _,
            clearings: _,
            new_keys,
            replies,
            prune_before,
            checkpoint,
        } = p;
        if outcome.is_ok() && *failed.borrow() {
            // Stopped from outside (the writer lock was lost): another hub may be writing.
            outcome = Err("the writer was stopped".to_owned());
        }
        if outcome.is_ok() && !(batch.entries.is_empty() && batch.nonces.is_empty()) {
            let started = std::time::Instant::now();
            // Stopped from outside while its commit hangs (the database cut off by the network):
            // the batch's outcome is unknown, and its callers are answered now, not when the
            // connection gives up.
            let mut stopped = failed.subscribe();
            let (persisted, result) = tokio::select! {
                persisted = store.persist(batch) => persisted,
                _ = stopped.wait_for(|stopped| *stopped) => (
                    PersistBatch::default(),
                    Err(StorageError::Writer(
                        "the writer was stopped with this batch being persisted".into(),
                    )),
                ),
            };
            batch = persisted;
            if let Err(e) = result {
                let kind = e.kind();
                if kind == FailureKind::Corruption {
                    let _ = corruption.set(e.to_string());
                }
                metrics::counter!("geo_storage_failures_total", "kind" => kind.code()).increment(1);
                failed.send_replace(true);
                tracing::error!(error = %e, kind = kind.code(), "persisting a batch failed; the writer stops and nothing in the batch is acknowledged");
                outcome = Err(e.to_string());
            } else if let Some(last) = batch.entries.last() {
                durable.fetch_max(last.seq, Ordering::SeqCst);
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
        if let Some(snapshot) = checkpoint {
            store_checkpoint(&store, snapshot).await;
        }
    }
    outcome
}

/// Stores a checkpoint whose journal entry is durable; a failure only costs a longer next start.
async fn store_checkpoint<S: JournalStore>(store: &S, s: Snapshot) {
    let started = std::time::Instant::now();
    let Snapshot {
        seq,
        journal_hash,
        bytes,
        at,
    } = s;
    let made = tokio::task::spawn_blocking(move || {
        crate::recovery::checkpoint_at(seq, journal_hash, bytes, at)
    })
    .await;
    let result = match made {
        Ok(c) => store
            .write_checkpoint(&c, crate::recovery::CHECKPOINTS_KEPT)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match result {
        Ok(()) => {
            metrics::histogram!("geo_checkpoint_seconds").record(started.elapsed().as_secs_f64());
            tracing::info!(seq, "checkpoint stored");
        }
        Err(e) => {
            tracing::warn!(seq, error = %e, "storing a checkpoint failed; the next start replays more")
        }
    }
}

/// A batch's rows, its events (bodies not serialised yet), its clearings and its new keys.
type Built = (
    PersistBatch,
    Vec<Told>,
    Vec<ClearingToSign>,
    Vec<(Pid, PublicKey)>,
);

/// Turns a batch's effects into rows: what the ledger noted each entry touched, read back from the
/// (already updated) ledger, and the events it noted with their bodies (numbered here, serialised
/// by the signing stage). Rows name participants by PID; the ledger's indices stop here.
fn build_batch(engine: &Engine, fx: Effects, next_event_id: &mut u64) -> Built {
    let ledger = engine.ledger();
    let mut batch = PersistBatch {
        nonces: fx.nonces,
        payments: fx.payments,
        ..Default::default()
    };
    let mut new_keys = Vec::new();
    let mut debts: BTreeSet<(EquivalentCode, Idx, Idx)> = BTreeSet::new();
    let mut participants: BTreeSet<Idx> = BTreeSet::new();
    let mut rows = Vec::new();
    let (told, clearings) = told_of(fx.touched, next_event_id, |seq, t| rows.push((seq, t)));
    for (seq, touched) in rows {
        match touched {
            Touched::Registered(idx) => {
                let p = &ledger.participants[idx as usize];
                new_keys.push((p.pid.clone(), p.public_key));
                participants.insert(idx);
            }
            Touched::Participant(idx) => {
                participants.insert(idx);
            }
            Touched::Line(code, c, d) => {
                let book = &ledger.books[&code];
                // Closed again later in the batch: the closing's row says so.
                let Some(line) = book.lines.get(&(c, d)) else {
                    continue;
                };
                batch.trust_lines.push(TrustLineRow {
                    id: line.id.to_string(),
                    creditor: ledger.pid(c).to_string(),
                    debtor: ledger.pid(d).to_string(),
                    equivalent: code.to_string(),
                    limit: Amount::from_minor(line.limit, book.precision).to_string(),
                    policy: serde_json::to_string(&line.policy).expect("policy serialises"),
                    status: "active".into(),
                    journal_seq: seq,
                });
            }
            Touched::LineClosed(code, id, c, d) => {
                batch.trust_lines.push(TrustLineRow {
                    id: id.to_string(),
                    creditor: ledger.pid(c).to_string(),
                    debtor: ledger.pid(d).to_string(),
                    equivalent: code.to_string(),
                    limit: "0".into(),
                    policy: "{}".into(),
                    status: "closed".into(),
                    journal_seq: seq,
                });
            }
            Touched::Debt(code, a, b) => {
                debts.insert((code, a.min(b), a.max(b)));
            }
            Touched::Told(..) | Touched::ClearingCommitted { .. } => {}
        }
    }
    let seq = ledger.last_seq;
    for idx in participants {
        let p = &ledger.participants[idx as usize];
        batch.participants.push(ParticipantRow {
            pid: p.pid.to_string(),
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
    for (code, lo, hi) in debts {
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
    batch.entries = fx.entries;
    (batch, told, clearings, new_keys)
}
