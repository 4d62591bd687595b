//! Invoices: a payee's signed request to be paid, read and checked by the payer's wallet (§6.4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{free_text, positive, MessageType};
use crate::amount::DecimalAmount;
use crate::envelope::{Message, ValidationError};
use crate::identity::{Pid, PublicKey};
use crate::ids::EquivalentCode;

/// Asks whoever reads it to pay `amount` to the signer (the payee) at the hub named as the
/// envelope's `audience`. The envelope's `nonce` is the invoice's id, which the payment names.
/// It carries the payee's key, so a wallet checks it offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Invoice {
    /// The payee's Ed25519 public key; the signer must be its PID.
    pub public_key: PublicKey,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// How much, > 0.
    pub amount: DecimalAmount,
    /// What the payment is for, ≤ 500 characters (the payment's description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 500))]
    pub description: Option<String>,
}

impl Message for Invoice {
    const TYPE: MessageType = MessageType::Invoice;

    fn self_key(&self) -> Option<&PublicKey> {
        Some(&self.public_key)
    }

    fn validate(&self, signer: &Pid) -> Result<(), ValidationError> {
        if &self.public_key.pid() != signer {
            return Err(ValidationError::new(
                "signer",
                "must be the PID of payload.public_key",
            ));
        }
        positive("payload.amount", &self.amount)?;
        if let Some(d) = &self.description {
            free_text("payload.description", d, 0, 500)?;
        }
        Ok(())
    }
}
