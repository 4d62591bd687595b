//! Hub-to-hub payments (`spec/federation.md`): the hash lock that ties a payment's two parts
//! together, and the expiry rule that shrinks a hold by a margin at every hub.
//!
//! Pure rules only; the messages themselves are in [`crate::messages`] (`hub_prepare`,
//! `hub_fulfil`, `hub_reject`) and the `geo:` address of a member of another hub in
//! [`crate::geo_uri`].

use std::fmt;
use std::str::FromStr;

use sha2::{Digest as _, Sha256};

use crate::identity::string_serde;
use crate::ids::{Digest, IdError, Timestamp};
use crate::ErrorCode;

/// The downstream hub's default margin, seconds (federation.md §5).
pub const DEFAULT_MARGIN_SECONDS: i64 = 10;
/// The smallest margin a hub may be configured with, seconds (federation.md §5).
pub const MIN_MARGIN_SECONDS: i64 = 2;
/// How far ahead a prepare's `hold_until` may lie when it arrives, seconds (federation.md §5).
pub const MAX_HOLD_AHEAD_SECONDS: i64 = 120;

/// Why a fulfilment or a deadline is refused; each with its stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FederationError {
    /// The preimage's SHA-256 is not the condition (federation.md §3).
    #[error("the preimage does not hash to the condition {condition}")]
    ConditionMismatch {
        /// The condition the prepare named.
        condition: Digest,
    },
    /// `hold_until` minus the margin is not after now (federation.md §5).
    #[error("hold_until {hold_until} leaves no time after a margin of {margin} s")]
    ExpiryTooShort {
        /// The upstream hold's deadline.
        hold_until: Timestamp,
        /// The receiver's margin, seconds.
        margin: i64,
    },
    /// `hold_until` lies more than [`MAX_HOLD_AHEAD_SECONDS`] ahead (federation.md §5).
    #[error("hold_until {hold_until} is more than {MAX_HOLD_AHEAD_SECONDS} s ahead")]
    HoldTooLong {
        /// The upstream hold's deadline.
        hold_until: Timestamp,
    },
    /// A margin below [`MIN_MARGIN_SECONDS`]: a configuration error, never a peer's fault.
    #[error("a margin of {0} s is below the minimum of {MIN_MARGIN_SECONDS} s")]
    MarginTooSmall(i64),
}

impl FederationError {
    /// The stable machine code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            FederationError::ConditionMismatch { .. } => ErrorCode::ConditionMismatch,
            FederationError::ExpiryTooShort { .. } => ErrorCode::ExpiryTooShort,
            FederationError::HoldTooLong { .. } | FederationError::MarginTooSmall(_) => {
                ErrorCode::Validation
            }
        }
    }
}

/// The secret a payee's hub releases once it has committed: 32 bytes, 64 lowercase hex on the wire.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Preimage([u8; 32]);

impl Preimage {
    /// Wraps 32 raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Preimage(bytes)
    }

    /// The raw 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// Parses 64 lowercase hex characters (the digest form of `protocol.md` §4.2).
    pub fn parse(text: &str) -> Result<Self, IdError> {
        Digest::parse(text)
            .map(|d| Preimage(d.to_bytes()))
            .map_err(|_| IdError::Digest(text.to_owned()))
    }

    /// The condition that locks a payment to this preimage: `SHA-256(preimage)`.
    pub fn condition(&self) -> Digest {
        Digest::of(&self.0)
    }

    /// The reference derivation (federation.md §3): unpredictable without `secret`, and the same for
    /// the same payer's hub and `tx_id`, so the payee's hub keeps no state before the prepare.
    pub fn derive(secret: &[u8; 32], payer_hub: &crate::Pid, tx_id: &crate::TxId) -> Self {
        let text = format!(
            "geo/1 fulfilment\n{}\n{payer_hub}\n{tx_id}",
            Digest::from_bytes(*secret)
        );
        Preimage(Sha256::digest(text.as_bytes()).into())
    }

    /// Checks that this preimage fulfils `condition` (federation.md §3).
    pub fn fulfils(&self, condition: &Digest) -> Result<(), FederationError> {
        if &self.condition() == condition {
            Ok(())
        } else {
            Err(FederationError::ConditionMismatch {
                condition: *condition,
            })
        }
    }
}

impl fmt::Display for Preimage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Digest::from_bytes(self.0), f)
    }
}

/// Never prints the secret itself: a preimage is released only in a `hub_fulfil`.
impl fmt::Debug for Preimage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Preimage(condition {})", self.condition())
    }
}

impl FromStr for Preimage {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Preimage::parse(s)
    }
}

string_serde!(
    Preimage,
    |p| p.to_string(),
    Preimage::parse,
    "Preimage",
    schemars::json_schema!({
        "description": "The 32 bytes whose SHA-256 is a payment's condition, as 64 lowercase hex characters.",
        "type": "string", "pattern": "^[0-9a-f]{64}$"
    })
);

/// The downstream hub's commit deadline for a prepare that arrives at `now` (federation.md §5):
/// `hold_until − margin`, refused when it is not after `now` (`E_EXPIRY_TOO_SHORT`) or when
/// `hold_until` lies more than [`MAX_HOLD_AHEAD_SECONDS`] ahead (`E_VALIDATION`).
pub fn commit_deadline(
    hold_until: Timestamp,
    now: Timestamp,
    margin_seconds: i64,
) -> Result<Timestamp, FederationError> {
    if margin_seconds < MIN_MARGIN_SECONDS {
        return Err(FederationError::MarginTooSmall(margin_seconds));
    }
    if hold_until.unix() - now.unix() > MAX_HOLD_AHEAD_SECONDS {
        return Err(FederationError::HoldTooLong { hold_until });
    }
    let deadline = hold_until.plus_seconds(-margin_seconds);
    if deadline <= now {
        return Err(FederationError::ExpiryTooShort {
            hold_until,
            margin: margin_seconds,
        });
    }
    Ok(deadline)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn a_preimage_fulfils_its_own_condition_only() {
        let p = Preimage::from_bytes([7; 32]);
        assert_eq!(p.fulfils(&p.condition()), Ok(()));
        let other = Preimage::from_bytes([8; 32]);
        let err = other.fulfils(&p.condition()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConditionMismatch);
        // The condition of the all-zero preimage is SHA-256 of 32 zero bytes (a published value).
        assert_eq!(
            Preimage::from_bytes([0; 32]).condition().to_string(),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
    }

    #[test]
    fn preimage_text_is_the_digest_form_and_debug_hides_it() {
        let p = Preimage::from_bytes([0xab; 32]);
        assert_eq!(Preimage::parse(&p.to_string()).unwrap(), p);
        for bad in [
            "AB".repeat(32),
            "ab".repeat(31),
            "ab".repeat(33),
            "g".repeat(64),
        ] {
            assert!(Preimage::parse(&bad).is_err(), "{bad}");
        }
        assert!(!format!("{p:?}").contains(&p.to_string()));
    }

    #[test]
    fn derivation_depends_on_secret_hub_and_tx() {
        let hub = crate::Identity::from_seed(&[1; 32]).pid();
        let other_hub = crate::Identity::from_seed(&[2; 32]).pid();
        let tx = crate::TxId::parse("00000000-0000-4000-8000-000000000001").unwrap();
        let tx2 = crate::TxId::parse("00000000-0000-4000-8000-000000000002").unwrap();
        let p = Preimage::derive(&[9; 32], &hub, &tx);
        assert_eq!(p, Preimage::derive(&[9; 32], &hub, &tx));
        assert_ne!(p, Preimage::derive(&[10; 32], &hub, &tx));
        assert_ne!(p, Preimage::derive(&[9; 32], &other_hub, &tx));
        assert_ne!(p, Preimage::derive(&[9; 32], &hub, &tx2));
    }

    #[test]
    fn the_deadline_shrinks_by_the_margin_and_refuses_what_is_left_too_short() {
        let now = ts("2026-11-24T10:00:00Z");
        assert_eq!(
            commit_deadline(ts("2026-11-24T10:00:30Z"), now, 10),
            Ok(ts("2026-11-24T10:00:20Z"))
        );
        assert_eq!(
            commit_deadline(ts("2026-11-24T10:00:11Z"), now, 10),
            Ok(ts("2026-11-24T10:00:01Z"))
        );
        for short in ["2026-11-24T10:00:10Z", "2026-11-24T09:59:00Z"] {
            let err = commit_deadline(ts(short), now, 10).unwrap_err();
            assert_eq!(err.code(), ErrorCode::ExpiryTooShort, "{short}");
        }
        assert!(commit_deadline(ts("2026-11-24T10:02:00Z"), now, 10).is_ok());
        let err = commit_deadline(ts("2026-11-24T10:02:01Z"), now, 10).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Validation);
        let err = commit_deadline(ts("2026-11-24T10:00:30Z"), now, 1).unwrap_err();
        assert_eq!(err, FederationError::MarginTooSmall(1));
    }
}
