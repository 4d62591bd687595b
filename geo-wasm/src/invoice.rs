//! Invoices (protocol §6.4) in the page: a payee signs one and shows its `geo:invoice` link as a QR
//! code; a payer reads a link into a checked `Invoice` (signature, hub, expiry) and pays it with
//! `HubClient.payInvoice`.

use geo_client::{GeoError, GeoResult};
use geo_protocol::{Pid, Timestamp};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::error::{IntoJs, JsResult};
use crate::identity::Identity;
use crate::js::host_now;
use crate::types::{InvoiceOrder, SignedInvoice};

impl InvoiceOrder {
    fn into_sdk(self) -> GeoResult<geo_client::InvoiceOrder> {
        Ok(geo_client::InvoiceOrder {
            hub: self.hub,
            equivalent: self.equivalent.parse()?,
            amount: self.amount.parse()?,
            description: self.description,
            expires_at: Timestamp::parse(&self.expires_at)?,
        })
    }
}

/// Signs an invoice as `identity` (the payee) now: `{ uri, invoice }`, the `geo:invoice` link for
/// a QR code and the invoice it carries. Refused like a payer would refuse it (`E_INVALID_AMOUNT`
/// for zero, `E_VALIDITY_TOO_LONG` unless `expires_at` is within 30 days from now, …).
#[wasm_bindgen(js_name = signInvoice, unchecked_return_type = "SignedInvoice")]
pub fn sign_invoice(
    identity: &Identity,
    #[wasm_bindgen(unchecked_param_type = "InvoiceOrder")] order: JsValue,
) -> JsResult<JsValue> {
    let order: InvoiceOrder = crate::js::from_js(&order, "order").js()?;
    let invoice =
        geo_client::sign_invoice(&identity.inner, &order.into_sdk().js()?, host_now()).js()?;
    crate::js::to_js(&SignedInvoice {
        uri: invoice.uri.clone(),
        invoice,
    })
}

/// Reads and checks a `geo:invoice` link: the payee's signature, the hub (`expectedHub` when
/// given), the validity window and expiry at `now` (RFC 3339; default the host's clock). A
/// refusal is a `GeoError` with the protocol's code: `E_MALFORMED`, `E_INVALID_SIGNATURE`,
/// `E_WRONG_AUDIENCE`, `E_EXPIRED`, …
#[wasm_bindgen(js_name = readInvoice, unchecked_return_type = "Invoice")]
pub fn read_invoice(
    uri: &str,
    #[wasm_bindgen(unchecked_param_type = "Pid | undefined")] expected_hub: Option<String>,
    now: Option<String>,
) -> JsResult<JsValue> {
    let hub = expected_hub.map(|p| Pid::parse(&p)).transpose().js()?;
    let now = match now {
        Some(t) => Timestamp::parse(&t).js()?,
        None => host_now(),
    };
    let invoice = geo_client::read_invoice(uri, hub.as_ref(), now).js()?;
    crate::js::to_js(&invoice)
}

/// The link of an `Invoice` object or of a link given as text: paying reads it again.
pub(crate) fn uri_of(invoice: &JsValue) -> GeoResult<String> {
    if let Some(text) = invoice.as_string() {
        return Ok(text);
    }
    #[derive(Deserialize)]
    struct WithUri {
        uri: String,
    }
    let w: WithUri = crate::js::from_js(invoice, "invoice").map_err(|_| GeoError::Validation {
        code: "E_VALIDATION".into(),
        message: "an invoice is an Invoice (with its uri) or a geo:invoice link".into(),
    })?;
    Ok(w.uri)
}
