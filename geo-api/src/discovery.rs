//! Hub discovery: who the hub is and what it supports (`GET /hub`), and the API document itself.

use geo_protocol::Pid;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `GET /hub`.
pub const HUB: Endpoint = Endpoint {
    method: Method::Get,
    path: "/hub",
    access: Access::Public,
    summary: "Hub discovery: PID (the audience to sign for), key, protocol, features, limits",
    tag: "hub",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<HubInfo>),
    problems: &[],
};

/// `GET /openapi.json`.
pub const OPENAPI: Endpoint = Endpoint {
    method: Method::Get,
    path: "/openapi.json",
    access: Access::Public,
    summary: "This document",
    tag: "hub",
    query: None,
    body: Body::None,
    ok: 200,
    answer: None,
    problems: &[],
};

/// Hub discovery: who the hub is and what it supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HubInfo {
    /// Protocol version (`geo/1`).
    pub protocol: String,
    /// The hub's PID: the audience of every participant-signed message.
    pub hub_pid: Pid,
    /// The key the hub signs receipts and proposals with (base64).
    pub public_key: String,
    /// Software version.
    pub version: String,
    /// Storage backend (`sqlite` or `postgres`).
    pub backend: String,
    /// Supported features.
    pub features: Vec<String>,
    /// Limits in force.
    pub limits: HubLimits,
    /// Hubs this hub is linked to (`spec/federation.md` §1); empty when none.
    #[serde(default)]
    pub linked_hubs: Vec<LinkedHub>,
}

/// A hub this hub is linked to: its members can be paid from here (`spec/federation.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LinkedHub {
    /// The linked hub's PID: its account in this hub's ledger and the audience of hub-to-hub messages.
    pub hub_pid: Pid,
    /// Where the linked hub answers.
    pub url: String,
}

/// Limits a client must respect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
    /// Seconds a login challenge stays usable.
    pub challenge_ttl_seconds: i64,
    /// Most payments in one `POST /payments/batch` (§8.2.6); 0 from a hub that does not say.
    #[serde(default)]
    pub max_batch_payments: u32,
}
