//! Per-hop two-phase commit messages, for payments coordinated peer to peer (not used by the hub API).
//!
//! The coordinator sends `payment_prepare` to every participant on the route; each answers with
//! `payment_prepare_ack`; then the coordinator sends `payment_commit` to all, or `payment_abort`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{free_text, DebtEdge, MessageType};
use crate::envelope::{Message, ValidationError};
use crate::identity::Pid;
use crate::ids::{EquivalentCode, Timestamp, TxId};

/// Asks a participant to reserve its part of a payment until `reserve_until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentPrepare {
    /// The payment's id.
    pub tx_id: TxId,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// Debt increases that touch the addressed participant.
    pub effects: Vec<DebtEdge>,
    /// When the reservation lapses if no commit arrives.
    pub reserve_until: Timestamp,
}

impl Message for PaymentPrepare {
    const TYPE: MessageType = MessageType::PaymentPrepare;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        if self.effects.is_empty() {
            return Err(ValidationError::new(
                "payload.effects",
                "at least one effect",
            ));
        }
        for (i, e) in self.effects.iter().enumerate() {
            e.validate(&format!("payload.effects[{i}]"))?;
        }
        Ok(())
    }
}

/// A participant's answer to a prepare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentPrepareAck {
    /// The payment's id.
    pub tx_id: TxId,
    /// True when the effects are reserved.
    pub accepted: bool,
    /// Why not, when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Message for PaymentPrepareAck {
    const TYPE: MessageType = MessageType::PaymentPrepareAck;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        match (&self.reason, self.accepted) {
            (Some(r), false) => free_text("payload.reason", r, 1, 500),
            (None, false) => Err(ValidationError::new(
                "payload.reason",
                "required when refusing",
            )),
            (Some(_), true) => Err(ValidationError::new("payload.reason", "only when refusing")),
            (None, true) => Ok(()),
        }
    }
}

/// Tells a participant to apply its reserved effects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentCommit {
    /// The payment's id.
    pub tx_id: TxId,
}

impl Message for PaymentCommit {
    const TYPE: MessageType = MessageType::PaymentCommit;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        Ok(())
    }
}

/// Tells a participant to release its reserved effects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentAbort {
    /// The payment's id.
    pub tx_id: TxId,
    /// Why.
    pub reason: String,
}

impl Message for PaymentAbort {
    const TYPE: MessageType = MessageType::PaymentAbort;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        free_text("payload.reason", &self.reason, 1, 500)
    }
}
