//! Protocol rules exposed for checking them from other languages: exact amounts at a precision and
//! full verification of signed messages (the spec's vectors run through these).

use std::sync::Mutex;

use geo_protocol::{MessageType, Precision, PublicKey, ReplayGuard, Timestamp, VerifyPolicy};

use crate::error::GeoError;
use crate::types::{Amount, Pid};

/// An amount parsed at an equivalent's precision: its integer minor units and canonical text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AmountValue {
    /// Integer minor units (`10.50` at precision 2 is 1050).
    pub minor_units: u64,
    /// The canonical text at the precision (`10.5` at precision 2 is `10.50`).
    pub canonical: Amount,
}

/// Parses amount text at `precision` decimal places: `"1.234"` at precision 2, a sign, an exponent
/// or `NaN` are `E_INVALID_AMOUNT` errors.
#[uniffi::export]
pub fn parse_amount(text: String, precision: u8) -> Result<AmountValue, GeoError> {
    let precision = Precision::new(precision)?;
    let amount = geo_protocol::Amount::parse(&text, precision)?;
    Ok(AmountValue {
        minor_units: amount.minor(),
        canonical: amount.to_decimal(),
    })
}

/// Verifies signed messages as a hub does: strict decoding, type, signature, audience, validity
/// window, and replays (it remembers the nonces it accepted).
#[derive(Debug, uniffi::Object)]
pub struct MessageVerifier {
    key: Option<PublicKey>,
    policy: VerifyPolicy,
    replay: Mutex<ReplayGuard>,
}

#[uniffi::export]
impl MessageVerifier {
    /// A verifier of messages signed by `public_key` (base64), judged at time `now` (RFC 3339),
    /// requiring `audience` when given. Without a key the signer is one the verifier does not
    /// know: every message is refused with `E_UNKNOWN_PARTICIPANT` (the spec's step 5).
    #[uniffi::constructor]
    pub fn new(
        public_key: Option<String>,
        now: String,
        audience: Option<Pid>,
        max_validity_seconds: i64,
        max_clock_skew_seconds: i64,
    ) -> Result<std::sync::Arc<MessageVerifier>, GeoError> {
        let mut policy = VerifyPolicy::new(Timestamp::parse(&now)?, audience);
        policy.max_validity_seconds = max_validity_seconds;
        policy.max_clock_skew_seconds = max_clock_skew_seconds;
        Ok(std::sync::Arc::new(MessageVerifier {
            key: public_key
                .as_deref()
                .map(PublicKey::from_base64)
                .transpose()?,
            policy,
            replay: Mutex::new(ReplayGuard::new()),
        }))
    }

    /// Accepts `json` as a message of type `expected_type` (e.g. `payment_request`), or fails with
    /// the code of the first rule it breaks (`E_INVALID_SIGNATURE`, `E_EXPIRED`, `E_REPLAYED`, …).
    pub fn verify(&self, expected_type: String, json: String) -> Result<(), GeoError> {
        let expected: MessageType = serde_json::from_value(serde_json::Value::String(
            expected_type.clone(),
        ))
        .map_err(|_| {
            GeoError::validation(
                geo_protocol::ErrorCode::Validation,
                format!("unknown message type {expected_type:?}"),
            )
        })?;
        let mut replay = self.replay.lock().unwrap_or_else(|p| p.into_inner());
        geo_protocol::verify_json(
            expected,
            &json,
            self.key.as_ref(),
            &self.policy,
            &mut replay,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_or_typed_errors() {
        let v = parse_amount("10.5".into(), 2).unwrap();
        assert_eq!(v.minor_units, 1050);
        assert_eq!(v.canonical.as_str(), "10.50");
        for bad in ["1.234", "-1", "NaN", "1e3", "", " 1"] {
            let e = parse_amount(bad.into(), 2).unwrap_err();
            assert_eq!(e.code(), "E_INVALID_AMOUNT", "{bad:?}");
        }
        assert_eq!(
            parse_amount("1".into(), 9).unwrap_err().code(),
            "E_INVALID_AMOUNT"
        );
    }
}
