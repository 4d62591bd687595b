//! Invoices end to end (§6.4): a payee signs an [`InvoiceOrder`], shares it as a `geo:invoice` link
//! (a QR code), and the payer's wallet reads the link back into a checked [`SignedInvoice`].
//!
//! Unlike a message to a hub, an invoice is checked by the payer, may live up to 30 days, and may be
//! read any number of times (no replay memory): paying it names its id, which the payee matches.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::amount::DecimalAmount;
use crate::envelope::{Envelope, EnvelopeError, SignedMessage, VerifyPolicy};
use crate::identity::{Identity, Pid};
use crate::ids::{EquivalentCode, Nonce, Timestamp};
use crate::messages::Invoice;
use crate::ErrorCode;

/// The longest an invoice may be valid, `expires_at − created_at`: 30 days.
pub const MAX_INVOICE_VALIDITY_SECONDS: i64 = 30 * 24 * 3600;

/// How far in the future a reader accepts an invoice's `created_at` (clock skew), as in §5.4.
pub const INVOICE_CLOCK_SKEW_SECONDS: i64 = 60;

/// The scheme and path of an invoice link; the signed JSON follows as base64url in `m`.
pub const INVOICE_LINK_PREFIX: &str = "geo:invoice?m=";

/// Why an invoice or its link was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceError {
    /// The text is not a `geo:invoice?m=…` link, or `m` is not base64url of UTF-8 text.
    #[error("not a GEO invoice link: {0}")]
    Link(String),
    /// The invoice names no hub (`audience`), so it is payable nowhere.
    #[error("the invoice names no hub to pay it at")]
    NoHub,
    /// The signed message is refused (§5.4 steps 1–9 with the invoice's window).
    #[error(transparent)]
    Message(#[from] EnvelopeError),
}

impl InvoiceError {
    /// The stable machine code: `E_MALFORMED` for a bad link, `E_WRONG_AUDIENCE` without a hub,
    /// else the message's code (`E_INVALID_SIGNATURE`, `E_EXPIRED`, …).
    pub fn code(&self) -> ErrorCode {
        match self {
            InvoiceError::Link(_) => ErrorCode::Malformed,
            InvoiceError::NoHub => ErrorCode::WrongAudience,
            InvoiceError::Message(e) => e.code(),
        }
    }
}

/// What a payee asks to be paid: the terms it signs. The signer is the payee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceOrder {
    /// The hub the invoice is payable at.
    pub hub: Pid,
    /// The unit of account.
    pub equivalent: EquivalentCode,
    /// How much, > 0.
    pub amount: DecimalAmount,
    /// What it is for (becomes the payment's description).
    pub description: Option<String>,
    /// When the invoice stops being payable: after `now`, at most 30 days later.
    pub expires_at: Timestamp,
}

impl InvoiceOrder {
    /// Signs the invoice as `payee` at `now` with `invoice_id` (a fresh random nonce:
    /// [`Nonce::random`]). Refuses what a reader would refuse: a zero amount, bad text, or an
    /// expiry not in 1 s..30 days after `now` (`E_VALIDITY_TOO_LONG`).
    pub fn sign(
        &self,
        payee: &Identity,
        invoice_id: Nonce,
        now: Timestamp,
    ) -> Result<SignedInvoice, InvoiceError> {
        let window = self.expires_at.unix() - now.unix();
        if !(1..=MAX_INVOICE_VALIDITY_SECONDS).contains(&window) {
            return Err(EnvelopeError::ValidityWindow(window, MAX_INVOICE_VALIDITY_SECONDS).into());
        }
        let payload = Invoice {
            public_key: payee.public_key(),
            equivalent: self.equivalent.clone(),
            amount: self.amount.clone(),
            description: self.description.clone(),
        };
        let envelope = Envelope::new(
            payee.pid(),
            Some(self.hub.clone()),
            invoice_id,
            now,
            window,
            payload,
        );
        Ok(SignedInvoice {
            message: envelope.sign(payee)?,
        })
    }
}

/// An invoice whose signature, hub and validity were checked: what a wallet shows and pays.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedInvoice {
    message: SignedMessage<Invoice>,
}

impl SignedInvoice {
    /// Reads a `geo:invoice` link and checks the invoice it carries ([`Self::verify_json`]).
    pub fn read(
        link: &str,
        expected_hub: Option<&Pid>,
        now: Timestamp,
    ) -> Result<SignedInvoice, InvoiceError> {
        SignedInvoice::verify_json(&link_to_json(link)?, expected_hub, now)
    }

    /// Checks a signed invoice's JSON as a payer does, in the order of §6.4: §5.4 steps 1–5 (the
    /// key is the invoice's own), a hub named (and equal to `expected_hub` when given), a window
    /// of 1 s..30 days, not created in the future, not expired. Nothing is remembered.
    pub fn verify_json(
        text: &str,
        expected_hub: Option<&Pid>,
        now: Timestamp,
    ) -> Result<SignedInvoice, InvoiceError> {
        // A payer expects an invoice only (see `from_json_of_type`).
        let message = SignedMessage::<Invoice>::from_json_of_type(text)?;
        let key = message.payload().public_key;
        let Some(hub) = message.envelope().audience.clone() else {
            message.verify_signature(&key)?;
            return Err(InvoiceError::NoHub);
        };
        let policy = VerifyPolicy {
            now,
            max_clock_skew_seconds: INVOICE_CLOCK_SKEW_SECONDS,
            max_validity_seconds: MAX_INVOICE_VALIDITY_SECONDS,
            audience: Some(expected_hub.cloned().unwrap_or(hub)),
        };
        message.verify(&key, &policy)?;
        Ok(SignedInvoice { message })
    }

    /// The `geo:invoice?m=…` link: base64url (no padding) of the signed JSON text.
    pub fn to_link(&self) -> String {
        format!(
            "{INVOICE_LINK_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(self.message.to_json())
        )
    }

    /// The signed message.
    pub fn message(&self) -> &SignedMessage<Invoice> {
        &self.message
    }

    /// The invoice's id (its envelope's nonce): a payment names it in `invoice_id`.
    pub fn invoice_id(&self) -> &Nonce {
        &self.message.envelope().nonce
    }

    /// Who is to be paid (the signer).
    pub fn payee(&self) -> &Pid {
        self.message.signer()
    }

    /// The hub the invoice is payable at.
    pub fn hub(&self) -> &Pid {
        self.message
            .envelope()
            .audience
            .as_ref()
            .expect("a checked invoice names its hub")
    }

    /// The terms: key, equivalent, amount, description.
    pub fn terms(&self) -> &Invoice {
        self.message.payload()
    }

    /// When it was made.
    pub fn created_at(&self) -> Timestamp {
        self.message.envelope().created_at
    }

    /// After this instant it is no longer payable.
    pub fn expires_at(&self) -> Timestamp {
        self.message.envelope().expires_at
    }
}

/// The signed JSON text a `geo:invoice` link carries (the scheme is case-insensitive, RFC 3986).
pub fn link_to_json(link: &str) -> Result<String, InvoiceError> {
    let bad = |why: &str| InvoiceError::Link(why.to_owned());
    let (scheme, rest) = link
        .split_once(':')
        .ok_or_else(|| bad("no `geo:` scheme"))?;
    if !scheme.eq_ignore_ascii_case("geo") {
        return Err(bad("the scheme is not `geo:`"));
    }
    let encoded = rest.strip_prefix("invoice?m=").ok_or_else(|| {
        bad("not `geo:invoice?m=…` (a `geo:` link with coordinates is a location, RFC 5870)")
    })?;
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| bad("`m` is not unpadded base64url"))?;
    String::from_utf8(bytes).map_err(|_| bad("`m` is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn order(hub: &Identity) -> InvoiceOrder {
        InvoiceOrder {
            hub: hub.pid(),
            equivalent: "UAH".parse().unwrap(),
            amount: "120.50".parse().unwrap(),
            description: Some("Honey, 2 jars".into()),
            expires_at: at("2026-11-25T10:00:00Z"),
        }
    }

    fn signed() -> (SignedInvoice, Identity) {
        let bob = Identity::from_seed(&[2; 32]);
        let hub = Identity::from_seed(&[3; 32]);
        let nonce = Nonce::parse("invoice-0000000001").unwrap();
        let inv = order(&hub)
            .sign(&bob, nonce, at("2026-11-24T10:00:00Z"))
            .unwrap();
        (inv, hub)
    }

    #[test]
    fn a_link_reads_back_into_the_same_checked_invoice() {
        let (inv, hub) = signed();
        let link = inv.to_link();
        assert!(link.starts_with("geo:invoice?m="));
        let now = at("2026-11-24T12:00:00Z");
        let read = SignedInvoice::read(&link, Some(&hub.pid()), now).unwrap();
        assert_eq!(read, inv);
        assert_eq!(read.hub(), &hub.pid());
        assert_eq!(read.payee(), &Identity::from_seed(&[2; 32]).pid());
        assert_eq!(read.invoice_id().as_str(), "invoice-0000000001");
        assert_eq!(read.terms().amount.as_str(), "120.50");
        // Read again: an invoice is not consumed by reading.
        assert!(SignedInvoice::read(&link, None, now).is_ok());
        let upper = link.replacen("geo:", "GEO:", 1);
        assert!(SignedInvoice::read(&upper, None, now).is_ok());
    }

    #[test]
    fn every_refusal_has_its_code_in_order() {
        let (inv, hub) = signed();
        let now = at("2026-11-24T12:00:00Z");
        let code = |link: &str, hub: Option<&Pid>, now| {
            SignedInvoice::read(link, hub, now).unwrap_err().code()
        };
        let other = Identity::from_seed(&[9; 32]).pid();
        let link = inv.to_link();
        assert_eq!(code(&link, Some(&other), now), ErrorCode::WrongAudience);
        assert_eq!(
            code(&link, Some(&hub.pid()), at("2026-11-25T10:00:01Z")),
            ErrorCode::Expired
        );
        assert_eq!(
            code(&link, None, at("2026-11-24T09:58:59Z")),
            ErrorCode::NotYetValid
        );
        for bad in [
            "geo:50.45,30.52",
            "https://example.org/",
            "geo:invoice?m=not*base64",
            "geo:invoice?m=",
            "geo:invoice?x=1",
            "",
        ] {
            assert_eq!(code(bad, None, now), ErrorCode::Malformed, "{bad}");
        }
        // Tampered amount: the signature no longer covers the text.
        let tampered = inv.message().to_json().replace("120.50", "12.50");
        let link = format!("geo:invoice?m={}", URL_SAFE_NO_PAD.encode(tampered));
        assert_eq!(code(&link, None, now), ErrorCode::InvalidSignature);
        // Wrong hub beats expiry: the lower step wins.
        let link = inv.to_link();
        assert_eq!(
            code(&link, Some(&other), at("2027-01-01T00:00:00Z")),
            ErrorCode::WrongAudience
        );
    }

    #[test]
    fn a_payee_cannot_sign_what_a_payer_would_refuse() {
        let bob = Identity::from_seed(&[2; 32]);
        let hub = Identity::from_seed(&[3; 32]);
        let now = at("2026-11-24T10:00:00Z");
        let id = || Nonce::parse("invoice-0000000001").unwrap();
        let mut long = order(&hub);
        long.expires_at = now.plus_seconds(MAX_INVOICE_VALIDITY_SECONDS + 1);
        let err = long.sign(&bob, id(), now).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ValidityTooLong);
        let mut past = order(&hub);
        past.expires_at = now;
        assert_eq!(
            past.sign(&bob, id(), now).unwrap_err().code(),
            ErrorCode::ValidityTooLong
        );
        let mut zero = order(&hub);
        zero.amount = "0".parse().unwrap();
        assert_eq!(
            zero.sign(&bob, id(), now).unwrap_err().code(),
            ErrorCode::InvalidAmount
        );
        let mut month = order(&hub);
        month.expires_at = now.plus_seconds(MAX_INVOICE_VALIDITY_SECONDS);
        let inv = month.sign(&bob, id(), now).unwrap();
        let day_29 = now.plus_seconds(29 * 24 * 3600);
        assert!(SignedInvoice::read(&inv.to_link(), Some(&hub.pid()), day_29).is_ok());
    }

    #[test]
    fn an_invoice_without_a_hub_is_payable_nowhere() {
        let bob = Identity::from_seed(&[2; 32]);
        let now = at("2026-11-24T10:00:00Z");
        let payload = Invoice {
            public_key: bob.public_key(),
            equivalent: "UAH".parse().unwrap(),
            amount: "1".parse().unwrap(),
            description: None,
        };
        let nonce = Nonce::parse("invoice-0000000002").unwrap();
        let msg = Envelope::new(bob.pid(), None, nonce, now, 60, payload)
            .sign(&bob)
            .unwrap();
        let err = SignedInvoice::verify_json(&msg.to_json(), None, now).unwrap_err();
        assert_eq!(err, InvoiceError::NoHub);
        assert_eq!(err.code(), ErrorCode::WrongAudience);
    }
}
