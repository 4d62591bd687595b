//! Invoices (protocol §6.4): a payee signs one and shares its `geo:invoice` link (a QR code); a
//! payer reads the link into a checked [`Invoice`] and pays it with `HubClient::pay_invoice`.

use std::sync::Arc;

use crate::error::GeoError;
use crate::identity::Identity;
use crate::types::{Amount, EquivalentCode, Pid};

/// What a payee asks to be paid; the signer is the payee.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InvoiceOrder {
    /// The hub where it is payable (a payer's wallet refuses it at any other).
    pub hub: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// How much, > 0.
    pub amount: Amount,
    /// What it is for (becomes the payment's description), ≤ 500 characters.
    #[uniffi(default = None)]
    pub description: Option<String>,
    /// When it stops being payable (RFC 3339 UTC), within 30 days from now.
    pub expires_at: String,
}

/// A checked invoice (signature, hub, validity) as a wallet shows it. `uri` is what was checked
/// and what `pay_invoice` pays.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Invoice {
    /// Its id: the payment that pays it names it.
    pub invoice_id: String,
    /// Who is to be paid (the signer).
    pub payee: Pid,
    /// The hub where it is payable.
    pub hub: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// How much, as the payee wrote it.
    pub amount: Amount,
    /// What it is for.
    pub description: Option<String>,
    /// When it was made (RFC 3339 UTC).
    pub created_at: String,
    /// After this instant it is no longer payable.
    pub expires_at: String,
    /// The `geo:invoice?m=…` link, for a QR code.
    pub uri: String,
}

impl TryFrom<geo_client::Invoice> for Invoice {
    type Error = GeoError;

    fn try_from(i: geo_client::Invoice) -> Result<Self, GeoError> {
        Ok(Invoice {
            invoice_id: i.invoice_id,
            payee: i.payee,
            hub: i.hub,
            equivalent: i.equivalent.parse()?,
            amount: i.amount.parse()?,
            description: i.description,
            created_at: i.created_at,
            expires_at: i.expires_at,
            uri: i.uri,
        })
    }
}

/// Signs an invoice as `payee` now. Refused like a payer would refuse it: zero amount
/// (`E_INVALID_AMOUNT`), `expires_at` not within 30 days from now (`E_VALIDITY_TOO_LONG`), …
#[uniffi::export]
pub fn sign_invoice(payee: Arc<Identity>, order: InvoiceOrder) -> Result<Invoice, GeoError> {
    let order = geo_client::InvoiceOrder {
        hub: order.hub,
        equivalent: order.equivalent,
        amount: order.amount,
        description: order.description,
        expires_at: geo_protocol::Timestamp::parse(&order.expires_at)?,
    };
    let now = geo_client::native::client::now();
    geo_client::sign_invoice(&payee.inner, &order, now)?.try_into()
}

/// Reads and checks a `geo:invoice` link: the payee's signature, the hub (`expected_hub` when
/// given), the validity window and expiry at `now` (RFC 3339; default the system clock). Refusals
/// carry the protocol's codes: `E_MALFORMED`, `E_INVALID_SIGNATURE`, `E_WRONG_AUDIENCE`,
/// `E_EXPIRED`, …
#[uniffi::export(default(expected_hub = None, now = None))]
pub fn read_invoice(
    uri: String,
    expected_hub: Option<Pid>,
    now: Option<String>,
) -> Result<Invoice, GeoError> {
    let now = match now {
        Some(t) => geo_protocol::Timestamp::parse(&t)?,
        None => geo_client::native::client::now(),
    };
    geo_client::read_invoice(&uri, expected_hub.as_ref(), now)?.try_into()
}
