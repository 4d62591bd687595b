//! Payment requests.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{free_text, pid_list, positive, MessageType};
use crate::amount::DecimalAmount;
use crate::envelope::{Message, ValidationError};
use crate::geo_uri::HubUrl;
use crate::identity::Pid;
use crate::ids::{EquivalentCode, Nonce, TxId};
use crate::ErrorCode;

/// The largest hop limit a payer may ask for.
pub const MAX_HOPS_LIMIT: u8 = 8;
/// The longest hold a payer may ask for, in seconds.
pub const MAX_HOLD_SECONDS: u32 = 3600;
/// The largest number of paths a payer may ask for.
pub const MAX_PATHS_LIMIT: u16 = 64;

/// Optional limits the payer puts on routing; the hub applies the stricter of these and its own.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentConstraints {
    /// Most hops on any path, 1..=8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 8))]
    pub max_hops: Option<u8>,
    /// Most paths the payment may be split over, 1..=64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 64))]
    pub max_paths: Option<u16>,
    /// Participants that must not be intermediates (≤ 64).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64))]
    pub avoid: Vec<Pid>,
}

/// Asks the hub to move `amount` from the signer (payer) to `payee`, all or nothing.
/// `tx_id` is global: the same request again returns the stored result; another request with it is a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    /// Chosen by the payer, reused on retries.
    pub tx_id: TxId,
    /// Who receives.
    pub payee: Pid,
    /// The payee's hub when the payee is a member of another community (`federation.md` §2: the
    /// `hub` of its `geo:` address); absent for a member of this hub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee_hub: Option<HubUrl>,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// How much, > 0, at most the equivalent's precision.
    pub amount: DecimalAmount,
    /// Note for the payee, ≤ 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 500))]
    pub description: Option<String>,
    /// Routing limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<PaymentConstraints>,
    /// Prepare only: reserve the route for this many seconds (1..=3600) and wait for the payer's
    /// signed `payment_commit` or `payment_abort`; without it the hub commits at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 3600))]
    pub hold_seconds: Option<u32>,
    /// The payee's invoice this pays (its id, §6.4), so the payee can match the payment to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<Nonce>,
}

impl Message for PaymentRequest {
    const TYPE: MessageType = MessageType::PaymentRequest;

    fn validate(&self, signer: &Pid) -> Result<(), ValidationError> {
        if &self.payee == signer {
            return Err(ValidationError::new("payload.payee", "cannot pay yourself")
                .with_code(ErrorCode::SelfPayment));
        }
        positive("payload.amount", &self.amount)?;
        if let Some(d) = &self.description {
            free_text("payload.description", d, 0, 500)?;
        }
        if let Some(c) = &self.constraints {
            if let Some(h) = c.max_hops {
                if !(1..=MAX_HOPS_LIMIT).contains(&h) {
                    return Err(ValidationError::new(
                        "payload.constraints.max_hops",
                        "must be 1 to 8",
                    ));
                }
            }
            if let Some(p) = c.max_paths {
                if !(1..=MAX_PATHS_LIMIT).contains(&p) {
                    return Err(ValidationError::new(
                        "payload.constraints.max_paths",
                        "must be 1 to 64",
                    ));
                }
            }
            pid_list("payload.constraints.avoid", &c.avoid, 64)?;
        }
        if let Some(h) = self.hold_seconds {
            if !(1..=MAX_HOLD_SECONDS).contains(&h) {
                return Err(ValidationError::new(
                    "payload.hold_seconds",
                    "must be 1 to 3600",
                ));
            }
        }
        Ok(())
    }
}
