//! Response bodies. Amounts are canonical decimal strings at the equivalent's precision.

use geo_protocol::{
    Amount, EquivalentCode, Identity, Nonce, ParticipantKind, PaymentReceipt, Pid, Precision,
    Profile, SignedMessage,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::records::{PaymentRecord, PaymentStatusText};
use crate::engine::state::{Book, Participant, ParticipantStatus, TrustLine, TrustLinePolicyState};
use crate::engine::Engine;

/// Hub discovery: who the hub is and what it supports.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct HubInfo {
    /// Protocol version (`geo/1`).
    pub protocol: String,
    /// The hub's PID: the audience of every participant-signed message.
    pub hub_pid: Pid,
    /// The key receipts are signed with.
    pub public_key: String,
    /// Software version.
    pub version: String,
    /// Storage backend (`sqlite` or `postgres`).
    pub backend: String,
    /// Supported features.
    pub features: Vec<String>,
    /// Limits in force.
    pub limits: HubLimits,
}

/// Limits a client must respect.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct HubLimits {
    /// Default and maximum hops per path.
    pub max_hops: u8,
    /// Default and maximum paths per payment.
    pub max_paths: u16,
    /// Longest hold, seconds.
    pub max_hold_seconds: u32,
    /// Longest validity window of a signed message, seconds.
    pub max_validity_seconds: i64,
    /// Accepted clock skew, seconds.
    pub max_clock_skew_seconds: i64,
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
    /// Seconds a login challenge stays usable.
    pub challenge_ttl_seconds: i64,
}

/// A login challenge.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ChallengeView {
    /// Sign this text in a `login` message.
    pub challenge: String,
    /// Unix seconds after which it is refused.
    pub expires_at: i64,
}

/// Tokens after login or refresh.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct TokenView {
    /// Short-lived bearer token.
    pub access_token: String,
    /// Single-use token to get a new pair.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Access token lifetime, seconds.
    pub expires_in: i64,
    /// Refresh token lifetime, seconds.
    pub refresh_expires_in: i64,
    /// Who logged in.
    pub participant: ParticipantView,
}

/// A participant.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantView {
    /// PID.
    pub pid: Pid,
    /// Public key (base64).
    pub public_key: String,
    /// Display name.
    pub display_name: String,
    /// Person, business or hub.
    pub kind: ParticipantKind,
    /// Public profile.
    pub profile: Profile,
    /// Active, suspended or left.
    pub status: ParticipantStatus,
    /// Registered at.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

impl From<&Participant> for ParticipantView {
    fn from(p: &Participant) -> Self {
        ParticipantView {
            pid: p.pid.clone(),
            public_key: p.public_key.to_base64(),
            display_name: p.display_name.clone(),
            kind: p.kind,
            profile: p.profile.clone(),
            status: p.status,
            created_at: p.created_at.to_string(),
            updated_at: p.updated_at.to_string(),
        }
    }
}

/// A page of results and the cursor of the next page (absent on the last page).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// An equivalent.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct EquivalentView {
    /// Code.
    pub code: EquivalentCode,
    /// Decimal places.
    pub precision: u8,
    /// Description.
    pub description: String,
    /// Usable for new lines and payments.
    pub active: bool,
}

impl From<&Book> for EquivalentView {
    fn from(b: &Book) -> Self {
        EquivalentView {
            code: b.code.clone(),
            precision: b.precision.places(),
            description: b.description.clone(),
            active: b.active,
        }
    }
}

/// A trust line `creditor → debtor`: the debtor may owe the creditor up to `limit`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct TrustLineView {
    /// Line id.
    pub id: String,
    /// Owner.
    pub creditor: Pid,
    /// May owe.
    pub debtor: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Limit.
    pub limit: String,
    /// What the debtor owes the creditor now.
    pub used: String,
    /// Held by prepared payments from the debtor to the creditor.
    pub reserved: String,
    /// How much more the debtor can pay the creditor directly (limit − used + reverse debt − reserved).
    pub available: String,
    /// Policy.
    pub policy: TrustLinePolicyState,
    /// `active` (closed lines are not listed).
    pub status: String,
    /// Created at.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// Renders a live line.
pub fn trust_line_view(engine: &Engine, book: &Book, line: &TrustLine) -> TrustLineView {
    let l = &engine.ledger;
    let text = |m: u64| Amount::from_minor(m, book.precision).to_string();
    TrustLineView {
        id: line.id.to_string(),
        creditor: l.pid(line.creditor).clone(),
        debtor: l.pid(line.debtor).clone(),
        equivalent: book.code.clone(),
        limit: text(line.limit),
        used: text(book.debt(line.debtor, line.creditor)),
        reserved: text(book.reserved(line.debtor, line.creditor)),
        available: text(book.capacity(line.debtor, line.creditor).max(0) as u64),
        policy: line.policy.clone(),
        status: "active".into(),
        created_at: line.created_at.to_string(),
        updated_at: line.updated_at.to_string(),
    }
}

/// One path of a payment.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct RouteView {
    /// Payer first, payee last.
    pub path: Vec<Pid>,
    /// Amount carried.
    pub amount: String,
}

/// A payment and, once it has ended, the hub-signed receipt.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct PaymentView {
    /// Id.
    pub tx_id: String,
    /// Payer.
    pub payer: Pid,
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Amount.
    pub amount: String,
    /// `prepared`, `committed` or `aborted`.
    pub status: PaymentStatusText,
    /// Why it aborted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<geo_protocol::ErrorCode>,
    /// Paths used (or reserved while prepared).
    pub routes: Vec<RouteView>,
    /// The payer's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Request time.
    pub created_at: String,
    /// Commit or abort time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// When a hold lapses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold_expires_at: Option<String>,
    /// Journal position.
    pub journal_seq: u64,
    /// The hub-signed `payment_receipt` (committed and aborted payments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Value>,
}

/// Signs a receipt deterministically (same outcome, same bytes), so it can be produced on any read.
pub fn sign_receipt(hub: &Identity, receipt: PaymentReceipt) -> SignedMessage<PaymentReceipt> {
    let seed = geo_protocol::Digest::of(
        format!("geo receipt {} {:?}", receipt.tx_id, receipt.status).as_bytes(),
    );
    let nonce = Nonce::from_random_bytes(seed.to_bytes()[..16].try_into().expect("16 bytes"));
    let at = receipt.decided_at;
    geo_protocol::Envelope::new(hub.pid(), None, nonce, at, 600, receipt)
        .sign(hub)
        .expect("receipts are valid")
}

/// Renders a payment record with its receipt.
pub fn payment_view(hub: &Identity, r: &PaymentRecord) -> PaymentView {
    PaymentView {
        tx_id: r.tx_id.to_string(),
        payer: r.payer.clone(),
        payee: r.payee.clone(),
        equivalent: r.equivalent.clone(),
        amount: r.text(r.amount),
        status: r.status,
        error_code: r.error_code,
        routes: r
            .routes
            .iter()
            .map(|p| RouteView {
                path: p.path.clone(),
                amount: r.text(p.amount),
            })
            .collect(),
        description: r.description.clone(),
        created_at: r.created_at.to_string(),
        decided_at: r.decided_at.map(|t| t.to_string()),
        hold_expires_at: r.hold_expires_at.map(|t| t.to_string()),
        journal_seq: r.journal_seq,
        receipt: r.receipt().map(|rc| sign_receipt(hub, rc).to_value()),
    }
}

/// What the payer could send to a payee now.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CapacityView {
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// The most the router can route under the constraints.
    pub max_amount: String,
    /// A cheap upper bound (min of the payer's out- and the payee's in-capacity).
    pub upper_bound: String,
    /// Whether `amount` (if given) can be paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_pay: Option<bool>,
}

/// Totals in one equivalent for the caller.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct BalanceView {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Sum of limits the caller extends.
    pub trust_given: String,
    /// Sum of limits extended to the caller.
    pub trust_received: String,
    /// What the caller owes.
    pub debt: String,
    /// What is owed to the caller.
    pub credit: String,
    /// credit − debt (may start with `-`).
    pub net: String,
    /// Sum of direct capacity to every counterparty.
    pub available_to_spend: String,
    /// Sum of direct capacity from every counterparty.
    pub available_to_receive: String,
}

/// The caller's position with one counterparty.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CounterpartyView {
    /// Counterparty.
    pub pid: Pid,
    /// Its display name.
    pub display_name: String,
    /// What the caller owes it.
    pub i_owe: String,
    /// What it owes the caller.
    pub owes_me: String,
    /// Limit of the caller's line to it (0 when none).
    pub limit_given: String,
    /// Limit of its line to the caller (0 when none).
    pub limit_received: String,
}

/// Signed decimal text of a minor-unit difference.
pub fn signed_text(minor: i128, precision: Precision) -> String {
    let abs = Amount::from_minor(minor.unsigned_abs().min(u64::MAX as u128) as u64, precision)
        .to_string();
    if minor < 0 {
        format!("-{abs}")
    } else {
        abs
    }
}

/// A computed balance view for one book.
pub fn balance_view(book: &Book, me: u32) -> BalanceView {
    let p = book.precision;
    let (mut given, mut received, mut debt, mut credit, mut spend, mut receive) =
        (0u128, 0u128, 0u128, 0u128, 0u128, 0u128);
    if let Some(neigh) = book.neighbours.get(&me) {
        for &x in neigh {
            given += book.limit(me, x) as u128;
            received += book.limit(x, me) as u128;
            debt += book.debt(me, x) as u128;
            credit += book.debt(x, me) as u128;
            spend += book.capacity(me, x).max(0) as u128;
            receive += book.capacity(x, me).max(0) as u128;
        }
    }
    let t = |v: u128| Amount::from_minor(v.min(u64::MAX as u128) as u64, p).to_string();
    BalanceView {
        equivalent: book.code.clone(),
        trust_given: t(given),
        trust_received: t(received),
        debt: t(debt),
        credit: t(credit),
        net: signed_text(credit as i128 - debt as i128, p),
        available_to_spend: t(spend),
        available_to_receive: t(receive),
    }
}

/// What the optimal clearing would set off now.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ClearingPreviewView {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Total debt the optimal clearing would remove now (consenting debts only).
    pub clearable: String,
    /// Debts it would reduce.
    pub debts_reduced: usize,
    /// Debts whose creditor consents to clearing in advance.
    pub clearable_debts: usize,
    /// All debt in the equivalent.
    pub total_debt: String,
}

/// Signs a clearing receipt from a `clearing_committed` event body (deterministic, like payment receipts).
pub fn clearing_receipt(
    hub: &Identity,
    body: &Value,
    journal_seq: u64,
    precision: Precision,
) -> Option<Value> {
    let edges: Vec<geo_protocol::messages::DebtEdge> =
        serde_json::from_value(body.get("edges")?.clone()).ok()?;
    let total: u64 = edges
        .iter()
        .map(|e| {
            e.amount
                .to_amount(precision)
                .map(|a| a.minor())
                .unwrap_or(0)
        })
        .sum();
    let receipt = geo_protocol::ClearingReceipt {
        clearing_id: body.get("clearing_id")?.as_str()?.parse().ok()?,
        equivalent: body.get("equivalent")?.as_str()?.parse().ok()?,
        edges,
        total: Amount::from_minor(total, precision).to_decimal(),
        committed_at: body.get("at")?.as_str()?.parse().ok()?,
        journal_seq,
    };
    let seed = geo_protocol::Digest::of(
        format!("geo clearing receipt {}", receipt.clearing_id).as_bytes(),
    );
    let nonce = Nonce::from_random_bytes(seed.to_bytes()[..16].try_into().ok()?);
    let at = receipt.committed_at;
    let signed = geo_protocol::Envelope::new(hub.pid(), None, nonce, at, 600, receipt)
        .sign(hub)
        .ok()?;
    Some(signed.to_value())
}

/// An open clearing proposal as a participant sees it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ProposalView {
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
    /// The hub-signed `clearing_proposal` message.
    pub proposal: Value,
    /// What a `clearing_consent` must name: the digest of that message's signed bytes.
    pub proposal_digest: String,
}

/// Renders (and deterministically signs) an open proposal.
pub fn proposal_view(
    hub: &Identity,
    ledger: &crate::engine::state::Ledger,
    book: &Book,
    p: &crate::engine::state::Proposal,
) -> ProposalView {
    let text = |m: u64| Amount::from_minor(m, book.precision).to_decimal();
    let payload = geo_protocol::ClearingProposal {
        clearing_id: p.id,
        equivalent: book.code.clone(),
        edges: p
            .set_offs
            .iter()
            .map(|&(d, c, a)| geo_protocol::messages::DebtEdge {
                debtor: ledger.pid(d).clone(),
                creditor: ledger.pid(c).clone(),
                amount: text(a),
            })
            .collect(),
        consent_required_from: p.required.iter().map(|i| ledger.pid(*i).clone()).collect(),
    };
    let seed = geo_protocol::Digest::of(format!("geo clearing proposal {}", p.id).as_bytes());
    let nonce = Nonce::from_random_bytes(seed.to_bytes()[..16].try_into().expect("16 bytes"));
    let ttl = (p.expires_at.unix() - p.created_at.unix()).max(1);
    let signed = geo_protocol::Envelope::new(hub.pid(), None, nonce, p.created_at, ttl, payload)
        .sign(hub)
        .expect("proposals are valid");
    ProposalView {
        clearing_id: p.id.to_string(),
        equivalent: book.code.clone(),
        consent_required_from: p.required.iter().map(|i| ledger.pid(*i).clone()).collect(),
        accepted_by: p.accepted.iter().map(|i| ledger.pid(*i).clone()).collect(),
        expires_at: p.expires_at.to_string(),
        proposal_digest: signed.digest().to_string(),
        proposal: signed.to_value(),
    }
}

/// Integrity report.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct IntegrityView {
    /// `ok` or `violated`.
    pub status: String,
    /// Journal entries replayed from storage.
    pub journal_entries: u64,
    /// Hash of the last entry.
    pub head_hash: Option<String>,
    /// Problems found (empty when ok).
    pub problems: Vec<String>,
}
