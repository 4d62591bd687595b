//! Comparing the ledger rebuilt from the stored journal (`recovery::replay`) with the live ledger
//! (`/admin/integrity`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use geo_api::IntegrityReport;
use geo_protocol::{Digest, EquivalentCode};
use tokio::sync::RwLock;

use crate::engine::ledger::{Idx, Ledger};
use crate::engine::Engine;
use crate::storage::Store;

/// How long to wait for the live ledger's last entry to become durable before comparing.
const DURABLE_WITHIN: Duration = Duration::from_secs(10);

/// What is compared of one equivalent: balances, reservations and the number of live lines.
type BookState = (HashMap<(Idx, Idx), i128>, HashMap<(Idx, Idx), u64>, usize);

/// The live ledger at one journal position, copied under the engine's lock.
struct LiveState {
    seq: u64,
    hash: Option<Digest>,
    books: Vec<(EquivalentCode, BookState)>,
}

fn state_of(books: &[(EquivalentCode, BookState)], code: &EquivalentCode) -> Option<BookState> {
    books
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, b)| b.clone())
}

/// Replays storage and compares it with the live ledger, both at the same journal position: the
/// live ledger's as it is asked, whose entries the replay waits for (the writer applies a batch in
/// memory a few milliseconds before it is durable) and stops after (it goes on writing while the
/// replay reads). Comparing "the stored journal now" with "the live ledger now" reported a
/// difference whenever a write fell between the two reads.
pub async fn verify_integrity(store: &Store, engine: &Arc<RwLock<Engine>>) -> IntegrityReport {
    let mut problems = Vec::new();
    let live = {
        let engine = engine.read().await;
        let live = engine.ledger();
        if let Err(e) = live.check_invariants() {
            problems.push(format!("live ledger: {e}"));
        }
        LiveState {
            seq: live.last_seq,
            hash: live.last_hash,
            books: live
                .books
                .iter()
                .map(|(code, b)| {
                    let state = (b.balances.clone(), b.reserved.clone(), b.lines.len());
                    (code.clone(), state)
                })
                .collect(),
        }
    };
    let replayed = match replay_through(store, live.seq).await {
        Ok(l) => Some(l),
        Err(e) => {
            problems.push(e);
            None
        }
    };
    if let Some(r) = &replayed {
        if r.last_seq != live.seq || r.last_hash != live.hash {
            problems.push("the live ledger and the stored journal end at different entries".into());
        }
        for (code, _) in &live.books {
            let stored = r
                .books
                .get(code)
                .map(|b| (b.balances.clone(), b.reserved.clone(), b.lines.len()));
            if stored != state_of(&live.books, code) {
                problems.push(format!("{code}: live state differs from the journal"));
            }
        }
    }
    IntegrityReport {
        status: if problems.is_empty() {
            "ok".into()
        } else {
            "violated".into()
        },
        journal_entries: live.seq,
        head_hash: live.hash.map(|h| h.to_string()),
        problems,
    }
}

/// The ledger replayed from the stored journal through entry `seq`, once that entry is durable.
async fn replay_through(store: &Store, seq: u64) -> Result<Ledger, String> {
    let started = std::time::Instant::now();
    // Entry 0 is the empty journal, stored by definition.
    if seq > 0 {
        loop {
            match store.journal_hash_at(seq).await {
                Ok(Some(_)) => break,
                Ok(None) if started.elapsed() < DURABLE_WITHIN => {
                    tokio::time::sleep(Duration::from_millis(20)).await
                }
                Ok(None) => {
                    return Err(format!(
                        "the live ledger's entry {seq} was not stored within {DURABLE_WITHIN:?}"
                    ))
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    crate::recovery::replay_through(store, seq)
        .await
        .map_err(|e| e.to_string())
}
