//! The hub's signed records, made in one place: a `payment_receipt` when a payment commits or aborts,
//! a `clearing_receipt` when a clearing commits, and the `clearing_proposal` creditors consent to.
//! Each is signed once, when its journal entry is made, and kept (payment receipts with the payment
//! row, proposals with the engine, clearing receipts in the clearing's events). The nonce comes from
//! the record's id (`geo_protocol::record_nonce`, spec §6.2.1) and Ed25519 is deterministic, so a
//! replayed journal rebuilds byte-identical records: a proposal's digest survives a restart.

use geo_protocol::messages::DebtEdge;
use geo_protocol::{
    record_nonce, Amount, ClearingReceipt, Digest, Envelope, EquivalentCode, Identity, MessageType,
    Precision, SignedMessage, Timestamp, TxId,
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

/// The `payment_receipt` of a decided payment (none while a payment is only prepared), as JSON text.
pub fn payment_receipt(hub: &Identity, record: &PaymentRecord) -> Option<String> {
    let receipt = record.receipt()?;
    let nonce = record_nonce(MessageType::PaymentReceipt, &receipt.tx_id);
    let at = receipt.decided_at;
    let signed = Envelope::new(hub.pid(), None, nonce, at, RECEIPT_TTL_SECONDS, receipt)
        .sign(hub)
        .expect("receipts are valid");
    Some(signed.to_value().to_string())
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
    Envelope::new(
        hub.pid(),
        None,
        nonce,
        committed_at,
        RECEIPT_TTL_SECONDS,
        receipt,
    )
    .sign(hub)
    .expect("clearing receipts are valid")
    .to_value()
    .to_string()
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
    use super::*;

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
