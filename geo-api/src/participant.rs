//! Participants: registration, profile, search.

use geo_protocol::{
    ErrorCode, ParticipantKind, ParticipantRegister, ParticipantUpdate, Pid, Profile,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::page::Page;
use crate::query::{text, ToQuery};
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `POST /participants`.
pub const REGISTER: Endpoint = Endpoint {
    method: Method::Post,
    path: "/participants",
    access: Access::Public,
    summary: "Register (self-signed `participant_register`)",
    tag: "participants",
    query: None,
    body: Body::signed::<ParticipantRegister>(),
    ok: 201,
    answer: Some(schema::<Participant>),
    problems: &[ErrorCode::AlreadyExists, ErrorCode::Forbidden],
};

/// `GET /participants`.
pub const SEARCH: Endpoint = Endpoint {
    method: Method::Get,
    path: "/participants",
    access: Access::Bearer,
    summary: "Search participants by name or PID prefix",
    tag: "participants",
    query: Some(schema::<ParticipantSearch>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Page<Participant>>),
    problems: &[ErrorCode::Validation],
};

/// `GET /participants/me`.
pub const ME: Endpoint = Endpoint {
    method: Method::Get,
    path: "/participants/me",
    access: Access::Bearer,
    summary: "The caller",
    tag: "participants",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Participant>),
    problems: &[],
};

/// `PATCH /participants/me`.
pub const UPDATE_ME: Endpoint = Endpoint {
    method: Method::Patch,
    path: "/participants/me",
    access: Access::Bearer,
    summary: "Update name or profile (signed `participant_update`)",
    tag: "participants",
    query: None,
    body: Body::signed::<ParticipantUpdate>(),
    ok: 200,
    answer: Some(schema::<Participant>),
    problems: &[ErrorCode::WrongSigner, ErrorCode::ParticipantInactive],
};

/// `GET /participants/{pid}`.
pub const GET: Endpoint = Endpoint {
    method: Method::Get,
    path: "/participants/{pid}",
    access: Access::Bearer,
    summary: "A participant",
    tag: "participants",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Participant>),
    problems: &[ErrorCode::Validation, ErrorCode::NotFound],
};

/// Whether a participant may act and be routed through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantStatus {
    /// Acts and is routed through.
    Active,
    /// Temporarily barred by the operator: neither acts nor is routed through.
    Suspended,
    /// Left the community for good.
    Left,
}

impl ParticipantStatus {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            ParticipantStatus::Active => "active",
            ParticipantStatus::Suspended => "suspended",
            ParticipantStatus::Left => "left",
        }
    }
}

impl std::fmt::Display for ParticipantStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
    /// Active, suspended or left.
    pub status: ParticipantStatus,
    /// Registered at.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// The query of `GET /participants`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantSearch {
    /// Substring of the name, or PID prefix.
    pub q: Option<String>,
    /// `person`, `business` or `hub`.
    pub kind: Option<String>,
    /// Page size 1..=200 (default 50).
    pub limit: Option<u32>,
    /// From `next_cursor`.
    pub cursor: Option<String>,
}

impl ToQuery for ParticipantSearch {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("q", self.q.clone()),
            ("kind", self.kind.clone()),
            ("limit", text(&self.limit)),
            ("cursor", self.cursor.clone()),
        ]
    }
}
