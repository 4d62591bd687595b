//! Why the engine refuses a command or a query: one variant per refusal, each with one stable
//! [`ErrorCode`]. The engine knows nothing of HTTP; `api/` turns an [`EngineError`] into a problem
//! document.
//!
//! **Precedence.** Each command checks in a fixed order and answers the first refusal that applies
//! (so the same state and message always give the same code):
//!
//! - every participant-signed command: [`Replayed`](EngineError::Replayed) first (a replay is refused
//!   as such, §5.4 step 10, before any rule of §7), except `payment_request`, whose idempotency by
//!   `tx_id` comes first ([`TxIdConflict`](EngineError::TxIdConflict)) and which has no nonce memory;
//! - then the signer: [`UnknownParticipant`](EngineError::UnknownParticipant), then
//!   [`ParticipantInactive`](EngineError::ParticipantInactive);
//! - then the named counterparty (debtor or payee): unknown, then (payee) inactive;
//! - then the equivalent ([`UnknownEquivalent`](EngineError::UnknownEquivalent)), then the amount
//!   ([`InvalidAmount`](EngineError::InvalidAmount)), then the command's own rules (hold length,
//!   limit below debt, debt outstanding, …);
//! - commit/abort of a hold: payment unknown or not the signer's, then already ended, then held
//!   for a linked hub ([`HeldForPeerHub`](EngineError::HeldForPeerHub)), then replay;
//! - consent: proposal open, then digest, then asked of the signer, then expiry, then replay;
//! - set-offs: shape ([`SetOffMalformed`](EngineError::SetOffMalformed)) and each debt in order
//!   (changed, line gone, consent withdrawn), then the net positions.
use geo_protocol::{Digest, EquivalentCode, ErrorCode, Pid, TxId};

use super::ledger::ParticipantStatus;

/// A refusal by the engine's rules, or a failure to record a change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// The `(signer, nonce)` of this message was already used.
    #[error("this message was already used")]
    Replayed,
    /// A participant the command names (signer, debtor, payee) is not registered.
    #[error("participant {0} is not registered")]
    UnknownParticipant(Pid),
    /// A participant the operator or a reader names does not exist.
    #[error("participant {0}")]
    ParticipantNotFound(Pid),
    /// The signer is suspended or has left.
    #[error("participant {pid} is {}", status.as_str())]
    ParticipantInactive {
        /// Whose.
        pid: Pid,
        /// Their status.
        status: ParticipantStatus,
    },
    /// The payee is suspended or has left.
    #[error("payee {0} is not active")]
    PayeeInactive(Pid),
    /// `participant_register` by a registered participant.
    #[error("participant {0} is already registered")]
    AlreadyRegistered(Pid),
    /// The equivalent does not exist or is inactive.
    #[error("equivalent {0} does not exist or is inactive")]
    UnknownEquivalent(EquivalentCode),
    /// The operator tried to change the precision of an equivalent in use.
    #[error("precision cannot change once the equivalent is in use")]
    PrecisionInUse,
    /// An amount breaks the equivalent's precision or range.
    #[error("{0}")]
    InvalidAmount(String),
    /// A payer asked to hold longer than the hub allows.
    #[error("hold_seconds may be at most {max}")]
    HoldTooLong {
        /// The longest hold.
        max: u32,
    },
    /// Capacity preview limits the router refuses.
    #[error("{0}")]
    BadConstraints(String),
    /// A payer asked what it could pay itself.
    #[error("cannot pay yourself")]
    SelfPayment,
    /// A new limit would not cover the debt and reservations the line backs.
    #[error(
        "the limit cannot go below {minimum} {equivalent}: the debt and reservations it backs"
    )]
    LimitBelowDebt {
        /// Unit of account.
        equivalent: EquivalentCode,
        /// The debt now (canonical text).
        debt: String,
        /// The lowest acceptable limit (canonical text).
        minimum: String,
    },
    /// No live line from the signer to this debtor.
    #[error("no live trust line to {debtor} in {equivalent}")]
    NoTrustLine {
        /// The debtor named.
        debtor: Pid,
        /// Unit of account.
        equivalent: EquivalentCode,
    },
    /// A trust line by id that the reader is not party to, or that does not exist.
    #[error("trust line {0}")]
    TrustLineNotFound(TxId),
    /// A line cannot close while debt or reservations remain.
    #[error("the line cannot close while debt or reservations remain")]
    DebtOutstanding {
        /// Debt both ways (canonical text).
        debt: String,
    },
    /// The `tx_id` was used for another request.
    #[error("tx_id {0} was already used for another request")]
    TxIdConflict(TxId),
    /// No such payment of the signer's.
    #[error("payment {0}")]
    PaymentNotFound(TxId),
    /// Abort of a committed payment.
    #[error("the payment is already committed")]
    AlreadyCommitted(TxId),
    /// Commit of an aborted payment.
    #[error("the payment already ended without effect")]
    AlreadyAborted(TxId),
    /// A proposal is already open in the equivalent.
    #[error("a clearing proposal is already open in this equivalent")]
    ProposalAlreadyOpen,
    /// A clearing with no set-off.
    #[error("nothing to clear")]
    NothingToClear,
    /// A set-off names a debt twice, a zero amount, or a participant owing itself.
    #[error("a set-off names each debt once with a positive amount")]
    SetOffMalformed,
    /// A debt shrank since the clearing was computed.
    #[error("a debt changed since the clearing was computed")]
    DebtChanged,
    /// A debt lost the line that backs it.
    #[error("a debt is no longer backed by a trust line")]
    LineGone,
    /// A held payment's reservation needs the debt.
    #[error("a debt is needed by a held payment's reservation")]
    DebtReserved,
    /// A creditor withdrew its advance consent.
    #[error("a creditor no longer consents to clearing")]
    ConsentWithdrawn,
    /// The set-off is not a circulation.
    #[error("the set-off would change a net position")]
    NetChanged,
    /// No open proposal with this id.
    #[error("no open clearing proposal {0}")]
    ProposalClosed(TxId),
    /// The proposal's time is up.
    #[error("the proposal has expired")]
    ProposalExpired,
    /// A consent that names another digest than the open proposal's.
    #[error("proposal_digest does not match the open proposal")]
    ProposalDigestMismatch {
        /// The open proposal's digest.
        expected: Digest,
    },
    /// A consent from someone the proposal does not ask.
    #[error("your consent is not asked for in this proposal")]
    ConsentNotAsked,
    /// A linked hub's prepare reached the writer after its commit deadline (federation.md §5).
    #[error("the commit deadline {0} has passed")]
    CommitDeadlinePassed(geo_protocol::Timestamp),
    /// A payment names a hub that is not linked to this one (`spec/federation.md` §2).
    #[error("hub {0} is not linked to this one")]
    HubNotLinked(String),
    /// A member tried to commit or abort a cross-hub hold, which only its hub ends
    /// (`spec/federation.md` §6).
    #[error("payment {0} is held for a linked hub: only this hub commits or aborts it")]
    HeldForPeerHub(TxId),
    /// The writer could not record the change (stopped, or storage failed): not a rule's refusal.
    #[error("{0}")]
    Unavailable(&'static str),
    /// A broken invariant inside the engine (a bug): the detail is for the log.
    #[error("internal error: {0}")]
    Internal(String),
}

impl EngineError {
    /// The stable machine code.
    pub fn code(&self) -> ErrorCode {
        use EngineError::*;
        match self {
            Replayed => ErrorCode::Replayed,
            UnknownParticipant(_) => ErrorCode::UnknownParticipant,
            ParticipantNotFound(_)
            | NoTrustLine { .. }
            | TrustLineNotFound(_)
            | PaymentNotFound(_) => ErrorCode::NotFound,
            ParticipantInactive { .. } | PayeeInactive(_) => ErrorCode::ParticipantInactive,
            AlreadyRegistered(_) => ErrorCode::AlreadyExists,
            UnknownEquivalent(_) => ErrorCode::UnknownEquivalent,
            InvalidAmount(_) => ErrorCode::InvalidAmount,
            HoldTooLong { .. }
            | BadConstraints(_)
            | SetOffMalformed
            | NetChanged
            | ProposalDigestMismatch { .. } => ErrorCode::Validation,
            SelfPayment => ErrorCode::SelfPayment,
            LimitBelowDebt { .. } => ErrorCode::LimitBelowDebt,
            DebtOutstanding { .. } => ErrorCode::DebtOutstanding,
            TxIdConflict(_) => ErrorCode::TxIdConflict,
            PrecisionInUse | AlreadyCommitted(_) | AlreadyAborted(_) | ProposalAlreadyOpen
            | NothingToClear | DebtChanged | DebtReserved | LineGone | ConsentWithdrawn => {
                ErrorCode::Conflict
            }
            ProposalClosed(_) | ProposalExpired => ErrorCode::ProposalClosed,
            ConsentNotAsked => ErrorCode::Forbidden,
            Unavailable(_) => ErrorCode::Unavailable,
            Internal(_) => ErrorCode::Internal,
            CommitDeadlinePassed(_) => ErrorCode::ReservationExpired,
            HubNotLinked(_) => ErrorCode::HubNotLinked,
            HeldForPeerHub(_) => ErrorCode::Forbidden,
        }
    }

    /// Extra facts a client can act on, as `(member, text)` pairs (problem document members).
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        use EngineError::*;
        match self {
            HoldTooLong { .. } => vec![("field", "payload.hold_seconds".into())],
            LimitBelowDebt { debt, minimum, .. } => {
                vec![("debt", debt.clone()), ("minimum_limit", minimum.clone())]
            }
            DebtOutstanding { debt } => vec![("debt", debt.clone())],
            AlreadyCommitted(tx) | AlreadyAborted(tx) => vec![("tx_id", tx.to_string())],
            ProposalDigestMismatch { expected } => {
                vec![("proposal_digest", expected.to_string())]
            }
            _ => Vec::new(),
        }
    }

    /// An internal failure (logged where it is turned into an answer).
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        EngineError::Internal(detail.to_string())
    }
}

/// Result of an engine command or query.
pub type EngineResult<T> = Result<T, EngineError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_its_code_and_facts() {
        let tx = TxId::parse("00000000-0000-4000-8000-000000000001").unwrap();
        assert_eq!(EngineError::Replayed.code(), ErrorCode::Replayed);
        assert_eq!(
            EngineError::ProposalExpired.code(),
            ErrorCode::ProposalClosed
        );
        assert_eq!(
            EngineError::AlreadyAborted(tx).facts(),
            vec![("tx_id", tx.to_string())]
        );
        assert_eq!(
            EngineError::HoldTooLong { max: 300 }.to_string(),
            "hold_seconds may be at most 300"
        );
        assert_eq!(
            EngineError::Unavailable("stopped").code(),
            ErrorCode::Unavailable
        );
    }
}
