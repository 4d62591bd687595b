//! Rebuilding the ledger from the stored journal, and comparing that rebuild with the live ledger
//! (`/admin/integrity`, `geo-hub check`, backups).

use std::sync::Arc;

use geo_api::IntegrityReport;
use tokio::sync::RwLock;

use crate::engine::state::Ledger;
use crate::engine::Engine;
use crate::storage::{StorageError, Store};

/// Why a journal did not rebuild a sound ledger.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// Storage failed, or the hash chain is broken.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The replayed state breaks an invariant.
    #[error("integrity: {0}")]
    Invariant(String),
}

/// Replays the journal from `store` into a fresh ledger (checking the hash chain), and checks invariants.
pub async fn replay(store: &Store) -> Result<Ledger, ReplayError> {
    let mut ledger = Ledger::new();
    store
        .replay(|entry| {
            ledger.apply(&entry);
            Ok(())
        })
        .await?;
    ledger.check_invariants().map_err(ReplayError::Invariant)?;
    Ok(ledger)
}

/// Replays storage and compares it with the live ledger.
pub async fn verify_integrity(store: &Store, engine: &Arc<RwLock<Engine>>) -> IntegrityReport {
    let mut problems = Vec::new();
    let replayed = match replay(store).await {
        Ok(l) => Some(l),
        Err(e) => {
            problems.push(e.to_string());
            None
        }
    };
    let engine = engine.read().await;
    let live = engine.ledger();
    if let Err(e) = live.check_invariants() {
        problems.push(format!("live ledger: {e}"));
    }
    if let Some(r) = &replayed {
        if r.last_hash != live.last_hash {
            problems.push("the live ledger and the stored journal end at different entries".into());
        }
        for (code, book) in &live.books {
            match r.books.get(code) {
                Some(b)
                    if b.balances == book.balances
                        && b.reserved == book.reserved
                        && b.lines.len() == book.lines.len() => {}
                _ => problems.push(format!("{code}: live state differs from the journal")),
            }
        }
    }
    IntegrityReport {
        status: if problems.is_empty() {
            "ok".into()
        } else {
            "violated".into()
        },
        journal_entries: live.last_seq,
        head_hash: live.last_hash.map(|h| h.to_string()),
        problems,
    }
}
