//! Exact money: integer minor units at an equivalent's precision (0–8 decimal places). No floats.
//!
//! On the wire an amount is a decimal string matching `^(0|[1-9][0-9]*)(\.[0-9]{1,p})?$`: no sign, no
//! exponent, no leading zeros, at most `p` fraction digits. [`DecimalAmount`] is that text, kept verbatim
//! because it is signed byte for byte; [`Amount`] is the number, bound to a [`Precision`].

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The largest number of decimal places any equivalent may have.
pub const MAX_PRECISION: u8 = 8;

/// The serde newtype name of [`DecimalAmount`]: lets a typed decoder know it is decoding an amount
/// (and answer `E_INVALID_AMOUNT` for bad text) without reading any error message.
pub const AMOUNT_WIRE_NAME: &str = "geo::DecimalAmount";

/// What is wrong with an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// The text is not a canonical decimal (sign, exponent, leading zero, spaces, empty fraction...).
    #[error(
        "invalid amount format {0:?}: expected digits with an optional fraction, e.g. \"10.50\""
    )]
    Format(String),
    /// More fraction digits than the equivalent's precision allows.
    #[error("amount {text:?} has more than {precision} decimal places")]
    TooPrecise {
        /// The amount as given.
        text: String,
        /// The equivalent's precision.
        precision: u8,
    },
    /// The value does not fit in 64-bit minor units.
    #[error("amount out of range")]
    Overflow,
    /// A precision outside 0..=8.
    #[error("precision {0} is outside 0 to 8")]
    Precision(u8),
    /// Arithmetic between amounts of different precisions.
    #[error("amounts of different precisions ({0} and {1}) cannot be combined")]
    PrecisionMismatch(u8, u8),
    /// A subtraction that would go below zero.
    #[error("amount would become negative")]
    Negative,
    /// Zero where a positive amount is required.
    #[error("amount must be greater than zero")]
    Zero,
}

impl AmountError {
    /// The stable machine code for this error.
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InvalidAmount
    }
}

/// An equivalent's number of decimal places, 0..=8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Precision(u8);

impl Precision {
    /// Validates a precision.
    pub const fn new(places: u8) -> Result<Self, AmountError> {
        if places > MAX_PRECISION {
            Err(AmountError::Precision(places))
        } else {
            Ok(Precision(places))
        }
    }

    /// The number of decimal places.
    pub const fn places(self) -> u8 {
        self.0
    }

    /// 10^places: minor units per whole unit.
    pub const fn scale(self) -> u64 {
        10u64.pow(self.0 as u32)
    }
}

impl TryFrom<u8> for Precision {
    type Error = AmountError;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        Precision::new(v)
    }
}

impl From<Precision> for u8 {
    fn from(p: Precision) -> u8 {
        p.0
    }
}

impl JsonSchema for Precision {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Precision".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Decimal places of an equivalent.",
            "type": "integer", "minimum": 0, "maximum": 8
        })
    }
}

/// Splits a decimal text into integer and fraction digits if it is canonical (≤ 8 fraction digits).
fn split_decimal(text: &str) -> Option<(&str, &str)> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    if text.contains('.') && !digits(frac) {
        return None;
    }
    if frac.len() > MAX_PRECISION as usize || int.len() > 20 {
        return None;
    }
    Some((int, frac))
}

/// A wire decimal amount: canonical syntax, at most 8 fraction digits, kept exactly as written.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DecimalAmount(String);

impl DecimalAmount {
    /// Validates the syntax `^(0|[1-9][0-9]*)(\.[0-9]{1,8})?$` (precision is checked by [`Self::to_amount`]).
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        split_decimal(text).ok_or_else(|| AmountError::Format(text.to_owned()))?;
        Ok(DecimalAmount(text.to_owned()))
    }

    /// The text exactly as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the value is zero (`0`, `0.0`, `0.00`, …).
    pub fn is_zero(&self) -> bool {
        self.0.bytes().all(|b| b == b'0' || b == b'.')
    }

    /// The number of fraction digits written.
    pub fn scale(&self) -> u8 {
        self.0.split_once('.').map_or(0, |(_, f)| f.len() as u8)
    }

    /// Converts to an exact amount at `precision`, refusing extra decimal places or overflow.
    pub fn to_amount(&self, precision: Precision) -> Result<Amount, AmountError> {
        Amount::parse(&self.0, precision)
    }
}

impl fmt::Debug for DecimalAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DecimalAmount({})", self.0)
    }
}

impl fmt::Display for DecimalAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DecimalAmount {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<Amount> for DecimalAmount {
    fn from(a: Amount) -> Self {
        DecimalAmount(a.to_string())
    }
}

impl Serialize for DecimalAmount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DecimalAmount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = DecimalAmount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount string")
            }
            fn visit_newtype_struct<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<DecimalAmount, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                DecimalAmount::parse(&text).map_err(serde::de::Error::custom)
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DecimalAmount, E> {
                DecimalAmount::parse(text).map_err(E::custom)
            }
        }
        // A newtype, so a typed decoder knows an amount is being decoded (see `AMOUNT_WIRE_NAME`).
        d.deserialize_newtype_struct(AMOUNT_WIRE_NAME, Text)
    }
}

impl JsonSchema for DecimalAmount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DecimalAmount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Exact decimal amount: no sign, exponent or leading zeros; at most the equivalent's precision (≤ 8) of fraction digits.",
            "type": "string",
            "pattern": "^(0|[1-9][0-9]{0,19})(\\.[0-9]{1,8})?$"
        })
    }
}

/// An exact non-negative amount: integer minor units at a precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount {
    minor: u64,
    precision: Precision,
}

impl Amount {
    /// An amount from integer minor units (e.g. cents at precision 2).
    pub const fn from_minor(minor: u64, precision: Precision) -> Self {
        Amount { minor, precision }
    }

    /// Zero at a precision.
    pub const fn zero(precision: Precision) -> Self {
        Amount {
            minor: 0,
            precision,
        }
    }

    /// Parses canonical decimal text with at most `precision` fraction digits.
    pub fn parse(text: &str, precision: Precision) -> Result<Self, AmountError> {
        let (int, frac) =
            split_decimal(text).ok_or_else(|| AmountError::Format(text.to_owned()))?;
        if frac.len() > precision.places() as usize {
            return Err(AmountError::TooPrecise {
                text: text.to_owned(),
                precision: precision.places(),
            });
        }
        let int: u64 = int.parse().map_err(|_| AmountError::Overflow)?;
        let mut frac_minor: u64 = if frac.is_empty() {
            0
        } else {
            frac.parse().expect("digits")
        };
        frac_minor *= 10u64.pow((precision.places() as usize - frac.len()) as u32);
        let minor = int
            .checked_mul(precision.scale())
            .and_then(|m| m.checked_add(frac_minor))
            .ok_or(AmountError::Overflow)?;
        Ok(Amount { minor, precision })
    }

    /// Integer minor units.
    pub const fn minor(self) -> u64 {
        self.minor
    }

    /// The precision this amount is expressed at.
    pub const fn precision(self) -> Precision {
        self.precision
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.minor == 0
    }

    /// Refuses zero (payments and clearings move strictly positive amounts).
    pub fn require_positive(self) -> Result<Self, AmountError> {
        if self.minor == 0 {
            Err(AmountError::Zero)
        } else {
            Ok(self)
        }
    }

    fn same_precision(self, other: Amount) -> Result<(), AmountError> {
        if self.precision == other.precision {
            Ok(())
        } else {
            Err(AmountError::PrecisionMismatch(
                self.precision.0,
                other.precision.0,
            ))
        }
    }

    /// Exact addition; errors on overflow or mixed precisions.
    pub fn checked_add(self, other: Amount) -> Result<Amount, AmountError> {
        self.same_precision(other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(AmountError::Overflow)?;
        Ok(Amount {
            minor,
            precision: self.precision,
        })
    }

    /// Exact subtraction; errors when the result would be negative or precisions differ.
    pub fn checked_sub(self, other: Amount) -> Result<Amount, AmountError> {
        self.same_precision(other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(AmountError::Negative)?;
        Ok(Amount {
            minor,
            precision: self.precision,
        })
    }

    /// The canonical text with exactly `precision` fraction digits.
    pub fn to_decimal(self) -> DecimalAmount {
        DecimalAmount(self.to_string())
    }
}

impl fmt::Display for Amount {
    /// Canonical output form: exactly `precision` fraction digits, e.g. `10.50` at precision 2.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.precision.places() as usize;
        if p == 0 {
            return write!(f, "{}", self.minor);
        }
        let scale = self.precision.scale();
        write!(
            f,
            "{}.{:0p$}",
            self.minor / scale,
            self.minor % scale,
            p = p
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: u8) -> Precision {
        Precision::new(n).unwrap()
    }

    #[test]
    fn parses_to_minor_units() {
        assert_eq!(Amount::parse("10.5", p(2)).unwrap().minor(), 1050);
        assert_eq!(Amount::parse("10.50", p(2)).unwrap().minor(), 1050);
        assert_eq!(Amount::parse("0", p(8)).unwrap().minor(), 0);
        assert_eq!(Amount::parse("0.00000001", p(8)).unwrap().minor(), 1);
        assert_eq!(Amount::parse("7", p(0)).unwrap().minor(), 7);
        assert_eq!(
            Amount::parse("18446744073709551615", p(0)).unwrap().minor(),
            u64::MAX
        );
    }

    #[test]
    fn rejects_non_canonical_text() {
        for bad in [
            "",
            "01",
            "00",
            "1.",
            ".5",
            "+1",
            "-1",
            "1e3",
            "1E-3",
            " 1",
            "1 ",
            "NaN",
            "Infinity",
            "1,5",
            "0x10",
            "1.2.3",
            "١",
            "1.000000001",
        ] {
            assert!(
                Amount::parse(bad, p(8)).is_err(),
                "{bad:?} must be rejected"
            );
            assert!(
                DecimalAmount::parse(bad).is_err(),
                "{bad:?} must be rejected"
            );
        }
    }

    #[test]
    fn refuses_more_places_than_the_precision_and_overflow() {
        assert!(matches!(
            Amount::parse("1.234", p(2)),
            Err(AmountError::TooPrecise { .. })
        ));
        assert!(matches!(
            Amount::parse("1.0", p(0)),
            Err(AmountError::TooPrecise { .. })
        ));
        assert_eq!(
            Amount::parse("18446744073709551616", p(0)),
            Err(AmountError::Overflow)
        );
        assert_eq!(
            Amount::parse("184467440737.09551616", p(8)),
            Err(AmountError::Overflow)
        );
        assert!(Precision::new(9).is_err());
    }

    #[test]
    fn canonical_output_has_exactly_precision_places() {
        assert_eq!(Amount::from_minor(1050, p(2)).to_string(), "10.50");
        assert_eq!(Amount::from_minor(5, p(3)).to_string(), "0.005");
        assert_eq!(Amount::from_minor(0, p(2)).to_string(), "0.00");
        assert_eq!(Amount::from_minor(42, p(0)).to_string(), "42");
    }

    #[test]
    fn arithmetic_is_checked() {
        let a = Amount::from_minor(u64::MAX, p(2));
        assert_eq!(
            a.checked_add(Amount::from_minor(1, p(2))),
            Err(AmountError::Overflow)
        );
        assert_eq!(
            Amount::from_minor(1, p(2)).checked_sub(Amount::from_minor(2, p(2))),
            Err(AmountError::Negative)
        );
        assert_eq!(
            Amount::from_minor(1, p(2)).checked_add(Amount::from_minor(1, p(3))),
            Err(AmountError::PrecisionMismatch(2, 3))
        );
        assert_eq!(
            Amount::from_minor(0, p(2)).require_positive(),
            Err(AmountError::Zero)
        );
    }
}
