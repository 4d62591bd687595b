//! Clearing: debt cycles set off, by the operator's run or by creditors' consent to a proposal.

use geo_protocol::{ClearingConsent, EquivalentCode, ErrorCode, Pid};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::page::{Page, PageQuery};
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `GET /clearing/{equivalent}/preview`.
pub const PREVIEW: Endpoint = Endpoint {
    method: Method::Get,
    path: "/clearing/{equivalent}/preview",
    access: Access::Bearer,
    summary:
        "What the optimal clearing would set off now (debts whose creditor consents in advance)",
    tag: "clearing",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<ClearingPreview>),
    problems: &[ErrorCode::Validation, ErrorCode::UnknownEquivalent],
};

/// `POST /admin/clearing/{equivalent}/run`.
pub const RUN: Endpoint = Endpoint {
    method: Method::Post,
    path: "/admin/clearing/{equivalent}/run",
    access: Access::Operator,
    summary: "Run the optimal clearing now (operator); applied only if no debt changed meanwhile",
    tag: "operator",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<ClearingRun>),
    problems: &[
        ErrorCode::Validation,
        ErrorCode::Forbidden,
        ErrorCode::UnknownEquivalent,
        ErrorCode::Conflict,
    ],
};

/// `GET /clearings`.
pub const LIST: Endpoint = Endpoint {
    method: Method::Get,
    path: "/clearings",
    access: Access::Bearer,
    summary: "The caller's clearings, newest first, each with its hub-signed clearing_receipt",
    tag: "clearing",
    query: Some(schema::<PageQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Page<Clearing>>),
    problems: &[ErrorCode::Validation],
};

/// `GET /clearing/proposals`.
pub const PROPOSALS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/clearing/proposals",
    access: Access::Bearer,
    summary: "Open clearing proposals that involve the caller, each hub-signed with the digest a consent must name",
    tag: "clearing",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Vec<ClearingProposal>>),
    problems: &[],
};

/// `POST /clearing/proposals/{id}/consent`.
pub const CONSENT: Endpoint = Endpoint {
    method: Method::Post,
    path: "/clearing/proposals/{id}/consent",
    access: Access::Bearer,
    summary: "Accept or reject a proposal (signed `clearing_consent`); the last acceptance commits it if every debt still covers its set-off",
    tag: "clearing",
    query: None,
    body: Body::signed::<ClearingConsent>(),
    ok: 200,
    answer: Some(schema::<ConsentOutcome>),
    problems: &[
        ErrorCode::WrongSigner,
        ErrorCode::Forbidden,
        ErrorCode::ProposalClosed,
        ErrorCode::Validation,
    ],
};

/// One set-off of a clearing: `amount` of the debt `debtor → creditor` is removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SetOff {
    /// Owes.
    pub debtor: Pid,
    /// Is owed.
    pub creditor: Pid,
    /// Amount set off.
    pub amount: String,
}

/// What the optimal clearing would set off now. Its totals are exact decimal text and may exceed the
/// largest amount (2^64 − 1 minor units; spec §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ClearingPreview {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Total debt the optimal clearing would remove now (consenting debts only).
    pub clearable: String,
    /// Debts it would reduce.
    pub debts_reduced: u64,
    /// Debts whose creditor consents to clearing in advance.
    pub clearable_debts: u64,
    /// All debt in the equivalent.
    pub total_debt: String,
}

/// An open clearing proposal as a participant sees it; the client verifies the hub-signed message
/// before showing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    #[serde(with = "crate::json_text")]
    #[schemars(schema_with = "crate::json_text::schema")]
    pub proposal: String,
    /// What a `clearing_consent` must name: the digest of that message's signed bytes.
    pub proposal_digest: String,
}

/// The answer to a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConsentOutcome {
    /// The proposal.
    pub clearing_id: String,
    /// `open`, `committed`, `rejected` or `stale`.
    pub status: String,
}

/// An applied clearing that touched the caller, with its hub-signed receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
        with = "crate::json_text::opt"
    )]
    #[schemars(schema_with = "crate::json_text::schema")]
    pub receipt: Option<String>,
}

/// What an operator-run clearing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ClearingRun {
    /// Whether a clearing was applied.
    pub cleared: bool,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Its id when applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearing_id: Option<String>,
    /// Total set off when applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// Debts reduced when applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debts_reduced: Option<u64>,
    /// Journal position when applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal_seq: Option<u64>,
    /// A proposal opened for creditors who did not consent in advance (`null` when none).
    #[serde(default)]
    pub proposal: Option<String>,
}
