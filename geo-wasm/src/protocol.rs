//! Protocol helpers of the wallet module that need no hub: amounts per precision, PIDs, and
//! verifying hub-signed receipts. Building, signing and verifying messages of any type are the
//! protocol tools' (`tools.rs`, the package's second module).

use geo_client::{HubIdentity, HubInfo, Payment};
use geo_protocol::{Amount, Pid, Precision, PublicKey};
use wasm_bindgen::prelude::*;

use crate::error::{validation, IntoJs, JsResult};

pub(crate) fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
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
