//! The hub's totals for operators: counts by participant status, open holds, and per equivalent the
//! debt outstanding, what clearing has set off and how many payments committed. The counters are kept
//! by [`Ledger::count`] as journal events are applied, so replaying the journal rebuilds them exactly
//! and they only grow (a console derives rates from two samples).

use std::collections::BTreeMap;

use geo_protocol::{EquivalentCode, Precision};

use super::journal::JournalEvent;
use super::ledger::{Ledger, ParticipantStatus};

/// Counters over the whole journal.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counters {
    /// Payments committed, every equivalent.
    pub payments_committed: u64,
    /// Payments that ended with nothing applied (refused, aborted, expired).
    pub payments_aborted: u64,
    /// Per equivalent.
    pub by_equivalent: BTreeMap<EquivalentCode, EquivalentCounters>,
}

/// Counters of one equivalent.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EquivalentCounters {
    /// Payments committed.
    pub payments_committed: u64,
    /// Minor units set off by clearing so far.
    pub cleared: u128,
}

/// A snapshot of the hub's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerStats {
    /// Participants that are active, suspended, and left.
    pub active: u64,
    /// Suspended by the operator.
    pub suspended: u64,
    /// Left for good.
    pub left: u64,
    /// The last journal position.
    pub journal_length: u64,
    /// Prepared payments not yet committed or aborted.
    pub open_holds: u64,
    /// Payments committed, every equivalent.
    pub payments_committed: u64,
    /// Payments ended with nothing applied.
    pub payments_aborted: u64,
    /// Per equivalent, by code.
    pub equivalents: Vec<EquivalentTotals>,
}

/// The totals of one equivalent (amounts in minor units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquivalentTotals {
    /// Code.
    pub code: EquivalentCode,
    /// Decimal places.
    pub precision: Precision,
    /// Usable for new lines and payments.
    pub active: bool,
    /// The sum of every debt now owed.
    pub debt_outstanding: u128,
    /// The sum of every set-off so far.
    pub cleared_to_date: u128,
    /// Payments committed.
    pub payments_committed: u64,
}

impl Ledger {
    /// Updates the counters for one applied journal event.
    pub(crate) fn count(&mut self, event: &JournalEvent) {
        let c = &mut self.counters;
        match event {
            JournalEvent::PaymentCommitted { equivalent, .. } => {
                c.payments_committed += 1;
                c.by_equivalent
                    .entry(equivalent.clone())
                    .or_default()
                    .payments_committed += 1;
            }
            JournalEvent::PaymentAborted { .. } => c.payments_aborted += 1,
            JournalEvent::ClearingCommitted {
                equivalent,
                set_offs,
                ..
            } => {
                c.by_equivalent
                    .entry(equivalent.clone())
                    .or_default()
                    .cleared += set_offs.iter().map(|s| s.amount as u128).sum::<u128>();
            }
            _ => {}
        }
    }

    /// The hub's totals now.
    pub fn stats(&self) -> LedgerStats {
        let by_status = |s: ParticipantStatus| {
            self.participants.iter().filter(|p| p.status == s).count() as u64
        };
        LedgerStats {
            active: by_status(ParticipantStatus::Active),
            suspended: by_status(ParticipantStatus::Suspended),
            left: by_status(ParticipantStatus::Left),
            journal_length: self.last_seq,
            open_holds: self.holds.len() as u64,
            payments_committed: self.counters.payments_committed,
            payments_aborted: self.counters.payments_aborted,
            equivalents: self
                .books
                .values()
                .map(|book| {
                    let counted = self
                        .counters
                        .by_equivalent
                        .get(&book.code)
                        .copied()
                        .unwrap_or_default();
                    EquivalentTotals {
                        code: book.code.clone(),
                        precision: book.precision,
                        active: book.active,
                        debt_outstanding: book.balances.values().map(|b| b.unsigned_abs()).sum(),
                        cleared_to_date: counted.cleared,
                        payments_committed: counted.payments_committed,
                    }
                })
                .collect(),
        }
    }
}
