//! Clearing inside the engine: a local pass over short cycles right after each committed payment,
//! applying a set-off computed elsewhere (the optimal pass runs off the writer, on a snapshot) only
//! when it is still valid against the current debts, and consent proposals for debts whose creditor
//! has not consented in advance.

use std::collections::{BTreeMap, BTreeSet};

use geo_clearing::{Debt, LocalClearer};
use geo_protocol::{
    ClearingConsent, ClearingDecision, EquivalentCode, ErrorCode, SignedMessage, Timestamp, TxId,
};

use super::error::{EngineError, EngineResult};
use super::journal::{JournalEvent, JournalSetOff};
use super::ledger::Idx;
use super::receipt;
use super::{Effects, Engine, Reply};

/// A set-off on one debt: `(debtor, creditor, minor units)`.
pub type SetOff = (Idx, Idx, u64);

/// Where a proposal stands after a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    /// Waiting for more consents.
    Open,
    /// The last consent arrived and the clearing applied.
    Committed,
    /// A creditor refused: the proposal closed.
    Rejected,
    /// Everyone accepted, but a debt changed meanwhile: the proposal closed without effect.
    Stale,
}

impl ProposalStatus {
    /// Its wire name (`ConsentOutcome.status`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Open => "open",
            ProposalStatus::Committed => "committed",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Stale => "stale",
        }
    }
}

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

    /// Debts that may go into a proposal: backed by a live line and not refused at their current amount.
    pub fn proposal_candidates(&self, code: &EquivalentCode) -> Vec<Debt> {
        let Some(book) = self.ledger.books.get(code) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (&(lo, hi), &b) in &book.balances {
            let (d, c, amount) = if b > 0 {
                (lo, hi, b as u64)
            } else {
                (hi, lo, b.unsigned_abs() as u64)
            };
            let refused = book.declined.get(&(d, c)) == Some(&amount);
            if amount > 0 && book.lines.contains_key(&(c, d)) && !refused {
                out.push(Debt::new(d, c, amount));
            }
        }
        out.sort_by_key(|d| (d.debtor, d.creditor));
        out
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
        if let Err(e) = self.check_set_offs(code, &set_offs, true) {
            tracing::error!(%e, "local clearing produced an invalid set-off; not applied");
            let pairs: Vec<(Idx, Idx)> = set_offs.iter().map(|&(d, c, _)| (d, c)).collect();
            self.ledger.refresh(code, &pairs);
            return;
        }
        self.emit_clearing(code, &set_offs, now, fx, None);
    }

    /// Checks a set-off against the current state: every amount within the current debt, not needed
    /// by a held payment reserved on the opposite arc, and backed by a live line (with `require_auto`, a line that consents in advance), and every net position unchanged.
    pub fn check_set_offs(
        &self,
        code: &EquivalentCode,
        set_offs: &[SetOff],
        require_auto: bool,
    ) -> EngineResult<()> {
        let book = self
            .ledger
            .books
            .get(code)
            .ok_or_else(|| EngineError::UnknownEquivalent(code.clone()))?;
        let mut net: BTreeMap<Idx, i128> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for &(d, c, amount) in set_offs {
            if amount == 0 || d == c || !seen.insert((d, c)) {
                return Err(EngineError::SetOffMalformed);
            }
            if amount > book.debt(d, c) {
                return Err(EngineError::DebtChanged);
            }
            if amount as i128 > book.capacity(c, d) {
                return Err(EngineError::DebtReserved);
            }
            if !book.lines.contains_key(&(c, d)) {
                return Err(EngineError::LineGone);
            }
            if require_auto && !book.auto_clearing(d, c) {
                return Err(EngineError::ConsentWithdrawn);
            }
            *net.entry(d).or_default() += amount as i128;
            *net.entry(c).or_default() -= amount as i128;
        }
        if net.values().any(|v| *v != 0) {
            return Err(EngineError::NetChanged);
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
    ) -> EngineResult<ClearingSummary> {
        self.check_set_offs(code, set_offs, true)?;
        if set_offs.is_empty() {
            return Err(EngineError::NothingToClear);
        }
        Ok(self.emit_clearing(code, set_offs, now, fx, None))
    }

    /// Proposes a clearing (or applies it at once when every creditor consents in advance).
    pub(super) fn propose(
        &mut self,
        code: &EquivalentCode,
        set_offs: &[SetOff],
        ttl: i64,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let book = self
            .ledger
            .books
            .get(code)
            .ok_or_else(|| EngineError::UnknownEquivalent(code.clone()))?;
        if book.proposal.is_some() {
            return Err(EngineError::ProposalAlreadyOpen);
        }
        if set_offs.is_empty() {
            return Err(EngineError::NothingToClear);
        }
        self.check_set_offs(code, set_offs, false)?;
        let book = &self.ledger.books[code];
        let required: BTreeSet<Idx> = set_offs
            .iter()
            .filter(|(d, c, _)| !book.auto_clearing(*d, *c))
            .map(|(_, c, _)| *c)
            .collect();
        if required.is_empty() {
            return Ok(Reply::Clearing(
                self.emit_clearing(code, set_offs, now, fx, None),
            ));
        }
        let clearing_id = TxId::random();
        let event = JournalEvent::ClearingProposed {
            clearing_id,
            equivalent: code.clone(),
            set_offs: self.journal_set_offs(set_offs),
            consent_required_from: required
                .iter()
                .map(|i| self.ledger.pid(*i).clone())
                .collect(),
            expires_at: now.plus_seconds(ttl),
        };
        self.emit(fx, now, event);
        self.keep_open_proposals();
        Ok(Reply::Proposed(clearing_id))
    }

    /// A creditor's answer to an open proposal; the last acceptance commits it if it is still valid.
    pub(super) fn consent(
        &mut self,
        msg: SignedMessage<ClearingConsent>,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let p = msg.payload().clone();
        let signer = self.known(msg.signer())?;
        let (code, proposal) = self
            .ledger
            .books
            .iter()
            .find_map(|(code, b)| {
                b.proposal
                    .as_ref()
                    .filter(|pr| pr.id == p.clearing_id)
                    .map(|pr| (code.clone(), pr.clone()))
            })
            .ok_or(EngineError::ProposalClosed(p.clearing_id))?;
        // The consent must name this exact proposal: the digest of the hub-signed proposal message.
        let expected = self.proposals.get(&proposal.id).map(|s| s.digest);
        if expected != Some(p.proposal_digest) {
            return Err(EngineError::ProposalDigestMismatch {
                expected: expected.ok_or_else(|| {
                    EngineError::internal("an open proposal has no signed message")
                })?,
            });
        }
        if !proposal.required.contains(&signer) {
            return Err(EngineError::ConsentNotAsked);
        }
        // A proposal lapses at its expiry, as holds do: an answer in that very second is too late.
        if proposal.expires_at <= now {
            self.close_proposal(&code, proposal.id, ErrorCode::Expired, now, fx);
            return Err(EngineError::ProposalExpired);
        }
        self.check_nonce(msg.signer(), &msg.envelope().nonce)?;
        self.record_nonce(fx, &msg);
        let accepted = p.decision == ClearingDecision::Accept;
        let event = JournalEvent::ClearingConsented {
            clearing_id: proposal.id,
            equivalent: code.clone(),
            pid: msg.signer().clone(),
            accepted,
            message: msg.to_json(),
        };
        self.emit(fx, now, event);
        if !accepted {
            self.close_proposal(&code, proposal.id, ErrorCode::ProposalClosed, now, fx);
            return Ok(Reply::ProposalStatus(ProposalStatus::Rejected));
        }
        let all = self.ledger.books[&code]
            .proposal
            .as_ref()
            .is_some_and(|pr| pr.accepted == pr.required);
        if !all {
            return Ok(Reply::ProposalStatus(ProposalStatus::Open));
        }
        match self.check_set_offs(&code, &proposal.set_offs, false) {
            Ok(()) => {
                self.emit_clearing(&code, &proposal.set_offs, now, fx, Some(proposal.id));
                Ok(Reply::ProposalStatus(ProposalStatus::Committed))
            }
            Err(_) => {
                self.close_proposal(&code, proposal.id, ErrorCode::Conflict, now, fx);
                Ok(Reply::ProposalStatus(ProposalStatus::Stale))
            }
        }
    }

    /// Signs the proposal of every open proposal and keeps it (at start, and after a new one opens);
    /// forgets the messages of closed ones.
    pub(super) fn keep_open_proposals(&mut self) {
        let open: Vec<TxId> = self
            .ledger
            .books
            .values()
            .filter_map(|b| b.proposal.as_ref().map(|p| p.id))
            .collect();
        self.proposals.retain(|id, _| open.contains(id));
        for book in self.ledger.books.values() {
            if let Some(p) = &book.proposal {
                if !self.proposals.contains_key(&p.id) {
                    let signed = receipt::clearing_proposal(&self.hub, &self.ledger, book, p);
                    self.proposals.insert(p.id, signed);
                }
            }
        }
    }

    fn close_proposal(
        &mut self,
        code: &EquivalentCode,
        id: TxId,
        reason: ErrorCode,
        now: Timestamp,
        fx: &mut Effects,
    ) {
        self.emit(
            fx,
            now,
            JournalEvent::ClearingProposalClosed {
                clearing_id: id,
                equivalent: code.clone(),
                reason,
            },
        );
    }

    /// Closes proposals whose time is up.
    pub(super) fn expire_proposals(&mut self, now: Timestamp, fx: &mut Effects) {
        let due: Vec<(EquivalentCode, TxId)> = self
            .ledger
            .books
            .iter()
            .filter_map(|(code, b)| {
                b.proposal
                    .as_ref()
                    .filter(|p| p.expires_at <= now)
                    .map(|p| (code.clone(), p.id))
            })
            .collect();
        for (code, id) in due {
            self.close_proposal(&code, id, ErrorCode::Expired, now, fx);
        }
    }

    /// The earliest proposal expiry, if any.
    pub fn next_proposal_expiry(&self) -> Option<Timestamp> {
        self.ledger
            .books
            .values()
            .filter_map(|b| b.proposal.as_ref().map(|p| p.expires_at))
            .min()
    }

    fn journal_set_offs(&self, set_offs: &[SetOff]) -> Vec<JournalSetOff> {
        set_offs
            .iter()
            .map(|&(d, c, amount)| JournalSetOff {
                debtor: self.ledger.pid(d).clone(),
                creditor: self.ledger.pid(c).clone(),
                amount,
            })
            .collect()
    }

    fn emit_clearing(
        &mut self,
        code: &EquivalentCode,
        set_offs: &[SetOff],
        now: Timestamp,
        fx: &mut Effects,
        id: Option<TxId>,
    ) -> ClearingSummary {
        let clearing_id = id.unwrap_or_else(TxId::random);
        let total: u128 = set_offs.iter().map(|s| s.2 as u128).sum();
        let event = JournalEvent::ClearingCommitted {
            clearing_id,
            equivalent: code.clone(),
            set_offs: self.journal_set_offs(set_offs),
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
