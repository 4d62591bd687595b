//! Participant registration and profile updates.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{free_text, name, MessageType};
use crate::envelope::{Message, ValidationError};
use crate::identity::{Pid, PublicKey};

/// What kind of participant this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantKind {
    /// A natural person.
    Person,
    /// A business or organisation.
    Business,
    /// A community hub acting as a participant (for inter-hub trust lines).
    Hub,
}

/// Free-form public profile: up to 16 entries of `^[a-z][a-z0-9_]{0,31}$` → text of ≤ 500 characters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Profile(pub BTreeMap<String, String>);

impl Profile {
    fn validate(&self, field: &str) -> Result<(), ValidationError> {
        if self.0.len() > 16 {
            return Err(ValidationError::new(field, "at most 16 entries"));
        }
        for (k, v) in &self.0 {
            let key_ok = (1..=32).contains(&k.len())
                && k.as_bytes()[0].is_ascii_lowercase()
                && k.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !key_ok {
                return Err(ValidationError::new(
                    format!("{field}.{k}"),
                    "keys match ^[a-z][a-z0-9_]{0,31}$",
                ));
            }
            free_text(&format!("{field}.{k}"), v, 0, 500)?;
        }
        Ok(())
    }
}

/// Registers a new participant. Self-signed: the signer must be the PID of `public_key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantRegister {
    /// The participant's Ed25519 public key.
    pub public_key: PublicKey,
    /// Name shown to others, 1..=100 characters.
    #[schemars(length(min = 1, max = 100))]
    pub display_name: String,
    /// Person, business or hub.
    pub kind: ParticipantKind,
    /// Optional public profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

impl Message for ParticipantRegister {
    const TYPE: MessageType = MessageType::ParticipantRegister;

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
        name("payload.display_name", &self.display_name)?;
        if let Some(p) = &self.profile {
            p.validate("payload.profile")?;
        }
        Ok(())
    }
}

/// Changes the signer's display name and/or replaces its profile; at least one must be present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantUpdate {
    /// New display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 100))]
    pub display_name: Option<String>,
    /// New profile (replaces the old one whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

impl Message for ParticipantUpdate {
    const TYPE: MessageType = MessageType::ParticipantUpdate;

    fn validate(&self, _signer: &Pid) -> Result<(), ValidationError> {
        if self.display_name.is_none() && self.profile.is_none() {
            return Err(ValidationError::new("payload", "nothing to change"));
        }
        if let Some(display_name) = &self.display_name {
            name("payload.display_name", display_name)?;
        }
        if let Some(p) = &self.profile {
            p.validate("payload.profile")?;
        }
        Ok(())
    }
}
