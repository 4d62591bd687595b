//! Records with named fields, converted one-to-one from the SDK's types (`From`, or `TryFrom` where
//! the hub's text becomes a validated amount or id).

use std::collections::HashMap;

use crate::error::GeoError;
use crate::types::{hub_amount, hub_code, hub_tx, Amount, EquivalentCode, Pid, SignedAmount, TxId};

/// Person, business or hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ParticipantKind {
    /// A natural person.
    Person,
    /// A business or organisation.
    Business,
    /// A community hub acting as a participant.
    Hub,
}

impl From<ParticipantKind> for geo_protocol::ParticipantKind {
    fn from(k: ParticipantKind) -> Self {
        match k {
            ParticipantKind::Person => geo_protocol::ParticipantKind::Person,
            ParticipantKind::Business => geo_protocol::ParticipantKind::Business,
            ParticipantKind::Hub => geo_protocol::ParticipantKind::Hub,
        }
    }
}

impl From<geo_protocol::ParticipantKind> for ParticipantKind {
    fn from(k: geo_protocol::ParticipantKind) -> Self {
        match k {
            geo_protocol::ParticipantKind::Person => ParticipantKind::Person,
            geo_protocol::ParticipantKind::Business => ParticipantKind::Business,
            geo_protocol::ParticipantKind::Hub => ParticipantKind::Hub,
        }
    }
}

/// A creditor's answer to a clearing proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ClearingDecision {
    /// Agree to the set-off.
    Accept,
    /// Refuse it.
    Reject,
}

impl From<ClearingDecision> for geo_protocol::ClearingDecision {
    fn from(d: ClearingDecision) -> Self {
        match d {
            ClearingDecision::Accept => geo_protocol::ClearingDecision::Accept,
            ClearingDecision::Reject => geo_protocol::ClearingDecision::Reject,
        }
    }
}

pub(crate) fn profile(map: HashMap<String, String>) -> geo_protocol::Profile {
    geo_protocol::Profile(map.into_iter().collect())
}

/// A participant.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Participant {
    /// PID.
    pub pid: Pid,
    /// Public key (base64).
    pub public_key: String,
    /// Display name.
    pub display_name: String,
    /// Person, business or hub.
    pub kind: ParticipantKind,
    /// Public profile (`city`, `website`, …).
    pub profile: HashMap<String, String>,
    /// `active`, `suspended` or `left`.
    pub status: String,
    /// Registered at (RFC 3339).
    pub created_at: String,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

impl From<geo_client::Participant> for Participant {
    fn from(p: geo_client::Participant) -> Self {
        Participant {
            pid: p.pid,
            public_key: p.public_key,
            display_name: p.display_name,
            kind: p.kind.into(),
            profile: p.profile.0.into_iter().collect(),
            status: p.status.to_string(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A unit of account.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Equivalent {
    /// Code, e.g. `UAH`.
    pub code: EquivalentCode,
    /// Decimal places of its amounts.
    pub precision: u8,
    /// Description.
    pub description: String,
    /// Usable for new lines and payments.
    pub active: bool,
}

impl From<geo_client::Equivalent> for Equivalent {
    fn from(e: geo_client::Equivalent) -> Self {
        Equivalent {
            code: e.code,
            precision: e.precision,
            description: e.description,
            active: e.active,
        }
    }
}

/// A trust line's policy (the default: auto clearing on, may be intermediate, nobody blocked).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustLinePolicy {
    /// The creditor consents in advance to clearings on this line.
    #[uniffi(default = true)]
    pub auto_clearing: bool,
    /// Payments entering the creditor through this line may continue onward.
    #[uniffi(default = true)]
    pub can_be_intermediate: bool,
    /// Participants that may not be intermediates on paths using this line.
    #[uniffi(default = [])]
    pub blocked_participants: Vec<Pid>,
}

impl From<TrustLinePolicy> for geo_protocol::TrustLinePolicy {
    fn from(p: TrustLinePolicy) -> Self {
        geo_protocol::TrustLinePolicy {
            auto_clearing: p.auto_clearing,
            can_be_intermediate: p.can_be_intermediate,
            blocked_participants: p.blocked_participants,
        }
    }
}

impl From<geo_client::LinePolicy> for TrustLinePolicy {
    fn from(p: geo_client::LinePolicy) -> Self {
        TrustLinePolicy {
            auto_clearing: p.auto_clearing,
            can_be_intermediate: p.can_be_intermediate,
            blocked_participants: p.blocked_participants,
        }
    }
}

/// A trust line `creditor → debtor`: the debtor may owe the creditor up to `limit`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustLine {
    /// Line id.
    pub id: String,
    /// Owner (extends the credit).
    pub creditor: Pid,
    /// May owe.
    pub debtor: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Limit.
    pub limit: Amount,
    /// What the debtor owes the creditor now.
    pub used: Amount,
    /// Held by prepared payments.
    pub reserved: Amount,
    /// How much more the debtor can pay the creditor directly.
    pub available: Amount,
    /// Policy.
    pub policy: TrustLinePolicy,
    /// `active`.
    pub status: String,
    /// Created at.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

impl TryFrom<geo_client::TrustLine> for TrustLine {
    type Error = GeoError;
    fn try_from(t: geo_client::TrustLine) -> Result<Self, GeoError> {
        Ok(TrustLine {
            id: t.id,
            creditor: t.creditor,
            debtor: t.debtor,
            equivalent: t.equivalent,
            limit: hub_amount(&t.limit)?,
            used: hub_amount(&t.used)?,
            reserved: hub_amount(&t.reserved)?,
            available: hub_amount(&t.available)?,
            policy: t.policy.into(),
            status: t.status,
            created_at: t.created_at,
            updated_at: t.updated_at,
        })
    }
}

/// Which trust lines to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct TrustLineFilter {
    /// `outgoing` (lines this participant extends) or `incoming`; none: both.
    #[uniffi(default = None)]
    pub direction: Option<String>,
    /// Only this equivalent.
    #[uniffi(default = None)]
    pub equivalent: Option<EquivalentCode>,
    /// Page size.
    #[uniffi(default = None)]
    pub limit: Option<u32>,
}

impl From<TrustLineFilter> for geo_client::TrustLineFilter {
    fn from(f: TrustLineFilter) -> Self {
        geo_client::TrustLineFilter {
            direction: f.direction,
            equivalent: f.equivalent.map(|c| c.as_str().to_owned()),
            limit: f.limit,
            cursor: None,
        }
    }
}

/// The answer to closing a line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClosedLine {
    /// Owner.
    pub creditor: Pid,
    /// Debtor.
    pub debtor: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// `closed`.
    pub status: String,
}

impl From<geo_client::ClosedLine> for ClosedLine {
    fn from(c: geo_client::ClosedLine) -> Self {
        ClosedLine {
            creditor: c.creditor,
            debtor: c.debtor,
            equivalent: c.equivalent,
            status: c.status,
        }
    }
}

/// Limits on how a payment is routed.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct PaymentConstraints {
    /// Most hops on any path, 1..=8.
    #[uniffi(default = None)]
    pub max_hops: Option<u8>,
    /// Most paths the payment may be split over, 1..=64.
    #[uniffi(default = None)]
    pub max_paths: Option<u16>,
    /// Participants that must not be intermediates.
    #[uniffi(default = [])]
    pub avoid: Vec<Pid>,
}

impl From<PaymentConstraints> for geo_protocol::PaymentConstraints {
    fn from(c: PaymentConstraints) -> Self {
        geo_protocol::PaymentConstraints {
            max_hops: c.max_hops,
            max_paths: c.max_paths,
            avoid: c.avoid,
        }
    }
}

/// What to pay: `amount` of `equivalent` to `payee`, routed by the hub.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PaymentOrder {
    /// Who receives: a PID (a member of this hub) or a `geo:participant?hub=…&pid=…` address (a
    /// member of a linked hub, `spec/federation.md` §2).
    pub payee: String,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// How much (at most the equivalent's precision).
    pub amount: Amount,
    /// A note for the payee.
    #[uniffi(default = None)]
    pub description: Option<String>,
    /// Routing limits.
    #[uniffi(default = None)]
    pub constraints: Option<PaymentConstraints>,
}

impl TryFrom<PaymentOrder> for geo_client::PaymentOrder {
    type Error = GeoError;
    fn try_from(o: PaymentOrder) -> Result<Self, GeoError> {
        let mut order =
            geo_client::PaymentOrder::to_payee(&o.payee, o.equivalent.as_str(), o.amount.as_str())?;
        if let Some(d) = &o.description {
            order = order.description(d);
        }
        if let Some(c) = o.constraints {
            order = order.constraints(c.into());
        }
        Ok(order)
    }
}

/// One path of a payment.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Route {
    /// Payer first, payee last.
    pub path: Vec<Pid>,
    /// Amount carried.
    pub amount: Amount,
}

impl TryFrom<geo_client::Route> for Route {
    type Error = GeoError;
    fn try_from(r: geo_client::Route) -> Result<Self, GeoError> {
        Ok(Route {
            path: r.path,
            amount: hub_amount(&r.amount)?,
        })
    }
}

fn routes(list: Vec<geo_client::Route>) -> Result<Vec<Route>, GeoError> {
    list.into_iter().map(Route::try_from).collect()
}

/// A payment's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PaymentState {
    /// Held: reserved, waiting for the payer's commit or abort.
    Prepared,
    /// Applied.
    Committed,
    /// Ended with nothing applied.
    Aborted,
}

impl From<PaymentState> for geo_client::PaymentState {
    fn from(s: PaymentState) -> Self {
        match s {
            PaymentState::Prepared => geo_client::PaymentState::Prepared,
            PaymentState::Committed => geo_client::PaymentState::Committed,
            PaymentState::Aborted => geo_client::PaymentState::Aborted,
        }
    }
}

impl From<geo_client::PaymentState> for PaymentState {
    fn from(s: geo_client::PaymentState) -> Self {
        match s {
            geo_client::PaymentState::Prepared => PaymentState::Prepared,
            geo_client::PaymentState::Committed => PaymentState::Committed,
            geo_client::PaymentState::Aborted => PaymentState::Aborted,
        }
    }
}

/// A payment as the hub reports it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Payment {
    /// Id.
    pub tx_id: TxId,
    /// Payer.
    pub payer: Pid,
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Amount.
    pub amount: Amount,
    /// State.
    pub status: PaymentState,
    /// Why it aborted (`E_…`).
    pub error_code: Option<String>,
    /// Paths used (or reserved while held).
    pub routes: Vec<Route>,
    /// The payer's note.
    pub description: Option<String>,
    /// Request time.
    pub created_at: String,
    /// Commit or abort time.
    pub decided_at: Option<String>,
    /// When a hold lapses.
    pub hold_expires_at: Option<String>,
    /// The payee's invoice it pays, when the payer named one.
    pub invoice_id: Option<String>,
    /// Journal position.
    pub journal_seq: u64,
    /// The hub-signed receipt (JSON text), for ended payments.
    pub receipt: Option<String>,
    /// A committed payment to another hub's member: that hub's signed receipt (JSON text), as
    /// received (verify with [`crate::client::HubClient::verify_payment`]).
    pub peer_receipt: Option<String>,
    /// With `peer_receipt`: the public key (base64) of the hub that signed it.
    pub peer_hub_key: Option<String>,
    /// With `peer_receipt`: the preimage of the payment's condition that hub released.
    pub preimage: Option<String>,
}

impl TryFrom<geo_client::Payment> for Payment {
    type Error = GeoError;
    fn try_from(p: geo_client::Payment) -> Result<Self, GeoError> {
        Ok(Payment {
            tx_id: hub_tx(&p.tx_id)?,
            payer: p.payer,
            payee: p.payee,
            equivalent: p.equivalent,
            amount: hub_amount(&p.amount)?,
            status: p.status.into(),
            error_code: p.error_code.map(|c| c.as_str().to_owned()),
            routes: routes(p.routes)?,
            description: p.description,
            invoice_id: p.invoice_id,
            created_at: p.created_at,
            decided_at: p.decided_at,
            hold_expires_at: p.hold_expires_at,
            journal_seq: p.journal_seq,
            receipt: p.receipt,
            peer_receipt: p.peer_receipt,
            peer_hub_key: p.peer_hub_key,
            preimage: p.preimage,
        })
    }
}

/// Back to the hub's view, to verify a payment as it was reported (an unknown error code is
/// `E_VALIDATION`).
impl TryFrom<Payment> for geo_client::Payment {
    type Error = GeoError;
    fn try_from(p: Payment) -> Result<Self, GeoError> {
        let error_code = p
            .error_code
            .map(|c| {
                geo_protocol::ErrorCode::parse(&c).ok_or_else(|| {
                    GeoError::validation(
                        geo_protocol::ErrorCode::Validation,
                        format!("{c:?} is not an error code"),
                    )
                })
            })
            .transpose()?;
        Ok(geo_client::Payment {
            tx_id: p.tx_id.to_string(),
            payer: p.payer,
            payee: p.payee,
            equivalent: p.equivalent,
            amount: p.amount.as_str().to_owned(),
            status: p.status.into(),
            error_code,
            routes: p
                .routes
                .into_iter()
                .map(|r| geo_client::Route {
                    path: r.path,
                    amount: r.amount.as_str().to_owned(),
                })
                .collect(),
            description: p.description,
            invoice_id: p.invoice_id,
            created_at: p.created_at,
            decided_at: p.decided_at,
            hold_expires_at: p.hold_expires_at,
            journal_seq: p.journal_seq,
            receipt: p.receipt,
            peer_receipt: p.peer_receipt,
            peer_hub_key: p.peer_hub_key,
            preimage: p.preimage,
        })
    }
}

/// A hub-signed payment receipt, already verified against the hub's published key.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Receipt {
    /// Payment id.
    pub tx_id: TxId,
    /// Payer.
    pub payer: Pid,
    /// Payee (for a payment to another hub's member: that hub, whose account here was paid).
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Amount.
    pub amount: Amount,
    /// Committed or aborted.
    pub status: PaymentState,
    /// Why it aborted.
    pub error_code: Option<String>,
    /// Paths used.
    pub routes: Vec<Route>,
    /// Digest of the payer's signed request the receipt answers.
    pub request_digest: String,
    /// When it was decided.
    pub decided_at: String,
    /// Journal position of a commit.
    pub journal_seq: Option<u64>,
    /// The signed receipt as JSON text (keep it as proof).
    pub json: String,
    /// A payment to another hub's member (`spec/federation.md` §6): the payee's hub's receipt of
    /// its part, verified by the SDK with that hub's key.
    pub peer_receipt: Option<PeerReceipt>,
}

/// The payee's hub's receipt of its part of a cross-hub payment (its account of the payer's hub
/// to the payee), verified with that hub's key: same `tx_id`, equivalent and amount, committed.
/// A record of its own because uniffi records cannot nest themselves.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PeerReceipt {
    /// Payment id (the same as the payer's hub's receipt).
    pub tx_id: TxId,
    /// The payer's hub.
    pub payer: Pid,
    /// The member of the other hub who was paid.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Amount.
    pub amount: Amount,
    /// Committed.
    pub status: PaymentState,
    /// Paths used within the payee's hub.
    pub routes: Vec<Route>,
    /// Digest of the hub-to-hub request the receipt answers.
    pub request_digest: String,
    /// When it was decided.
    pub decided_at: String,
    /// Journal position at the payee's hub.
    pub journal_seq: Option<u64>,
    /// The payee's hub's signed receipt as JSON text (keep it as proof).
    pub json: String,
}

impl TryFrom<geo_client::Receipt> for PeerReceipt {
    type Error = GeoError;
    fn try_from(r: geo_client::Receipt) -> Result<Self, GeoError> {
        Ok(PeerReceipt {
            tx_id: hub_tx(&r.tx_id)?,
            payer: r.payer,
            payee: r.payee,
            equivalent: hub_code(&r.equivalent)?,
            amount: hub_amount(&r.amount)?,
            status: r.status.into(),
            routes: routes(r.routes)?,
            request_digest: r.request_digest,
            decided_at: r.decided_at,
            journal_seq: r.journal_seq,
            json: r.json,
        })
    }
}

impl TryFrom<geo_client::Receipt> for Receipt {
    type Error = GeoError;
    fn try_from(r: geo_client::Receipt) -> Result<Self, GeoError> {
        Ok(Receipt {
            tx_id: hub_tx(&r.tx_id)?,
            payer: r.payer,
            payee: r.payee,
            equivalent: hub_code(&r.equivalent)?,
            amount: hub_amount(&r.amount)?,
            status: r.status.into(),
            error_code: r.error_code.map(|c| c.as_str().to_owned()),
            routes: routes(r.routes)?,
            request_digest: r.request_digest,
            decided_at: r.decided_at,
            journal_seq: r.journal_seq,
            json: r.json,
            peer_receipt: r.peer_receipt.map(|p| (*p).try_into()).transpose()?,
        })
    }
}

/// A payment with its verified receipt (absent while held).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PaymentRecord {
    /// The hub's view.
    pub payment: Payment,
    /// The verified receipt, once the payment ended.
    pub receipt: Option<Receipt>,
}

impl TryFrom<geo_client::PaymentRecord> for PaymentRecord {
    type Error = GeoError;
    fn try_from(r: geo_client::PaymentRecord) -> Result<Self, GeoError> {
        Ok(PaymentRecord {
            payment: r.payment.try_into()?,
            receipt: r.receipt.map(Receipt::try_from).transpose()?,
        })
    }
}

/// Which payments to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct HistoryFilter {
    /// `sent`, `received` or `relayed`; none: all three.
    #[uniffi(default = None)]
    pub direction: Option<String>,
    /// Only this equivalent.
    #[uniffi(default = None)]
    pub equivalent: Option<EquivalentCode>,
    /// `prepared`, `committed` or `aborted`.
    #[uniffi(default = None)]
    pub status: Option<String>,
    /// From this time (RFC 3339).
    #[uniffi(default = None)]
    pub from: Option<String>,
    /// Until this time (RFC 3339).
    #[uniffi(default = None)]
    pub to: Option<String>,
    /// Page size.
    #[uniffi(default = None)]
    pub limit: Option<u32>,
}

impl From<HistoryFilter> for geo_client::HistoryFilter {
    fn from(f: HistoryFilter) -> Self {
        geo_client::HistoryFilter {
            direction: f.direction,
            equivalent: f.equivalent.map(|c| c.as_str().to_owned()),
            status: f.status,
            from: f.from,
            to: f.to,
            limit: f.limit,
            cursor: None,
        }
    }
}

/// What the payer could send to a payee now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Capacity {
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// The most the router can route now.
    pub max_amount: Amount,
    /// Whether the asked amount (if any) can be paid.
    pub can_pay: Option<bool>,
}

impl TryFrom<geo_client::Capacity> for Capacity {
    type Error = GeoError;
    fn try_from(c: geo_client::Capacity) -> Result<Self, GeoError> {
        Ok(Capacity {
            payee: c.payee,
            equivalent: c.equivalent,
            max_amount: hub_amount(&c.max_amount)?,
            can_pay: c.can_pay,
        })
    }
}

/// The caller's totals in one equivalent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Balance {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Sum of limits the caller extends.
    pub trust_given: Amount,
    /// Sum of limits extended to the caller.
    pub trust_received: Amount,
    /// What the caller owes.
    pub debt: Amount,
    /// What is owed to the caller.
    pub credit: Amount,
    /// credit − debt.
    pub net: SignedAmount,
    /// Sum of direct capacity to every counterparty.
    pub available_to_spend: Amount,
    /// Sum of direct capacity from every counterparty.
    pub available_to_receive: Amount,
}

impl TryFrom<geo_client::Balance> for Balance {
    type Error = GeoError;
    fn try_from(b: geo_client::Balance) -> Result<Self, GeoError> {
        Ok(Balance {
            equivalent: b.equivalent,
            trust_given: hub_amount(&b.trust_given)?,
            trust_received: hub_amount(&b.trust_received)?,
            debt: hub_amount(&b.debt)?,
            credit: hub_amount(&b.credit)?,
            net: SignedAmount::parse(&b.net).map_err(|e| {
                GeoError::invalid_response(format!("the hub sent net {:?}: {e}", b.net))
            })?,
            available_to_spend: hub_amount(&b.available_to_spend)?,
            available_to_receive: hub_amount(&b.available_to_receive)?,
        })
    }
}

/// The caller's position with one counterparty.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Counterparty {
    /// Counterparty.
    pub pid: Pid,
    /// Its display name.
    pub display_name: String,
    /// What the caller owes it.
    pub i_owe: Amount,
    /// What it owes the caller.
    pub owes_me: Amount,
    /// Limit of the caller's line to it.
    pub limit_given: Amount,
    /// Limit of its line to the caller.
    pub limit_received: Amount,
}

impl TryFrom<geo_client::Counterparty> for Counterparty {
    type Error = GeoError;
    fn try_from(c: geo_client::Counterparty) -> Result<Self, GeoError> {
        Ok(Counterparty {
            pid: c.pid,
            display_name: c.display_name,
            i_owe: hub_amount(&c.i_owe)?,
            owes_me: hub_amount(&c.owes_me)?,
            limit_given: hub_amount(&c.limit_given)?,
            limit_received: hub_amount(&c.limit_received)?,
        })
    }
}

/// One set-off of a clearing: `amount` of the debt `debtor → creditor` is removed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SetOff {
    /// Owes.
    pub debtor: Pid,
    /// Is owed.
    pub creditor: Pid,
    /// Amount set off.
    pub amount: Amount,
}

impl TryFrom<geo_client::SetOff> for SetOff {
    type Error = GeoError;
    fn try_from(s: geo_client::SetOff) -> Result<Self, GeoError> {
        Ok(SetOff {
            debtor: s.debtor,
            creditor: s.creditor,
            amount: hub_amount(&s.amount)?,
        })
    }
}

pub(crate) fn set_offs(list: Vec<geo_client::SetOff>) -> Result<Vec<SetOff>, GeoError> {
    list.into_iter().map(SetOff::try_from).collect()
}

/// An open clearing proposal, verified against the hub's key before it is shown.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClearingProposal {
    /// Its id.
    pub clearing_id: String,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Creditors whose consent is needed.
    pub consent_required_from: Vec<Pid>,
    /// Those who accepted so far.
    pub accepted_by: Vec<Pid>,
    /// When it lapses.
    pub expires_at: String,
    /// The hub-signed `clearing_proposal` message (JSON text).
    pub proposal: String,
    /// What a consent names: the digest of that message.
    pub proposal_digest: String,
}

impl From<geo_client::ClearingProposal> for ClearingProposal {
    fn from(p: geo_client::ClearingProposal) -> Self {
        ClearingProposal {
            clearing_id: p.clearing_id,
            equivalent: p.equivalent,
            consent_required_from: p.consent_required_from,
            accepted_by: p.accepted_by,
            expires_at: p.expires_at,
            proposal: p.proposal,
            proposal_digest: p.proposal_digest,
        }
    }
}

impl From<ClearingProposal> for geo_client::ClearingProposal {
    fn from(p: ClearingProposal) -> Self {
        geo_client::ClearingProposal {
            clearing_id: p.clearing_id,
            equivalent: p.equivalent,
            consent_required_from: p.consent_required_from,
            accepted_by: p.accepted_by,
            expires_at: p.expires_at,
            proposal: p.proposal,
            proposal_digest: p.proposal_digest,
        }
    }
}

/// The answer to a consent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentOutcome {
    /// The proposal.
    pub clearing_id: String,
    /// `open`, `committed`, `rejected`, …
    pub status: String,
}

impl From<geo_client::ConsentOutcome> for ConsentOutcome {
    fn from(c: geo_client::ConsentOutcome) -> Self {
        ConsentOutcome {
            clearing_id: c.clearing_id,
            status: c.status,
        }
    }
}

/// An applied clearing that touched the caller, its hub-signed receipt verified.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Clearing {
    /// Its id.
    pub clearing_id: String,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// What was set off.
    pub edges: Vec<SetOff>,
    /// When.
    pub at: String,
    /// Journal position.
    pub journal_seq: u64,
    /// The hub-signed `clearing_receipt` (JSON text).
    pub receipt: Option<String>,
}

impl TryFrom<geo_client::Clearing> for Clearing {
    type Error = GeoError;
    fn try_from(c: geo_client::Clearing) -> Result<Self, GeoError> {
        Ok(Clearing {
            clearing_id: c.clearing_id,
            equivalent: c.equivalent,
            edges: set_offs(c.edges)?,
            at: c.at,
            journal_seq: c.journal_seq,
            receipt: c.receipt,
        })
    }
}

/// What an operator-run clearing did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClearingRun {
    /// Whether a clearing was applied.
    pub cleared: bool,
    /// Its id when applied.
    pub clearing_id: Option<String>,
    /// Total set off when applied.
    pub total: Option<Amount>,
    /// A proposal opened for creditors who did not consent in advance.
    pub proposal: Option<String>,
}

impl TryFrom<geo_client::ClearingRun> for ClearingRun {
    type Error = GeoError;
    fn try_from(r: geo_client::ClearingRun) -> Result<Self, GeoError> {
        Ok(ClearingRun {
            cleared: r.cleared,
            clearing_id: r.clearing_id,
            total: r.total.as_deref().map(hub_amount).transpose()?,
            proposal: r.proposal,
        })
    }
}

/// A member of the trust network around the caller.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NetworkMember {
    /// PID.
    pub pid: Pid,
    /// Display name.
    pub display_name: String,
    /// Fewest trust lines between the caller and it (0: the caller).
    pub hops: u8,
}

/// A live trust line `creditor → debtor` in the network around the caller; amounts only on the
/// caller's own lines.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NetworkLine {
    /// Extends the credit.
    pub creditor: Pid,
    /// May owe.
    pub debtor: Pid,
    /// The debtor owes something on it now.
    pub in_debt: bool,
    /// The limit (the caller's own lines only).
    pub limit: Option<Amount>,
    /// What the debtor owes (the caller's own lines only).
    pub used: Option<Amount>,
}

/// The trust network around the caller in one equivalent (spec §8.7).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Neighbourhood {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Hops it reaches.
    pub depth: u8,
    /// The caller first, then by hops.
    pub members: Vec<NetworkMember>,
    /// Every live line between two members.
    pub lines: Vec<NetworkLine>,
    /// More members were within reach than listed.
    pub truncated: bool,
}

impl TryFrom<geo_client::Neighbourhood> for Neighbourhood {
    type Error = GeoError;
    fn try_from(n: geo_client::Neighbourhood) -> Result<Self, GeoError> {
        let lines = n
            .lines
            .into_iter()
            .map(|l| {
                Ok(NetworkLine {
                    creditor: l.creditor,
                    debtor: l.debtor,
                    in_debt: l.in_debt,
                    limit: l.limit.as_deref().map(hub_amount).transpose()?,
                    used: l.used.as_deref().map(hub_amount).transpose()?,
                })
            })
            .collect::<Result<_, GeoError>>()?;
        Ok(Neighbourhood {
            equivalent: n.equivalent,
            depth: n.depth,
            members: n
                .members
                .into_iter()
                .map(|m| NetworkMember {
                    pid: m.pid,
                    display_name: m.display_name,
                    hops: m.hops,
                })
                .collect(),
            lines,
            truncated: n.truncated,
        })
    }
}

/// Converts every item of an SDK list.
pub(crate) fn all<S, T: TryFrom<S, Error = GeoError>>(list: Vec<S>) -> Result<Vec<T>, GeoError> {
    list.into_iter().map(T::try_from).collect()
}
