//! A warm standby: while it waits for the writer lock, a standby keeps its own copy of the ledger
//! current by reading the journal the active hub appends (read-only, beside it: no lock, nothing
//! written), so a takeover replays only the entries appended since its last read instead of the
//! journal since the newest checkpoint.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::engine::journal::genesis_hash;
use crate::engine::ledger::Ledger;
use crate::recovery::{RecoveryError, Replaying, Restored};
use crate::storage::Store;

/// The followed ledger and the read-only store it is read from.
pub struct Follower {
    url: String,
    store: Option<Store>,
    ledger: Option<Ledger>,
    /// The journal position followed so far (for `/healthz`).
    followed: Arc<AtomicU64>,
}

impl Follower {
    /// A follower of the journal at `url`, which has read nothing yet.
    pub fn new(url: String) -> Follower {
        Follower {
            url,
            store: None,
            ledger: None,
            followed: Arc::default(),
        }
    }

    /// The journal position followed so far, shared.
    pub fn followed(&self) -> Arc<AtomicU64> {
        self.followed.clone()
    }

    /// Reads what the active hub appended since the last call (the first call restores the ledger
    /// as a start does). A failure is logged, and the next call starts over.
    pub async fn follow(&mut self) {
        if let Err(e) = self.read().await {
            tracing::warn!(error = %e, "standby: following the journal failed; starting over");
            self.store = None;
            self.ledger = None;
        }
    }

    async fn read(&mut self) -> Result<(), RecoveryError> {
        if self.store.is_none() {
            self.store = Some(Store::open_read_only(&self.url).await?);
        }
        let store = self.store.as_ref().expect("opened above");
        match &mut self.ledger {
            Some(ledger) => {
                let hash = ledger.last_hash.unwrap_or_else(genesis_hash);
                store
                    .replay_after(ledger.last_seq, hash, |entry| {
                        ledger.apply(&entry);
                        Ok(())
                    })
                    .await?;
            }
            None => self.ledger = Some(crate::recovery::restore(store).await?.ledger),
        }
        let seq = self.ledger.as_ref().map_or(0, |l| l.last_seq);
        self.followed.store(seq, Ordering::Relaxed);
        Ok(())
    }

    /// The followed ledger brought to the journal's end on `store` (the writer's, just locked),
    /// with every invariant checked; `None` when nothing was followed or it cannot be used (then the
    /// caller restores as a cold start does).
    pub async fn take_over(self, store: &Store) -> Option<Restored> {
        let ledger = self.ledger?;
        let from = ledger.last_seq;
        let hash = ledger.last_hash.unwrap_or_else(genesis_hash);
        // Only the entries caught up here are noted: the followed ones' rows are looked up.
        let mut replaying = Replaying::new(ledger);
        let caught_up = store
            .replay_after(from, hash, |entry| {
                replaying.apply(&entry);
                Ok(())
            })
            .await;
        let Replaying { ledger, payments } = replaying;
        let last = match caught_up {
            Ok(last) => last,
            Err(e) => {
                tracing::warn!(error = %e, "standby: the followed ledger cannot be brought up to date");
                return None;
            }
        };
        if let Err(e) = ledger.check_invariants() {
            tracing::warn!(error = %e, "standby: the followed ledger breaks an invariant");
            return None;
        }
        let checkpoint = store.checkpoints().await.ok()?.first().map(|c| c.seq);
        Some(Restored {
            ledger,
            checkpoint,
            replayed: last - from,
            ignored: Vec::new(),
            payments,
        })
    }
}
