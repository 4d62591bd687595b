//! The protocol tools (the package's second wasm module, `@geo/client/tools`, loaded only by the
//! pages that import it): canonical JSON, the signed bytes and digests of any message, building
//! checked messages of every type, and the verifier of §5.4. Their code is the protocol's strict
//! decoder for every message type, which a wallet does not need.
//!
//! No secret key is in this module: `tools.js` signs with the wallet module's `Identity`
//! (`identity.sign(bytes)`) the bytes computed here, and attaches the signature here.

use geo_client::GeoError;
use geo_protocol::{
    canonical, CanonicalJsonError, Digest, MessageType, Pid, PublicKey, ReplayGuard, Signature,
    Timestamp, VerifyPolicy,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::{to_js, validation, IntoJs, JsResult};

fn json_error(e: CanonicalJsonError) -> JsValue {
    to_js(GeoError::Validation {
        code: e.code().as_str().into(),
        message: e.to_string(),
    })
}

/// The canonical form (RFC 8785 JCS with the protocol's restrictions) of a JSON text.
#[wasm_bindgen(js_name = canonicalJson)]
pub fn canonical_json(text: &str) -> JsResult<String> {
    canonical::canonicalize(text).map_err(json_error)
}

fn parse_json(text: &str) -> JsResult<Value> {
    canonical::parse_strict(text).map_err(json_error)
}

fn message_type(name: &str) -> JsResult<MessageType> {
    serde_json::from_value(Value::String(name.to_owned())).map_err(|_| {
        to_js(GeoError::Validation {
            code: "E_WRONG_MESSAGE_TYPE".into(),
            message: "unknown message type".into(),
        })
    })
}

fn type_of(v: &Value) -> JsResult<MessageType> {
    match v.get("type") {
        Some(Value::String(t)) => message_type(t),
        Some(_) => message_type(""),
        None => Err(validation("the message has no \"type\"")),
    }
}

/// The exact bytes a signature covers, for an unsigned envelope (JSON text without `signature`):
/// the signing tag, the type, a line feed, and the canonical JSON (protocol §5.2).
#[wasm_bindgen(js_name = signingBytes)]
pub fn signing_bytes(unsigned_json: &str) -> JsResult<Vec<u8>> {
    let v = parse_json(unsigned_json)?;
    geo_protocol::signing_bytes(type_of(&v)?, &v).map_err(json_error)
}

/// The bytes `signer` signs for an unsigned envelope (JSON text), refused unless the envelope's
/// `signer` is that PID (`signMessage` in `tools.js`; the signature is made by the wallet module).
#[wasm_bindgen(js_name = signingBytesFor, skip_typescript)]
pub fn signing_bytes_for(signer: &str, unsigned_json: &str) -> JsResult<Vec<u8>> {
    let v = parse_json(unsigned_json)?;
    if v.get("signer").and_then(Value::as_str) != Some(signer) {
        return Err(validation("the envelope's signer is not this identity"));
    }
    geo_protocol::signing_bytes(type_of(&v)?, &v).map_err(json_error)
}

/// An unsigned envelope with its `signature` (standard base64 of 64 bytes): the signed message's
/// canonical JSON text.
#[wasm_bindgen(js_name = withSignature, skip_typescript)]
pub fn with_signature(unsigned_json: &str, signature: &str) -> JsResult<String> {
    let mut v = parse_json(unsigned_json)?;
    let signature = Signature::from_base64(signature).js()?;
    v.as_object_mut()
        .ok_or_else(|| validation("a message is a JSON object"))?
        .insert("signature".into(), Value::String(signature.to_base64()));
    canonical::to_canonical_string(&v).map_err(json_error)
}

/// The unsigned envelope of a message by `signer` for `audience` (a hub PID) from its type and
/// payload, valid for `validitySeconds` (default 300) from `createdAt` (RFC 3339 UTC, default the
/// host clock), checked as a verifier decodes it (strict decoding, the payload's rules): its
/// canonical JSON text, whose `signingBytes` `buildMessage` signs.
#[wasm_bindgen(js_name = unsignedMessage, skip_typescript)]
pub fn unsigned_message(
    signer: &str,
    message_type: &str,
    payload: JsValue,
    audience: Option<String>,
    validity_seconds: Option<u32>,
    created_at: Option<String>,
) -> JsResult<String> {
    let payload: Value = crate::js::from_js(&payload, "payload").js()?;
    let created = match created_at {
        Some(t) => Timestamp::parse(&t).js()?,
        None => crate::js::host_now(),
    };
    let signer = Pid::parse(signer).js()?;
    let audience = audience.map(|a| Pid::parse(&a)).transpose().js()?;
    let ty = self::message_type(message_type)?;
    let mut unsigned = serde_json::json!({
        "protocol": geo_protocol::PROTOCOL_VERSION,
        "type": ty,
        "signer": signer,
        "nonce": geo_protocol::Nonce::random(),
        "created_at": created,
        "expires_at": created.plus_seconds(i64::from(validity_seconds.unwrap_or(300))),
        "payload": payload,
    });
    if let Some(a) = audience {
        unsigned["audience"] = serde_json::json!(a);
    }
    geo_protocol::check_unsigned_json(ty, &unsigned).js()?;
    canonical::to_canonical_string(&unsigned).map_err(json_error)
}

/// The digests of a signed message: `digest` (SHA-256 of the signed bytes; receipts name it) and
/// `payload_digest` (of the canonical payload), both hex. The signature is not checked here.
#[wasm_bindgen(js_name = messageDigests, unchecked_return_type = "MessageDigests")]
pub fn message_digests(signed_json: &str) -> JsResult<JsValue> {
    let mut v = parse_json(signed_json)?;
    let ty = type_of(&v)?;
    let object = v
        .as_object_mut()
        .ok_or_else(|| validation("a message is a JSON object"))?;
    object.remove("signature");
    let payload = object
        .get("payload")
        .cloned()
        .ok_or_else(|| validation("the message has no payload"))?;
    let bytes = geo_protocol::signing_bytes(ty, &v).map_err(json_error)?;
    let payload = canonical::to_canonical_bytes(&payload).map_err(json_error)?;
    crate::js::to_js(&crate::types::MessageDigests {
        digest: Digest::of(&bytes).to_string(),
        payload_digest: Digest::of(&payload).to_string(),
    })
}

/// Verifies signed messages as the hub does (every step of protocol §5.4, with a replay guard
/// that remembers nonces across calls). `verify` returns `"ok"` or the stable error code.
#[wasm_bindgen]
pub struct Verifier {
    policy: VerifyPolicy,
    /// None: the verifier knows no key for the signer (`E_UNKNOWN_PARTICIPANT` at step 5).
    key: Option<PublicKey>,
    guard: ReplayGuard,
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier at time `now` (RFC 3339 UTC) for messages signed by `publicKey` (none when the
    /// signer is unknown), requiring `audience` when given.
    #[wasm_bindgen(constructor)]
    pub fn new(
        now: &str,
        public_key: Option<String>,
        audience: Option<String>,
        max_validity_seconds: Option<u32>,
        max_clock_skew_seconds: Option<u32>,
    ) -> JsResult<Verifier> {
        let audience = audience.map(|a| Pid::parse(&a)).transpose().js()?;
        let mut policy = VerifyPolicy::new(Timestamp::parse(now).js()?, audience);
        if let Some(w) = max_validity_seconds {
            policy.max_validity_seconds = i64::from(w);
        }
        if let Some(s) = max_clock_skew_seconds {
            policy.max_clock_skew_seconds = i64::from(s);
        }
        Ok(Verifier {
            policy,
            key: public_key
                .as_deref()
                .map(PublicKey::from_base64)
                .transpose()
                .js()?,
            guard: ReplayGuard::new(),
        })
    }

    /// Verifies one signed message of type `expectedType` in the order of §5.4 (the protocol
    /// crate's `verify_json`): `"ok"` or the error code.
    #[wasm_bindgen(unchecked_return_type = "'ok' | ErrorCode")]
    pub fn verify(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MessageType")] expected_type: &str,
        signed_json: &str,
    ) -> String {
        let Ok(expected) = message_type(expected_type) else {
            return "E_WRONG_MESSAGE_TYPE".into();
        };
        match geo_protocol::verify_json(
            expected,
            signed_json,
            self.key.as_ref(),
            &self.policy,
            &mut self.guard,
        ) {
            Ok(()) => "ok".to_owned(),
            Err(e) => e.code().as_str().to_owned(),
        }
    }
}
