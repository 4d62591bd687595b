//! Small validated identifiers: equivalent codes, transaction ids, nonces, timestamps and digests.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest as _, Sha256};

use crate::identity::string_serde;

/// What is wrong with an identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not `^[A-Z0-9_]{1,16}$`.
    #[error("invalid equivalent code {0:?}: expected 1-16 of A-Z, 0-9, _")]
    EquivalentCode(String),
    /// Not a lowercase hyphenated non-nil UUID.
    #[error("invalid tx_id {0:?}: expected a lowercase hyphenated UUID")]
    TxId(String),
    /// Not 16-64 characters of the base64url alphabet.
    #[error("invalid nonce {0:?}: expected 16-64 characters of A-Z a-z 0-9 - _")]
    Nonce(String),
    /// Not `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
    #[error("invalid timestamp {0:?}: expected UTC RFC 3339 like 2026-01-31T12:00:00Z")]
    Timestamp(String),
    /// Not 64 lowercase hex characters.
    #[error("invalid digest {0:?}: expected 64 lowercase hex characters")]
    Digest(String),
}

impl IdError {
    /// The stable machine code for this error.
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::Validation
    }
}

/// The code of an equivalent (unit of account), e.g. `UAH`, `HOUR`, `KWH`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EquivalentCode(String);

impl EquivalentCode {
    /// Validates `^[A-Z0-9_]{1,16}$`.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let ok = (1..=16).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(EquivalentCode(text.to_owned()))
        } else {
            Err(IdError::EquivalentCode(text.to_owned()))
        }
    }

    /// The code text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A globally unique transaction id chosen by the initiator (a UUID, v4 or v7 recommended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TxId(uuid::Uuid);

impl TxId {
    /// Parses the canonical form: lowercase, hyphenated, not the nil UUID.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let err = || IdError::TxId(text.to_owned());
        let id = uuid::Uuid::try_parse(text).map_err(|_| err())?;
        if id.is_nil() || id.hyphenated().to_string() != text {
            return Err(err());
        }
        Ok(TxId(id))
    }

    /// Wraps a UUID (nil is refused).
    pub fn from_uuid(id: uuid::Uuid) -> Result<Self, IdError> {
        if id.is_nil() {
            Err(IdError::TxId(id.to_string()))
        } else {
            Ok(TxId(id))
        }
    }

    /// A fresh random (v4) id from 16 random bytes supplied by the caller.
    pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
        TxId(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }

    /// A fresh random (v4) id from the platform's secure random source.
    #[cfg(feature = "rand")]
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        getrandom::getrandom(&mut bytes).expect("the platform random source failed");
        Self::from_random_bytes(bytes)
    }

    /// The UUID.
    pub fn as_uuid(&self) -> uuid::Uuid {
        self.0
    }
}

/// A single-use value chosen by the signer so a captured message cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nonce(String);

impl Nonce {
    /// Validates 16-64 characters of the base64url alphabet (≥ 96 bits when random).
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let ok = (16..=64).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Nonce(text.to_owned()))
        } else {
            Err(IdError::Nonce(text.to_owned()))
        }
    }

    /// A nonce from 16 random bytes (base64url without padding, 22 characters).
    pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
        use base64::Engine as _;
        Nonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A fresh nonce from the platform's secure random source.
    #[cfg(feature = "rand")]
    pub fn random() -> Self {
        let mut bytes = [0u8; 16];
        getrandom::getrandom(&mut bytes).expect("the platform random source failed");
        Self::from_random_bytes(bytes)
    }

    /// The nonce text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A UTC instant with whole-second resolution, written `YYYY-MM-DDTHH:MM:SSZ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

const MIN_TS: i64 = 0; // 1970-01-01T00:00:00Z
const MAX_TS: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

impl Timestamp {
    /// From seconds since the Unix epoch (1970..=9999).
    pub fn from_unix(seconds: i64) -> Result<Self, IdError> {
        if (MIN_TS..=MAX_TS).contains(&seconds) {
            Ok(Timestamp(seconds))
        } else {
            Err(IdError::Timestamp(seconds.to_string()))
        }
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// This instant plus `seconds` (saturating at the representable range).
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Timestamp(self.0.saturating_add(seconds).clamp(MIN_TS, MAX_TS))
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` with a valid calendar date and time.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let err = || IdError::Timestamp(text.to_owned());
        let b = text.as_bytes();
        if b.len() != 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[19] != b'Z'
        {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<i64, IdError> {
            let s = &text[r];
            if s.bytes().all(|c| c.is_ascii_digit()) {
                Ok(s.parse().expect("digits"))
            } else {
                Err(err())
            }
        };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo)
            || d < 1
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || s > 59
        {
            return Err(err());
        }
        Timestamp::from_unix(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
            .map_err(|_| err())
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        // Written digit by digit (years are 1970..=9999): this is on every answer and record.
        let mut text = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, width: usize, mut value: i64| {
            for i in (at..at + width).rev() {
                text[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, y);
        put(5, 2, m);
        put(8, 2, d);
        put(11, 2, secs / 3600);
        put(14, 2, secs % 3600 / 60);
        put(17, 2, secs % 60);
        f.write_str(std::str::from_utf8(&text).expect("digits are ASCII"))
    }
}

/// A SHA-256 digest, written as 64 lowercase hex characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest([u8; 32]);

impl Digest {
    /// SHA-256 of some bytes.
    pub fn of(bytes: &[u8]) -> Self {
        Digest(Sha256::digest(bytes).into())
    }

    /// Wraps 32 raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Digest(bytes)
    }

    /// The raw 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// Parses 64 lowercase hex characters.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let err = || IdError::Digest(text.to_owned());
        if text.len() != 64
            || !text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(err());
        }
        let mut out = [0u8; 32];
        for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
            out[i] = u8::from_str_radix(std::str::from_utf8(chunk).expect("ascii"), 16)
                .map_err(|_| err())?;
        }
        Ok(Digest(out))
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 64];
        for (i, b) in self.0.iter().enumerate() {
            text[2 * i] = HEX[usize::from(b >> 4)];
            text[2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        f.write_str(std::str::from_utf8(&text).expect("hex digits are ASCII"))
    }
}

macro_rules! display_as_str {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
display_as_str!(EquivalentCode, Nonce);

impl fmt::Display for TxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

macro_rules! from_str_via_parse {
    ($($ty:ty),*) => {$(
        impl FromStr for $ty {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::parse(s)
            }
        }
    )*};
}
from_str_via_parse!(EquivalentCode, TxId, Nonce, Timestamp, Digest);

string_serde!(
    EquivalentCode,
    |c| c.0.clone(),
    EquivalentCode::parse,
    "EquivalentCode",
    schemars::json_schema!({
        "description": "Equivalent (unit of account) code.",
        "type": "string", "pattern": "^[A-Z0-9_]{1,16}$"
    })
);
string_serde!(
    TxId,
    |t| t.to_string(),
    TxId::parse,
    "TxId",
    schemars::json_schema!({
        "description": "Transaction id: a lowercase hyphenated UUID, globally unique, chosen by the initiator.",
        "type": "string",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
    })
);
string_serde!(
    Nonce,
    |n| n.0.clone(),
    Nonce::parse,
    "Nonce",
    schemars::json_schema!({
        "description": "Single-use value chosen by the signer.",
        "type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"
    })
);
string_serde!(
    Timestamp,
    |t| t.to_string(),
    Timestamp::parse,
    "Timestamp",
    schemars::json_schema!({
        "description": "UTC instant, RFC 3339 with Z and whole seconds.",
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
    })
);
string_serde!(
    Digest,
    |d| d.to_string(),
    Digest::parse,
    "Digest",
    schemars::json_schema!({
        "description": "SHA-256 digest as 64 lowercase hex characters.",
        "type": "string", "pattern": "^[0-9a-f]{64}$"
    })
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_codes() {
        for ok in ["UAH", "HOUR", "KWH_2", "A", "ABCDEFGHIJKLMNOP"] {
            assert!(EquivalentCode::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "uah", "UAH-1", "ABCDEFGHIJKLMNOPQ", "U AH", "ÜAH"] {
            assert!(EquivalentCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tx_ids_are_canonical_uuids() {
        assert!(TxId::parse("00000000-0000-4000-8000-000000000001").is_ok());
        assert!(TxId::parse("00000000-0000-4000-8000-00000000000A").is_err());
        assert!(TxId::parse("00000000000040008000000000000001").is_err());
        assert!(TxId::parse("{00000000-0000-4000-8000-000000000001}").is_err());
        assert!(TxId::parse("00000000-0000-0000-0000-000000000000").is_err());
        let t = TxId::from_random_bytes([7; 16]);
        assert_eq!(t.as_uuid().get_version_num(), 4);
        assert_eq!(TxId::parse(&t.to_string()).unwrap(), t);
    }

    #[test]
    fn timestamps_round_trip_and_reject_non_canonical_forms() {
        let t = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        assert_eq!(t.unix(), 1_795_514_400);
        assert_eq!(t.to_string(), "2026-11-24T10:00:00Z");
        assert_eq!(
            Timestamp::parse("2024-02-29T23:59:59Z")
                .unwrap()
                .to_string(),
            "2024-02-29T23:59:59Z"
        );
        for bad in [
            "2026-11-24T10:00:00+00:00",
            "2026-11-24T10:00:00.000Z",
            "2026-11-24 10:00:00Z",
            "2026-11-24t10:00:00z",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-24T24:00:00Z",
            "2026-11-24T10:00:60Z",
            "1969-12-31T23:59:59Z",
            "2026-11-2AT10:00:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Timestamp::from_unix(0).unwrap().to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix(MAX_TS).unwrap().to_string(),
            "9999-12-31T23:59:59Z"
        );
        for secs in [0, 1, 86_399, 951_782_400, 4_102_444_800, MAX_TS] {
            let t = Timestamp::from_unix(secs).unwrap();
            assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
        }
    }

    #[test]
    fn nonces_and_digests() {
        assert!(Nonce::parse("AAAAAAAAAAAAAAAA").is_ok());
        assert!(Nonce::parse("short").is_err());
        assert!(Nonce::parse("AAAAAAAAAAAAAAA=").is_err());
        assert_eq!(Nonce::from_random_bytes([0xff; 16]).as_str().len(), 22);
        let d = Digest::of(b"abc");
        assert_eq!(
            d.to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Digest::parse(&d.to_string()).unwrap(), d);
        assert!(Digest::parse(&d.to_string().to_uppercase()).is_err());
    }
}
