//! What idempotency needs to know of payments, kept bounded: the payments of the last few batches
//! (and any looked up) in memory, every older one in storage's `payments` table.
//!
//! The engine decides a resend (same payer and payload: the stored outcome; anything else under
//! the same `tx_id`: a conflict) and a hold's commit or abort from a payment's payer, payload digest
//! and state. Keeping that for every payment ever made cost ≈ 53 B each in memory and in every
//! checkpoint (≈ 530 MB at 10 M payments). Instead payments stay here up to a capacity; beyond it
//! the writer makes storage apply its pending projections (so every row up to the journal head it
//! read before is in the `payments` table, not just durable in the journal's outbox) and the older
//! half is forgotten. Before each batch the writer looks up in storage the `tx_id`s its commands
//! name that are not here. A held payment is always known from its hold, which the ledger keeps.
//!
//! An engine that saw every journal entry from the first and never forgot any ("complete": a new
//! hub, a test, the simulation) needs no lookups. Otherwise a payment command whose `tx_id` is
//! neither here nor looked up is refused as an internal error, never taken for a new payment.

use std::collections::{HashMap, HashSet, VecDeque};

use geo_protocol::{Digest, TxId};

use super::journal::{JournalEntry, JournalEvent};
use super::ledger::{Idx, Ledger, PaymentState};

/// Payments kept in memory by default: a few seconds of the hub's throughput (≈ 5 MB).
pub const RECENT_PAYMENTS: usize = 65_536;

/// What the engine remembers of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentIndex {
    /// Payer.
    pub payer: Idx,
    /// Digest of the signed request payload.
    pub payload_digest: Digest,
    /// State.
    pub state: PaymentState,
}

/// A payment's index with the journal position of its latest event (0: read from storage).
#[derive(Debug, Clone, Copy)]
struct Known {
    index: PaymentIndex,
    seq: u64,
}

/// Recent payments, with what the last lookup in storage found absent.
#[derive(Debug)]
pub struct RecentPayments {
    capacity: usize,
    known: HashMap<TxId, Known>,
    /// `(seq, tx_id)` in the order they were noted; stale pairs (a later event) are skipped.
    order: VecDeque<(u64, TxId)>,
    /// Looked up before this batch and not in storage.
    absent: HashSet<TxId>,
    /// The journal position after those noted one by one from the first entry.
    noted_next: u64,
    /// True once any payment was forgotten.
    forgot: bool,
}

impl RecentPayments {
    /// An empty memory.
    pub fn new(capacity: usize) -> Self {
        RecentPayments {
            capacity: capacity.max(1),
            known: HashMap::new(),
            order: VecDeque::new(),
            absent: HashSet::new(),
            noted_next: 1,
            forgot: false,
        }
    }

    /// Payments held in memory.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// True when none are.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// True when every payment of a journal ending at `last_seq` is in memory (absence means a
    /// new `tx_id`): every entry from the first was noted and nothing was forgotten.
    pub fn is_complete(&self, last_seq: u64) -> bool {
        !self.forgot && self.noted_next == last_seq + 1
    }

    /// Notes the payment a journal entry records (if it records one).
    pub fn note(&mut self, entry: &JournalEntry, ledger: &Ledger) {
        if entry.seq == self.noted_next {
            self.noted_next += 1;
        }
        let (tx_id, payer, payload_digest, state) = match &entry.event {
            JournalEvent::PaymentPrepared {
                tx_id,
                payer,
                payload_digest,
                ..
            } => (tx_id, payer, payload_digest, PaymentState::Prepared),
            JournalEvent::PaymentCommitted {
                tx_id,
                payer,
                payload_digest,
                ..
            } => (tx_id, payer, payload_digest, PaymentState::Committed),
            JournalEvent::PaymentAborted {
                tx_id,
                payer,
                payload_digest,
                ..
            } => (tx_id, payer, payload_digest, PaymentState::Aborted),
            _ => return,
        };
        let Some(&payer) = ledger.by_pid.get(payer) else {
            return;
        };
        let index = PaymentIndex {
            payer,
            payload_digest: *payload_digest,
            state,
        };
        self.insert(*tx_id, index, entry.seq);
    }

    /// Notes the payment of an entry a start replays, keeping the newest half of the capacity once
    /// it is full. Payments replayed are known even when their rows lag behind the journal (a
    /// batch an earlier writer committed after this one read the projection outbox): a resend of
    /// one is never taken for a new payment. The older ones forgotten here were projected before
    /// the replay began.
    pub fn note_replayed(&mut self, entry: &JournalEntry, ledger: &Ledger) {
        self.note(entry, ledger);
        if self.over_capacity() {
            self.forget_projected(u64::MAX);
        }
    }

    fn insert(&mut self, tx_id: TxId, index: PaymentIndex, seq: u64) {
        self.absent.remove(&tx_id);
        self.known.insert(tx_id, Known { index, seq });
        self.order.push_back((seq, tx_id));
    }

    /// The payment if it is in memory.
    pub fn get(&self, tx_id: &TxId) -> Option<PaymentIndex> {
        self.known.get(tx_id).map(|k| k.index)
    }

    /// True when the last lookup found no such payment in storage.
    pub fn looked_up_absent(&self, tx_id: &TxId) -> bool {
        self.absent.contains(tx_id)
    }

    /// Every payment in memory.
    pub fn iter(&self) -> impl Iterator<Item = (&TxId, &PaymentIndex)> {
        self.known.iter().map(|(t, k)| (t, &k.index))
    }

    /// Takes what a lookup in storage answered for `asked`: the payments found (already projected,
    /// so they may be forgotten again at once), and the others as absent until the next lookup.
    pub fn looked_up(&mut self, asked: &[TxId], found: Vec<(TxId, PaymentIndex)>) {
        self.absent.clear();
        self.absent.extend(asked.iter().copied());
        for (tx_id, index) in found {
            // A payment in memory is at least as new as its row: keep it.
            if self.known.contains_key(&tx_id) {
                self.absent.remove(&tx_id);
                continue;
            }
            self.insert(tx_id, index, 0);
        }
    }

    /// True when more payments are in memory than its capacity: time to make storage apply its
    /// pending rows and forget the older half ([`RecentPayments::forget_projected`]).
    pub fn over_capacity(&self) -> bool {
        self.known.len() > self.capacity
    }

    /// Forgets the oldest payments, down to half the capacity, among those whose rows storage has
    /// applied (journal positions up to `projected`); a payment whose row may be pending stays.
    pub fn forget_projected(&mut self, projected: u64) {
        let keep = self.capacity / 2;
        while self.known.len() > keep {
            let Some(&(seq, tx_id)) = self.order.front() else {
                break;
            };
            if self.known.get(&tx_id).map(|k| k.seq) != Some(seq) {
                // A later event about it was noted behind: this pair is stale.
                self.order.pop_front();
                continue;
            }
            if seq > projected {
                break;
            }
            self.order.pop_front();
            self.known.remove(&tx_id);
            self.forgot = true;
        }
        // Stale pairs would otherwise pile up while the memory stays under its capacity.
        if self.order.len() > 2 * self.capacity.max(self.known.len()) {
            let known = &self.known;
            self.order
                .retain(|(seq, tx)| known.get(tx).is_some_and(|k| k.seq == *seq));
        }
    }
}
