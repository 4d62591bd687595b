//! Identities: Ed25519 keys, signatures and participant ids (PIDs).
//!
//! A PID is `base58(sha256(raw 32-byte public key))` with the Bitcoin alphabet, compatible with GEOv0.
//! Keys and signatures travel as standard, padded base64. Every constructor validates, so a value of
//! these types is always well formed.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

/// What went wrong with a key, signature, PID or mnemonic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    /// Not valid standard padded base64, or not the expected number of bytes.
    #[error("invalid base64 encoding: {0}")]
    Base64(String),
    /// The bytes are not a canonical encoding of a usable Ed25519 public key.
    #[error("invalid public key: {0}")]
    PublicKey(&'static str),
    /// The text is not a PID (base58 of 32 bytes in canonical form).
    #[error("invalid PID: {0}")]
    Pid(&'static str),
    /// The signature does not verify (forged, wrong key, or not canonical).
    #[error("signature verification failed")]
    BadSignature,
    /// The mnemonic is not a valid 24-word BIP-39 English phrase.
    #[error("invalid mnemonic: {0}")]
    Mnemonic(String),
}

impl IdentityError {
    /// The stable machine code for this error.
    pub fn code(&self) -> crate::ErrorCode {
        match self {
            IdentityError::BadSignature => crate::ErrorCode::InvalidSignature,
            IdentityError::Base64(_) | IdentityError::PublicKey(_) | IdentityError::Pid(_) => {
                crate::ErrorCode::Validation
            }
            IdentityError::Mnemonic(_) => crate::ErrorCode::Validation,
        }
    }
}

fn decode_base64_exact<const N: usize>(text: &str) -> Result<[u8; N], IdentityError> {
    let bytes = BASE64
        .decode(text)
        .map_err(|e| IdentityError::Base64(e.to_string()))?;
    let array: [u8; N] = bytes.try_into().map_err(|v: Vec<u8>| {
        IdentityError::Base64(format!("expected {N} bytes, got {}", v.len()))
    })?;
    // The standard engine rejects unpadded text and stray trailing bits, so the encoding is canonical.
    Ok(array)
}

/// An Ed25519 public key: a canonically encoded point of the prime-order subgroup (so not of small order).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub(crate) VerifyingKey);

impl PublicKey {
    /// Validates raw key bytes: a canonical point encoding, not of small order, without torsion.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, IdentityError> {
        let key = VerifyingKey::from_bytes(bytes)
            .map_err(|_| IdentityError::PublicKey("not a point on the curve"))?;
        if key.is_weak() {
            return Err(IdentityError::PublicKey("small-order key"));
        }
        if key.to_edwards().compress().as_bytes() != bytes {
            return Err(IdentityError::PublicKey("non-canonical encoding"));
        }
        // A mixed-order key (a torsion component added) verifies differently under cofactored and
        // cofactorless equations; an honestly made key never has one, so it is refused outright.
        if !key.to_edwards().is_torsion_free() {
            return Err(IdentityError::PublicKey("not in the prime-order subgroup"));
        }
        Ok(PublicKey(key))
    }

    /// Parses the wire form: standard padded base64 of the 32 raw bytes.
    pub fn from_base64(text: &str) -> Result<Self, IdentityError> {
        Self::from_bytes(&decode_base64_exact::<32>(text)?)
    }

    /// The raw 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The wire form: standard padded base64 (44 characters).
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0.as_bytes())
    }

    /// The participant id derived from this key.
    pub fn pid(&self) -> Pid {
        Pid::from_public_key(self)
    }

    /// Verifies a signature over `message` with the strict rules (canonical `R` and `s`, no weak keys).
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), IdentityError> {
        self.0
            .verify_strict(message, &signature.0)
            .map_err(|_| IdentityError::BadSignature)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl FromStr for PublicKey {
    type Err = IdentityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_base64(s)
    }
}

/// An Ed25519 signature (64 bytes), carried as standard padded base64.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature(pub(crate) ed25519_dalek::Signature);

impl Signature {
    /// Wraps 64 raw signature bytes (validity is decided by verification).
    pub fn from_bytes(bytes: &[u8; 64]) -> Self {
        Signature(ed25519_dalek::Signature::from_bytes(bytes))
    }

    /// Parses the wire form: standard padded base64 of the 64 raw bytes (88 characters).
    pub fn from_base64(text: &str) -> Result<Self, IdentityError> {
        Ok(Self::from_bytes(&decode_base64_exact::<64>(text)?))
    }

    /// The raw 64 bytes.
    pub fn to_bytes(&self) -> [u8; 64] {
        self.0.to_bytes()
    }

    /// The wire form: standard padded base64.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0.to_bytes())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.to_base64())
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl FromStr for Signature {
    type Err = IdentityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_base64(s)
    }
}

/// A participant id: base58 (Bitcoin alphabet) of sha256 of the raw public key.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid(String);

impl Pid {
    /// Derives the PID of a public key.
    pub fn from_public_key(key: &PublicKey) -> Self {
        let digest = Sha256::digest(key.to_bytes());
        Pid(bs58::encode(digest).into_string())
    }

    /// Parses a PID: base58 text that decodes to exactly 32 bytes and is in canonical form.
    pub fn parse(text: &str) -> Result<Self, IdentityError> {
        if text.is_empty() || text.len() > 44 {
            return Err(IdentityError::Pid("length must be 1 to 44 characters"));
        }
        // At most 44 characters decode to at most 44 bytes, so the buffer never runs short.
        let mut bytes = [0u8; 44];
        let len = bs58::decode(text)
            .onto(&mut bytes)
            .map_err(|_| IdentityError::Pid("not base58 (Bitcoin alphabet)"))?;
        if len != 32 {
            return Err(IdentityError::Pid("must decode to 32 bytes"));
        }
        // Base58 text that decodes is always the canonical encoding of what it decodes to: each
        // leading `1` is one zero byte, and the rest, which starts with another digit, is the
        // positional base-58 form of the remaining number — the only one without a leading zero
        // digit. So encoding the bytes again (which cost more than the decoding) cannot give
        // other text; `pid_text_that_decodes_is_canonical` checks it.
        Ok(Pid(text.to_owned()))
    }

    /// The PID text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pid({})", self.0)
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Pid {
    type Err = IdentityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A participant's secret signing identity. The seed never leaves the device; `Debug` hides it.
#[derive(Clone)]
pub struct Identity {
    signing: SigningKey,
    public: PublicKey,
    /// Derived once: hashing and base58 are not free, and hubs ask for their PID on every request.
    pid: Pid,
}

impl Identity {
    /// Restores an identity from its 32-byte secret seed (RFC 8032 private key).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(seed);
        // A key derived by clamping a hash is never weak and always canonical.
        let public = PublicKey(signing.verifying_key());
        let pid = public.pid();
        Identity {
            signing,
            public,
            pid,
        }
    }

    /// Creates a fresh identity from the platform's secure random source.
    #[cfg(feature = "rand")]
    pub fn generate() -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::getrandom(seed.as_mut()).expect("the platform random source failed");
        Self::from_seed(&seed)
    }

    /// Restores an identity from a 24-word BIP-39 English mnemonic (its entropy is the seed). Case
    /// and spacing do not matter: a phrase typed back from paper as `Abandon  Ability …` is fine.
    pub fn from_mnemonic(phrase: &str) -> Result<Self, IdentityError> {
        let normalized = phrase
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        let seed = crate::mnemonic::decode(&normalized).map_err(IdentityError::Mnemonic)?;
        Ok(Self::from_seed(&seed))
    }

    /// Exports the 32-byte secret seed (for encrypted storage; handle with care).
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes())
    }

    /// Exports the seed as a 24-word BIP-39 English mnemonic for a paper backup.
    pub fn mnemonic(&self) -> Zeroizing<String> {
        crate::mnemonic::encode(&self.seed())
    }

    /// The public key.
    pub fn public_key(&self) -> PublicKey {
        self.public
    }

    /// The participant id.
    pub fn pid(&self) -> Pid {
        self.pid.clone()
    }

    /// Signs raw bytes. Protocol messages are signed through [`crate::envelope`], which adds the domain tag.
    pub fn sign_raw(&self, message: &[u8]) -> Signature {
        Signature(self.signing.sign(message))
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("pid", &self.pid())
            .finish_non_exhaustive()
    }
}

macro_rules! string_serde {
    ($ty:ty, $to:expr, $from:expr, $schema_name:literal, $schema:expr) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let f: fn(&$ty) -> String = $to;
                s.serialize_str(&f(self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                let f: fn(&str) -> Result<$ty, _> = $from;
                f(&text).map_err(serde::de::Error::custom)
            }
        }
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $schema_name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $schema
            }
        }
    };
}
pub(crate) use string_serde;

string_serde!(
    PublicKey,
    |k| k.to_base64(),
    PublicKey::from_base64,
    "PublicKey",
    schemars::json_schema!({
        "description": "Ed25519 public key: standard padded base64 of the 32 raw bytes.",
        "type": "string",
        "pattern": "^[A-Za-z0-9+/]{43}=$"
    })
);
string_serde!(
    Signature,
    |s| s.to_base64(),
    Signature::from_base64,
    "Signature",
    schemars::json_schema!({
        "description": "Ed25519 signature: standard padded base64 of the 64 raw bytes.",
        "type": "string",
        "pattern": "^[A-Za-z0-9+/]{86}==$"
    })
);
string_serde!(
    Pid,
    |p| p.0.clone(),
    Pid::parse,
    "Pid",
    schemars::json_schema!({
        "description": "Participant id: base58 (Bitcoin alphabet) of sha256(raw public key).",
        "type": "string",
        "pattern": "^[1-9A-HJ-NP-Za-km-z]{32,44}$"
    })
);

#[cfg(test)]
mod tests {
    use super::*;

    const RFC8032_SEED: [u8; 32] = [
        0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c,
        0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae,
        0x7f, 0x60,
    ];

    #[test]
    fn rfc8032_key_matches_geov0_pid() {
        let id = Identity::from_seed(&RFC8032_SEED);
        assert_eq!(
            id.public_key().to_base64(),
            "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        );
        assert_eq!(
            id.pid().as_str(),
            "3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW"
        );
    }

    #[test]
    fn mnemonic_round_trip_restores_the_same_identity() {
        let id = Identity::from_seed(&RFC8032_SEED);
        let phrase = id.mnemonic();
        assert_eq!(phrase.split(' ').count(), 24);
        let restored =
            Identity::from_mnemonic(&format!("  {}\n", phrase.replace(' ', "  "))).unwrap();
        assert_eq!(restored.pid(), id.pid());
        let capitalised: Vec<String> = phrase
            .split(' ')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        let restored = Identity::from_mnemonic(&capitalised.join(" \t")).unwrap();
        assert_eq!(restored.pid(), id.pid(), "case and spacing do not matter");
        let twelve = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        assert!(matches!(
            Identity::from_mnemonic(twelve),
            Err(IdentityError::Mnemonic(_))
        ));
        let mut words: Vec<&str> = phrase.split(' ').collect();
        words.swap(0, 1);
        assert!(Identity::from_mnemonic(&words.join(" ")).is_err() || words[0] == words[1]);
    }

    #[test]
    fn weak_and_non_canonical_keys_are_rejected() {
        // The identity point (small order).
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            PublicKey::from_bytes(&identity),
            Err(IdentityError::PublicKey("small-order key"))
        );
        // y = p (non-canonical encoding of 0): 0xed, 0xff.., 0x7f; the point (y = 0) has order 4.
        let mut non_canonical = [0xffu8; 32];
        non_canonical[0] = 0xed;
        non_canonical[31] = 0x7f;
        assert!(PublicKey::from_bytes(&non_canonical).is_err());
        // y = p + 3 (non-canonical encoding of y = 3, a point of large order).
        non_canonical[0] = 0xf0;
        assert_eq!(
            PublicKey::from_bytes(&non_canonical),
            Err(IdentityError::PublicKey("non-canonical encoding"))
        );
        // A valid key plus a point of order 8: large order, canonical, but not torsion-free.
        let alice = Identity::from_seed(&[1; 32]).public_key();
        let mixed = (alice.0.to_edwards() + curve25519_dalek::constants::EIGHT_TORSION[1])
            .compress()
            .to_bytes();
        assert_eq!(
            PublicKey::from_bytes(&mixed),
            Err(IdentityError::PublicKey("not in the prime-order subgroup"))
        );
    }

    #[test]
    fn base64_must_be_padded_and_exact() {
        let key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
        assert!(PublicKey::from_base64(key).is_ok());
        assert!(PublicKey::from_base64(key.trim_end_matches('=')).is_err());
        assert!(PublicKey::from_base64("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=").is_err());
        // Non-zero trailing bits ('p' instead of 'o') are not the canonical encoding.
        assert!(PublicKey::from_base64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURp=").is_err());
    }

    #[test]
    fn pid_text_that_decodes_is_canonical() {
        // Random texts over the alphabet (a third with leading `1`s), and encodings of random
        // bytes with leading zero bytes: parsing accepts exactly the texts that decode to 32
        // bytes whose encoding is the text itself.
        let alphabet = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut accepted = 0;
        for round in 0..20_000 {
            let text: String = if round % 2 == 0 {
                let len = 40 + (next() % 5) as usize;
                let ones = if round % 3 == 0 {
                    (next() % 4) as usize
                } else {
                    0
                };
                (0..len)
                    .map(|i| {
                        if i < ones {
                            '1'
                        } else {
                            alphabet[(next() % 58) as usize] as char
                        }
                    })
                    .collect()
            } else {
                let mut bytes = [0u8; 32];
                bytes.iter_mut().for_each(|b| *b = next() as u8);
                let zeros = (next() % 4) as usize;
                bytes[..zeros].fill(0);
                bs58::encode(bytes).into_string()
            };
            let decoded = bs58::decode(&text).into_vec().unwrap();
            let canonical = decoded.len() == 32 && bs58::encode(&decoded).into_string() == text;
            assert_eq!(Pid::parse(&text).is_ok(), canonical, "{text}");
            accepted += usize::from(canonical);
        }
        assert!(accepted > 10_000, "{accepted}");
    }

    #[test]
    fn pid_parsing_is_strict() {
        let pid = "3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW";
        assert!(Pid::parse(pid).is_ok());
        assert!(Pid::parse("0HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW").is_err());
        assert!(Pid::parse("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ").is_err());
        assert!(Pid::parse("").is_err());
        assert!(Pid::parse("abc").is_err());
    }

    #[test]
    fn signatures_verify_only_with_the_right_key_and_message() {
        let id = Identity::from_seed(&RFC8032_SEED);
        let other = Identity::from_seed(&[7u8; 32]);
        let sig = id.sign_raw(b"hello");
        assert!(id.public_key().verify(b"hello", &sig).is_ok());
        assert_eq!(
            id.public_key().verify(b"hellp", &sig),
            Err(IdentityError::BadSignature)
        );
        assert_eq!(
            other.public_key().verify(b"hello", &sig),
            Err(IdentityError::BadSignature)
        );
        // RFC 8032 test 1: empty message.
        let empty = id.sign_raw(b"");
        assert_eq!(
            hex(&empty.to_bytes()),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }

    #[test]
    fn non_canonical_s_is_rejected() {
        let id = Identity::from_seed(&RFC8032_SEED);
        let sig = id.sign_raw(b"m");
        let mut bytes = sig.to_bytes();
        // s + L is congruent but not canonical.
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let mut carry = 0u16;
        for i in 0..32 {
            let sum = bytes[32 + i] as u16 + L[i] as u16 + carry;
            bytes[32 + i] = sum as u8;
            carry = sum >> 8;
        }
        let forged = Signature::from_bytes(&bytes);
        assert_eq!(
            id.public_key().verify(b"m", &forged),
            Err(IdentityError::BadSignature)
        );
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
