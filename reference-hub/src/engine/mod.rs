//! The hub's deterministic core: commands are checked against the ledger, produce journal events, and
//! the events are applied in order. No I/O: the writer task drives it and persists what it returns.

pub mod clearing;
pub mod error;
pub mod event_body;
mod federation;
pub mod journal;
pub mod ledger;
pub mod moment;
pub mod network;
pub mod payments;
pub mod queries;
pub mod receipt;
pub mod records;
pub mod snapshot;
pub mod stats;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use geo_protocol::{
    DecimalAmount, Digest, EquivalentCode, ErrorCode, Identity, Nonce, ParticipantRegister,
    ParticipantUpdate, PaymentAbort, PaymentCommit, PaymentRequest, Pid, Precision, SignedMessage,
    Timestamp, TrustLineClose, TrustLineSet, TxId,
};
use geo_routing::{Constraints, NodeId, Router, RoutingError};

pub use error::{EngineError, EngineResult};
use journal::{genesis_hash, JournalEntry, JournalEvent, JournalPath};
use ledger::{Idx, Ledger, LinePolicy, PaymentState};
pub use ledger::{Participant, ParticipantStatus};
pub use moment::Moment;
use records::PaymentRecord;

/// Hub-wide limits the engine enforces.
#[derive(Debug, Clone)]
pub struct EngineLimits {
    /// Hop limit applied when the payer asks for none (and the most it may ask for).
    pub max_hops: u8,
    /// Path limit applied when the payer asks for none (and the most it may ask for).
    pub max_paths: u16,
    /// Longest accepted hold, in seconds.
    pub max_hold_seconds: u32,
    /// Longest cycle the local pass clears after each payment (0 turns the pass off).
    pub local_cycle_len: usize,
    /// Payments kept in memory for idempotency once their rows are in storage ([`payments`]).
    pub recent_payments: usize,
    /// Deliberate protocol violations (conformance suite tests only).
    #[cfg(feature = "fault-injection")]
    pub faults: crate::faults::Faults,
}

impl Default for EngineLimits {
    fn default() -> Self {
        EngineLimits {
            max_hops: 6,
            max_paths: 16,
            max_hold_seconds: 300,
            local_cycle_len: 6,
            recent_payments: payments::RECENT_PAYMENTS,
            #[cfg(feature = "fault-injection")]
            faults: Default::default(),
        }
    }
}

/// A state change the writer asks the engine to make. Signed messages are already verified.
#[derive(Debug)]
pub enum Command {
    /// Operator: create or change an equivalent.
    SetEquivalent {
        /// Code.
        code: EquivalentCode,
        /// Decimal places.
        precision: Precision,
        /// Description.
        description: String,
        /// Usable.
        active: bool,
    },
    /// Operator: set a participant's status.
    SetParticipantStatus {
        /// Whose.
        pid: Pid,
        /// New status.
        status: ParticipantStatus,
        /// Why.
        reason: String,
    },
    /// A participant registers.
    Register(SignedMessage<ParticipantRegister>),
    /// A participant updates its profile.
    UpdateParticipant(SignedMessage<ParticipantUpdate>),
    /// A creditor sets a trust line.
    SetTrustLine(SignedMessage<TrustLineSet>),
    /// A creditor closes a trust line.
    CloseTrustLine(SignedMessage<TrustLineClose>),
    /// A payer pays (or holds).
    Pay(SignedMessage<PaymentRequest>),
    /// A payer commits its held payment.
    CommitHold(SignedMessage<PaymentCommit>),
    /// A payer aborts its held payment.
    AbortHold(SignedMessage<PaymentAbort>),
    /// Ends holds whose time is up.
    ExpireHolds,
    /// Applies a set-off computed on a snapshot, if still valid.
    ApplyClearing {
        /// Unit of account.
        equivalent: EquivalentCode,
        /// `(debtor, creditor, minor units)` per debt.
        set_offs: Vec<clearing::SetOff>,
    },
    /// Proposes a clearing that may need consent (applied at once if it does not).
    ProposeClearing {
        /// Unit of account.
        equivalent: EquivalentCode,
        /// `(debtor, creditor, minor units)` per debt.
        set_offs: Vec<clearing::SetOff>,
        /// Seconds until the proposal lapses.
        ttl_seconds: i64,
    },
    /// A creditor's signed answer to a proposal (its digest already checked by the caller).
    Consent(SignedMessage<geo_protocol::ClearingConsent>),
    /// A linked hub's prepare, verified, with its expiry and condition checked by the caller
    /// (`spec/federation.md` §6): route from the signer's account and commit before `deadline`.
    PayFromHub {
        /// The signed prepare.
        prepare: SignedMessage<geo_protocol::HubPrepare>,
        /// The commit deadline (§5).
        deadline: Timestamp,
    },
    /// A member's payment to a member of a linked hub (`spec/federation.md` §6, upstream): route
    /// from the payer to the peer account and hold it for `hold_seconds`, released only by
    /// [`Command::CommitForHub`] or [`Command::AbortForHub`] (or its expiry).
    PayToHub {
        /// The member's signed request (its `payee_hub` resolved to `peer` by the caller).
        request: SignedMessage<PaymentRequest>,
        /// The peer account of the payee's hub.
        peer: Pid,
        /// How long the hold lasts (its end is the prepare's `hold_until`).
        hold_seconds: u32,
    },
    /// The peer hub's fulfil of a cross-hub hold, verified and matched to its condition by the
    /// caller: commit the hold, journaling the fulfil.
    CommitForHub {
        /// The payment.
        tx_id: TxId,
        /// The hub that fulfilled (the hold's payee).
        peer: Pid,
        /// The signed `hub_fulfil`'s JSON text.
        fulfil: String,
    },
    /// A linked hub's verified `hub_reject` of this hub's fulfilment (stage `fulfil`,
    /// `spec/federation.md` §7): recorded against a payment it committed here as the payee's hub.
    RecordRefusedFulfilment(SignedMessage<geo_protocol::HubReject>),
    /// This hub's own signed `hub_reject` of a linked hub's fulfilment (stage `fulfil`,
    /// `spec/federation.md` §7 upstream), addressed to that hub: recorded before it is sent.
    RefuseFulfilment(SignedMessage<geo_protocol::HubReject>),
    /// The peer hub refused a cross-hub hold, or never answered: abort it with `code`.
    AbortForHub {
        /// The payment.
        tx_id: TxId,
        /// The hold's payee.
        peer: Pid,
        /// Why (the reject's code, or `E_PEER_HUB_UNAVAILABLE`).
        code: ErrorCode,
    },
}

impl Command {
    /// The payment a command names, whose outcome may already be stored.
    pub fn tx_id(&self) -> Option<TxId> {
        match self {
            Command::Pay(m) => Some(m.payload().tx_id),
            Command::CommitHold(m) => Some(m.payload().tx_id),
            Command::AbortHold(m) => Some(m.payload().tx_id),
            Command::PayFromHub { prepare, .. } => Some(prepare.payload().tx_id),
            Command::PayToHub { request, .. } => Some(request.payload().tx_id),
            Command::CommitForHub { tx_id, .. } | Command::AbortForHub { tx_id, .. } => {
                Some(*tx_id)
            }
            Command::RecordRefusedFulfilment(m) | Command::RefuseFulfilment(m) => {
                Some(m.payload().tx_id)
            }
            _ => None,
        }
    }
}

/// A new payment to decide, from the message that asked for it: a member's `payment_request`, or a
/// linked hub's `hub_prepare` (`federation.rs`).
struct PaymentOrder {
    tx_id: TxId,
    payer: Idx,
    payee: Idx,
    payer_pid: Pid,
    payee_pid: Pid,
    equivalent: EquivalentCode,
    /// Minor units.
    amount: u64,
    precision: Precision,
    description: Option<String>,
    invoice_id: Option<Nonce>,
    /// Prepare a hold for this long instead of committing.
    hold_seconds: Option<u32>,
    /// The signed request's JSON text, journaled with the decision.
    request: String,
    request_digest: Digest,
    payload_digest: Digest,
}

/// What a command answered.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Done; the caller reads the resulting state.
    Done,
    /// A payment's new or existing outcome, with its receipt's text when that was signed for this
    /// answer (the writer's signing stage; otherwise the answer makes it from the kept signature).
    Payment(Box<PaymentRecord>, Option<String>),
    /// A payment that already had this outcome: the caller loads it by id.
    PaymentExisting(TxId),
    /// A clearing was applied.
    Clearing(clearing::ClearingSummary),
    /// A proposal was opened.
    Proposed(TxId),
    /// Where a proposal stands after a consent.
    ProposalStatus(clearing::ProposalStatus),
    /// A linked hub's refusal of this hub's fulfilment of `tx_id`, as first journaled.
    FulfilmentRefused(TxId, ledger::RefusedFulfilment),
}

/// Everything a batch of commands must persist, in one transaction, before anyone is answered.
#[derive(Debug, Default)]
pub struct Effects {
    /// New journal entries, in order.
    pub entries: Vec<JournalEntry>,
    /// `(signer, nonce, expires_at)` of every applied participant-signed message.
    pub nonces: Vec<(Pid, Nonce, Timestamp)>,
    /// Payment rows to insert or update.
    pub payments: Vec<PaymentRecord>,
    /// What the entries changed that storage projects (rows, and the participants' events with
    /// their bodies), with each entry's journal position.
    pub touched: Vec<(u64, ledger::Touched)>,
}

impl Effects {
    /// True when nothing needs persisting.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.nonces.is_empty()
    }
}

/// The ledger with its scratch space, the remembered nonces and the hub's key (which signs receipts
/// and proposals, `receipt.rs`). Readers use the query methods (`queries.rs`), not the ledger.
pub struct Engine {
    ledger: Ledger,
    hub: Identity,
    /// The signed `clearing_proposal` of every open proposal, made when it was proposed.
    proposals: HashMap<TxId, receipt::SignedProposal>,
    router: Router,
    limits: EngineLimits,
    nonces: HashMap<(Pid, Nonce), Timestamp>,
    /// Recent payments; older ones are looked up in storage by the writer.
    payments: payments::RecentPayments,
    local: Option<geo_clearing::LocalClearer>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("last_seq", &self.ledger.last_seq)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine over a (replayed) ledger, signing as `hub`. Open proposals get their signed
    /// messages back (the same bytes as when they were proposed: the signing is deterministic).
    /// An engine over a ledger past its first entry knows no payment until told (by lookups in
    /// storage, or [`Engine::note_replayed`] for every entry from the first).
    pub fn new(ledger: Ledger, limits: EngineLimits, hub: Identity) -> Self {
        let payments = payments::RecentPayments::new(limits.recent_payments);
        let mut engine = Engine {
            payments,
            ledger,
            hub,
            proposals: HashMap::new(),
            router: Router::new(),
            limits,
            nonces: HashMap::new(),
            local: None,
        };
        engine.keep_open_proposals();
        engine
    }

    /// The ledger, for the writer's projections, metrics and integrity checks (not for `api/`,
    /// which reads through the query methods).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The hub's public identity (its PID signs every record).
    pub fn hub_pid(&self) -> Pid {
        self.hub.pid()
    }

    /// The hub's signing identity, for the writer, which signs payment receipts off the engine's
    /// lock (`writer::sign_receipts`): the engine leaves a decided payment's signature empty.
    pub fn hub_identity(&self) -> &Identity {
        &self.hub
    }

    /// The limits in force.
    pub fn limits(&self) -> &EngineLimits {
        &self.limits
    }

    /// Remembers a nonce loaded from storage.
    pub fn remember_nonce(&mut self, signer: Pid, nonce: Nonce, expires_at: Timestamp) {
        self.nonces.insert((signer, nonce), expires_at);
    }

    /// Forgets nonces whose messages have expired.
    pub fn forget_expired_nonces(&mut self, now: Timestamp) {
        self.nonces.retain(|_, exp| *exp >= now);
    }

    /// Notes the payment of a journal entry replayed into this engine's ledger (a replay from the
    /// first entry that notes every entry leaves the engine needing no lookups).
    pub fn note_replayed(&mut self, entry: &JournalEntry) {
        self.payments.note(entry, &self.ledger);
    }

    /// Takes the payments a start noted while it replayed the journal into this engine's ledger
    /// ([`payments::RecentPayments::note_replayed`]), so resends of them need no lookup.
    pub fn remember_replayed(&mut self, payments: payments::RecentPayments) {
        self.payments = payments;
    }

    /// The `tx_id`s the commands name whose payments must be looked up in storage before they run
    /// (none when every payment is in memory).
    pub fn payments_to_look_up<'a>(
        &self,
        commands: impl Iterator<Item = &'a Command>,
    ) -> Vec<TxId> {
        if self.payments.is_complete(self.ledger.last_seq) {
            return Vec::new();
        }
        let mut ids: Vec<TxId> = commands
            .filter_map(Command::tx_id)
            .filter(|tx| !self.ledger.holds.contains_key(tx) && self.payments.get(tx).is_none())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Takes what storage answered for [`Engine::payments_to_look_up`]: the rows found as
    /// `(tx_id, payer, payload digest, state)`; the others are new payments.
    pub fn looked_up(
        &mut self,
        asked: &[TxId],
        found: impl IntoIterator<Item = (TxId, Pid, geo_protocol::Digest, PaymentState)>,
    ) {
        let found = found
            .into_iter()
            .filter_map(|(tx, payer, payload_digest, state)| {
                let payer = *self.ledger.by_pid.get(&payer)?;
                Some((
                    tx,
                    ledger::PaymentIndex {
                        payer,
                        payload_digest,
                        state,
                    },
                ))
            })
            .collect();
        self.payments.looked_up(asked, found);
    }

    /// True when the payments in memory exceed their capacity (see [`payments`]).
    pub fn payments_over_capacity(&self) -> bool {
        self.payments.over_capacity()
    }

    /// Forgets the older half of the payments in memory among those whose rows storage has
    /// applied (journal positions up to `projected`).
    pub fn forget_projected_payments(&mut self, projected: u64) {
        self.payments.forget_projected(projected);
    }

    /// Payments in memory (diagnostics, tests).
    pub fn remembered_payments(&self) -> impl Iterator<Item = (&TxId, &ledger::PaymentIndex)> {
        self.payments.iter()
    }

    /// A payment as the engine decides with it: from its hold, from memory, or from the last lookup
    /// (`Ok(None)`: no such payment). An error when it was never looked up.
    pub fn payment_index(&self, tx_id: &TxId) -> EngineResult<Option<ledger::PaymentIndex>> {
        if let Some(h) = self.ledger.holds.get(tx_id) {
            return Ok(Some(ledger::PaymentIndex {
                payer: h.payer,
                payload_digest: h.payload_digest,
                state: PaymentState::Prepared,
            }));
        }
        if let Some(p) = self.payments.get(tx_id) {
            return Ok(Some(p));
        }
        if self.payments.is_complete(self.ledger.last_seq) || self.payments.looked_up_absent(tx_id)
        {
            return Ok(None);
        }
        Err(EngineError::internal(format!(
            "payment {tx_id} was not looked up in storage"
        )))
    }

    /// The earliest hold expiry, if any (the writer wakes up then).
    pub fn next_hold_expiry(&self) -> Option<Timestamp> {
        let holds = self.ledger.holds.values().map(|h| h.expires_at).min();
        [holds, self.next_proposal_expiry()]
            .into_iter()
            .flatten()
            .min()
    }

    /// Runs one command at `at`, applying its events and recording what must be persisted. Entries
    /// record the whole second; deadlines (holds) are computed from `at` itself and rounded up.
    pub fn execute(
        &mut self,
        command: Command,
        at: impl Into<Moment>,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let at = at.into();
        let now = at.timestamp();
        match command {
            Command::SetEquivalent {
                code,
                precision,
                description,
                active,
            } => {
                if let Some(book) = self.ledger.books.get(&code) {
                    let used = !book.lines.is_empty()
                        || !book.balances.is_empty()
                        || !book.reserved.is_empty();
                    if used && book.precision != precision {
                        return Err(EngineError::PrecisionInUse);
                    }
                }
                let precision = precision.places();
                self.emit(
                    fx,
                    now,
                    JournalEvent::EquivalentSet {
                        code,
                        precision,
                        description,
                        active,
                    },
                );
                Ok(Reply::Done)
            }
            Command::SetParticipantStatus {
                pid,
                status,
                reason,
            } => {
                self.ledger
                    .participant(&pid)
                    .ok_or_else(|| EngineError::ParticipantNotFound(pid.clone()))?;
                self.emit(
                    fx,
                    now,
                    JournalEvent::ParticipantStatusSet {
                        pid,
                        status,
                        reason,
                    },
                );
                Ok(Reply::Done)
            }
            Command::Register(msg) => {
                self.check_nonce(&msg.envelope().signer, &msg.envelope().nonce)?;
                let p = msg.payload().clone();
                let pid = msg.signer().clone();
                if self.ledger.by_pid.contains_key(&pid) {
                    return Err(EngineError::AlreadyRegistered(pid));
                }
                self.record_nonce(fx, &msg);
                self.emit(
                    fx,
                    now,
                    JournalEvent::ParticipantRegistered {
                        pid,
                        public_key: p.public_key,
                        display_name: p.display_name,
                        participant_kind: p.kind,
                        profile: p.profile.unwrap_or_default(),
                        message: msg.to_json(),
                    },
                );
                Ok(Reply::Done)
            }
            Command::UpdateParticipant(msg) => {
                // Replay is part of verification (§5.4 step 10): decided before any rule of §7.
                self.check_nonce(&msg.envelope().signer, &msg.envelope().nonce)?;
                self.active_signer(msg.signer())?;
                let p = msg.payload().clone();
                self.record_nonce(fx, &msg);
                self.emit(
                    fx,
                    now,
                    JournalEvent::ParticipantUpdated {
                        pid: msg.signer().clone(),
                        display_name: p.display_name,
                        profile: p.profile,
                        message: msg.to_json(),
                    },
                );
                Ok(Reply::Done)
            }
            Command::SetTrustLine(msg) => self.set_trust_line(msg, now, fx),
            Command::CloseTrustLine(msg) => self.close_trust_line(msg, now, fx),
            Command::Pay(msg) => self.pay(msg, at, fx),
            Command::CommitHold(msg) => self.end_hold(
                msg.signer().clone(),
                msg.payload().tx_id,
                None,
                &msg,
                now,
                fx,
            ),
            Command::AbortHold(msg) => {
                let reason = msg.payload().reason.clone();
                self.end_hold(
                    msg.signer().clone(),
                    msg.payload().tx_id,
                    Some(reason),
                    &msg,
                    now,
                    fx,
                )
            }
            Command::ExpireHolds => {
                let mut due: Vec<TxId> = self
                    .ledger
                    .holds
                    .values()
                    .filter(|h| h.expires_at <= now)
                    .map(|h| h.tx_id)
                    .collect();
                due.sort();
                for tx_id in due {
                    let code = self.expiry_code(&tx_id);
                    self.abort_hold(tx_id, code, now, fx);
                }
                self.expire_proposals(now, fx);
                Ok(Reply::Done)
            }
            Command::ApplyClearing {
                equivalent,
                set_offs,
            } => self
                .apply_clearing(&equivalent, &set_offs, now, fx)
                .map(Reply::Clearing),
            Command::ProposeClearing {
                equivalent,
                set_offs,
                ttl_seconds,
            } => self.propose(&equivalent, &set_offs, ttl_seconds, now, fx),
            Command::Consent(msg) => self.consent(msg, now, fx),
            Command::PayFromHub { prepare, deadline } => {
                self.pay_from_hub(prepare, deadline, at, fx)
            }
            Command::PayToHub {
                request,
                peer,
                hold_seconds,
            } => self.pay_to_hub(request, &peer, hold_seconds, at, fx),
            Command::CommitForHub {
                tx_id,
                peer,
                fulfil,
            } => self.end_hub_hold(tx_id, &peer, Ok(fulfil), now, fx),
            Command::AbortForHub { tx_id, peer, code } => {
                self.end_hub_hold(tx_id, &peer, Err(code), now, fx)
            }
            Command::RecordRefusedFulfilment(msg) => self.record_refused_fulfilment(msg, now, fx),
            Command::RefuseFulfilment(msg) => self.refuse_fulfilment(msg, now, fx),
        }
    }

    fn emit(&mut self, fx: &mut Effects, now: Timestamp, event: JournalEvent) -> u64 {
        let prev = self.ledger.last_hash.unwrap_or_else(genesis_hash);
        let entry = JournalEntry::seal(self.ledger.last_seq + 1, now, event, prev);
        self.ledger.apply_noting(&entry, &mut fx.touched);
        self.payments.note(&entry, &self.ledger);
        let seq = entry.seq;
        fx.entries.push(entry);
        seq
    }

    fn check_nonce(&self, signer: &Pid, nonce: &Nonce) -> EngineResult<()> {
        if self.nonces.contains_key(&(signer.clone(), nonce.clone())) {
            return Err(EngineError::Replayed);
        }
        Ok(())
    }

    fn record_nonce<P: geo_protocol::Message>(&mut self, fx: &mut Effects, msg: &SignedMessage<P>) {
        let e = msg.envelope();
        self.nonces
            .insert((e.signer.clone(), e.nonce.clone()), e.expires_at);
        fx.nonces
            .push((e.signer.clone(), e.nonce.clone(), e.expires_at));
    }

    fn active_signer(&self, pid: &Pid) -> EngineResult<Idx> {
        let p = self
            .ledger
            .participant(pid)
            .ok_or_else(|| EngineError::UnknownParticipant(pid.clone()))?;
        if p.status != ParticipantStatus::Active {
            return Err(EngineError::ParticipantInactive {
                pid: pid.clone(),
                status: p.status,
            });
        }
        Ok(p.idx)
    }

    fn known(&self, pid: &Pid) -> EngineResult<Idx> {
        self.ledger
            .by_pid
            .get(pid)
            .copied()
            .ok_or_else(|| EngineError::UnknownParticipant(pid.clone()))
    }

    fn book(&self, code: &EquivalentCode) -> EngineResult<&ledger::Book> {
        match self.ledger.books.get(code) {
            Some(b) if b.active => Ok(b),
            _ => Err(EngineError::UnknownEquivalent(code.clone())),
        }
    }

    fn set_trust_line(
        &mut self,
        msg: SignedMessage<TrustLineSet>,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        // A replay is refused as such (§5.4 step 10) before any rule of §7 is looked at.
        self.check_nonce(msg.signer(), &msg.envelope().nonce)?;
        let creditor = self.active_signer(msg.signer())?;
        let p = msg.payload();
        let debtor = self.known(&p.debtor)?;
        let book = self.book(&p.equivalent)?;
        let limit = p
            .limit
            .to_amount(book.precision)
            .map_err(|e| EngineError::InvalidAmount(e.to_string()))?
            .minor();
        // The new limit must keep covering the debt it backs and any reservation on it.
        let debt = book.debt(debtor, creditor);
        let needed = (debt as i128 + book.reserved(debtor, creditor) as i128
            - book.debt(creditor, debtor) as i128)
            .max(debt as i128);
        if (limit as i128) < needed {
            #[cfg(feature = "fault-injection")]
            if self.limits.faults.consume_nonce_on_refusal {
                let e = msg.envelope();
                self.nonces
                    .insert((e.signer.clone(), e.nonce.clone()), e.expires_at);
            }
            let book = self.book(&p.equivalent)?;
            let precision = book.precision;
            return Err(EngineError::LimitBelowDebt {
                equivalent: p.equivalent.clone(),
                debt: geo_protocol::Amount::from_minor(debt, precision).to_string(),
                minimum: geo_protocol::Amount::from_minor(needed as u64, precision).to_string(),
            });
        }
        let line_id = match book.lines.get(&(creditor, debtor)) {
            Some(line) => line.id,
            None => TxId::random(),
        };
        let policy: LinePolicy = p.policy.clone().unwrap_or_default().into();
        let event = JournalEvent::TrustLineSet {
            line_id,
            creditor: msg.signer().clone(),
            debtor: p.debtor.clone(),
            equivalent: p.equivalent.clone(),
            limit,
            policy,
            message: msg.to_json(),
        };
        self.record_nonce(fx, &msg);
        self.emit(fx, now, event);
        Ok(Reply::Done)
    }

    fn close_trust_line(
        &mut self,
        msg: SignedMessage<TrustLineClose>,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        // A replay is refused as such (§5.4 step 10) before any rule of §7 is looked at.
        self.check_nonce(msg.signer(), &msg.envelope().nonce)?;
        let creditor = self.active_signer(msg.signer())?;
        let p = msg.payload();
        let debtor = self.known(&p.debtor)?;
        let book = self.book(&p.equivalent)?;
        let line = book
            .lines
            .get(&(creditor, debtor))
            .ok_or_else(|| EngineError::NoTrustLine {
                debtor: p.debtor.clone(),
                equivalent: p.equivalent.clone(),
            })?;
        let outstanding = book.debt(debtor, creditor) + book.debt(creditor, debtor);
        let reserved = book.reserved(debtor, creditor) + book.reserved(creditor, debtor);
        if outstanding > 0 || reserved > 0 {
            return Err(EngineError::DebtOutstanding {
                debt: geo_protocol::Amount::from_minor(outstanding, book.precision).to_string(),
            });
        }
        let event = JournalEvent::TrustLineClosed {
            line_id: line.id,
            creditor: msg.signer().clone(),
            debtor: p.debtor.clone(),
            equivalent: p.equivalent.clone(),
            message: msg.to_json(),
        };
        self.record_nonce(fx, &msg);
        self.emit(fx, now, event);
        Ok(Reply::Done)
    }

    fn pay(
        &mut self,
        msg: SignedMessage<PaymentRequest>,
        at: Moment,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let p = msg.payload().clone();
        let payload_digest = msg.payload_digest();
        // Idempotency comes first: the same request again gets the stored outcome, whatever its nonce.
        // The tx_id is the replay key of payments, so their nonces need not be remembered.
        if let Some(reply) = self.existing_payment(&p.tx_id, msg.signer(), &payload_digest)? {
            return Ok(reply);
        }
        if let Some(hub) = &p.payee_hub {
            // The caller resolves a linked hub's URL to `Command::PayToHub`.
            return Err(EngineError::HubNotLinked(hub.to_string()));
        }
        let (payer, payee, precision, amount) =
            self.payment_parties(msg.signer(), &p.payee, &p.equivalent, &p.amount)?;
        if let Some(h) = p.hold_seconds {
            if h > self.limits.max_hold_seconds {
                return Err(EngineError::HoldTooLong {
                    max: self.limits.max_hold_seconds,
                });
            }
        }
        let requested = p.constraints.clone().unwrap_or_default();
        #[cfg(feature = "fault-injection")]
        let requested = self.limits.faults.constraints(requested);
        let constraints = self.bounded_constraints(&requested).avoiding(
            requested
                .avoid
                .iter()
                .filter_map(|pid| self.ledger.by_pid.get(pid))
                // Payer and payee are never intermediates, so naming them in `avoid` changes nothing.
                .filter(|i| **i != payer && **i != payee)
                .map(|i| NodeId(*i)),
        );
        let record = self.decide_payment(
            PaymentOrder {
                tx_id: p.tx_id,
                payer,
                payee,
                payer_pid: msg.signer().clone(),
                payee_pid: p.payee.clone(),
                equivalent: p.equivalent.clone(),
                amount,
                precision,
                description: p.description.clone(),
                invoice_id: p.invoice_id.clone(),
                hold_seconds: p.hold_seconds,
                request: msg.to_json(),
                request_digest: msg.digest(),
                payload_digest,
            },
            &constraints,
            at,
            fx,
        )?;
        fx.payments.push(record.clone());
        Ok(Reply::Payment(Box::new(record), None))
    }

    /// The stored outcome of a payment asked for again (idempotency comes first: the same signer
    /// and payload get it, whatever the nonce; the tx_id is the replay key of payments, so their
    /// nonces need not be remembered), `E_TX_ID_CONFLICT` for anything else under its id, or
    /// nothing for a new payment.
    fn existing_payment(
        &self,
        tx_id: &TxId,
        signer: &Pid,
        payload_digest: &Digest,
    ) -> EngineResult<Option<Reply>> {
        let Some(existing) = self.payment_index(tx_id)? else {
            return Ok(None);
        };
        let same_payer = self.ledger.by_pid.get(signer) == Some(&existing.payer);
        #[cfg(feature = "fault-injection")]
        let same_payer = same_payer && !self.limits.faults.forget_idempotency;
        if same_payer && existing.payload_digest == *payload_digest {
            return Ok(Some(Reply::PaymentExisting(*tx_id)));
        }
        Err(EngineError::TxIdConflict(*tx_id))
    }

    /// The hops and paths a payer asked for, within this hub's limits (its limits where the payer
    /// named none).
    fn bounded_constraints(&self, requested: &geo_protocol::PaymentConstraints) -> Constraints {
        Constraints::default()
            .with_max_hops(
                requested
                    .max_hops
                    .unwrap_or(self.limits.max_hops)
                    .min(self.limits.max_hops),
            )
            .with_max_paths(
                requested
                    .max_paths
                    .unwrap_or(self.limits.max_paths)
                    .min(self.limits.max_paths),
            )
    }

    /// A new payment's payer (active), payee (known and active), the equivalent's precision and the
    /// amount in its minor units.
    fn payment_parties(
        &self,
        signer: &Pid,
        payee: &Pid,
        equivalent: &EquivalentCode,
        amount: &DecimalAmount,
    ) -> EngineResult<(Idx, Idx, Precision, u64)> {
        let payer = self.active_signer(signer)?;
        let payee_idx = self.known(payee)?;
        if self.ledger.participants[payee_idx as usize].status != ParticipantStatus::Active {
            return Err(EngineError::PayeeInactive(payee.clone()));
        }
        let precision = self.book(equivalent)?.precision;
        let amount = amount
            .to_amount(precision)
            .map_err(|e| EngineError::InvalidAmount(e.to_string()))?
            .minor();
        Ok((payer, payee_idx, precision, amount))
    }

    /// Routes a new payment under `constraints` and journals what was decided: prepared (a hold),
    /// committed, or aborted for want of capacity (with the most that could be routed).
    fn decide_payment(
        &mut self,
        o: PaymentOrder,
        constraints: &Constraints,
        at: Moment,
        fx: &mut Effects,
    ) -> EngineResult<PaymentRecord> {
        let now = at.timestamp();
        let (payer, payee, amount, precision) = (o.payer, o.payee, o.amount, o.precision);
        let (request_digest, payload_digest) = (o.request_digest, o.payload_digest);
        let book = self
            .ledger
            .books
            .get(&o.equivalent)
            .expect("the caller checked it (payment_parties)");
        let routed = self.router.route(
            &book.graph,
            NodeId(payer),
            NodeId(payee),
            amount,
            constraints,
        );
        let mut record = PaymentRecord {
            tx_id: o.tx_id,
            payer: o.payer_pid.clone(),
            payee: o.payee_pid.clone(),
            equivalent: o.equivalent.clone(),
            amount,
            precision: precision.places(),
            status: PaymentState::Aborted,
            error_code: None,
            routes: Vec::new(),
            request_digest,
            payload_digest,
            description: o.description.clone(),
            invoice_id: o.invoice_id.as_ref().map(|n| n.as_str().to_owned()),
            created_at: now,
            decided_at: Some(now),
            hold_expires_at: None,
            journal_seq: 0,
            max_routable: None,
            receipt_signature: None,
        };
        match routed {
            Ok(route) => {
                let paths: Vec<JournalPath> = route
                    .paths
                    .iter()
                    .map(|path| JournalPath {
                        path: path
                            .nodes
                            .iter()
                            .map(|n| self.ledger.pid(n.0).clone())
                            .collect(),
                        amount: path.amount,
                    })
                    .collect();
                self.check_paths(&o.equivalent, &paths, payer, payee, amount)?;
                record.routes = paths.clone();
                if let Some(hold) = o.hold_seconds {
                    let expires_at = at.deadline_after(hold);
                    record.status = PaymentState::Prepared;
                    record.decided_at = None;
                    record.hold_expires_at = Some(expires_at);
                    record.journal_seq = self.emit(
                        fx,
                        now,
                        JournalEvent::PaymentPrepared {
                            tx_id: o.tx_id,
                            payer: record.payer.clone(),
                            payee: record.payee.clone(),
                            equivalent: o.equivalent.clone(),
                            amount,
                            paths,
                            expires_at,
                            payload_digest,
                            request_digest,
                            request: o.request,
                            description: o.description.clone(),
                        },
                    );
                } else {
                    // Prepare and commit in one atomic step of the single writer.
                    record.status = PaymentState::Committed;
                    record.journal_seq = self.emit(
                        fx,
                        now,
                        JournalEvent::PaymentCommitted {
                            tx_id: o.tx_id,
                            payer: record.payer.clone(),
                            payee: record.payee.clone(),
                            equivalent: o.equivalent.clone(),
                            amount,
                            paths,
                            payload_digest,
                            request: Some(o.request),
                            request_digest,
                            description: o.description.clone(),
                            invoice_id: o.invoice_id.clone(),
                            fulfil: None,
                        },
                    );
                    self.verify_pairs(&o.equivalent, &record.routes)?;
                    let touched = self.touched_pairs(&record.routes);
                    self.local_clearing(&o.equivalent, &touched, now, fx);
                }
            }
            Err(RoutingError::InsufficientCapacity { found, .. }) => {
                record.error_code = Some(ErrorCode::InsufficientCapacity);
                record.journal_seq = self.emit(
                    fx,
                    now,
                    JournalEvent::PaymentAborted {
                        tx_id: o.tx_id,
                        payer: record.payer.clone(),
                        payee: record.payee.clone(),
                        equivalent: o.equivalent.clone(),
                        amount,
                        error_code: ErrorCode::InsufficientCapacity,
                        payload_digest,
                        request: Some(o.request),
                        request_digest,
                        description: o.description.clone(),
                    },
                );
                record.max_routable = Some(found);
            }
            Err(other) => return Err(EngineError::internal(format!("routing failed: {other}"))),
        }
        Ok(record)
    }

    /// Independent check of a route before it is applied: exact sum, endpoints, and capacity per hop.
    fn check_paths(
        &self,
        code: &EquivalentCode,
        paths: &[JournalPath],
        payer: Idx,
        payee: Idx,
        amount: u64,
    ) -> EngineResult<()> {
        let book = &self.ledger.books[code];
        let mut sum: u64 = 0;
        let mut per_arc: HashMap<(Idx, Idx), u64> = HashMap::new();
        for p in paths {
            let nodes: Vec<Idx> = p.path.iter().map(|pid| self.ledger.by_pid[pid]).collect();
            if nodes.first() != Some(&payer) || nodes.last() != Some(&payee) || nodes.len() < 2 {
                return Err(EngineError::internal(
                    "router returned a path with wrong endpoints",
                ));
            }
            sum = sum
                .checked_add(p.amount)
                .ok_or_else(|| EngineError::internal("route amounts overflow"))?;
            for hop in nodes.windows(2) {
                *per_arc.entry((hop[0], hop[1])).or_default() += p.amount;
            }
        }
        if sum != amount {
            return Err(EngineError::internal(format!(
                "route carries {sum}, not {amount}"
            )));
        }
        for ((u, v), used) in per_arc {
            if book.capacity(u, v) < used as i128 {
                return Err(EngineError::internal(format!("route overdraws {u}->{v}")));
            }
        }
        Ok(())
    }

    /// The distinct hops of a set of paths, as participant pairs.
    fn touched_pairs(&self, paths: &[JournalPath]) -> Vec<(Idx, Idx)> {
        let mut pairs: Vec<(Idx, Idx)> = paths
            .iter()
            .flat_map(|p| {
                p.path
                    .windows(2)
                    .map(|h| (self.ledger.by_pid[&h[0]], self.ledger.by_pid[&h[1]]))
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// After applying a payment: every touched pair still satisfies its limits (a bug would stop here loudly).
    fn verify_pairs(&self, code: &EquivalentCode, paths: &[JournalPath]) -> EngineResult<()> {
        let book = &self.ledger.books[code];
        for p in paths {
            for hop in p.path.windows(2) {
                let (u, v) = (self.ledger.by_pid[&hop[0]], self.ledger.by_pid[&hop[1]]);
                if let Err(e) = book.check_pair(u, v) {
                    // The entry is already applied in memory; refusing to persist is the writer's job.
                    panic!("invariant violated after a payment: {e}");
                }
            }
        }
        Ok(())
    }

    fn end_hold<P: geo_protocol::Message>(
        &mut self,
        signer: Pid,
        tx_id: TxId,
        abort_reason: Option<String>,
        msg: &SignedMessage<P>,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let payer = self.known(&signer)?;
        let Some(index) = self.payment_index(&tx_id)? else {
            return Err(EngineError::PaymentNotFound(tx_id));
        };
        if index.payer != payer {
            return Err(EngineError::PaymentNotFound(tx_id));
        }
        let want_commit = abort_reason.is_none();
        match index.state {
            PaymentState::Committed if want_commit => return Ok(Reply::PaymentExisting(tx_id)),
            PaymentState::Aborted if !want_commit => return Ok(Reply::PaymentExisting(tx_id)),
            PaymentState::Committed => return Err(EngineError::AlreadyCommitted(tx_id)),
            PaymentState::Aborted => return Err(EngineError::AlreadyAborted(tx_id)),
            PaymentState::Prepared => {}
        }
        let hold = self
            .ledger
            .holds
            .get(&tx_id)
            .cloned()
            .expect("prepared payments have a hold");
        if self.is_peer_hub(hold.payee) {
            return Err(EngineError::HeldForPeerHub(tx_id));
        }
        self.check_nonce(&signer, &msg.envelope().nonce)?;
        if hold.expires_at <= now {
            let record = self.abort_hold(tx_id, ErrorCode::ReservationExpired, now, fx);
            return Ok(Reply::Payment(Box::new(record), None));
        }
        self.record_nonce(fx, msg);
        if want_commit {
            let record = self.commit_held(&hold, None, now, fx)?;
            Ok(Reply::Payment(Box::new(record), None))
        } else {
            let record = self.abort_hold(tx_id, ErrorCode::Aborted, now, fx);
            Ok(Reply::Payment(Box::new(record), None))
        }
    }

    /// Commits a live hold: journals it (with the linked hub's fulfil that released it, for a
    /// cross-hub payment), applies it, and clears locally around it.
    fn commit_held(
        &mut self,
        hold: &ledger::Hold,
        fulfil: Option<String>,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<PaymentRecord> {
        let mut record = self.hold_record(hold, now);
        let paths = record.routes.clone();
        record.status = PaymentState::Committed;
        record.journal_seq = self.emit(
            fx,
            now,
            JournalEvent::PaymentCommitted {
                tx_id: hold.tx_id,
                payer: record.payer.clone(),
                payee: record.payee.clone(),
                equivalent: hold.equivalent.clone(),
                amount: hold.amount,
                paths: paths.clone(),
                payload_digest: hold.payload_digest,
                request: None,
                request_digest: record.request_digest,
                description: hold.description.clone(),
                invoice_id: None,
                fulfil,
            },
        );
        self.verify_pairs(&hold.equivalent, &paths)?;
        let touched = self.touched_pairs(&paths);
        self.local_clearing(&hold.equivalent, &touched, now, fx);
        fx.payments.push(record.clone());
        Ok(record)
    }

    fn hold_record(&self, hold: &ledger::Hold, now: Timestamp) -> PaymentRecord {
        PaymentRecord {
            tx_id: hold.tx_id,
            payer: self.ledger.pid(hold.payer).clone(),
            payee: self.ledger.pid(hold.payee).clone(),
            equivalent: hold.equivalent.clone(),
            amount: hold.amount,
            precision: self.ledger.books[&hold.equivalent].precision.places(),
            status: PaymentState::Prepared,
            error_code: None,
            routes: hold
                .paths
                .iter()
                .map(|(nodes, amt)| JournalPath {
                    path: nodes.iter().map(|i| self.ledger.pid(*i).clone()).collect(),
                    amount: *amt,
                })
                .collect(),
            request_digest: hold.request_digest,
            payload_digest: hold.payload_digest,
            description: hold.description.clone(),
            invoice_id: None,
            created_at: hold.created_at,
            decided_at: Some(now),
            hold_expires_at: Some(hold.expires_at),
            journal_seq: 0,
            max_routable: None,
            receipt_signature: None,
        }
    }

    fn abort_hold(
        &mut self,
        tx_id: TxId,
        code: ErrorCode,
        now: Timestamp,
        fx: &mut Effects,
    ) -> PaymentRecord {
        let hold = self.ledger.holds.get(&tx_id).cloned().expect("hold exists");
        let mut record = self.hold_record(&hold, now);
        record.status = PaymentState::Aborted;
        record.error_code = Some(code);
        record.routes.clear();
        record.journal_seq = self.emit(
            fx,
            now,
            JournalEvent::PaymentAborted {
                tx_id,
                payer: record.payer.clone(),
                payee: record.payee.clone(),
                equivalent: hold.equivalent.clone(),
                amount: hold.amount,
                error_code: code,
                payload_digest: hold.payload_digest,
                request: None,
                request_digest: hold.request_digest,
                description: hold.description.clone(),
            },
        );
        fx.payments.push(record.clone());
        record
    }
}
