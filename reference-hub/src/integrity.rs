//! Comparing the ledger rebuilt from the stored journal (`recovery::replay`) with the live ledger
//! (`/admin/integrity`).

use std::sync::Arc;

use geo_api::IntegrityReport;
use tokio::sync::RwLock;

use crate::engine::Engine;
use crate::storage::Store;

/// Replays storage and compares it with the live ledger.
pub async fn verify_integrity(store: &Store, engine: &Arc<RwLock<Engine>>) -> IntegrityReport {
    let mut problems = Vec::new();
    let replayed = match crate::recovery::replay(store).await {
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
