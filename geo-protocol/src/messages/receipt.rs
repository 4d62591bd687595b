//! Hub-signed receipts: a participant's verifiable record of every change to its balances.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{clearing_edges, positive, DebtEdge, MessageType};
use crate::amount::DecimalAmount;
use crate::canonical::MAX_SAFE_INTEGER;
use crate::envelope::{Message, ValidationError};
use crate::identity::Pid;
use crate::ids::{Digest, EquivalentCode, Timestamp, TxId};
use crate::ErrorCode;

/// The final state of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Every hop of every path was applied.
    Committed,
    /// Nothing was applied.
    Aborted,
}

/// One path of a payment: participants from payer to payee, and the amount it carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutePath {
    /// Payer first, payee last.
    pub path: Vec<Pid>,
    /// The amount carried along this path.
    pub amount: DecimalAmount,
}

/// The hub's signed statement of a payment's outcome. On each hop `a → b` of a committed path, `a`'s
/// debt to `b` grew by the path's amount (after netting any debt `b` owed `a`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentReceipt {
    /// The payment's id.
    pub tx_id: TxId,
    /// Who paid.
    pub payer: Pid,
    /// Who was paid.
    pub payee: Pid,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// The amount, in canonical form at the equivalent's precision.
    pub amount: DecimalAmount,
    /// Committed or aborted.
    pub status: PaymentStatus,
    /// SHA-256 of the payer's signed request bytes, binding the receipt to what the payer signed.
    pub request_digest: Digest,
    /// The paths used (committed payments only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RoutePath>,
    /// Why it aborted (aborted payments only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ErrorCode>,
    /// When the outcome was decided.
    pub decided_at: Timestamp,
    /// Position of the outcome in the hub's journal (committed payments only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal_seq: Option<u64>,
}

impl Message for PaymentReceipt {
    const TYPE: MessageType = MessageType::PaymentReceipt;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        positive("payload.amount", &self.amount)?;
        match self.status {
            PaymentStatus::Committed => {
                if self.routes.is_empty() || self.error_code.is_some() {
                    return Err(ValidationError::new(
                        "payload",
                        "a committed receipt has routes and no error",
                    ));
                }
                for (i, r) in self.routes.iter().enumerate() {
                    let field = format!("payload.routes[{i}]");
                    if r.path.len() < 2
                        || r.path.first() != Some(&self.payer)
                        || r.path.last() != Some(&self.payee)
                    {
                        return Err(ValidationError::new(
                            field,
                            "a path runs from payer to payee",
                        ));
                    }
                    positive(&format!("{field}.amount"), &r.amount)?;
                }
            }
            PaymentStatus::Aborted => {
                if !self.routes.is_empty() || self.error_code.is_none() {
                    return Err(ValidationError::new(
                        "payload",
                        "an aborted receipt has an error code and no routes",
                    ));
                }
            }
        }
        journal_seq(self.journal_seq)
    }
}

/// The hub's signed statement of a committed clearing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearingReceipt {
    /// The clearing's id.
    pub clearing_id: TxId,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// Each debt and how much of it was set off.
    pub edges: Vec<DebtEdge>,
    /// The sum of all set-offs.
    pub total: DecimalAmount,
    /// When it was applied.
    pub committed_at: Timestamp,
    /// Position in the hub's journal.
    pub journal_seq: u64,
}

impl Message for ClearingReceipt {
    const TYPE: MessageType = MessageType::ClearingReceipt;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        clearing_edges(&self.edges)?;
        positive("payload.total", &self.total)?;
        journal_seq(Some(self.journal_seq))
    }
}

fn journal_seq(seq: Option<u64>) -> Result<(), ValidationError> {
    match seq {
        Some(s) if s > MAX_SAFE_INTEGER => Err(ValidationError::new(
            "payload.journal_seq",
            "must be ≤ 2^53-1",
        )),
        _ => Ok(()),
    }
}
