//! Identifiers and amounts as custom types: plain text on the foreign side, validated when they
//! cross into Rust, so a binding can never hand the SDK an invalid PID, tx id, code or amount.
//! Bad text becomes a typed [`GeoError::Validation`] with the protocol's code (`E_INVALID_AMOUNT`
//! for amounts, `E_VALIDATION` for ids). Every exported function taking one of them returns a
//! `Result`, so a failed conversion reaches the caller as that error (uniffi would otherwise report
//! an internal error).
//!
//! Amounts are exact decimal text (`10.50`), never floats: `BigDecimal(text)` in Kotlin (helpers in
//! `geo-ffi/kotlin/GeoExtensions.kt`), `Decimal(text)` in Python and Swift.

use std::fmt;

use crate::error::GeoError;

pub use geo_protocol::{EquivalentCode, Pid, TxId};

/// A non-negative amount as canonical decimal text (`10.50`): no sign, exponent or leading zeros.
pub type Amount = geo_protocol::DecimalAmount;

/// An amount that may be negative (`-12.30`), as in a balance's net position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedAmount {
    negative: bool,
    magnitude: Amount,
}

impl SignedAmount {
    /// Parses `-?<canonical decimal>`; `-0` is refused (zero has one spelling).
    pub fn parse(text: &str) -> Result<SignedAmount, GeoError> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let magnitude = Amount::parse(rest)?;
        if negative && magnitude.is_zero() {
            return Err(geo_protocol::AmountError::Format(text.to_owned()).into());
        }
        Ok(SignedAmount {
            negative,
            magnitude,
        })
    }
}

impl fmt::Display for SignedAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(self.magnitude.as_str())
    }
}

/// Turns a validation error into what uniffi hands back as the function's typed error.
fn lift_error(e: impl Into<GeoError>) -> uniffi::deps::anyhow::Error {
    uniffi::deps::anyhow::Error::new(e.into())
}

uniffi::custom_type!(Pid, String, {
    remote,
    try_lift: |text| Pid::parse(&text).map_err(lift_error),
    lower: |pid| pid.to_string(),
});

uniffi::custom_type!(TxId, String, {
    remote,
    try_lift: |text| TxId::parse(&text).map_err(lift_error),
    lower: |tx| tx.to_string(),
});

uniffi::custom_type!(EquivalentCode, String, {
    remote,
    try_lift: |text| EquivalentCode::parse(&text).map_err(lift_error),
    lower: |code| code.as_str().to_owned(),
});

uniffi::custom_type!(Amount, String, {
    remote,
    try_lift: |text| Amount::parse(&text).map_err(lift_error),
    lower: |amount| amount.as_str().to_owned(),
});

uniffi::custom_type!(SignedAmount, String, {
    try_lift: |text| SignedAmount::parse(&text).map_err(lift_error),
    lower: |amount| amount.to_string(),
});

/// Parses an amount the hub sent (a refusal here is the hub's fault, not the caller's).
pub(crate) fn hub_amount(text: &str) -> Result<Amount, GeoError> {
    Amount::parse(text)
        .map_err(|e| GeoError::invalid_response(format!("the hub sent amount {text:?}: {e}")))
}

/// Parses an equivalent code the hub sent.
pub(crate) fn hub_code(text: &str) -> Result<EquivalentCode, GeoError> {
    EquivalentCode::parse(text)
        .map_err(|e| GeoError::invalid_response(format!("the hub sent code {text:?}: {e}")))
}

/// Parses a tx id the hub sent.
pub(crate) fn hub_tx(text: &str) -> Result<TxId, GeoError> {
    TxId::parse(text)
        .map_err(|e| GeoError::invalid_response(format!("the hub sent tx id {text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_amounts_keep_their_sign_and_refuse_minus_zero() {
        assert_eq!(SignedAmount::parse("-12.30").unwrap().to_string(), "-12.30");
        assert_eq!(SignedAmount::parse("7").unwrap().to_string(), "7");
        for bad in ["-0", "--1", "+1", "NaN", "1e3", "", "-"] {
            let e = SignedAmount::parse(bad).unwrap_err();
            assert_eq!(e.code(), "E_INVALID_AMOUNT", "{bad}");
        }
    }
}
