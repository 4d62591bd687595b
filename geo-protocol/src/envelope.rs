//! The signed envelope every participant- or hub-signed message travels in, and the one definition of
//! which bytes are signed.
//!
//! Wire form (one JSON object):
//! `{"protocol":"geo/1","type":…,"signer":PID,"audience":PID?,"nonce":…,"created_at":…,"expires_at":…,"payload":{…},"signature":base64}`
//!
//! **Signed bytes** = `"GEO/1 signed message\n"` ‖ type ‖ `"\n"` ‖ JCS(the object without `signature`).
//! The fixed tag and the type up front separate GEO signatures from any other use of the key and each
//! message type from every other. Verification always recomputes these bytes from the *received* JSON,
//! never from a re-serialisation, so what was signed is exactly what is checked.

use std::collections::BTreeMap;
use std::fmt::Debug;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::canonical::{self, CanonicalJsonError};
use crate::identity::{Identity, IdentityError, Pid, PublicKey, Signature};
use crate::ids::{Digest, Nonce, Timestamp};
use crate::messages::MessageType;
use crate::ErrorCode;

/// The protocol version string carried by every envelope.
pub const PROTOCOL_VERSION: &str = "geo/1";

/// The fixed prefix of every signed byte string (domain separation from any other use of the key).
pub const SIGNING_TAG: &[u8] = b"GEO/1 signed message\n";

/// A field-level problem in a message payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The JSON path of the offending field, e.g. `payload.amount`.
    pub field: String,
    /// What is wrong, for people.
    pub message: String,
    /// The stable code (`E_VALIDATION`, `E_INVALID_AMOUNT`, `E_SELF_PAYMENT`, …).
    pub code: ErrorCode,
}

impl ValidationError {
    /// A validation error on `field` with the generic `E_VALIDATION` code.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            message: message.into(),
            code: ErrorCode::Validation,
        }
    }

    /// The same error with a more specific code.
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }
}

/// Why a signed message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// The JSON has no canonical form (syntax, duplicate keys, floats, nulls, unsafe integers).
    #[error(transparent)]
    Json(#[from] CanonicalJsonError),
    /// Required envelope members are missing, unknown members are present, or a member has the wrong form.
    #[error("malformed envelope: {0}")]
    Shape(String),
    /// Another protocol version than `geo/1`.
    #[error("unsupported protocol version {0:?}")]
    UnsupportedProtocol(String),
    /// The message is of a different type than expected.
    #[error("expected a {expected} message, got {found}")]
    WrongMessageType {
        /// What the operation needs.
        expected: MessageType,
        /// What arrived.
        found: MessageType,
    },
    /// The key presented does not belong to the message's signer.
    #[error("the verifying key does not belong to signer {0}")]
    SignerKeyMismatch(Pid),
    /// The signature does not verify.
    #[error("invalid signature")]
    BadSignature,
    /// No key is registered for the signer (§5.4 step 5).
    #[error("signer {0} is not registered")]
    UnknownSigner(Pid),
    /// Addressed to another audience (or none where one is required).
    #[error("{}", wrong_audience(expected, found.as_ref()))]
    WrongAudience {
        /// Who must be addressed.
        expected: Pid,
        /// Who was addressed.
        found: Option<Pid>,
    },
    /// `now` is after `expires_at`.
    #[error("message expired at {0}")]
    Expired(Timestamp),
    /// `created_at` is further in the future than the allowed skew.
    #[error("message created in the future ({0})")]
    NotYetValid(Timestamp),
    /// `expires_at` is not after `created_at`, or the window is longer than allowed.
    #[error("the validity window of {0} s is not within 1 to {1} s")]
    ValidityWindow(i64, i64),
    /// The signer already used this nonce within its validity window.
    #[error("nonce already used by this signer")]
    Replayed,
    /// The payload is well formed but not valid.
    #[error("invalid payload: {0}")]
    Payload(ValidationError),
}

impl EnvelopeError {
    /// The stable machine code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            EnvelopeError::Json(_) | EnvelopeError::Shape(_) => ErrorCode::Malformed,
            EnvelopeError::UnsupportedProtocol(_) => ErrorCode::UnsupportedProtocol,
            EnvelopeError::WrongMessageType { .. } => ErrorCode::WrongMessageType,
            EnvelopeError::SignerKeyMismatch(_) | EnvelopeError::BadSignature => {
                ErrorCode::InvalidSignature
            }
            EnvelopeError::WrongAudience { .. } => ErrorCode::WrongAudience,
            EnvelopeError::Expired(_) => ErrorCode::Expired,
            EnvelopeError::NotYetValid(_) => ErrorCode::NotYetValid,
            EnvelopeError::ValidityWindow(..) => ErrorCode::ValidityTooLong,
            EnvelopeError::Replayed => ErrorCode::Replayed,
            EnvelopeError::UnknownSigner(_) => ErrorCode::UnknownParticipant,
            EnvelopeError::Payload(v) => v.code,
        }
    }
}

/// The detail of [`EnvelopeError::WrongAudience`], for people.
fn wrong_audience(expected: &Pid, found: Option<&Pid>) -> String {
    match found {
        Some(found) => format!("the message is addressed to {found}, not to this hub ({expected})"),
        None => format!("the message names no audience; it must be addressed to {expected}"),
    }
}

impl From<IdentityError> for EnvelopeError {
    fn from(_: IdentityError) -> Self {
        EnvelopeError::BadSignature
    }
}

/// A message payload: its type tag, its validation rules, and its schema.
pub trait Message: Serialize + DeserializeOwned + JsonSchema + Clone + Debug + PartialEq {
    /// The type tag written in the envelope and in the signed bytes.
    const TYPE: MessageType;

    /// Checks rules the types alone cannot express (ranges, non-empty updates, no self-payment…).
    fn validate(&self, signer: &Pid) -> Result<(), ValidationError>;

    /// The key a self-signed message carries for its own verification (`participant_register`).
    fn self_key(&self) -> Option<&PublicKey> {
        None
    }
}

/// The one definition of the signed bytes: tag ‖ type ‖ LF ‖ JCS(unsigned envelope object).
pub fn signing_bytes(
    message_type: MessageType,
    unsigned: &Value,
) -> Result<Vec<u8>, CanonicalJsonError> {
    Ok(tagged(
        message_type,
        &canonical::to_canonical_bytes(unsigned)?,
    ))
}

/// Tag ‖ type ‖ LF ‖ the canonical text of the unsigned object.
fn tagged(message_type: MessageType, body: &[u8]) -> Vec<u8> {
    let tag = message_type.as_str().as_bytes();
    let mut out = Vec::with_capacity(SIGNING_TAG.len() + tag.len() + 1 + body.len());
    out.extend_from_slice(SIGNING_TAG);
    out.extend_from_slice(tag);
    out.push(b'\n');
    out.extend_from_slice(body);
    out
}

/// An unsigned message: who signs it, for whom, when it is valid, and the payload. Its
/// `Deserialize` is written by hand (`envelope_de`) so the shared members are decoded by one
/// piece of code for every payload type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope<P> {
    /// Always `geo/1`.
    pub protocol: String,
    /// The message type (equal to `P::TYPE`).
    #[serde(rename = "type")]
    pub message_type: MessageType,
    /// The PID of the signer.
    pub signer: Pid,
    /// The PID of the hub or peer the message is for; required on every participant-to-hub message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Pid>,
    /// Single-use value; a verifier remembers `(signer, nonce)` until `expires_at`.
    pub nonce: Nonce,
    /// When the signer created the message (UTC).
    pub created_at: Timestamp,
    /// After this instant the message must be refused.
    pub expires_at: Timestamp,
    /// The message itself.
    pub payload: P,
}

impl<P: Message> Envelope<P> {
    /// A new envelope valid from `created_at` for `ttl_seconds`.
    pub fn new(
        signer: Pid,
        audience: Option<Pid>,
        nonce: Nonce,
        created_at: Timestamp,
        ttl_seconds: i64,
        payload: P,
    ) -> Self {
        Envelope {
            protocol: PROTOCOL_VERSION.to_owned(),
            message_type: P::TYPE,
            signer,
            audience,
            nonce,
            created_at,
            expires_at: created_at.plus_seconds(ttl_seconds),
            payload,
        }
    }

    /// The exact bytes a signature covers (written straight from the envelope, the same bytes
    /// as [`signing_bytes`] of its JSON value).
    pub fn signing_bytes(&self) -> Result<Vec<u8>, EnvelopeError> {
        Ok(tagged(
            self.message_type,
            &crate::canonical_writer::to_canonical_vec(self)?,
        ))
    }

    /// Validates the payload and signs, keeping only the signature: the signature [`Self::sign`]
    /// makes, for records kept without their text (the hub's receipts).
    pub fn signature(&self, identity: &Identity) -> Result<Signature, EnvelopeError> {
        self.check_signer(identity)?;
        Ok(identity.sign_raw(&self.signing_bytes()?))
    }

    /// Validates the payload and signs, giving the signature and the signed message's wire text:
    /// [`Self::signature`] then [`Self::signed_json`], with the canonical text written once (the
    /// hub's receipts, signed once and answered at once).
    pub fn signature_and_json(
        &self,
        identity: &Identity,
    ) -> Result<(Signature, String), EnvelopeError> {
        self.check_signer(identity)?;
        let body = crate::canonical_writer::to_canonical_vec(self)?;
        let signature = identity.sign_raw(&tagged(self.message_type, &body));
        let text = std::str::from_utf8(&body).expect("canonical JSON is UTF-8");
        let json = match Members::of(self, text) {
            Some(members) => members.signed(&signature),
            None => self.signed_json(&signature)?,
        };
        Ok((signature, json))
    }

    /// The identity must be the envelope's signer, and the payload valid.
    fn check_signer(&self, identity: &Identity) -> Result<(), EnvelopeError> {
        if identity.pid() != self.signer {
            return Err(EnvelopeError::SignerKeyMismatch(self.signer.clone()));
        }
        self.payload
            .validate(&self.signer)
            .map_err(EnvelopeError::Payload)
    }

    /// The wire text of this envelope with a signature made earlier ([`Self::signature`]): the
    /// same text as [`SignedMessage::to_json`] of the message signed then. The signature is not
    /// checked here.
    pub fn signed_json(&self, signature: &Signature) -> Result<String, EnvelopeError> {
        let body = crate::canonical_writer::to_canonical_vec(self)?;
        let text = std::str::from_utf8(&body).expect("canonical JSON is UTF-8");
        if let Some(members) = Members::of(self, text) {
            return Ok(members.signed(signature));
        }
        let mut value =
            serde_json::to_value(self).map_err(|e| EnvelopeError::Shape(e.to_string()))?;
        value
            .as_object_mut()
            .expect("an envelope is an object")
            .insert("signature".into(), signature.to_base64().into());
        Ok(canonical::to_canonical_string(&value)?)
    }

    /// Validates the payload and signs; the identity must be the envelope's signer.
    pub fn sign(self, identity: &Identity) -> Result<SignedMessage<P>, EnvelopeError> {
        self.check_signer(identity)?;
        let unsigned =
            serde_json::to_value(&self).map_err(|e| EnvelopeError::Shape(e.to_string()))?;
        let bytes = signing_bytes(self.message_type, &unsigned)?;
        let signature = identity.sign_raw(&bytes);
        Ok(SignedMessage {
            envelope: self,
            signature,
            unsigned,
            signed_bytes: bytes,
        })
    }
}

/// How a verifier judges time, audience and window length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// The verifier's current time.
    pub now: Timestamp,
    /// How far in the future `created_at` may be (clock skew), in seconds.
    pub max_clock_skew_seconds: i64,
    /// The longest accepted `expires_at − created_at`, in seconds.
    pub max_validity_seconds: i64,
    /// The audience the verifier requires (its own PID), or `None` to accept any.
    pub audience: Option<Pid>,
}

impl VerifyPolicy {
    /// Default skew (60 s) and window (600 s), requiring `audience` when given.
    pub fn new(now: Timestamp, audience: Option<Pid>) -> Self {
        VerifyPolicy {
            now,
            max_clock_skew_seconds: 60,
            max_validity_seconds: 600,
            audience,
        }
    }
}

/// A signed message with its typed payload, exactly as signed and as it travels.
#[derive(Debug, Clone)]
pub struct SignedMessage<P> {
    envelope: Envelope<P>,
    signature: Signature,
    unsigned: Value,
    signed_bytes: Vec<u8>,
}

impl<P> PartialEq for SignedMessage<P> {
    fn eq(&self, other: &Self) -> bool {
        self.signed_bytes == other.signed_bytes && self.signature == other.signature
    }
}

impl<P: Message> SignedMessage<P> {
    /// Decodes wire JSON strictly: canonical-able JSON, known members only, the right type, a valid payload.
    /// The signature is *not* checked yet: call [`Self::verify`].
    pub fn from_json(text: &str) -> Result<Self, EnvelopeError> {
        Self::from_value(canonical::parse_strict(text)?)
    }

    /// Like [`Self::from_json`] for a reader that expects type `P` only (a participant reading
    /// the hub's records, a payer reading an invoice): a message that names another type or
    /// protocol is refused as such (`E_WRONG_MESSAGE_TYPE`, `E_UNSUPPORTED_PROTOCOL`) without
    /// first being decoded as its own type. The verdict differs from [`Self::from_json`]'s only
    /// for a message both of another type and malformed for it (that one says `E_MALFORMED`,
    /// §5.4's order, which the hub and the verifier keep); what it saves is the decoder of every
    /// other message type in the reader's code (the npm package's wallet module).
    pub fn from_json_of_type(text: &str) -> Result<Self, EnvelopeError> {
        Self::decode::<false>(canonical::parse_strict(text)?)
    }

    /// Like [`Self::from_json`] for an already strictly parsed value.
    pub fn from_value(value: Value) -> Result<Self, EnvelopeError> {
        Self::decode::<true>(value)
    }

    /// §5.4 steps 1–4; `OWN_TYPE_FIRST`: a message of another type or protocol is first decoded
    /// as what it says it is (step 1 before step 3).
    fn decode<const OWN_TYPE_FIRST: bool>(value: Value) -> Result<Self, EnvelopeError> {
        let Shared {
            signature,
            found,
            protocol,
            unsigned,
        } = shared(value)?;
        if protocol != PROTOCOL_VERSION || found != P::TYPE {
            if OWN_TYPE_FIRST {
                check_shape_as(found, &unsigned)?;
            }
            if protocol != PROTOCOL_VERSION {
                return Err(EnvelopeError::UnsupportedProtocol(protocol));
            }
            return Err(EnvelopeError::WrongMessageType {
                expected: P::TYPE,
                found,
            });
        }
        let (envelope, deferred) = decode_envelope::<P>(&unsigned)?;
        // Step 4: a value outside its list or range (found while decoding), then the rules of §6.
        if let Some(fault) = deferred {
            return Err(EnvelopeError::Payload(fault));
        }
        envelope
            .payload
            .validate(&envelope.signer)
            .map_err(EnvelopeError::Payload)?;
        let signed_bytes = signing_bytes(found, &unsigned)?;
        Ok(SignedMessage {
            envelope,
            signature,
            unsigned,
            signed_bytes,
        })
    }

    /// Signs an unsigned envelope given as a JSON value, decoded first as a receiver decodes it
    /// (§5.4 steps 1 and 4, the payload's rules): what is signed is exactly what a verifier
    /// accepts. For envelopes built from untyped input; it shares the verifier's decoder.
    pub fn sign_value(unsigned: Value, identity: &Identity) -> Result<Self, EnvelopeError> {
        let envelope = Self::check_unsigned(&unsigned)?;
        if identity.pid() != envelope.signer {
            return Err(EnvelopeError::SignerKeyMismatch(envelope.signer));
        }
        let signed_bytes = signing_bytes(P::TYPE, &unsigned)?;
        let signature = identity.sign_raw(&signed_bytes);
        Ok(SignedMessage {
            envelope,
            signature,
            unsigned,
            signed_bytes,
        })
    }

    /// The checks [`Self::sign_value`] makes before it signs (strict decoding, protocol, type,
    /// the payload's rules), for a signer whose key is elsewhere; the decoded envelope.
    pub fn check_unsigned(unsigned: &Value) -> Result<Envelope<P>, EnvelopeError> {
        canonical::check_value(unsigned)?;
        let (envelope, deferred) = decode_envelope::<P>(unsigned)?;
        if let Some(fault) = deferred {
            return Err(EnvelopeError::Payload(fault));
        }
        if envelope.protocol != PROTOCOL_VERSION {
            return Err(EnvelopeError::UnsupportedProtocol(envelope.protocol));
        }
        if envelope.message_type != P::TYPE {
            return Err(EnvelopeError::WrongMessageType {
                expected: P::TYPE,
                found: envelope.message_type,
            });
        }
        envelope
            .payload
            .validate(&envelope.signer)
            .map_err(EnvelopeError::Payload)?;
        Ok(envelope)
    }

    /// Checks the signature with the signer's key, then the audience and validity window.
    pub fn verify(&self, key: &PublicKey, policy: &VerifyPolicy) -> Result<(), EnvelopeError> {
        self.verify_signature(key)?;
        let e = &self.envelope;
        if let Some(expected) = &policy.audience {
            if e.audience.as_ref() != Some(expected) {
                return Err(EnvelopeError::WrongAudience {
                    expected: expected.clone(),
                    found: e.audience.clone(),
                });
            }
        }
        let window = e.expires_at.unix() - e.created_at.unix();
        if window <= 0 || window > policy.max_validity_seconds {
            return Err(EnvelopeError::ValidityWindow(
                window,
                policy.max_validity_seconds,
            ));
        }
        if e.created_at.unix() > policy.now.unix() + policy.max_clock_skew_seconds {
            return Err(EnvelopeError::NotYetValid(e.created_at));
        }
        if policy.now > e.expires_at {
            return Err(EnvelopeError::Expired(e.expires_at));
        }
        Ok(())
    }

    /// Checks only the signature (for records such as receipts, which stay valid after they expire).
    pub fn verify_signature(&self, key: &PublicKey) -> Result<(), EnvelopeError> {
        verify_signed(
            key,
            &self.envelope.signer,
            &self.signed_bytes,
            &self.signature,
        )
    }

    /// The envelope (header and typed payload).
    pub fn envelope(&self) -> &Envelope<P> {
        &self.envelope
    }

    /// The typed payload.
    pub fn payload(&self) -> &P {
        &self.envelope.payload
    }

    /// The signer's PID.
    pub fn signer(&self) -> &Pid {
        &self.envelope.signer
    }

    /// The signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The exact signed bytes.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed_bytes
    }

    /// SHA-256 of the signed bytes: the message's identity (used for receipts and proposal references).
    pub fn digest(&self) -> Digest {
        Digest::of(&self.signed_bytes)
    }

    /// SHA-256 of the canonical payload alone: equal for the same request re-signed with a new nonce.
    pub fn payload_digest(&self) -> Digest {
        if let Some(payload) = self.members().map(|m| m.payload) {
            return Digest::of(payload.as_bytes());
        }
        let payload = self
            .unsigned
            .get("payload")
            .expect("envelopes always have a payload");
        Digest::of(&canonical::to_canonical_bytes(payload).expect("checked at construction"))
    }

    /// The canonical text of the unsigned object in parts ([`Members`]), taken from the signed
    /// bytes, which already hold it: the wire text and the payload's canonical text need not be
    /// serialised again.
    fn members(&self) -> Option<Members<'_>> {
        let head = SIGNING_TAG.len() + self.envelope.message_type.as_str().len() + 1;
        let text = std::str::from_utf8(self.signed_bytes.get(head..)?).ok()?;
        Members::of(&self.envelope, text)
    }

    /// The wire JSON value (the unsigned object plus `signature`).
    pub fn to_value(&self) -> Value {
        let mut v = self.unsigned.clone();
        v.as_object_mut().expect("an envelope is an object").insert(
            "signature".into(),
            Value::String(self.signature.to_base64()),
        );
        v
    }

    /// The wire JSON text (canonical form).
    pub fn to_json(&self) -> String {
        match self.members() {
            Some(m) => m.signed(&self.signature),
            None => {
                canonical::to_canonical_string(&self.to_value()).expect("checked at construction")
            }
        }
    }
}

/// The canonical text of an unsigned envelope object in parts. In canonical order the members
/// are `audience`?, `created_at`, `expires_at`, `nonce`, `payload`, `protocol`, then (where
/// `signature` goes) `signer`, `type`; all but `payload` are plain strings whose text is known
/// from the envelope, so the text can be cut without parsing it.
struct Members<'a> {
    /// The payload's canonical text.
    payload: &'a str,
    /// Everything up to and including `"protocol":…,` (where `signature` goes).
    before_signature: &'a str,
    /// `"signer":…,"type":…}`.
    last: &'a str,
}

impl<'a> Members<'a> {
    /// Cuts `text`, the canonical text of `envelope`'s object, or `None` if it is not laid out
    /// as expected (then the caller takes the long way).
    fn of<P>(envelope: &Envelope<P>, text: &'a str) -> Option<Self> {
        use std::fmt::Write as _;
        let e = envelope;
        let mut before = String::with_capacity(160);
        before.push('{');
        if let Some(audience) = &e.audience {
            write!(before, "\"audience\":\"{}\",", audience.as_str()).expect("to a string");
        }
        write!(
            before,
            "\"created_at\":\"{}\",\"expires_at\":\"{}\",\"nonce\":\"{}\",\"payload\":",
            e.created_at, e.expires_at, e.nonce
        )
        .expect("to a string");
        let protocol = format!(",\"protocol\":{}", json_string(&e.protocol)?);
        let last = format!(
            "\"signer\":\"{}\",\"type\":\"{}\"}}",
            e.signer.as_str(),
            e.message_type.as_str()
        );
        let rest = text
            .strip_prefix(before.as_str())?
            .strip_suffix(last.as_str())?;
        let payload = rest.strip_suffix(',')?.strip_suffix(protocol.as_str())?;
        Some(Members {
            payload,
            before_signature: &text[..text.len() - last.len()],
            last: &text[text.len() - last.len()..],
        })
    }

    /// The signed message's wire text: the object with `signature` in its place.
    fn signed(&self, signature: &Signature) -> String {
        let signature = signature.to_base64();
        let mut out = String::with_capacity(
            self.before_signature.len() + signature.len() + 16 + self.last.len(),
        );
        out.push_str(self.before_signature);
        out.push_str("\"signature\":\"");
        out.push_str(&signature);
        out.push_str("\",");
        out.push_str(self.last);
        out
    }
}

/// A string's JSON text if it needs no escape, which is all `members` expects to meet.
fn json_string(s: &str) -> Option<String> {
    s.bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\')
        .then(|| format!("\"{s}\""))
}

impl<P: Message> Serialize for SignedMessage<P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

impl<'de, P: Message> Deserialize<'de> for SignedMessage<P> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = canonical::deserialize_strict(d)?;
        SignedMessage::from_value(value).map_err(serde::de::Error::custom)
    }
}

/// The schema-only mirror of a signed message's wire form.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[schemars(deny_unknown_fields)]
struct SignedMessageWire<P> {
    /// Always `geo/1`.
    protocol: String,
    /// The message type.
    #[serde(rename = "type")]
    message_type: MessageType,
    /// PID of the signer.
    signer: Pid,
    /// PID of the hub or peer the message is addressed to.
    audience: Option<Pid>,
    /// Single-use value chosen by the signer.
    nonce: Nonce,
    /// When the message was created (UTC).
    created_at: Timestamp,
    /// When the message stops being valid (UTC).
    expires_at: Timestamp,
    /// The message.
    payload: P,
    /// Ed25519 signature over the signed bytes (see the spec).
    signature: Signature,
}

impl<P: Message> JsonSchema for SignedMessage<P> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Signed{}", P::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = SignedMessageWire::<P>::json_schema(generator);
        if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert(
                "protocol".into(),
                serde_json::json!({ "const": PROTOCOL_VERSION }),
            );
            props.insert(
                "type".into(),
                serde_json::json!({ "const": P::TYPE.as_str() }),
            );
            if let Some(aud) = props.get_mut("audience") {
                // Optional members are omitted, never null.
                // A reference in the generator's own definitions (`$defs` or OpenAPI components).
                *aud = generator.subschema_for::<Pid>().to_value();
            }
        }
        if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|r| r != "audience");
        }
        schema
    }
}

/// Remembers `(signer, nonce)` pairs until their messages expire, to refuse replays.
#[derive(Debug, Default, Clone)]
pub struct ReplayGuard {
    seen: BTreeMap<(Pid, Nonce), Timestamp>,
}

impl ReplayGuard {
    /// An empty guard.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the message's nonce, refusing one already seen and not yet forgotten.
    pub fn check_and_record<P>(
        &mut self,
        message: &SignedMessage<P>,
        now: Timestamp,
    ) -> Result<(), EnvelopeError> {
        self.forget_expired(now);
        let key = (
            message.envelope.signer.clone(),
            message.envelope.nonce.clone(),
        );
        if self.seen.contains_key(&key) {
            return Err(EnvelopeError::Replayed);
        }
        self.seen.insert(key, message.envelope.expires_at);
        Ok(())
    }

    /// Drops nonces whose messages have expired (they would be refused as expired anyway).
    pub fn forget_expired(&mut self, now: Timestamp) {
        self.seen.retain(|_, expires| *expires >= now);
    }

    /// How many nonces are remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// §5.4 step 1: decodes an envelope's members (without the signature) as a `P` message.
/// `E_MALFORMED` first, then `E_INVALID_AMOUNT` for amount text that breaks §4.1; a value outside its
/// list or range is returned for step 4.
fn decode_envelope<P: Message>(
    unsigned: &Value,
) -> Result<(Envelope<P>, Option<ValidationError>), EnvelopeError> {
    let (envelope, deferred) = crate::decode::decode::<Envelope<P>>(unsigned, "")
        .map_err(|e| EnvelopeError::Shape(e.to_string()))?;
    if let Some(amount) = deferred.amount {
        return Err(EnvelopeError::Payload(amount));
    }
    Ok((envelope, deferred.validation))
}

/// §5.4 step 1 for a message of a type only known at run time.
fn check_shape_as(found: MessageType, unsigned: &Value) -> Result<(), EnvelopeError> {
    use crate::messages::*;
    match found {
        MessageType::ParticipantRegister => {
            decode_envelope::<ParticipantRegister>(unsigned).map(drop)
        }
        MessageType::ParticipantUpdate => decode_envelope::<ParticipantUpdate>(unsigned).map(drop),
        MessageType::Login => decode_envelope::<Login>(unsigned).map(drop),
        MessageType::TrustLineSet => decode_envelope::<TrustLineSet>(unsigned).map(drop),
        MessageType::TrustLineClose => decode_envelope::<TrustLineClose>(unsigned).map(drop),
        MessageType::PaymentRequest => decode_envelope::<PaymentRequest>(unsigned).map(drop),
        MessageType::ClearingConsent => decode_envelope::<ClearingConsent>(unsigned).map(drop),
        MessageType::ClearingProposal => decode_envelope::<ClearingProposal>(unsigned).map(drop),
        MessageType::PaymentReceipt => decode_envelope::<PaymentReceipt>(unsigned).map(drop),
        MessageType::ClearingReceipt => decode_envelope::<ClearingReceipt>(unsigned).map(drop),
        MessageType::PaymentPrepare => decode_envelope::<PaymentPrepare>(unsigned).map(drop),
        MessageType::PaymentPrepareAck => decode_envelope::<PaymentPrepareAck>(unsigned).map(drop),
        MessageType::PaymentCommit => decode_envelope::<PaymentCommit>(unsigned).map(drop),
        MessageType::PaymentAbort => decode_envelope::<PaymentAbort>(unsigned).map(drop),
        MessageType::Invoice => decode_envelope::<Invoice>(unsigned).map(drop),
        MessageType::HubPrepare => decode_envelope::<HubPrepare>(unsigned).map(drop),
        MessageType::HubFulfil => decode_envelope::<HubFulfil>(unsigned).map(drop),
        MessageType::HubReject => decode_envelope::<HubReject>(unsigned).map(drop),
    }
}

/// [`SignedMessage::verify_signature`] of any message type: `key` is the signer's, and signed
/// `bytes` with `signature`.
pub fn verify_signed(
    key: &PublicKey,
    signer: &Pid,
    bytes: &[u8],
    signature: &Signature,
) -> Result<(), EnvelopeError> {
    if key.pid() != *signer {
        return Err(EnvelopeError::SignerKeyMismatch(signer.clone()));
    }
    key.verify(bytes, signature)?;
    Ok(())
}

/// What every signed message shares, read before its type is known: the signature, the type and
/// protocol it names, and the unsigned rest. One body for every message type (the wasm modules
/// would otherwise copy it into each type's decoder).
struct Shared {
    signature: Signature,
    found: MessageType,
    protocol: String,
    unsigned: Value,
}

fn shared(value: Value) -> Result<Shared, EnvelopeError> {
    canonical::check_value(&value)?;
    let Value::Object(mut object) = value else {
        return Err(EnvelopeError::Shape(
            "a signed message is a JSON object".into(),
        ));
    };
    let signature = match object.remove("signature") {
        Some(Value::String(s)) => Signature::from_base64(&s)
            .map_err(|e| EnvelopeError::Shape(format!("signature: {e}")))?,
        Some(_) => return Err(EnvelopeError::Shape("signature must be a string".into())),
        None => return Err(EnvelopeError::Shape("missing member `signature`".into())),
    };
    // §5.4 step 1 comes first: the members are checked against the type the message names
    // itself, so a malformed message is `E_MALFORMED` whatever its protocol or type says.
    let found: MessageType = match object.get("type") {
        Some(t) => MessageType::ALL
            .iter()
            .copied()
            .find(|m| t.as_str() == Some(m.as_str()))
            .ok_or_else(|| EnvelopeError::Shape(format!("unknown message type {t}")))?,
        None => return Err(EnvelopeError::Shape("missing member `type`".into())),
    };
    let protocol = match object.get("protocol") {
        Some(Value::String(p)) => p.clone(),
        _ => {
            return Err(EnvelopeError::Shape(
                "missing or non-string member `protocol`".into(),
            ))
        }
    };
    Ok(Shared {
        signature,
        found,
        protocol,
        unsigned: Value::Object(object),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::TrustLineClose;

    fn close(audience: Option<Pid>) -> SignedMessage<TrustLineClose> {
        let bob = Identity::from_seed(&[2; 32]);
        let payload = TrustLineClose {
            debtor: Identity::from_seed(&[1; 32]).pid(),
            equivalent: "UAH".parse().unwrap(),
        };
        let now = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        let nonce = Nonce::parse("AAAAAAAAAAAAAAAAAAAAAA").unwrap();
        Envelope::new(bob.pid(), audience, nonce, now, 300, payload)
            .sign(&bob)
            .unwrap()
    }

    #[test]
    fn problem_details_are_sentences_for_people_not_debug_output() {
        let hub = Identity::from_seed(&[3; 32]).pid();
        let other = Identity::from_seed(&[4; 32]).pid();
        let now = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        let key = Identity::from_seed(&[2; 32]).public_key();
        let policy = VerifyPolicy::new(now, Some(hub.clone()));
        let wrong = close(Some(other.clone()))
            .verify(&key, &policy)
            .unwrap_err();
        assert_eq!(
            wrong.to_string(),
            format!("the message is addressed to {other}, not to this hub ({hub})")
        );
        let none = close(None).verify(&key, &policy).unwrap_err();
        assert_eq!(
            none.to_string(),
            format!("the message names no audience; it must be addressed to {hub}")
        );
        for e in [wrong, none] {
            assert_eq!(e.code(), ErrorCode::WrongAudience);
            assert!(!e.to_string().contains("Some(") && !e.to_string().contains("Pid("));
        }
        let unknown = EnvelopeError::UnknownSigner(other.clone());
        assert_eq!(unknown.code(), ErrorCode::UnknownParticipant);
        assert_eq!(
            unknown.to_string(),
            format!("signer {other} is not registered")
        );
    }

    #[test]
    fn wire_text_and_payload_digest_are_cut_from_the_signed_bytes_as_serialised() {
        let alice = Identity::from_seed(&[1; 32]);
        let now = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        let payment = |description: Option<&str>, audience: Option<Pid>| {
            let payload = crate::PaymentRequest {
                tx_id: "00000000-0000-4000-8000-000000000001".parse().unwrap(),
                payee: Identity::from_seed(&[2; 32]).pid(),
                equivalent: "UAH".parse().unwrap(),
                amount: "12.5".parse().unwrap(),
                description: description.map(str::to_owned),
                constraints: None,
                hold_seconds: Some(60),
                invoice_id: None,
                payee_hub: None,
            };
            let nonce = Nonce::parse("BBBBBBBBBBBBBBBBBBBBBB").unwrap();
            Envelope::new(alice.pid(), audience, nonce, now, 300, payload)
                .sign(&alice)
                .unwrap()
        };
        let hub = Identity::from_seed(&[3; 32]).pid();
        let messages = [
            payment(None, Some(hub.clone())),
            payment(Some("rent \"May\" \\ é \u{1f600}\n"), Some(hub.clone())),
            payment(Some("\"protocol\":\"geo/1\",\"signer\":"), None),
        ];
        for m in messages
            .iter()
            .chain([&SignedMessage::from_json(&messages[1].to_json()).unwrap()])
        {
            assert!(m.members().is_some());
            let slow = canonical::to_canonical_string(&m.to_value()).unwrap();
            assert_eq!(m.to_json(), slow);
            let payload = canonical::to_canonical_bytes(&m.unsigned["payload"]).unwrap();
            assert_eq!(m.payload_digest(), Digest::of(&payload));
            // Signed without keeping the message: the same signature and the same text.
            assert_eq!(m.envelope().signature(&alice).unwrap(), *m.signature());
            assert_eq!(m.envelope().signed_json(m.signature()).unwrap(), slow);
            assert_eq!(
                m.envelope().signature_and_json(&alice).unwrap(),
                (*m.signature(), slow.clone())
            );
            assert_eq!(m.envelope().signing_bytes().unwrap(), m.signed_bytes());
        }
        for m in [close(None), close(Some(hub))] {
            let slow = canonical::to_canonical_string(&m.to_value()).unwrap();
            assert_eq!(m.to_json(), slow);
        }
        // An envelope whose members do not read as expected takes the long way, with the same result.
        let mut odd = payment(None, None);
        odd.envelope.protocol = "geo/\"1".into();
        assert!(odd.members().is_none());
        let resigned = odd.envelope().clone().sign(&alice).unwrap();
        assert!(resigned.members().is_none());
        assert_eq!(
            odd.envelope().signature_and_json(&alice).unwrap(),
            (*resigned.signature(), resigned.to_json())
        );
        assert_eq!(
            odd.to_json(),
            canonical::to_canonical_string(&odd.to_value()).unwrap()
        );
    }

    #[test]
    fn a_value_outside_its_list_is_validation_at_step_4_after_protocol() {
        let mut v = close(None).to_value();
        v["payload"]["equivalent"] = serde_json::json!("uah");
        let err = SignedMessage::<TrustLineClose>::from_value(v).unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::Malformed,
            "a code breaks its form: step 1"
        );
        let mut v = close(None).to_value();
        v["type"] = serde_json::json!("clearing_consent");
        v["payload"] = serde_json::json!({
            "clearing_id": "00000000-0000-4000-8000-000000000001",
            "proposal_digest": "0".repeat(64),
            "decision": "maybe"
        });
        let err = SignedMessage::<crate::ClearingConsent>::from_value(v.clone()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Validation);
        assert_eq!(
            err.to_string(),
            "invalid payload: payload.decision: must be one of accept, reject"
        );
        v["protocol"] = serde_json::json!("geo/2");
        let err = SignedMessage::<crate::ClearingConsent>::from_value(v).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnsupportedProtocol);
    }

    #[test]
    fn a_reader_of_one_type_refuses_others_without_decoding_them() {
        let good = close(None).to_json();
        let read = SignedMessage::<TrustLineClose>::from_json_of_type(&good).unwrap();
        assert_eq!(
            read,
            SignedMessage::<TrustLineClose>::from_json(&good).unwrap()
        );
        // Another type, and malformed for it: §5.4 says E_MALFORMED; a reader of invoices only
        // says it is not one.
        let mut v = close(None).to_value();
        v["payload"]["colour"] = serde_json::json!("red");
        let text = v.to_string();
        let exact = SignedMessage::<crate::Invoice>::from_json(&text).unwrap_err();
        assert_eq!(exact.code(), ErrorCode::Malformed);
        let typed = SignedMessage::<crate::Invoice>::from_json_of_type(&text).unwrap_err();
        assert_eq!(typed.code(), ErrorCode::WrongMessageType);
        // Its own type, malformed: both decode it and say so.
        let own = SignedMessage::<TrustLineClose>::from_json_of_type(&text).unwrap_err();
        assert_eq!(own.code(), ErrorCode::Malformed);
    }
}
