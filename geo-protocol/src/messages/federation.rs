//! Hub-to-hub messages (`spec/federation.md` §4): the payer's hub prepares a payment at the payee's
//! hub under a hash lock; the payee's hub fulfils it with the preimage, or either side rejects.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{free_text, positive, MessageType, PaymentReceipt, PaymentStatus};
use crate::amount::DecimalAmount;
use crate::envelope::{Message, SignedMessage, ValidationError};
use crate::federation::Preimage;
use crate::identity::Pid;
use crate::ids::{Digest, EquivalentCode, Timestamp, TxId};
use crate::ErrorCode;

/// Upstream to downstream: "I hold this payment until `hold_until`; fulfil it."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HubPrepare {
    /// The payer's `tx_id`, kept by both hubs.
    pub tx_id: TxId,
    /// The paying member at the upstream hub.
    pub payer: Pid,
    /// The member paid at the downstream hub.
    pub payee: Pid,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// How much the payee receives.
    pub amount: DecimalAmount,
    /// SHA-256 of the preimage the payee's hub releases when it has committed.
    pub condition: Digest,
    /// The upstream hold's deadline; the downstream hub commits before it less its margin.
    pub hold_until: Timestamp,
    /// Digest of the payer's signed `payment_request`.
    pub request_digest: Digest,
    /// The payer's description, shown to the payee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Message for HubPrepare {
    const TYPE: MessageType = MessageType::HubPrepare;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        if self.payee == self.payer {
            return Err(
                ValidationError::new("payload.payee", "must differ from payload.payer")
                    .with_code(ErrorCode::SelfPayment),
            );
        }
        positive("payload.amount", &self.amount)?;
        if let Some(d) = &self.description {
            free_text("payload.description", d, 0, 500)?;
        }
        Ok(())
    }
}

/// Downstream to upstream: "I committed my part; here is the preimage and my receipt."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HubFulfil {
    /// The payment's id.
    pub tx_id: TxId,
    /// The secret whose SHA-256 is the prepare's condition.
    pub preimage: Preimage,
    /// The downstream hub's signed `payment_receipt` of its part, as its JSON text.
    pub receipt: String,
}

impl HubFulfil {
    /// The embedded receipt, decoded (its signature is checked with the fulfil's signer's key).
    pub fn decode_receipt(&self) -> Result<SignedMessage<PaymentReceipt>, ValidationError> {
        SignedMessage::<PaymentReceipt>::from_json(&self.receipt).map_err(|e| {
            ValidationError::new("payload.receipt", format!("not a payment receipt: {e}"))
        })
    }
}

impl Message for HubFulfil {
    const TYPE: MessageType = MessageType::HubFulfil;

    fn validate(&self, signer: &Pid) -> Result<(), ValidationError> {
        let receipt = self.decode_receipt()?;
        if receipt.signer() != signer {
            return Err(ValidationError::new(
                "payload.receipt",
                "must be signed by the fulfil's signer",
            ));
        }
        if receipt.payload().tx_id != self.tx_id {
            return Err(ValidationError::new(
                "payload.receipt",
                "must be the receipt of payload.tx_id",
            ));
        }
        if receipt.payload().status != PaymentStatus::Committed {
            return Err(ValidationError::new(
                "payload.receipt",
                "must record a committed payment",
            ));
        }
        Ok(())
    }
}

/// Which message a `hub_reject` refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HubRejectStage {
    /// The downstream hub refuses a prepare.
    Prepare,
    /// The upstream hub refuses a fulfilment (late, or not matching the condition).
    Fulfil,
}

/// Either way: "I refuse", with the stable code of why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HubReject {
    /// The payment's id.
    pub tx_id: TxId,
    /// What is refused.
    pub stage: HubRejectStage,
    /// Why, as a code of the catalogue.
    pub code: ErrorCode,
    /// Why, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Message for HubReject {
    const TYPE: MessageType = MessageType::HubReject;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        match &self.reason {
            Some(r) => free_text("payload.reason", r, 1, 500),
            None => Ok(()),
        }
    }
}
