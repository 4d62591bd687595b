//! Payment records derived from the journal (for history and receipts).

use geo_protocol::{
    Amount, Digest, EquivalentCode, ErrorCode, PaymentReceipt, PaymentStatus, Pid, Precision,
    RoutePath, Signature, Timestamp, TxId,
};
use serde::{Deserialize, Serialize};

use super::journal::JournalPath;

pub use super::ledger::PaymentState;

/// Everything about one payment, as stored in the `payments` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRecord {
    /// Its id.
    pub tx_id: TxId,
    /// Payer.
    pub payer: Pid,
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Minor units.
    #[serde(with = "super::journal::minor")]
    pub amount: u64,
    /// The equivalent's precision at the time.
    pub precision: u8,
    /// Status.
    pub status: PaymentState,
    /// Why it aborted.
    pub error_code: Option<ErrorCode>,
    /// Paths (applied, or reserved while prepared).
    pub routes: Vec<JournalPath>,
    /// Digest of the payer's signed request.
    pub request_digest: Digest,
    /// Digest of its payload (idempotency).
    pub payload_digest: Digest,
    /// The payer's note.
    pub description: Option<String>,
    /// The payee's invoice it pays (§6.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// When the request arrived.
    pub created_at: Timestamp,
    /// When it committed or aborted.
    pub decided_at: Option<Timestamp>,
    /// When a hold lapses.
    pub hold_expires_at: Option<Timestamp>,
    /// Journal position of the latest event about it.
    pub journal_seq: u64,
    /// For capacity failures: the most the hub could route (minor units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_routable: Option<u64>,
    /// The hub's signature of its `payment_receipt`, made once when the payment was decided
    /// (`engine::receipt`; the receipt's other members are this record's); absent while prepared.
    /// Rows stored before signatures were kept get theirs once, at start-up
    /// (`Store::complete_upgrades`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_signature: Option<Signature>,
}

impl PaymentRecord {
    /// An amount of this payment's equivalent in canonical text.
    pub fn text(&self, minor: u64) -> String {
        Amount::from_minor(
            minor,
            Precision::new(self.precision).expect("stored precision is valid"),
        )
        .to_string()
    }

    /// The receipt's payload (for committed and aborted payments).
    pub fn receipt(&self) -> Option<PaymentReceipt> {
        let status = match self.status {
            PaymentState::Committed => PaymentStatus::Committed,
            PaymentState::Aborted => PaymentStatus::Aborted,
            PaymentState::Prepared => return None,
        };
        Some(PaymentReceipt {
            tx_id: self.tx_id,
            payer: self.payer.clone(),
            payee: self.payee.clone(),
            equivalent: self.equivalent.clone(),
            amount: self
                .text(self.amount)
                .parse()
                .expect("canonical amounts parse"),
            status,
            request_digest: self.request_digest,
            routes: if status == PaymentStatus::Committed {
                self.routes
                    .iter()
                    .map(|r| RoutePath {
                        path: r.path.clone(),
                        amount: self.text(r.amount).parse().expect("canonical"),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            error_code: self.error_code,
            decided_at: self.decided_at.unwrap_or(self.created_at),
            journal_seq: (status == PaymentStatus::Committed).then_some(self.journal_seq),
        })
    }
}
