//! Rebuilding the ledger from storage: at start from the newest checkpoint that matches the journal
//! plus the entries after it, and in `geo-hub check` from the whole journal, checking every
//! checkpoint against the replay.
//!
//! A checkpoint is used only when its format is this build's, the journal still has its entry with
//! the hash it names (else it is stale: a restored or different journal), its own hash matches its
//! bytes, and the snapshot loads at exactly that position. Any doubt means the next older
//! checkpoint, and in the end a full replay: a checkpoint can make a start faster, never different.

use std::collections::BTreeMap;

use geo_protocol::{Digest, Timestamp};

use crate::engine::journal::JournalEntry;
use crate::engine::ledger::Ledger;
use crate::engine::payments::{RecentPayments, RECENT_PAYMENTS};
use crate::engine::snapshot::{checkpoint_hash, FORMAT};
use crate::storage::{CheckpointHead, NewCheckpoint, StorageError, Store};

/// Checkpoints kept in storage: the newest, and one to fall back on if it turns out unusable.
pub const CHECKPOINTS_KEPT: u32 = 2;

/// Why the ledger could not be rebuilt.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    /// Storage failed, or the journal is corrupt.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The rebuilt ledger breaks an invariant, or a checkpoint disagrees with the replay.
    #[error("integrity: {0}")]
    Integrity(String),
}

/// A ledger rebuilt at start, and how.
#[derive(Debug)]
pub struct Restored {
    /// The ledger at the journal's end.
    pub ledger: Ledger,
    /// The checkpoint it started from (none: from the first entry).
    pub checkpoint: Option<u64>,
    /// Journal entries replayed after it.
    pub replayed: u64,
    /// Checkpoints passed over, with why.
    pub ignored: Vec<(u64, String)>,
    /// The payments of the entries replayed (the newest, up to the engine's memory), known to the
    /// engine from the start: a second guard against taking a resend for a new payment when the
    /// `payments` rows lag behind the journal.
    pub payments: RecentPayments,
}

/// A ledger being rebuilt, with the payments of the entries it replays.
pub struct Replaying {
    /// The ledger so far.
    pub ledger: Ledger,
    /// The payments of the entries applied.
    pub payments: RecentPayments,
}

impl Replaying {
    /// Starts from `ledger` (empty, or a checkpoint's).
    pub fn new(ledger: Ledger) -> Replaying {
        Replaying {
            ledger,
            payments: RecentPayments::new(RECENT_PAYMENTS),
        }
    }

    /// Applies one journal entry and notes its payment.
    pub fn apply(&mut self, entry: &JournalEntry) {
        self.ledger.apply(entry);
        self.payments.note_replayed(entry, &self.ledger);
    }
}

/// The ledger at the journal's end, from the newest usable checkpoint plus the tail (or the whole
/// journal), with every invariant checked.
pub async fn restore(store: &Store) -> Result<Restored, RecoveryError> {
    let mut ignored = Vec::new();
    for head in store.checkpoints().await? {
        let ledger = match load(store, &head).await? {
            Ok(ledger) => ledger,
            Err(why) => {
                tracing::warn!(seq = head.seq, %why, "checkpoint ignored");
                ignored.push((head.seq, why));
                continue;
            }
        };
        let mut replaying = Replaying::new(ledger);
        let last = store
            .replay_after(head.seq, head.journal_hash, |entry| {
                replaying.apply(&entry);
                Ok(())
            })
            .await?;
        match replaying.ledger.check_invariants() {
            Ok(()) => {
                return Ok(Restored {
                    ledger: replaying.ledger,
                    checkpoint: Some(head.seq),
                    replayed: last - head.seq,
                    ignored,
                    payments: replaying.payments,
                })
            }
            Err(e) => {
                let why = format!("the ledger from it breaks an invariant: {e}");
                tracing::warn!(seq = head.seq, %why, "checkpoint ignored");
                ignored.push((head.seq, why));
            }
        }
    }
    let mut replaying = Replaying::new(Ledger::new());
    store
        .replay(|entry| {
            replaying.apply(&entry);
            Ok(())
        })
        .await?;
    replaying
        .ledger
        .check_invariants()
        .map_err(RecoveryError::Integrity)?;
    Ok(Restored {
        replayed: replaying.ledger.last_seq,
        ledger: replaying.ledger,
        checkpoint: None,
        ignored,
        payments: replaying.payments,
    })
}

/// Removes the checkpoints a start found unusable (each was logged with its reason), so they are
/// neither tried again nor kept instead of good ones. Only the writer calls this.
pub async fn forget_ignored(store: &Store, restored: &Restored) -> Result<(), StorageError> {
    for (seq, _) in &restored.ignored {
        store.delete_checkpoint(*seq).await?;
    }
    Ok(())
}

/// Loads a checkpoint's ledger if it can be trusted; `Ok(Err(why))` when it cannot.
async fn load(
    store: &Store,
    head: &CheckpointHead,
) -> Result<Result<Ledger, String>, StorageError> {
    if head.format != i64::from(FORMAT) {
        return Ok(Err(format!(
            "snapshot format {} (this build reads {FORMAT})",
            head.format
        )));
    }
    match store.journal_hash_at(head.seq).await? {
        None => return Ok(Err("stale: the journal has no entry at its position".into())),
        Some(h) if h != head.journal_hash => {
            return Ok(Err(
                "stale: the journal entry at its position has another hash".into(),
            ))
        }
        Some(_) => {}
    }
    let Some(bytes) = store.checkpoint_snapshot(head.seq).await? else {
        return Ok(Err("its snapshot is gone".into()));
    };
    if checkpoint_hash(head.seq, &head.journal_hash, &bytes) != head.hash {
        return Ok(Err("corrupt: its hash does not match its content".into()));
    }
    let ledger = match Ledger::from_snapshot(&bytes) {
        Ok(l) => l,
        Err(e) => return Ok(Err(e.to_string())),
    };
    if ledger.last_seq != head.seq || ledger.last_hash != Some(head.journal_hash) {
        return Ok(Err("its snapshot is of another journal position".into()));
    }
    Ok(Ok(ledger))
}

/// Replays the whole journal into a fresh ledger (checking the hash chain) and checks invariants.
pub async fn replay(store: &Store) -> Result<Ledger, RecoveryError> {
    replay_through(store, u64::MAX).await
}

/// [`replay`] of the entries up to `seq` only (a journal that goes on past it is not an error):
/// the ledger as it stood at that entry.
pub async fn replay_through(store: &Store, seq: u64) -> Result<Ledger, RecoveryError> {
    let mut ledger = Ledger::new();
    store
        .replay(|entry| {
            if entry.seq <= seq {
                ledger.apply(&entry);
            }
            Ok(())
        })
        .await?;
    ledger
        .check_invariants()
        .map_err(RecoveryError::Integrity)?;
    Ok(ledger)
}

/// What `geo-hub check` verified.
#[derive(Debug)]
pub struct Checked {
    /// The ledger replayed from the first entry.
    pub ledger: Ledger,
    /// Checkpoints found equal to the replay at their position.
    pub checkpoints: usize,
}

/// Replays the whole journal and checks every stored checkpoint against the replay at its position.
/// Any checkpoint that is stale, damaged, of another format or different from the replay is an
/// error naming it (a hub would ignore it, but the operator should know).
pub async fn check(store: &Store) -> Result<Checked, RecoveryError> {
    let mut pending: BTreeMap<u64, CheckpointHead> = store
        .checkpoints()
        .await?
        .into_iter()
        .map(|h| (h.seq, h))
        .collect();
    let mut problems = Vec::new();
    // Each stored snapshot must still hash to its checkpoint's hash (its bytes are what a start loads).
    for head in pending.values().cloned().collect::<Vec<_>>() {
        let intact = store
            .checkpoint_snapshot(head.seq)
            .await?
            .is_some_and(|bytes| {
                checkpoint_hash(head.seq, &head.journal_hash, &bytes) == head.hash
            });
        if !intact {
            problems.push(format!(
                "checkpoint at {}: damaged (its snapshot does not match its hash)",
                head.seq
            ));
            pending.remove(&head.seq);
        }
    }
    let mut verified = 0;
    let mut ledger = Ledger::new();
    store
        .replay(|entry| {
            ledger.apply(&entry);
            if let Some(head) = pending.remove(&entry.seq) {
                if head.format != i64::from(FORMAT) {
                    problems.push(format!(
                        "checkpoint at {}: snapshot format {}, this build reads {FORMAT}",
                        head.seq, head.format
                    ));
                } else if head.journal_hash != entry.hash {
                    problems.push(format!(
                        "checkpoint at {}: stale (the journal entry there has another hash)",
                        head.seq
                    ));
                } else if checkpoint_hash(entry.seq, &entry.hash, &ledger.snapshot()) != head.hash {
                    problems.push(format!(
                        "checkpoint at {}: differs from the replayed ledger (or is damaged)",
                        head.seq
                    ));
                } else {
                    verified += 1;
                }
            }
            Ok(())
        })
        .await?;
    ledger
        .check_invariants()
        .map_err(RecoveryError::Integrity)?;
    for seq in pending.keys() {
        problems.push(format!(
            "checkpoint at {seq}: stale (beyond the journal's end, {})",
            ledger.last_seq
        ));
    }
    if !problems.is_empty() {
        return Err(RecoveryError::Integrity(problems.join("; ")));
    }
    Ok(Checked {
        ledger,
        checkpoints: verified,
    })
}

/// The checkpoint of a snapshot taken at journal position `seq`, whose entry hash is `journal_hash`.
pub fn checkpoint_at(
    seq: u64,
    journal_hash: Digest,
    snapshot: Vec<u8>,
    now: Timestamp,
) -> NewCheckpoint {
    NewCheckpoint {
        head: CheckpointHead {
            seq,
            journal_hash,
            format: i64::from(FORMAT),
            hash: checkpoint_hash(seq, &journal_hash, &snapshot),
        },
        snapshot,
        created_at: now,
    }
}

impl From<RecoveryError> for crate::app::StartError {
    fn from(e: RecoveryError) -> Self {
        match e {
            RecoveryError::Storage(e) => crate::app::StartError::Storage(e),
            RecoveryError::Integrity(e) => crate::app::StartError::Integrity(e),
        }
    }
}
