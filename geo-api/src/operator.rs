//! Operator actions that are not about one concept's data: participant status, integrity and the
//! hub's totals.

use geo_protocol::{EquivalentCode, ErrorCode};
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

/// `GET /admin/stats`.
pub const STATS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/stats",
    access: Access::Operator,
    summary: "The hub's totals: participants, journal, holds, payments, debt and clearing per equivalent (operator)",
    tag: "operator",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<HubStats>),
    problems: &[],
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

/// The hub's totals for an operator. Counters only grow, so two samples give a rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HubStats {
    /// Participants by status.
    pub participants: ParticipantCounts,
    /// Journal entries (the last sequence number).
    pub journal_length: u64,
    /// Prepared payments waiting for their payer to commit or abort.
    pub open_holds: u64,
    /// Payments committed, every equivalent.
    pub payments_committed: u64,
    /// Payments aborted or refused after they were journaled, every equivalent.
    pub payments_aborted: u64,
    /// One entry per equivalent, by code.
    pub equivalents: Vec<EquivalentStats>,
}

/// Participants by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantCounts {
    /// May act and be routed through.
    pub active: u64,
    /// Barred by the operator for now.
    pub suspended: u64,
    /// Left the community for good (status `left`).
    pub retired: u64,
}

/// Totals of one equivalent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EquivalentStats {
    /// Code.
    pub equivalent: EquivalentCode,
    /// Decimal places.
    pub precision: u8,
    /// Usable for new lines and payments.
    pub active: bool,
    /// The sum of every debt now owed.
    pub debt_outstanding: String,
    /// The sum of every debt set off by clearing so far.
    pub cleared_to_date: String,
    /// Payments committed in this equivalent.
    pub payments_committed: u64,
}
