//! The canonical GEO protocol: identities, exact amounts, canonical JSON, signed messages and their
//! JSON Schemas. Pure: no I/O, no clock, no async; builds for `wasm32-unknown-unknown`.
//!
//! The normative text is `spec/protocol.md`; this crate is its reference implementation and the
//! cross-language test vectors in `spec/vectors/` are generated from it.
//!
//! ```
//! use geo_protocol::{Envelope, Identity, Nonce, PaymentRequest, SignedMessage, Timestamp, TxId, VerifyPolicy};
//!
//! let alice = Identity::from_seed(&[1; 32]);
//! let bob = Identity::from_seed(&[2; 32]);
//! let hub = Identity::from_seed(&[3; 32]);
//! let now = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
//!
//! let request = PaymentRequest {
//!     tx_id: TxId::parse("00000000-0000-4000-8000-000000000001").unwrap(),
//!     payee: bob.pid(),
//!     payee_hub: None,
//!     equivalent: "UAH".parse().unwrap(),
//!     amount: "10.50".parse().unwrap(),
//!     description: None,
//!     constraints: None,
//!     hold_seconds: None,
//!     invoice_id: None,
//! };
//! let nonce = Nonce::parse("AAAAAAAAAAAAAAAAAAAAAA").unwrap();
//! let signed = Envelope::new(alice.pid(), Some(hub.pid()), nonce, now, 300, request)
//!     .sign(&alice)
//!     .unwrap();
//!
//! // What travels is JSON; the receiver decodes strictly and verifies against the signer's key.
//! let received = SignedMessage::<PaymentRequest>::from_json(&signed.to_json()).unwrap();
//! received.verify(&alice.public_key(), &VerifyPolicy::new(now, Some(hub.pid()))).unwrap();
//! assert_eq!(received.payload().amount.as_str(), "10.50");
//! ```
#![deny(missing_docs)]

pub mod amount;
#[cfg(not(target_arch = "wasm32"))]
pub mod batch;
pub mod canonical;
pub mod canonical_writer;
mod decode;
pub mod envelope;
mod envelope_de;
mod error_code;
pub mod federation;
pub mod geo_uri;
pub mod identity;
pub mod ids;
pub mod invoice;
pub mod messages;
mod mnemonic;
pub mod record;

pub use amount::{Amount, AmountError, DecimalAmount, Precision, MAX_PRECISION};
pub use canonical::CanonicalJsonError;
pub use envelope::{
    signing_bytes, verify_signed, Envelope, EnvelopeError, Message, ReplayGuard, SignedMessage,
    ValidationError, VerifyPolicy, PROTOCOL_VERSION, SIGNING_TAG,
};
pub use error_code::ErrorCode;
pub use identity::{Identity, IdentityError, Pid, PublicKey, Signature};
pub use ids::{Digest, EquivalentCode, IdError, Nonce, Timestamp, TxId};
pub use invoice::{
    link_to_json, InvoiceError, InvoiceOrder, SignedInvoice, INVOICE_CLOCK_SKEW_SECONDS,
    INVOICE_LINK_PREFIX, MAX_INVOICE_VALIDITY_SECONDS,
};
pub use messages::*;
pub use record::record_nonce;

/// The JSON Schema of every wire type, by file name (without `.json`), for `spec/schemas/`.
pub fn json_schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn one<T: schemars::JsonSchema>() -> serde_json::Value {
        let mut settings = schemars::generate::SchemaSettings::draft2020_12();
        settings
            .transforms
            .push(Box::new(schemars::transform::RecursiveTransform(
                forbid_null,
            )));
        settings
            .into_generator()
            .into_root_schema_for::<T>()
            .to_value()
    }
    vec![
        (
            "participant_register",
            one::<SignedMessage<ParticipantRegister>>(),
        ),
        (
            "participant_update",
            one::<SignedMessage<ParticipantUpdate>>(),
        ),
        ("login", one::<SignedMessage<Login>>()),
        ("trust_line_set", one::<SignedMessage<TrustLineSet>>()),
        ("trust_line_close", one::<SignedMessage<TrustLineClose>>()),
        ("payment_request", one::<SignedMessage<PaymentRequest>>()),
        ("clearing_consent", one::<SignedMessage<ClearingConsent>>()),
        (
            "clearing_proposal",
            one::<SignedMessage<ClearingProposal>>(),
        ),
        ("payment_receipt", one::<SignedMessage<PaymentReceipt>>()),
        ("clearing_receipt", one::<SignedMessage<ClearingReceipt>>()),
        ("payment_prepare", one::<SignedMessage<PaymentPrepare>>()),
        (
            "payment_prepare_ack",
            one::<SignedMessage<PaymentPrepareAck>>(),
        ),
        ("payment_commit", one::<SignedMessage<PaymentCommit>>()),
        ("payment_abort", one::<SignedMessage<PaymentAbort>>()),
        ("invoice", one::<SignedMessage<Invoice>>()),
        ("hub_prepare", one::<SignedMessage<HubPrepare>>()),
        ("hub_fulfil", one::<SignedMessage<HubFulfil>>()),
        ("hub_reject", one::<SignedMessage<HubReject>>()),
        ("error_code", one::<ErrorCode>()),
    ]
}

/// Optional members are omitted, never null: removes `null` from every generated type and `anyOf`.
fn forbid_null(schema: &mut schemars::Schema) {
    use serde_json::Value;
    let is_null = |v: &Value| v.get("type") == Some(&Value::String("null".into()));
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types[0].clone();
            schema.insert("type".into(), only);
        }
    }
    let any_of_single = match schema.get_mut("anyOf") {
        Some(Value::Array(options)) => {
            options.retain(|o| !is_null(o));
            (options.len() == 1).then(|| options[0].clone())
        }
        _ => None,
    };
    if let Some(Value::Object(only)) = any_of_single {
        schema.remove("anyOf");
        for (k, v) in only {
            schema.insert(k, v);
        }
    }
}

/// Signs an unsigned envelope (a JSON object without `signature`) of a type known only at run time
/// ([`SignedMessage::sign_value`]: decoded and checked as a verifier would first); the signed
/// message's canonical JSON text.
pub fn sign_json(
    message_type: MessageType,
    unsigned: serde_json::Value,
    identity: &Identity,
) -> Result<String, EnvelopeError> {
    fn run<P: Message>(
        unsigned: serde_json::Value,
        id: &Identity,
    ) -> Result<String, EnvelopeError> {
        Ok(SignedMessage::<P>::sign_value(unsigned, id)?.to_json())
    }
    match message_type {
        MessageType::ParticipantRegister => run::<ParticipantRegister>(unsigned, identity),
        MessageType::ParticipantUpdate => run::<ParticipantUpdate>(unsigned, identity),
        MessageType::Login => run::<Login>(unsigned, identity),
        MessageType::TrustLineSet => run::<TrustLineSet>(unsigned, identity),
        MessageType::TrustLineClose => run::<TrustLineClose>(unsigned, identity),
        MessageType::PaymentRequest => run::<PaymentRequest>(unsigned, identity),
        MessageType::ClearingConsent => run::<ClearingConsent>(unsigned, identity),
        MessageType::ClearingProposal => run::<ClearingProposal>(unsigned, identity),
        MessageType::PaymentReceipt => run::<PaymentReceipt>(unsigned, identity),
        MessageType::ClearingReceipt => run::<ClearingReceipt>(unsigned, identity),
        MessageType::PaymentPrepare => run::<PaymentPrepare>(unsigned, identity),
        MessageType::PaymentPrepareAck => run::<PaymentPrepareAck>(unsigned, identity),
        MessageType::PaymentCommit => run::<PaymentCommit>(unsigned, identity),
        MessageType::PaymentAbort => run::<PaymentAbort>(unsigned, identity),
        MessageType::Invoice => run::<Invoice>(unsigned, identity),
        MessageType::HubPrepare => run::<HubPrepare>(unsigned, identity),
        MessageType::HubFulfil => run::<HubFulfil>(unsigned, identity),
        MessageType::HubReject => run::<HubReject>(unsigned, identity),
    }
}

/// The checks [`sign_json`] makes before it signs (strict decoding, protocol, type, the payload's
/// rules), for an unsigned envelope whose signer's key is elsewhere (the npm package's protocol
/// tools sign with an identity that lives in its other wasm module).
pub fn check_unsigned_json(
    message_type: MessageType,
    unsigned: &serde_json::Value,
) -> Result<(), EnvelopeError> {
    fn run<P: Message>(unsigned: &serde_json::Value) -> Result<(), EnvelopeError> {
        SignedMessage::<P>::check_unsigned(unsigned).map(drop)
    }
    match message_type {
        MessageType::ParticipantRegister => run::<ParticipantRegister>(unsigned),
        MessageType::ParticipantUpdate => run::<ParticipantUpdate>(unsigned),
        MessageType::Login => run::<Login>(unsigned),
        MessageType::TrustLineSet => run::<TrustLineSet>(unsigned),
        MessageType::TrustLineClose => run::<TrustLineClose>(unsigned),
        MessageType::PaymentRequest => run::<PaymentRequest>(unsigned),
        MessageType::ClearingConsent => run::<ClearingConsent>(unsigned),
        MessageType::ClearingProposal => run::<ClearingProposal>(unsigned),
        MessageType::PaymentReceipt => run::<PaymentReceipt>(unsigned),
        MessageType::ClearingReceipt => run::<ClearingReceipt>(unsigned),
        MessageType::PaymentPrepare => run::<PaymentPrepare>(unsigned),
        MessageType::PaymentPrepareAck => run::<PaymentPrepareAck>(unsigned),
        MessageType::PaymentCommit => run::<PaymentCommit>(unsigned),
        MessageType::PaymentAbort => run::<PaymentAbort>(unsigned),
        MessageType::Invoice => run::<Invoice>(unsigned),
        MessageType::HubPrepare => run::<HubPrepare>(unsigned),
        MessageType::HubFulfil => run::<HubFulfil>(unsigned),
        MessageType::HubReject => run::<HubReject>(unsigned),
    }
}

/// Decodes and verifies a signed message whose type is known only at run time (test vectors, tools),
/// in the order of §5.4: strict decoding, protocol, type and payload rules, then the signature under
/// `key` (the signer's registered key, `None` when it has none: `E_UNKNOWN_PARTICIPANT`; a
/// `participant_register` is checked with the key it carries), then audience, window and replay.
/// Hub-signed records ([`MessageType::is_record`]) stop after the signature. An `invoice` is
/// checked here as any message, under `policy`; a payer reads one with [`SignedInvoice::read`] (§6.4).
pub fn verify_json(
    expected: MessageType,
    text: &str,
    key: Option<&PublicKey>,
    policy: &VerifyPolicy,
    replay: &mut ReplayGuard,
) -> Result<(), EnvelopeError> {
    fn run<P: Message>(
        text: &str,
        key: Option<&PublicKey>,
        policy: &VerifyPolicy,
        replay: &mut ReplayGuard,
    ) -> Result<(), EnvelopeError> {
        let message = SignedMessage::<P>::from_json(text)?;
        let key = message
            .payload()
            .self_key()
            .or(key)
            .ok_or_else(|| EnvelopeError::UnknownSigner(message.signer().clone()))?;
        if P::TYPE.is_record() {
            return message.verify_signature(key);
        }
        message.verify(key, policy)?;
        replay.check_and_record(&message, policy.now)
    }
    match expected {
        MessageType::ParticipantRegister => run::<ParticipantRegister>(text, key, policy, replay),
        MessageType::ParticipantUpdate => run::<ParticipantUpdate>(text, key, policy, replay),
        MessageType::Login => run::<Login>(text, key, policy, replay),
        MessageType::TrustLineSet => run::<TrustLineSet>(text, key, policy, replay),
        MessageType::TrustLineClose => run::<TrustLineClose>(text, key, policy, replay),
        MessageType::PaymentRequest => run::<PaymentRequest>(text, key, policy, replay),
        MessageType::ClearingConsent => run::<ClearingConsent>(text, key, policy, replay),
        MessageType::ClearingProposal => run::<ClearingProposal>(text, key, policy, replay),
        MessageType::PaymentReceipt => run::<PaymentReceipt>(text, key, policy, replay),
        MessageType::ClearingReceipt => run::<ClearingReceipt>(text, key, policy, replay),
        MessageType::PaymentPrepare => run::<PaymentPrepare>(text, key, policy, replay),
        MessageType::PaymentPrepareAck => run::<PaymentPrepareAck>(text, key, policy, replay),
        MessageType::PaymentCommit => run::<PaymentCommit>(text, key, policy, replay),
        MessageType::PaymentAbort => run::<PaymentAbort>(text, key, policy, replay),
        MessageType::Invoice => run::<Invoice>(text, key, policy, replay),
        MessageType::HubPrepare => run::<HubPrepare>(text, key, policy, replay),
        MessageType::HubFulfil => run::<HubFulfil>(text, key, policy, replay),
        MessageType::HubReject => run::<HubReject>(text, key, policy, replay),
    }
}
