//! The hub's signed records, made in one place: a `payment_receipt` when a payment commits or aborts,
//! a `clearing_receipt` when a clearing commits, and the `clearing_proposal` creditors consent to.
//! Each is signed once, when its journal entry is made, and kept (a payment receipt's signature with
//! the payment row, proposals with the engine, clearing receipts in the clearing's events). The nonce comes from
//! the record's id (`geo_protocol::record_nonce`, spec §6.2.1) and Ed25519 is deterministic, so a
//! replayed journal rebuilds byte-identical records: a proposal's digest survives a restart.

use geo_protocol::messages::DebtEdge;
use geo_protocol::{
    record_nonce, Amount, ClearingReceipt, Digest, Envelope, EquivalentCode, Identity, MessageType,
    PaymentReceipt, Pid, Precision, Signature, SignedMessage, Timestamp, TxId,
};

use super::journal::JournalSetOff;
use super::ledger::{Book, Ledger, Proposal};
use super::records::PaymentRecord;

/// How long a receipt's envelope says it is valid (records are checked at steps 1–5 only, §5.4, so
/// the window only dates it).
const RECEIPT_TTL_SECONDS: i64 = 600;

/// A signed `clearing_proposal` as kept while it is open.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedProposal {
    /// The signed message's JSON text.
    pub json: String,
    /// Its digest: what a `clearing_consent` names.
    pub digest: Digest,
}

/// The unsigned `payment_receipt` of a decided payment (none while a payment is only prepared). Every
/// member comes from the record, so the same record always gives the same envelope.
fn payment_receipt_envelope(hub: Pid, record: &PaymentRecord) -> Option<Envelope<PaymentReceipt>> {
    let receipt = record.receipt()?;
    let nonce = record_nonce(MessageType::PaymentReceipt, &receipt.tx_id);
    let at = receipt.decided_at;
    Some(Envelope::new(
        hub,
        None,
        nonce,
        at,
        RECEIPT_TTL_SECONDS,
        receipt,
    ))
}

/// Signs the `payment_receipt` of a decided payment. Only the signature is kept with the payment
/// row: the rest of the receipt is the record itself, so storing its JSON text would store the
/// payment twice (about 1 KiB more per payment in the acknowledged write and the projection).
pub fn sign_payment_receipt(hub: &Identity, record: &PaymentRecord) -> Option<Signature> {
    let signature = payment_receipt_envelope(hub.pid(), record)?
        .signature(hub)
        .expect("receipts are valid");
    Some(signature)
}

/// Signs the `payment_receipt` of a decided payment and gives its JSON text too, written once
/// with the signed bytes: what the payer is answered at once.
pub fn sign_payment_receipt_text(
    hub: &Identity,
    record: &PaymentRecord,
) -> Option<(Signature, String)> {
    let signed = payment_receipt_envelope(hub.pid(), record)?
        .signature_and_json(hub)
        .expect("receipts are valid");
    Some(signed)
}

/// The receipt's JSON text from its record and the signature made when the payment was decided:
/// the same bytes as the message signed then (the envelope is rebuilt member for member).
fn payment_receipt_text(hub: Pid, record: &PaymentRecord, signature: &Signature) -> Option<String> {
    let envelope = payment_receipt_envelope(hub, record)?;
    Some(envelope.signed_json(signature).expect("receipts serialise"))
}

/// The receipt a stored payment is served with: made from the signature kept with it, or for a
/// payment stored by a hub before signatures were kept, the same record signed now (identical bytes
/// each time, as Ed25519 is deterministic).
pub fn kept_payment_receipt(hub: &Identity, record: &PaymentRecord) -> Option<String> {
    let signature = match &record.receipt_signature {
        Some(s) => *s,
        None => sign_payment_receipt(hub, record)?,
    };
    payment_receipt_text(hub.pid(), record, &signature)
}

/// The `clearing_receipt` of a committed clearing, as JSON text.
pub fn clearing_receipt(
    hub: &Identity,
    clearing_id: TxId,
    equivalent: &EquivalentCode,
    set_offs: &[JournalSetOff],
    precision: Precision,
    committed_at: Timestamp,
    journal_seq: u64,
) -> String {
    let total: u128 = set_offs.iter().map(|s| s.amount as u128).sum();
    let receipt = ClearingReceipt {
        clearing_id,
        equivalent: equivalent.clone(),
        edges: set_offs
            .iter()
            .map(|s| DebtEdge {
                debtor: s.debtor.clone(),
                creditor: s.creditor.clone(),
                amount: Amount::from_minor(s.amount, precision).to_decimal(),
            })
            .collect(),
        total: total_text(total, precision)
            .parse()
            .expect("canonical totals parse"),
        committed_at,
        journal_seq,
    };
    let nonce = record_nonce(MessageType::ClearingReceipt, &clearing_id);
    let (_, json) = Envelope::new(
        hub.pid(),
        None,
        nonce,
        committed_at,
        RECEIPT_TTL_SECONDS,
        receipt,
    )
    .signature_and_json(hub)
    .expect("clearing receipts are valid");
    json
}

/// The signed `clearing_proposal` of an open proposal: valid from its creation until it lapses.
pub fn clearing_proposal(
    hub: &Identity,
    ledger: &Ledger,
    book: &Book,
    p: &Proposal,
) -> SignedProposal {
    let payload = geo_protocol::ClearingProposal {
        clearing_id: p.id,
        equivalent: book.code.clone(),
        edges: p
            .set_offs
            .iter()
            .map(|&(d, c, a)| DebtEdge {
                debtor: ledger.pid(d).clone(),
                creditor: ledger.pid(c).clone(),
                amount: Amount::from_minor(a, book.precision).to_decimal(),
            })
            .collect(),
        consent_required_from: p.required.iter().map(|i| ledger.pid(*i).clone()).collect(),
    };
    let nonce = record_nonce(MessageType::ClearingProposal, &p.id);
    let ttl = (p.expires_at.unix() - p.created_at.unix()).max(1);
    let signed: SignedMessage<_> =
        Envelope::new(hub.pid(), None, nonce, p.created_at, ttl, payload)
            .sign(hub)
            .expect("proposals are valid");
    SignedProposal {
        json: signed.to_value().to_string(),
        digest: signed.digest(),
    }
}

/// Decimal text of a total of minor units (a sum of amounts, which may pass 2^64 − 1): the canonical
/// amount form, exactly `precision` fraction digits, never clamped.
pub fn total_text(minor: u128, precision: Precision) -> String {
    let p = precision.places() as usize;
    if p == 0 {
        return minor.to_string();
    }
    let scale = 10u128.pow(p as u32);
    format!("{}.{:0p$}", minor / scale, minor % scale)
}

#[cfg(test)]
mod tests {
    use super::super::records::PaymentState;
    use super::*;

    fn record(hub: &Identity, status: PaymentState) -> PaymentRecord {
        let (payer, payee) = (
            Identity::from_seed(&[1; 32]).pid(),
            Identity::from_seed(&[2; 32]).pid(),
        );
        let at = Timestamp::from_unix(1_800_000_000).unwrap();
        PaymentRecord {
            tx_id: TxId::from_random_bytes([7; 16]),
            payer: payer.clone(),
            payee: payee.clone(),
            equivalent: "UAH".parse().unwrap(),
            amount: 1234,
            precision: 2,
            status,
            error_code: None,
            routes: vec![super::super::journal::JournalPath {
                path: vec![payer, hub.pid(), payee],
                amount: 1234,
            }],
            request_digest: Digest::of(b"request"),
            payload_digest: Digest::of(b"payload"),
            description: Some("rent \"May\"".into()),
            invoice_id: None,
            created_at: at,
            decided_at: Some(at),
            hold_expires_at: None,
            journal_seq: 42,
            max_routable: None,
            receipt_signature: None,
        }
    }

    #[test]
    fn a_receipt_served_from_its_kept_signature_is_the_message_signed() {
        let hub = Identity::from_seed(&[9; 32]);
        let mut r = record(&hub, PaymentState::Committed);
        let signed = payment_receipt_envelope(hub.pid(), &r)
            .unwrap()
            .sign(&hub)
            .unwrap();
        r.receipt_signature = sign_payment_receipt(&hub, &r);
        assert_eq!(r.receipt_signature, Some(*signed.signature()));
        let served = kept_payment_receipt(&hub, &r).unwrap();
        assert_eq!(served, signed.to_value().to_string());
        let parsed = SignedMessage::<PaymentReceipt>::from_json(&served).unwrap();
        parsed.verify_signature(&hub.public_key()).unwrap();
        assert_eq!(parsed.payload().journal_seq, Some(42));
        // A row kept without a signature (stored by an older hub) is served with the same bytes.
        let mut older = r.clone();
        older.receipt_signature = None;
        assert_eq!(kept_payment_receipt(&hub, &older).unwrap(), served);
        // The row stores the signature, not the receipt's text.
        let row = serde_json::to_string(&r).unwrap();
        assert!(row.contains(&signed.signature().to_base64()));
        assert!(!row.contains("payment_receipt"));
        // A record that changed (here: a different journal position) no longer matches its signature.
        let mut other = r.clone();
        other.journal_seq = 43;
        let text = kept_payment_receipt(&hub, &other).unwrap();
        let parsed = SignedMessage::<PaymentReceipt>::from_json(&text).unwrap();
        assert!(parsed.verify_signature(&hub.public_key()).is_err());
    }

    #[test]
    fn a_receipt_signed_with_its_text_is_the_one_served_later() {
        let hub = Identity::from_seed(&[9; 32]);
        let mut r = record(&hub, PaymentState::Committed);
        let (signature, text) = sign_payment_receipt_text(&hub, &r).unwrap();
        assert_eq!(Some(signature), sign_payment_receipt(&hub, &r));
        r.receipt_signature = Some(signature);
        assert_eq!(kept_payment_receipt(&hub, &r).unwrap(), text);
        let prepared = record(&hub, PaymentState::Prepared);
        assert_eq!(sign_payment_receipt_text(&hub, &prepared), None);
    }

    #[test]
    fn a_clearing_receipt_is_the_message_signed_in_canonical_text() {
        let hub = Identity::from_seed(&[9; 32]);
        let (a, b) = (
            Identity::from_seed(&[1; 32]).pid(),
            Identity::from_seed(&[2; 32]).pid(),
        );
        let set_offs = [
            JournalSetOff {
                debtor: a.clone(),
                creditor: b.clone(),
                amount: 1050,
            },
            JournalSetOff {
                debtor: b,
                creditor: a,
                amount: 7,
            },
        ];
        let id = TxId::from_random_bytes([5; 16]);
        let at = Timestamp::from_unix(1_800_000_000).unwrap();
        let precision = Precision::new(2).unwrap();
        let text = clearing_receipt(
            &hub,
            id,
            &"UAH".parse().unwrap(),
            &set_offs,
            precision,
            at,
            9,
        );
        let parsed = SignedMessage::<ClearingReceipt>::from_json(&text).unwrap();
        parsed.verify_signature(&hub.public_key()).unwrap();
        assert_eq!(parsed.to_json(), text, "canonical text");
        // The same bytes as the message signed the long way (value tree), as stored before.
        let signed = parsed.envelope().clone().sign(&hub).unwrap();
        assert_eq!(signed.to_value().to_string(), text);
        assert_eq!(parsed.payload().total.to_string(), "10.57");
        assert_eq!(parsed.payload().journal_seq, 9);
    }

    #[test]
    fn a_prepared_payment_has_no_receipt() {
        let hub = Identity::from_seed(&[9; 32]);
        let r = record(&hub, PaymentState::Prepared);
        assert_eq!(sign_payment_receipt(&hub, &r), None);
        assert_eq!(kept_payment_receipt(&hub, &r), None);
    }

    #[test]
    fn totals_are_canonical_beyond_u64() {
        let p = |n| Precision::new(n).unwrap();
        assert_eq!(total_text(0, p(2)), "0.00");
        assert_eq!(total_text(1050, p(2)), "10.50");
        assert_eq!(total_text(7, p(0)), "7");
        assert_eq!(
            total_text(u64::MAX as u128 * 3, p(2)),
            "553402322211286548.45"
        );
    }
}
