//! Clearing inside the engine: a local pass over short cycles right after each committed payment, and
//! applying a set-off computed elsewhere (the optimal pass runs off the writer, on a snapshot) only
//! when it is still valid against the current debts.

use std::collections::BTreeMap;

use geo_clearing::{Debt, LocalClearer};
use geo_protocol::{EquivalentCode, ErrorCode, Timestamp, TxId};

use super::journal::{JournalEvent, JournalSetOff};
use super::state::Idx;
use super::{Effects, Engine};
use crate::error::{HubError, HubResult};

/// A set-off on one debt: `(debtor, creditor, minor units)`.
pub type SetOff = (Idx, Idx, u64);

/// What a clearing did.
#[derive(Debug, Clone, PartialEq)]
pub struct ClearingSummary {
    /// Its id.
    pub clearing_id: TxId,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Total debt removed (minor units, summed over debts).
    pub total: u128,
    /// Debts reduced.
    pub debts: usize,
    /// Journal position.
    pub journal_seq: u64,
}

impl Engine {
    /// The debts that may be cleared now in `code` (creditor consents in advance), for an off-writer solve.
    pub fn clearable_debts(&self, code: &EquivalentCode) -> Vec<Debt> {
        self.ledger
            .books
            .get(code)
            .map(|b| b.clearable.debts())
            .unwrap_or_default()
    }

    /// Runs the local pass through the pairs a payment touched, and records what it cleared.
    pub(super) fn local_clearing(
        &mut self,
        code: &EquivalentCode,
        touched: &[(Idx, Idx)],
        now: Timestamp,
        fx: &mut Effects,
    ) {
        if self.limits.local_cycle_len < 2 || touched.is_empty() {
            return;
        }
        let local = self.local.get_or_insert_with(|| {
            LocalClearer::new(self.limits.local_cycle_len)
                .expect("cycle length >= 2")
                .with_search_budget(20_000)
        });
        let book = self.ledger.books.get_mut(code).expect("known equivalent");
        let result = local.clear_around(&mut book.clearable, touched);
        if result.cycles.is_empty() {
            return;
        }
        let mut offs: BTreeMap<(Idx, Idx), u64> = BTreeMap::new();
        for cycle in &result.cycles {
            let p = &cycle.participants;
            for i in 0..p.len() {
                *offs.entry((p[i], p[(i + 1) % p.len()])).or_default() += cycle.amount;
            }
        }
        let set_offs: Vec<SetOff> = offs.into_iter().map(|((d, c), a)| (d, c, a)).collect();
        // The pass already reduced its own graph; evolve re-syncs it from the balances either way.
        if let Err(e) = self.check_set_offs(code, &set_offs) {
            tracing::error!(%e, "local clearing produced an invalid set-off; not applied");
            self.resync_clearable(code, &set_offs);
            return;
        }
        self.emit_clearing(code, &set_offs, now, fx);
    }

    fn resync_clearable(&mut self, code: &EquivalentCode, set_offs: &[SetOff]) {
        let n = self.ledger.participants.len();
        let by_pid = &self.ledger.by_pid;
        let book = self.ledger.books.get_mut(code).expect("known equivalent");
        for &(d, c, _) in set_offs {
            book.refresh_pair(d, c, by_pid, n);
        }
    }

    /// Checks a set-off against the current state: every amount within the current debt, every creditor
    /// consenting in advance, and every participant's net position unchanged.
    pub fn check_set_offs(&self, code: &EquivalentCode, set_offs: &[SetOff]) -> HubResult<()> {
        let book = self
            .ledger
            .books
            .get(code)
            .ok_or_else(|| HubError::new(ErrorCode::UnknownEquivalent, code.to_string()))?;
        let mut net: BTreeMap<Idx, i128> = BTreeMap::new();
        let mut seen = std::collections::BTreeSet::new();
        for &(d, c, amount) in set_offs {
            if amount == 0 || d == c || !seen.insert((d, c)) {
                return Err(HubError::new(
                    ErrorCode::Validation,
                    "a set-off names each debt once with a positive amount",
                ));
            }
            if amount > book.debt(d, c) {
                return Err(HubError::new(
                    ErrorCode::Conflict,
                    "a debt changed since the clearing was computed",
                ));
            }
            if !book.auto_clearing(d, c) {
                return Err(HubError::new(
                    ErrorCode::Conflict,
                    "a creditor no longer consents to clearing",
                ));
            }
            *net.entry(d).or_default() += amount as i128;
            *net.entry(c).or_default() -= amount as i128;
        }
        if net.values().any(|v| *v != 0) {
            return Err(HubError::new(
                ErrorCode::Validation,
                "the set-off would change a net position",
            ));
        }
        Ok(())
    }

    /// Applies a set-off computed on a snapshot, if it is still valid now (all or nothing).
    pub fn apply_clearing(
        &mut self,
        code: &EquivalentCode,
        set_offs: &[SetOff],
        now: Timestamp,
        fx: &mut Effects,
    ) -> HubResult<ClearingSummary> {
        self.check_set_offs(code, set_offs)?;
        if set_offs.is_empty() {
            return Err(HubError::new(ErrorCode::Conflict, "nothing to clear"));
        }
        Ok(self.emit_clearing(code, set_offs, now, fx))
    }

    fn emit_clearing(
        &mut self,
        code: &EquivalentCode,
        set_offs: &[SetOff],
        now: Timestamp,
        fx: &mut Effects,
    ) -> ClearingSummary {
        let clearing_id = TxId::random();
        let total: u128 = set_offs.iter().map(|s| s.2 as u128).sum();
        let event = JournalEvent::ClearingCommitted {
            clearing_id,
            equivalent: code.clone(),
            set_offs: set_offs
                .iter()
                .map(|&(d, c, amount)| JournalSetOff {
                    debtor: self.ledger.pid(d).clone(),
                    creditor: self.ledger.pid(c).clone(),
                    amount,
                })
                .collect(),
        };
        let journal_seq = self.emit(fx, now, event);
        metrics::counter!("geo_clearings_total").increment(1);
        ClearingSummary {
            clearing_id,
            equivalent: code.clone(),
            total,
            debts: set_offs.len(),
            journal_seq,
        }
    }
}
