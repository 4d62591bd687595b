//! Operator actions that are not about one concept's data: participant status and integrity.

use geo_protocol::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::participant::{Participant, ParticipantStatus};
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `POST /admin/participants/{pid}/status`.
pub const SET_STATUS: Endpoint = Endpoint {
    method: Method::Post,
    path: "/admin/participants/{pid}/status",
    access: Access::Operator,
    summary: "Suspend, reactivate or retire a participant (operator)",
    tag: "operator",
    query: None,
    body: Body::json::<StatusChange>(),
    ok: 200,
    answer: Some(schema::<Participant>),
    problems: &[ErrorCode::Forbidden, ErrorCode::NotFound],
};

/// `GET /admin/integrity`.
pub const INTEGRITY: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/integrity",
    access: Access::Operator,
    summary: "Replay the journal, verify the hash chain and every invariant (operator)",
    tag: "operator",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<IntegrityReport>),
    problems: &[ErrorCode::Forbidden],
};

/// The body of `POST /admin/participants/{pid}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// The new status.
    pub status: ParticipantStatus,
    /// Why (kept in the journal).
    #[serde(default)]
    pub reason: String,
}

/// The integrity report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IntegrityReport {
    /// `ok` or `violated`.
    pub status: String,
    /// Journal entries replayed from storage.
    pub journal_entries: u64,
    /// Hash of the last entry.
    pub head_hash: Option<String>,
    /// Problems found (empty when ok).
    pub problems: Vec<String>,
}
