//! Operator actions that are not about one concept's data: participant status, integrity and the
//! hub's totals.

use geo_protocol::{EquivalentCode, ErrorCode};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::clearing::Clearing;
use crate::page::Page;
use crate::participant::{Participant, ParticipantSearch, ParticipantStatus};
use crate::payment::{HistoryQuery, Payment};
use crate::query::{text, ToQuery};
use crate::routes::{schema, Access, Body, Endpoint, Method};
use crate::trust_line::{TrustLine, TrustLineQuery};

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
    problems: &[
        ErrorCode::Validation,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
    ],
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

/// `GET /admin/participants`.
pub const PARTICIPANTS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/participants",
    access: Access::Operator,
    summary: "Participants of every status, by name or PID prefix (operator)",
    tag: "operator",
    query: Some(schema::<ParticipantSearch>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Page<Participant>>),
    problems: &[ErrorCode::Validation],
};

/// `GET /admin/participants/{pid}`.
pub const PARTICIPANT: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/participants/{pid}",
    access: Access::Operator,
    summary: "A participant (operator)",
    tag: "operator",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Participant>),
    problems: &[ErrorCode::NotFound, ErrorCode::Validation],
};

/// `GET /admin/participants/{pid}/trust-lines`.
pub const PARTICIPANT_LINES: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/participants/{pid}/trust-lines",
    access: Access::Operator,
    summary: "A participant's trust lines, as they would list them (operator)",
    tag: "operator",
    query: Some(schema::<TrustLineQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Page<TrustLine>>),
    problems: &[ErrorCode::NotFound, ErrorCode::Validation],
};

/// `GET /admin/participants/{pid}/payments`.
pub const PARTICIPANT_PAYMENTS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/participants/{pid}/payments",
    access: Access::Operator,
    summary: "A participant's payments, as their history lists them (operator)",
    tag: "operator",
    query: Some(schema::<HistoryQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Page<Payment>>),
    problems: &[ErrorCode::NotFound, ErrorCode::Validation],
};

/// `GET /admin/clearings`.
pub const CLEARINGS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/clearings",
    access: Access::Operator,
    summary: "Every clearing applied, newest first (operator)",
    tag: "operator",
    query: Some(schema::<ClearingHistoryQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Page<Clearing>>),
    problems: &[ErrorCode::Validation],
};

/// `POST /admin/token`.
pub const ROTATE_TOKEN: Endpoint = Endpoint {
    method: Method::Post,
    path: "/admin/token",
    access: Access::Operator,
    summary: "Replace the operator token; the old one stops working at once (operator)",
    tag: "operator",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<AdminToken>),
    problems: &[ErrorCode::Conflict],
};

/// The query of `GET /admin/clearings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearingHistoryQuery {
    /// One equivalent only (code).
    pub equivalent: Option<String>,
    /// Page size 1..=200 (default 50).
    pub limit: Option<u32>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
}

impl ToQuery for ClearingHistoryQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("equivalent", self.equivalent.clone()),
            ("limit", text(&self.limit)),
            ("cursor", self.cursor.clone()),
        ]
    }
}

/// A new operator token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AdminToken {
    /// Send it as `X-Admin-Token` from now on.
    pub admin_token: String,
}

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
