//! Payments: pay, hold and finish, read back, history, capacity.

use geo_protocol::{
    EquivalentCode, ErrorCode, PaymentAbort, PaymentCommit, PaymentRequest, Pid, SignedMessage,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::page::Page;
use crate::problem::Problem;
use crate::query::{text, ToQuery};
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `POST /payments`.
pub const PAY: Endpoint = Endpoint {
    method: Method::Post,
    path: "/payments",
    access: Access::Bearer,
    summary: "Pay (signed `payment_request`): routed over many paths, all or nothing, idempotent by tx_id. Aborted payments answer with a problem document carrying the signed receipt",
    tag: "payments",
    query: None,
    body: Body::signed::<PaymentRequest>(),
    ok: 200,
    answer: Some(schema::<Payment>),
    problems: &[
        ErrorCode::WrongSigner,
        ErrorCode::SelfPayment,
        ErrorCode::InvalidAmount,
        ErrorCode::UnknownEquivalent,
        ErrorCode::UnknownParticipant,
        ErrorCode::ParticipantInactive,
        ErrorCode::InsufficientCapacity,
        ErrorCode::TxIdConflict,
        ErrorCode::Timeout,
        ErrorCode::HubNotLinked,
        ErrorCode::ConditionMismatch,
        ErrorCode::ExpiryTooShort,
        ErrorCode::PeerHubUnavailable,
    ],
};

/// `POST /payments/batch`.
pub const PAY_BATCH: Endpoint = Endpoint {
    method: Method::Post,
    path: "/payments/batch",
    access: Access::Bearer,
    summary: "Pay several signed `payment_request`s in one request, each signed by its own payer: each is decided on its own, as `POST /payments` decides it (idempotent by tx_id), and answered with its own result, in order",
    tag: "payments",
    query: None,
    body: Body::json::<PaymentBatch>(),
    ok: 200,
    answer: Some(schema::<PaymentBatchResults>),
    problems: &[ErrorCode::RateLimited],
};

/// `GET /payments`.
pub const HISTORY: Endpoint = Endpoint {
    method: Method::Get,
    path: "/payments",
    access: Access::Bearer,
    summary: "The caller's payments (sent, received, relayed), newest first",
    tag: "payments",
    query: Some(schema::<HistoryQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Page<Payment>>),
    problems: &[ErrorCode::Validation],
};

/// `GET /payments/capacity`.
pub const CAPACITY: Endpoint = Endpoint {
    method: Method::Get,
    path: "/payments/capacity",
    access: Access::Bearer,
    summary: "How much the caller can pay a payee now; with `payee_hub`, a member of a linked hub (federation.md §12)",
    tag: "payments",
    query: Some(schema::<CapacityQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Capacity>),
    problems: &[
        ErrorCode::Validation,
        ErrorCode::UnknownEquivalent,
        ErrorCode::UnknownParticipant,
        ErrorCode::ParticipantInactive,
        ErrorCode::InvalidAmount,
        ErrorCode::HubNotLinked,
        ErrorCode::PeerHubUnavailable,
    ],
};

/// `GET /payments/{tx_id}`.
pub const GET: Endpoint = Endpoint {
    method: Method::Get,
    path: "/payments/{tx_id}",
    access: Access::Bearer,
    summary:
        "A payment (its payer, its payee and, once committed, the intermediaries it ran through)",
    tag: "payments",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Payment>),
    problems: &[ErrorCode::Validation, ErrorCode::NotFound],
};

/// `POST /payments/{tx_id}/commit`.
pub const COMMIT: Endpoint = Endpoint {
    method: Method::Post,
    path: "/payments/{tx_id}/commit",
    access: Access::Bearer,
    summary: "Commit a held payment (signed `payment_commit`)",
    tag: "payments",
    query: None,
    body: Body::signed::<PaymentCommit>(),
    ok: 200,
    answer: Some(schema::<Payment>),
    problems: &[
        ErrorCode::Validation,
        ErrorCode::NotFound,
        ErrorCode::ReservationExpired,
        ErrorCode::Conflict,
    ],
};

/// `POST /payments/{tx_id}/abort`.
pub const ABORT: Endpoint = Endpoint {
    method: Method::Post,
    path: "/payments/{tx_id}/abort",
    access: Access::Bearer,
    summary: "Abort a held payment (signed `payment_abort`)",
    tag: "payments",
    query: None,
    body: Body::signed::<PaymentAbort>(),
    ok: 200,
    answer: Some(schema::<Payment>),
    problems: &[
        ErrorCode::Validation,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
    ],
};

/// A payment's state, as stored, shown and filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
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

    /// The state named by its text form.
    pub fn parse(text: &str) -> Option<PaymentState> {
        [
            PaymentState::Prepared,
            PaymentState::Committed,
            PaymentState::Aborted,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One path of a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Route {
    /// Payer first, payee last.
    pub path: Vec<Pid>,
    /// Amount carried.
    pub amount: String,
}

/// A payment and, once it has ended, the hub-signed receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// `prepared`, `committed` or `aborted`.
    pub status: PaymentState,
    /// Why it aborted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ErrorCode>,
    /// Paths used (or reserved while prepared).
    pub routes: Vec<Route>,
    /// The payer's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The payee's invoice this pays (protocol §6.4), as the payer's request names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
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
    /// The hub-signed `payment_receipt` (JSON text; committed and aborted payments).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::json_text::opt"
    )]
    #[schemars(schema_with = "crate::json_text::schema")]
    pub receipt: Option<String>,
    /// A committed payment to another hub's member (federation.md §6): that hub's signed
    /// `payment_receipt` of its part (JSON text), verifiable with its key.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::json_text::opt"
    )]
    #[schemars(schema_with = "crate::json_text::schema")]
    pub peer_receipt: Option<String>,
    /// With `peer_receipt`: the public key (base64) of the hub that signed it, whose PID (the key's
    /// hash) is this hub's receipt's payee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_hub_key: Option<String>,
    /// With `peer_receipt`: the preimage of the payment's condition the payee's hub released.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preimage: Option<String>,
}

/// The body of `POST /payments/batch`.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentBatch {
    /// Signed `payment_request`s, each exactly as `POST /payments` takes it (1 to the hub's cap,
    /// 64 by default). Each is read on its own: one that is not a valid signed request gets its own
    /// problem, the others are still decided.
    #[schemars(with = "Vec<SignedMessage<PaymentRequest>>")]
    pub payments: Vec<Box<RawValue>>,
}

impl PaymentBatch {
    /// A batch of signed requests (their wire text, unchanged).
    pub fn of(signed: &[SignedMessage<PaymentRequest>]) -> PaymentBatch {
        PaymentBatch {
            payments: signed
                .iter()
                .map(|m| RawValue::from_string(m.to_json()).expect("signed messages are JSON"))
                .collect(),
        }
    }
}

/// The answer of `POST /payments/batch`: one result per payment sent, in the order sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentBatchResults {
    /// The results, in the order of the batch's `payments`.
    pub results: Vec<PaymentResult>,
}

/// What `POST /payments` would have answered for one payment of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentResult {
    /// The payment, committed or prepared (`POST /payments`' 200 answer).
    Payment(Box<Payment>),
    /// The refusal `POST /payments` would have answered (an aborted payment's carries the payment
    /// and its signed receipt); `status` is the HTTP status it would have had.
    Problem(Box<Problem>),
}

/// The query of `GET /payments`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// `all` (default), `sent`, `received` (never aborted payments: the payee was not part of
    /// them) or `relayed` (committed payments that ran through the caller).
    #[schemars(extend("enum" = ["all", "sent", "received", "relayed"]))]
    pub direction: Option<String>,
    /// One equivalent only (code).
    pub equivalent: Option<String>,
    /// `prepared`, `committed` or `aborted`.
    #[schemars(extend("enum" = ["prepared", "committed", "aborted"]))]
    pub status: Option<String>,
    /// From this time (RFC 3339 UTC).
    pub from: Option<String>,
    /// Up to this time (RFC 3339 UTC).
    pub to: Option<String>,
    /// Page size 1..=200 (default 50).
    pub limit: Option<u32>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
}

impl ToQuery for HistoryQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("direction", self.direction.clone()),
            ("equivalent", self.equivalent.clone()),
            ("status", self.status.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("limit", text(&self.limit)),
            ("cursor", self.cursor.clone()),
        ]
    }
}

/// The query of `GET /payments/capacity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityQuery {
    /// Payee (PID).
    pub payee: String,
    /// The payee's hub (its URL, federation.md §2) when the payee is a member of another
    /// community; absent for a member of this hub.
    pub payee_hub: Option<String>,
    /// Equivalent code.
    pub equivalent: String,
    /// Check whether this amount can be paid.
    pub amount: Option<String>,
    /// Hops per path, 1..=8 (default: the hub's).
    pub max_hops: Option<u8>,
    /// Paths, 1..=64 (default: the hub's).
    pub max_paths: Option<u16>,
}

impl ToQuery for CapacityQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("payee", Some(self.payee.clone())),
            ("payee_hub", self.payee_hub.clone()),
            ("equivalent", Some(self.equivalent.clone())),
            ("amount", self.amount.clone()),
            ("max_hops", text(&self.max_hops)),
            ("max_paths", text(&self.max_paths)),
        ]
    }
}

/// What the caller could pay a payee now, and nothing a payment of its own would not reveal (spec
/// §8.6): never the payee's own capacity, limits, debts or counterparties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Capacity {
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// The most the router can route from the caller to the payee now under the constraints (the
    /// `max_amount` a refused payment would report); to a member of a linked hub, the smaller of
    /// what each hub routes of it (federation.md §12).
    pub max_amount: String,
    /// Whether `amount` (if given) can be paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_pay: Option<bool>,
}
