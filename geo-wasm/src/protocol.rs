//! Protocol helpers that need no hub: amounts per precision, canonical JSON, PIDs, building,
//! signing and verifying messages, and verifying hub-signed receipts.

use geo_client::{GeoError, HubIdentity, HubInfo, Payment};
use geo_protocol::{
    canonical, Amount, CanonicalJsonError, Digest, MessageType, Pid, Precision, PublicKey,
    ReplayGuard, Timestamp, VerifyPolicy,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::{to_js, IntoJs, JsResult};
use crate::identity::Identity;

pub(crate) fn validation(message: &str) -> JsValue {
    to_js(GeoError::Validation {
        code: "E_VALIDATION".into(),
        message: message.into(),
    })
}

pub(crate) fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn json_error(e: CanonicalJsonError) -> JsValue {
    to_js(GeoError::Validation {
        code: e.code().as_str().into(),
        message: e.to_string(),
    })
}

fn precision(places: u8) -> JsResult<Precision> {
    Precision::new(places).js()
}

/// Parses a decimal amount for a unit with `precision` decimal places into minor units (a string:
/// amounts never become JS numbers). More decimals than the unit has is `E_INVALID_AMOUNT`.
#[wasm_bindgen(js_name = parseAmount)]
pub fn parse_amount(text: &str, precision_places: u8) -> JsResult<String> {
    let a = Amount::parse(text, precision(precision_places)?).js()?;
    Ok(a.minor().to_string())
}

/// Formats minor units (a decimal string) canonically for a unit with `precision` places.
#[wasm_bindgen(js_name = formatAmount)]
pub fn format_amount(minor_units: &str, precision_places: u8) -> JsResult<String> {
    let minor: u64 = minor_units
        .parse()
        .map_err(|_| validation("minor units must be a non-negative integer string"))?;
    Ok(Amount::from_minor(minor, precision(precision_places)?).to_string())
}

/// The canonical form (RFC 8785 JCS with the protocol's restrictions) of a JSON text.
#[wasm_bindgen(js_name = canonicalJson)]
pub fn canonical_json(text: &str) -> JsResult<String> {
    canonical::canonicalize(text).map_err(json_error)
}

/// Checks a PID and returns it; `E_VALIDATION`-family error when it is not one.
#[wasm_bindgen(js_name = parsePid)]
pub fn parse_pid(pid: &str) -> JsResult<String> {
    Ok(Pid::parse(pid).js()?.to_string())
}

/// The PID of a base64 public key.
#[wasm_bindgen(js_name = pidOfPublicKey)]
pub fn pid_of_public_key(public_key: &str) -> JsResult<String> {
    Ok(PublicKey::from_base64(public_key).js()?.pid().to_string())
}

fn parse_json(text: &str) -> JsResult<Value> {
    canonical::parse_strict(text).map_err(json_error)
}

fn type_of(v: &Value) -> JsResult<MessageType> {
    let t = v
        .get("type")
        .cloned()
        .ok_or_else(|| validation("the message has no \"type\""))?;
    serde_json::from_value(t).map_err(|_| {
        to_js(GeoError::Validation {
            code: "E_WRONG_MESSAGE_TYPE".into(),
            message: "unknown message type".into(),
        })
    })
}

/// The exact bytes a signature covers, for an unsigned envelope (JSON text without `signature`):
/// the signing tag, the type, a line feed, and the canonical JSON (protocol §5.2).
#[wasm_bindgen(js_name = signingBytes)]
pub fn signing_bytes(unsigned_json: &str) -> JsResult<Vec<u8>> {
    let v = parse_json(unsigned_json)?;
    geo_protocol::signing_bytes(type_of(&v)?, &v).map_err(json_error)
}

/// Signs an unsigned envelope (JSON text; its `signer` must be this identity) exactly as given and
/// returns the signed message's canonical JSON text. `buildMessage` builds checked envelopes.
#[wasm_bindgen(js_name = signMessage)]
pub fn sign_message(identity: &Identity, unsigned_json: &str) -> JsResult<String> {
    let mut v = parse_json(unsigned_json)?;
    if v.get("signer").and_then(Value::as_str) != Some(identity.inner.pid().as_str()) {
        return Err(validation("the envelope's signer is not this identity"));
    }
    let bytes = geo_protocol::signing_bytes(type_of(&v)?, &v).map_err(json_error)?;
    let signature = identity.inner.sign_raw(&bytes).to_base64();
    v.as_object_mut()
        .ok_or_else(|| validation("a message is a JSON object"))?
        .insert("signature".into(), Value::String(signature));
    canonical::to_canonical_string(&v).map_err(json_error)
}

/// Builds and signs a message for `audience` (a hub PID) from its type and payload, valid for
/// `validitySeconds` from now (`createdAt`, an RFC 3339 UTC time, defaults to the host clock).
#[wasm_bindgen(js_name = buildMessage)]
pub fn build_message(
    identity: &Identity,
    #[wasm_bindgen(unchecked_param_type = "MessageType")] message_type: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] payload: JsValue,
    audience: Option<String>,
    validity_seconds: Option<u32>,
    created_at: Option<String>,
) -> JsResult<String> {
    let payload: Value = crate::js::from_js(&payload, "payload").js()?;
    let created = match created_at {
        Some(t) => Timestamp::parse(&t).js()?,
        None => crate::client::host_now(),
    };
    let audience = audience.map(|a| Pid::parse(&a)).transpose().js()?;
    let ty = type_of(&serde_json::json!({ "type": message_type }))?;
    let mut unsigned = serde_json::json!({
        "protocol": geo_protocol::PROTOCOL_VERSION,
        "type": ty,
        "signer": identity.inner.pid(),
        "nonce": geo_protocol::Nonce::random(),
        "created_at": created,
        "expires_at": created.plus_seconds(i64::from(validity_seconds.unwrap_or(300))),
        "payload": payload,
    });
    if let Some(a) = audience {
        unsigned["audience"] = serde_json::json!(a);
    }
    geo_protocol::sign_json(ty, unsigned, &identity.inner).js()
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
        let Ok(expected) = serde_json::from_value::<geo_protocol::MessageType>(
            serde_json::Value::String(expected_type.to_owned()),
        ) else {
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

/// Verifies a payment's hub-signed receipt against a hub's discovery document (whose key must
/// belong to its PID) and returns the receipt.
#[wasm_bindgen(js_name = verifyReceipt, unchecked_return_type = "Receipt")]
pub fn verify_receipt(
    #[wasm_bindgen(unchecked_param_type = "HubInfo")] hub_info: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Payment")] payment: JsValue,
) -> JsResult<JsValue> {
    let info: HubInfo = crate::js::from_js(&hub_info, "hub info").js()?;
    let payment: Payment = crate::js::from_js(&payment, "payment").js()?;
    let hub = HubIdentity::from_info(info, None).js()?;
    let r = hub.verify_payment(&payment, &[]).js()?;
    crate::js::to_js(&r)
}
