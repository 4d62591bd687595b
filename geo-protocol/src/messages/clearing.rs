//! Clearing proposals (hub-signed) and consent (participant-signed).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{clearing_edges, pid_list, DebtEdge, MessageType};
use crate::envelope::{Message, ValidationError};
use crate::identity::Pid;
use crate::ids::{Digest, EquivalentCode, TxId};

/// A set-off the hub proposes: every listed debt shrinks by its amount; every net position is unchanged.
/// It commits only if everyone in `consent_required_from` accepts before the envelope expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearingProposal {
    /// The clearing's id.
    pub clearing_id: TxId,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// The debts and how much of each is set off.
    pub edges: Vec<DebtEdge>,
    /// Creditors whose lines do not consent in advance (`auto_clearing` off).
    pub consent_required_from: Vec<Pid>,
}

impl Message for ClearingProposal {
    const TYPE: MessageType = MessageType::ClearingProposal;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        clearing_edges(&self.edges)?;
        pid_list(
            "payload.consent_required_from",
            &self.consent_required_from,
            usize::MAX,
        )
    }
}

/// A participant's answer to a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClearingDecision {
    /// Agree to the set-off.
    Accept,
    /// Refuse; the hub excludes the signer's edges and may re-solve without them.
    Reject,
}

/// Accepts or rejects exactly one proposal, named by its id and the digest of its signed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearingConsent {
    /// The proposal's clearing id.
    pub clearing_id: TxId,
    /// SHA-256 of the proposal's signed bytes, so consent cannot be moved to another proposal.
    pub proposal_digest: Digest,
    /// Accept or reject.
    pub decision: ClearingDecision,
}

impl Message for ClearingConsent {
    const TYPE: MessageType = MessageType::ClearingConsent;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        Ok(())
    }
}
