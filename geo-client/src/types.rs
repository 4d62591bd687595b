//! What the hub answers, as owned types (amounts are canonical decimal text at the equivalent's
//! precision, never floats).

use geo_protocol::{EquivalentCode, ErrorCode, ParticipantKind, Pid, Profile};
use serde::{Deserialize, Serialize};

/// Hub discovery (`GET /api/v1/hub`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubInfo {
    /// Protocol version (`geo/1`).
    pub protocol: String,
    /// The hub's PID: the audience of every participant-signed message.
    pub hub_pid: Pid,
    /// The key the hub signs receipts and proposals with (base64).
    pub public_key: String,
    /// Software version.
    pub version: String,
    /// Storage backend.
    pub backend: String,
    /// Supported features.
    pub features: Vec<String>,
    /// Limits in force.
    pub limits: HubLimits,
}

/// Limits a client must respect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub max_body_bytes: u64,
}

/// A login challenge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Challenge {
    /// The text to sign in a `login` message.
    pub challenge: String,
    /// Unix seconds after which it is refused.
    pub expires_at: i64,
}

/// Tokens after login or refresh.
#[derive(Clone, Serialize, Deserialize)]
pub struct Tokens {
    /// Short-lived bearer token.
    pub access_token: String,
    /// Single-use token that gets a new pair.
    pub refresh_token: String,
    /// Access token lifetime, seconds.
    pub expires_in: i64,
    /// Who logged in.
    pub participant: Participant,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .field("participant", &self.participant.pid)
            .finish_non_exhaustive()
    }
}

/// A participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
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
    /// `active`, `suspended` or `left`.
    pub status: String,
    /// Registered at.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// A unit of account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equivalent {
    /// Code.
    pub code: EquivalentCode,
    /// Decimal places.
    pub precision: u8,
    /// Description.
    pub description: String,
    /// Usable for new lines and payments.
    pub active: bool,
}

/// A trust line's policy as the hub stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinePolicy {
    /// The creditor consents in advance to clearings on this line.
    pub auto_clearing: bool,
    /// Payments entering the creditor through this line may continue onward.
    pub can_be_intermediate: bool,
    /// Participants that may not be intermediates on paths using this line.
    pub blocked_participants: Vec<Pid>,
}

/// A trust line `creditor → debtor`: the debtor may owe the creditor up to `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub limit: String,
    /// What the debtor owes the creditor now.
    pub used: String,
    /// Held by prepared payments.
    pub reserved: String,
    /// How much more the debtor can pay the creditor directly.
    pub available: String,
    /// Policy.
    pub policy: LinePolicy,
    /// `active`.
    pub status: String,
    /// Created at.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// The answer to closing a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// One path of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// Payer first, payee last.
    pub path: Vec<Pid>,
    /// Amount carried.
    pub amount: String,
}

/// A payment's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Held: reserved, waiting for the payer's commit or abort.
    Prepared,
    /// Applied.
    Committed,
    /// Ended with nothing applied.
    Aborted,
}

impl PaymentState {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Prepared => "prepared",
            PaymentState::Committed => "committed",
            PaymentState::Aborted => "aborted",
        }
    }
}

/// A payment as the hub reports it; `receipt` is the hub-signed `payment_receipt` JSON once ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
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
    /// State.
    pub status: PaymentState,
    /// Why it aborted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ErrorCode>,
    /// Paths used (or reserved while held).
    pub routes: Vec<Route>,
    /// The payer's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Request time.
    pub created_at: String,
    /// Commit or abort time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// When a hold lapses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_expires_at: Option<String>,
    /// Journal position.
    pub journal_seq: u64,
    /// The hub-signed receipt (JSON text), for committed and aborted payments.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "json_text_opt"
    )]
    pub receipt: Option<String>,
}

/// A page of results and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass back to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// What the payer could send to a payee now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// The most the router can route now.
    pub max_amount: String,
    /// A cheap upper bound.
    pub upper_bound: String,
    /// Whether the asked amount (if any) can be paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_pay: Option<bool>,
}

/// The caller's totals in one equivalent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counterparty {
    /// Counterparty.
    pub pid: Pid,
    /// Its display name.
    pub display_name: String,
    /// What the caller owes it.
    pub i_owe: String,
    /// What it owes the caller.
    pub owes_me: String,
    /// Limit of the caller's line to it.
    pub limit_given: String,
    /// Limit of its line to the caller.
    pub limit_received: String,
}

/// One set-off of a clearing: `amount` of the debt `debtor → creditor` is removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetOff {
    /// Owes.
    pub debtor: Pid,
    /// Is owed.
    pub creditor: Pid,
    /// Amount set off.
    pub amount: String,
}

/// An open clearing proposal; the hub-signed message is verified by the client before it is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(with = "json_text")]
    pub proposal: String,
    /// What a consent must name: the digest of that message.
    pub proposal_digest: String,
}

/// The answer to a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentOutcome {
    /// The proposal.
    pub clearing_id: String,
    /// `open`, `committed`, `rejected`, …
    pub status: String,
}

/// An applied clearing that touched the caller, with its hub-signed receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "json_text_opt"
    )]
    pub receipt: Option<String>,
}

/// What an operator-run clearing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClearingRun {
    /// Whether a clearing was applied.
    pub cleared: bool,
    /// Its id when applied.
    #[serde(default)]
    pub clearing_id: Option<String>,
    /// Total set off when applied.
    #[serde(default)]
    pub total: Option<String>,
    /// A proposal opened for creditors who did not consent in advance.
    #[serde(default)]
    pub proposal: Option<String>,
}

/// Serialises embedded JSON documents as JSON, holds them as text (owned, FFI-friendly).
mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    pub fn serialize<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
        let v: Value = serde_json::from_str(text).map_err(serde::ser::Error::custom)?;
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(Value::deserialize(d)?.to_string())
    }
}

mod json_text_opt {
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::Value;

    pub fn serialize<S: Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match text {
            Some(t) => super::json_text::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<Value>::deserialize(d)?
            .filter(|v| !v.is_null())
            .map(|v| v.to_string()))
    }
}
