//! Login by challenge and signed response.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::MessageType;
use crate::envelope::{Message, ValidationError};
use crate::identity::Pid;

/// Answers a hub challenge: 32 random bytes from the hub, base64url without padding (43 characters).
/// The envelope's audience must be the hub, so a response cannot be used at another hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    /// The challenge text exactly as the hub issued it.
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]{43}$"))]
    pub challenge: String,
}

impl Message for Login {
    const TYPE: MessageType = MessageType::Login;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        let ok = self.challenge.len() == 43
            && self
                .challenge
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(())
        } else {
            Err(ValidationError::new(
                "payload.challenge",
                "must be 43 characters of base64url",
            ))
        }
    }
}
