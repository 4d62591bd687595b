//! Hub-to-hub endpoints (`spec/federation.md` §3 and §6): a linked hub asks for a payment's
//! condition, then prepares the payment with a signed `hub_prepare` and is answered with the
//! signed `hub_fulfil` or `hub_reject`.

use geo_protocol::{Digest, ErrorCode, HubPrepare, HubReject, Pid};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::query::ToQuery;
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `GET /federation/condition`.
pub const CONDITION: Endpoint = Endpoint {
    method: Method::Get,
    path: "/federation/condition",
    access: Access::Public,
    summary:
        "A linked hub learns the condition of a payment it will prepare here (federation.md §3)",
    tag: "federation",
    query: Some(schema::<ConditionQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Condition>),
    problems: &[
        ErrorCode::Validation,
        ErrorCode::HubNotLinked,
        ErrorCode::UnknownParticipant,
        ErrorCode::ParticipantInactive,
        ErrorCode::UnknownEquivalent,
    ],
};

/// `GET /federation/capacity`.
pub const CAPACITY: Endpoint = Endpoint {
    method: Method::Get,
    path: "/federation/capacity",
    access: Access::Bearer,
    summary: "A linked hub, logged in as its account here, learns how much a prepare of its could carry to a member now (federation.md §12)",
    tag: "federation",
    query: Some(schema::<PeerCapacityQuery>),
    body: Body::None,
    ok: 200,
    answer: Some(schema::<crate::payment::Capacity>),
    problems: &[
        ErrorCode::Validation,
        ErrorCode::HubNotLinked,
        ErrorCode::UnknownParticipant,
        ErrorCode::ParticipantInactive,
        ErrorCode::UnknownEquivalent,
    ],
};

/// `POST /federation/prepare`.
pub const PREPARE: Endpoint = Endpoint {
    method: Method::Post,
    path: "/federation/prepare",
    access: Access::Public,
    summary: "A linked hub prepares a payment to a member (federation.md §6); answered with the signed hub_fulfil or hub_reject",
    tag: "federation",
    query: None,
    body: Body::signed::<HubPrepare>(),
    ok: 200,
    answer: None,
    problems: &[ErrorCode::UnknownParticipant],
};

/// `POST /federation/reject`.
pub const REJECT: Endpoint = Endpoint {
    method: Method::Post,
    path: "/federation/reject",
    access: Access::Public,
    summary: "A linked hub refuses this hub's fulfilment of a payment it committed (federation.md §7): recorded against the link, idempotent by tx_id",
    tag: "federation",
    query: None,
    body: Body::signed::<HubReject>(),
    ok: 200,
    answer: Some(schema::<RefusedFulfilment>),
    problems: &[
        ErrorCode::UnknownParticipant,
        ErrorCode::HubNotLinked,
        ErrorCode::Validation,
        ErrorCode::NotFound,
    ],
};

/// `GET /admin/federation/refused-fulfilments`.
pub const REFUSED_FULFILMENTS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/federation/refused-fulfilments",
    access: Access::Operator,
    summary: "The payments this hub committed whose fulfilment a linked hub refused (federation.md §7), for the operators to settle (operator)",
    tag: "operator",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Vec<RefusedFulfilment>>),
    problems: &[ErrorCode::Forbidden],
};

/// `GET /admin/federation/refused-peer-fulfilments`.
pub const REFUSED_PEER_FULFILMENTS: Endpoint = Endpoint {
    method: Method::Get,
    path: "/admin/federation/refused-peer-fulfilments",
    access: Access::Operator,
    summary: "The payments to another hub's member whose fulfilment by that hub this hub refused, late or lying (federation.md §7), for the operators to settle (operator)",
    tag: "operator",
    query: None,
    body: Body::None,
    ok: 200,
    answer: Some(schema::<Vec<RefusedFulfilment>>),
    problems: &[ErrorCode::Forbidden],
};

/// A cross-hub payment whose fulfilment was refused (federation.md §7): committed by this hub as
/// the payee's hub and refused by the payer's hub, or (the `refused-peer-fulfilments` list) held by
/// this hub as the payer's and its peer's fulfilment refused here. The inter-hub line's copies
/// differ by a late one's amount until the operators settle it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RefusedFulfilment {
    /// The payment's id.
    pub tx_id: String,
    /// The other hub: the one that refused (the payment's payer here), or whose fulfilment this
    /// hub refused (the payment's payee here).
    pub peer: Pid,
    /// Why: `E_FULFILMENT_LATE` or `E_CONDITION_MISMATCH`.
    pub code: ErrorCode,
    /// The amount, as the payment's.
    pub amount: String,
    /// Equivalent code.
    pub equivalent: String,
    /// The journal position of the record.
    pub journal_seq: u64,
    /// When it was recorded.
    pub recorded_at: String,
}

/// The query of `GET /federation/condition`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionQuery {
    /// The PID of the hub that will prepare the payment.
    pub payer_hub: String,
    /// The payment's id.
    pub tx_id: String,
    /// The member to be paid here (PID).
    pub payee: String,
    /// Equivalent code.
    pub equivalent: String,
}

impl ToQuery for ConditionQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("payer_hub", Some(self.payer_hub.clone())),
            ("tx_id", Some(self.tx_id.clone())),
            ("payee", Some(self.payee.clone())),
            ("equivalent", Some(self.equivalent.clone())),
        ]
    }
}

/// The query of `GET /federation/capacity`: the member and the equivalent only. The paying member
/// is not named (the payee's hub needs not know who asks), and the routing limits are the payee's
/// hub's own, as for a prepare.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeerCapacityQuery {
    /// The member to be paid here (PID).
    pub payee: String,
    /// Equivalent code.
    pub equivalent: String,
}

impl ToQuery for PeerCapacityQuery {
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("payee", Some(self.payee.clone())),
            ("equivalent", Some(self.equivalent.clone())),
        ]
    }
}

/// A payment's condition: SHA-256 of the preimage this hub releases once it has committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Condition {
    /// 64 lowercase hex characters.
    pub condition: Digest,
}
