//! Invoices for wallets (protocol §6.4): a payee signs one and shares its `geo:invoice` link; a
//! payer reads the link into a checked [`Invoice`] and pays it (`HubClient::pay_invoice`).
//! Sans-I/O: the clock is an argument.

use geo_protocol::{Identity, InvoiceError, Pid, SignedInvoice, Timestamp};
use serde::{Deserialize, Serialize};

use crate::error::{GeoError, GeoResult};
use crate::requests::PaymentOrder;

pub use geo_protocol::InvoiceOrder;

/// A checked invoice as a wallet shows it. `uri` is what was checked: paying reads it again, so
/// nothing edited in the other members can be paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Invoice {
    /// Its id (the envelope's nonce): the payment names it.
    pub invoice_id: String,
    /// Who is to be paid (the signer).
    pub payee: Pid,
    /// The hub it is payable at.
    pub hub: Pid,
    /// The unit of account.
    pub equivalent: String,
    /// How much, decimal text as the payee wrote it.
    pub amount: String,
    /// What it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When it was made (RFC 3339 UTC).
    pub created_at: String,
    /// After this instant it is no longer payable.
    pub expires_at: String,
    /// The `geo:invoice?m=…` link (for a QR code).
    pub uri: String,
}

impl Invoice {
    fn of(signed: &SignedInvoice) -> Invoice {
        let terms = signed.terms();
        Invoice {
            invoice_id: signed.invoice_id().as_str().to_owned(),
            payee: signed.payee().clone(),
            hub: signed.hub().clone(),
            equivalent: terms.equivalent.as_str().to_owned(),
            amount: terms.amount.as_str().to_owned(),
            description: terms.description.clone(),
            created_at: signed.created_at().to_string(),
            expires_at: signed.expires_at().to_string(),
            uri: signed.to_link(),
        }
    }

    /// The payment that pays it: its payee, equivalent, amount and description, naming its id.
    pub fn payment_order(&self) -> GeoResult<PaymentOrder> {
        let mut order = PaymentOrder::new(self.payee.clone(), &self.equivalent, &self.amount);
        order.description = self.description.clone();
        order.invoice_id = Some(self.invoice_id.parse()?);
        Ok(order)
    }
}

/// Signs an invoice as `payee` at `now` with a fresh random id. Refused like a reader would refuse
/// it: zero amount, bad description, expiry not within 30 days after `now`.
pub fn sign_invoice(payee: &Identity, order: &InvoiceOrder, now: Timestamp) -> GeoResult<Invoice> {
    let id = geo_protocol::Nonce::random();
    Ok(Invoice::of(&order.sign(payee, id, now)?))
}

/// Reads and checks a `geo:invoice` link at `now`, requiring `expected_hub` when given (§6.4).
/// Refusals carry the protocol's codes: `E_MALFORMED`, `E_INVALID_SIGNATURE`, `E_WRONG_AUDIENCE`,
/// `E_EXPIRED`, …
pub fn read_invoice(uri: &str, expected_hub: Option<&Pid>, now: Timestamp) -> GeoResult<Invoice> {
    Ok(Invoice::of(&SignedInvoice::read(uri, expected_hub, now)?))
}

impl From<InvoiceError> for GeoError {
    fn from(e: InvoiceError) -> Self {
        GeoError::validation(e.code(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str) -> Timestamp {
        Timestamp::parse(t).unwrap()
    }

    #[test]
    fn sign_read_and_the_payment_that_pays_it() {
        let bob = Identity::from_seed(&[2; 32]);
        let hub = Identity::from_seed(&[3; 32]).pid();
        let order = InvoiceOrder {
            hub: hub.clone(),
            equivalent: "UAH".parse().unwrap(),
            amount: "12.5".parse().unwrap(),
            description: Some("bread".into()),
            expires_at: at("2026-11-25T10:00:00Z"),
        };
        let now = at("2026-11-24T10:00:00Z");
        let made = sign_invoice(&bob, &order, now).unwrap();
        let read = read_invoice(&made.uri, Some(&hub), now).unwrap();
        assert_eq!(read, made);
        assert_eq!(read.payee, bob.pid());
        assert_eq!(read.amount, "12.5");
        assert_eq!(read.invoice_id.len(), 22, "16 random bytes, base64url");
        let again = sign_invoice(&bob, &order, now).unwrap();
        assert_ne!(
            again.invoice_id, made.invoice_id,
            "each invoice has its own id"
        );
        let pay = read.payment_order().unwrap();
        assert_eq!(pay.payee, bob.pid());
        assert_eq!(pay.description.as_deref(), Some("bread"));
        assert_eq!(pay.invoice_id.unwrap().as_str(), read.invoice_id);

        let other = Identity::from_seed(&[4; 32]).pid();
        let code = |r: GeoResult<Invoice>| r.unwrap_err().code();
        assert_eq!(
            code(read_invoice(&made.uri, Some(&other), now)),
            "E_WRONG_AUDIENCE"
        );
        let late = at("2026-11-25T10:00:01Z");
        assert_eq!(code(read_invoice(&made.uri, None, late)), "E_EXPIRED");
        assert_eq!(
            code(read_invoice("geo:50.45,30.52", None, now)),
            "E_MALFORMED"
        );
        let mut long = order.clone();
        long.expires_at = at("2026-12-31T10:00:00Z");
        assert_eq!(code(sign_invoice(&bob, &long, now)), "E_VALIDITY_TOO_LONG");
    }
}
