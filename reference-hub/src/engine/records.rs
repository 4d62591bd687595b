//! Payment records derived from the journal (for history and receipts).

use geo_protocol::{
    Amount, Digest, EquivalentCode, ErrorCode, PaymentReceipt, PaymentStatus, Pid, Precision,
    RoutePath, Signature, Timestamp, TxId,
};
use serde::{Deserialize, Serialize};

use super::journal::{JournalEvent, JournalPath};

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
    /// Payment `wanted`'s record rebuilt from journal entries, in order (`(seq, at, event)`; others
    /// are skipped), for when its row is missing; `precision` gives an equivalent's. None when they
    /// record no such payment, or its equivalent's precision is unknown. It lacks what only the row keeps: `max_routable` of a capacity refusal, and the
    /// receipt's signature (signing the same receipt again gives the same bytes).
    pub fn from_journal(
        wanted: &TxId,
        entries: &[(u64, Timestamp, JournalEvent)],
        precision: impl Fn(&EquivalentCode) -> Option<u8>,
    ) -> Option<PaymentRecord> {
        let mut record: Option<PaymentRecord> = None;
        for (seq, at, event) in entries {
            let (tx_id, payer, payee, equivalent, amount, payload_digest, request_digest) =
                match event {
                    JournalEvent::PaymentPrepared {
                        tx_id,
                        payer,
                        payee,
                        equivalent,
                        amount,
                        payload_digest,
                        request_digest,
                        ..
                    }
                    | JournalEvent::PaymentCommitted {
                        tx_id,
                        payer,
                        payee,
                        equivalent,
                        amount,
                        payload_digest,
                        request_digest,
                        ..
                    }
                    | JournalEvent::PaymentAborted {
                        tx_id,
                        payer,
                        payee,
                        equivalent,
                        amount,
                        payload_digest,
                        request_digest,
                        ..
                    } => (
                        tx_id,
                        payer,
                        payee,
                        equivalent,
                        amount,
                        payload_digest,
                        request_digest,
                    ),
                    _ => continue,
                };
            if tx_id != wanted {
                continue;
            }
            if record.is_none() {
                record = Some(PaymentRecord {
                    tx_id: *tx_id,
                    payer: payer.clone(),
                    payee: payee.clone(),
                    equivalent: equivalent.clone(),
                    amount: *amount,
                    precision: precision(equivalent)?,
                    status: PaymentState::Prepared,
                    error_code: None,
                    routes: Vec::new(),
                    request_digest: *request_digest,
                    payload_digest: *payload_digest,
                    description: None,
                    invoice_id: None,
                    created_at: *at,
                    decided_at: None,
                    hold_expires_at: None,
                    journal_seq: 0,
                    max_routable: None,
                    receipt_signature: None,
                });
            }
            let r = record.as_mut().expect("made above");
            r.journal_seq = *seq;
            match event {
                JournalEvent::PaymentPrepared {
                    paths,
                    expires_at,
                    description,
                    ..
                } => {
                    r.routes = paths.clone();
                    r.hold_expires_at = Some(*expires_at);
                    r.description = description.clone();
                }
                JournalEvent::PaymentCommitted {
                    paths,
                    description,
                    invoice_id,
                    ..
                } => {
                    r.status = PaymentState::Committed;
                    r.decided_at = Some(*at);
                    r.routes = paths.clone();
                    r.description = description.clone().or(r.description.take());
                    r.invoice_id = invoice_id.as_ref().map(|n| n.as_str().to_owned());
                }
                JournalEvent::PaymentAborted {
                    error_code,
                    description,
                    ..
                } => {
                    r.status = PaymentState::Aborted;
                    r.error_code = Some(*error_code);
                    r.decided_at = Some(*at);
                    r.routes.clear();
                    r.description = description.clone().or(r.description.take());
                }
                _ => {}
            }
        }
        record
    }

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
