//! The trust network around the caller: who is linked to whom within a few hops, in one equivalent.
//!
//! What a member may see (spec §8.7): the members reachable from them over live trust lines within
//! `depth` hops, every live line between two of them with its direction (who trusts whom) and
//! whether its debtor owes anything on it now; amounts (limit, debt) only on the caller's own lines.

use geo_protocol::{EquivalentCode, ErrorCode, Pid};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::query::{text, ToQuery};
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `GET /network/{equivalent}`.
pub const NEIGHBOURHOOD: Endpoint = Endpoint {
    method: Method::Get,
    path: "/network/{equivalent}",
    access: Access::Bearer,
    summary: "The trust network around the caller, a few hops deep (amounts on the caller's own lines only)",
    tag: "network",
    query: Some(schema::<NeighbourhoodQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Neighbourhood>),
    problems: &[ErrorCode::UnknownEquivalent, ErrorCode::Validation],
};

/// Hops from the caller when the query names none.
pub const DEFAULT_DEPTH: u8 = 2;
/// The most hops a caller may ask for.
pub const MAX_DEPTH: u8 = 3;
/// The most members one answer lists, the caller included (the nearest first); a busier
/// neighbourhood is `truncated`.
pub const MAX_MEMBERS: usize = 100;

/// The query of `GET /network/{equivalent}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NeighbourhoodQuery {
    /// Hops from the caller, 1..=3 (default 2).
    pub depth: Option<u8>,
}

impl ToQuery for NeighbourhoodQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![("depth", text(&self.depth))]
    }
}

/// The members around the caller and the lines between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Neighbourhood {
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Hops the answer reaches.
    pub depth: u8,
    /// The caller first (`hops` 0), then by hops, then by PID.
    pub members: Vec<NetworkMember>,
    /// Every live line between two listed members, by creditor then debtor.
    pub lines: Vec<NetworkLine>,
    /// More members lie within `depth` than [`MAX_MEMBERS`]; the farthest were left out.
    pub truncated: bool,
}

/// A member of the neighbourhood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NetworkMember {
    /// PID.
    pub pid: Pid,
    /// Display name.
    pub display_name: String,
    /// Fewest trust lines between the caller and this member (either direction).
    pub hops: u8,
}

/// A live trust line `creditor → debtor` inside the neighbourhood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NetworkLine {
    /// Extends the credit.
    pub creditor: Pid,
    /// May owe.
    pub debtor: Pid,
    /// The debtor owes the creditor something on it now.
    pub in_debt: bool,
    /// The limit, on the caller's own lines only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// What the debtor owes now, on the caller's own lines only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used: Option<String>,
}
