//! Trust lines: a creditor lets a debtor owe it up to a limit.

use geo_protocol::{EquivalentCode, ErrorCode, Pid, TrustLineClose, TrustLinePolicy, TrustLineSet};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::page::Page;
use crate::query::{text, ToQuery};
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `POST /trust-lines`.
pub const SET: Endpoint = Endpoint {
    method: Method::Post,
    path: "/trust-lines",
    access: Access::Bearer,
    summary: "Create or change a trust line (signed `trust_line_set`; the signer is the creditor)",
    tag: "trust lines",
    query: None,
    body: Body::signed::<TrustLineSet>(),
    ok: 200,
    answer: Some(schema::<TrustLine>),
    problems: &[
        ErrorCode::WrongSigner,
        ErrorCode::SelfTrust,
        ErrorCode::UnknownEquivalent,
        ErrorCode::UnknownParticipant,
        ErrorCode::InvalidAmount,
        ErrorCode::LimitBelowDebt,
        ErrorCode::ParticipantInactive,
    ],
};

/// `POST /trust-lines/close`.
pub const CLOSE: Endpoint = Endpoint {
    method: Method::Post,
    path: "/trust-lines/close",
    access: Access::Bearer,
    summary: "Close a trust line (signed `trust_line_close`)",
    tag: "trust lines",
    query: None,
    body: Body::signed::<TrustLineClose>(),
    ok: 200,
    answer: Some(schema::<ClosedLine>),
    problems: &[ErrorCode::NotFound, ErrorCode::DebtOutstanding],
};

/// `GET /trust-lines`.
pub const LIST: Endpoint = Endpoint {
    method: Method::Get,
    path: "/trust-lines",
    access: Access::Bearer,
    summary: "The caller's live trust lines",
    tag: "trust lines",
    query: Some(schema::<TrustLineQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Page<TrustLine>>),
    problems: &[ErrorCode::Validation],
};

/// `GET /trust-lines/{id}`.
pub const GET: Endpoint = Endpoint {
    method: Method::Get,
    path: "/trust-lines/{id}",
    access: Access::Bearer,
    summary: "One of the caller's live trust lines",
    tag: "trust lines",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<TrustLine>),
    problems: &[ErrorCode::Validation, ErrorCode::NotFound],
};

/// A trust line's policy as the hub stores it (all defaults applied).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LinePolicy {
    /// The creditor consents in advance to clearings on this line.
    pub auto_clearing: bool,
    /// Payments entering the creditor through this line may continue onward.
    pub can_be_intermediate: bool,
    /// Participants that may not be intermediates on paths using this line.
    pub blocked_participants: Vec<Pid>,
}

impl From<TrustLinePolicy> for LinePolicy {
    fn from(p: TrustLinePolicy) -> Self {
        LinePolicy {
            auto_clearing: p.auto_clearing,
            can_be_intermediate: p.can_be_intermediate,
            blocked_participants: p.blocked_participants,
        }
    }
}

/// A trust line `creditor → debtor`: the debtor may owe the creditor up to `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
    /// Held by prepared payments from the debtor to the creditor.
    pub reserved: String,
    /// How much more the debtor can pay the creditor directly (limit − used + reverse debt − reserved).
    pub available: String,
    /// Policy.
    pub policy: LinePolicy,
    /// `active` (closed lines are not listed).
    pub status: String,
    /// Created at.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// The answer to closing a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

/// The query of `GET /trust-lines`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustLineQuery {
    /// `all` (default), `outgoing` (the caller is the creditor) or `incoming`.
    #[schemars(extend("enum" = ["all", "outgoing", "incoming"]))]
    pub direction: Option<String>,
    /// One equivalent only (code).
    pub equivalent: Option<String>,
    /// Page size 1..=200 (default 50).
    pub limit: Option<u32>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
}

impl ToQuery for TrustLineQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("direction", self.direction.clone()),
            ("equivalent", self.equivalent.clone()),
            ("limit", text(&self.limit)),
            ("cursor", self.cursor.clone()),
        ]
    }
}
