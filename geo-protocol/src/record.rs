//! Hub-signed records (`payment_receipt`, `clearing_receipt`, `clearing_proposal`) carry a nonce the
//! hub derives from what the record is about, so signing the same record twice gives the same bytes
//! (Ed25519 is deterministic) and a replayed journal rebuilds them exactly (spec §6.2.1).

use sha2::{Digest as _, Sha256};

use crate::ids::{Nonce, TxId};
use crate::messages::MessageType;

/// The nonce of the hub-signed record of type `record` about `id` (a payment's `tx_id` or a
/// clearing's `clearing_id`): base64url (no padding) of the first 16 bytes of
/// `SHA-256("geo/1 record nonce" ‖ LF ‖ type ‖ LF ‖ id)`, the id in its canonical lowercase text.
pub fn record_nonce(record: MessageType, id: &TxId) -> Nonce {
    let input = format!("geo/1 record nonce\n{}\n{}", record.as_str(), id);
    let digest = Sha256::digest(input.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    Nonce::from_random_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_differ_by_record_type_and_id() {
        let a = TxId::parse("00000000-0000-4000-8000-000000000001").unwrap();
        let b = TxId::parse("00000000-0000-4000-8000-000000000002").unwrap();
        let r = record_nonce(MessageType::PaymentReceipt, &a);
        assert_eq!(r, record_nonce(MessageType::PaymentReceipt, &a));
        assert_ne!(r, record_nonce(MessageType::PaymentReceipt, &b));
        assert_ne!(r, record_nonce(MessageType::ClearingReceipt, &a));
        assert_eq!(r.as_str().len(), 22);
    }
}
