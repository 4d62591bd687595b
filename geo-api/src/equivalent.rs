//! Equivalents: the units of account.

use geo_protocol::{EquivalentCode, ErrorCode};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `GET /equivalents`.
pub const LIST: Endpoint = Endpoint {
    method: Method::Get,
    path: "/equivalents",
    access: Access::Public,
    summary: "Equivalents (units of account)",
    tag: "equivalents",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Vec<Equivalent>>),
    problems: &[],
};

/// `PUT /admin/equivalents/{code}`.
pub const SET: Endpoint = Endpoint {
    method: Method::Put,
    path: "/admin/equivalents/{code}",
    access: Access::Operator,
    summary: "Create or change an equivalent (operator)",
    tag: "operator",
    query: None,
    body: Body::json::<EquivalentSettings>(),
    ok: 200,
    answer: Some(schema::<Equivalent>),
    problems: &[
        ErrorCode::Validation,
        ErrorCode::Forbidden,
        ErrorCode::Conflict,
    ],
};

/// A unit of account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

/// The body of `PUT /admin/equivalents/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EquivalentSettings {
    /// Decimal places, 0..=8.
    #[schemars(range(max = 8))]
    pub precision: u8,
    /// At most 200 characters.
    #[serde(default)]
    pub description: String,
    /// Usable for new lines and payments (default true).
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}
