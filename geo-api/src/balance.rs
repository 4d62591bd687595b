//! The caller's position: totals per equivalent and per counterparty.

use geo_protocol::{EquivalentCode, ErrorCode, Pid};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `GET /balance`.
pub const TOTALS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/balance",
    access: Access::Bearer,
    summary: "The caller's totals per equivalent",
    tag: "balance",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Vec<Balance>>),
    problems: &[],
};

/// `GET /balance/{equivalent}/debts`.
pub const DEBTS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/balance/{equivalent}/debts",
    access: Access::Bearer,
    summary: "The caller's position with each counterparty",
    tag: "balance",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Vec<Counterparty>>),
    problems: &[ErrorCode::Validation, ErrorCode::UnknownEquivalent],
};

/// The caller's totals in one equivalent. Totals are exact decimal text and may exceed the largest
/// amount (2^64 − 1 minor units); read them as arbitrary-precision decimals (spec §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Counterparty {
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
