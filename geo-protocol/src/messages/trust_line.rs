//! Trust lines: a creditor sets (creates or changes) and closes the credit it extends to a debtor.
//!
//! A line `creditor → debtor` with limit L means the debtor may owe the creditor up to L. Only the
//! creditor (the signer) can set or close it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{pid_list, MessageType};
use crate::amount::DecimalAmount;
use crate::envelope::{Message, ValidationError};
use crate::identity::Pid;
use crate::ids::EquivalentCode;
use crate::ErrorCode;

fn yes() -> bool {
    true
}

/// How the creditor lets its line be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustLinePolicy {
    /// The creditor consents in advance to clearings that reduce debt on this line (default true).
    #[serde(default = "yes")]
    pub auto_clearing: bool,
    /// Payments may pass through the creditor onward when entering via this line (default true).
    #[serde(default = "yes")]
    pub can_be_intermediate: bool,
    /// Participants that may not be intermediates on any path that uses this line (≤ 64).
    #[serde(default)]
    #[schemars(length(max = 64))]
    pub blocked_participants: Vec<Pid>,
}

impl Default for TrustLinePolicy {
    fn default() -> Self {
        TrustLinePolicy {
            auto_clearing: true,
            can_be_intermediate: true,
            blocked_participants: Vec::new(),
        }
    }
}

/// Creates the line or replaces its limit and whole policy. The limit may not go below current debt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustLineSet {
    /// Who may owe the signer.
    pub debtor: Pid,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// The most the debtor may owe (0 allowed: no new credit).
    pub limit: DecimalAmount,
    /// Usage policy; omitted means the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<TrustLinePolicy>,
}

impl Message for TrustLineSet {
    const TYPE: MessageType = MessageType::TrustLineSet;

    fn validate(&self, signer: &Pid) -> Result<(), ValidationError> {
        if &self.debtor == signer {
            return Err(
                ValidationError::new("payload.debtor", "cannot trust yourself")
                    .with_code(ErrorCode::SelfTrust),
            );
        }
        if let Some(policy) = &self.policy {
            pid_list(
                "payload.policy.blocked_participants",
                &policy.blocked_participants,
                64,
            )?;
        }
        Ok(())
    }
}

/// Closes the signer's line to `debtor`; refused while any debt remains between the two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustLineClose {
    /// The debtor of the line.
    pub debtor: Pid,
    /// The unit of account.
    pub equivalent: EquivalentCode,
}

impl Message for TrustLineClose {
    const TYPE: MessageType = MessageType::TrustLineClose;

    fn validate(&self, signer: &Pid) -> Result<(), ValidationError> {
        if &self.debtor == signer {
            return Err(
                ValidationError::new("payload.debtor", "cannot trust yourself")
                    .with_code(ErrorCode::SelfTrust),
            );
        }
        Ok(())
    }
}
