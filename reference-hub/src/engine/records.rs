//! Rows derived from the journal: payment records (for history and receipts) and per-participant
//! notifications (for the event stream).

use geo_protocol::{
    Amount, Digest, EquivalentCode, ErrorCode, PaymentReceipt, PaymentStatus, Pid, Precision,
    RoutePath, Signature, Timestamp, TxId,
};
use serde::{Deserialize, Serialize};

use geo_api::{EventKind, PaymentEvent, SetOff};

use super::journal::{JournalEntry, JournalEvent, JournalPath, JournalSetOff};
use super::ledger::Ledger;

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

/// An event for one participant's stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// Who receives it.
    pub pid: Pid,
    /// Journal position it comes from.
    pub journal_seq: u64,
    /// What happened (its name is the event's `kind`).
    pub event: EventKind,
}

/// The notifications one journal entry produces (after it was applied to `ledger`).
pub fn notifications(entry: &JournalEntry, ledger: &Ledger) -> Vec<Notification> {
    notifications_of(entry.seq, entry.at, &entry.event, ledger)
}

/// The notifications of a journal event at `seq` and time `at` (also used to rebuild stored events).
pub fn notifications_of(
    seq: u64,
    at: geo_protocol::Timestamp,
    event: &JournalEvent,
    ledger: &Ledger,
) -> Vec<Notification> {
    let at = at.to_string();
    let mut out = Vec::new();
    let mut push = |pid: &Pid, event: EventKind| {
        out.push(Notification {
            pid: pid.clone(),
            journal_seq: seq,
            event,
        });
    };
    let text = |code: &EquivalentCode, minor: u64| {
        let p = ledger
            .books
            .get(code)
            .map(|b| b.precision)
            .unwrap_or(Precision::new(0).expect("0 is valid"));
        Amount::from_minor(minor, p).to_string()
    };
    let edges = |code: &EquivalentCode, set_offs: &[JournalSetOff]| -> Vec<SetOff> {
        set_offs
            .iter()
            .map(|s| SetOff {
                debtor: s.debtor.clone(),
                creditor: s.creditor.clone(),
                amount: text(code, s.amount),
            })
            .collect()
    };
    let involved = |set_offs: &[JournalSetOff]| -> Vec<Pid> {
        let mut v: Vec<Pid> = set_offs
            .iter()
            .flat_map(|s| [s.debtor.clone(), s.creditor.clone()])
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let payment = |tx_id: &TxId,
                   payer: &Pid,
                   payee: &Pid,
                   equivalent: &EquivalentCode,
                   amount: u64,
                   description: &Option<String>| PaymentEvent {
        tx_id: tx_id.to_string(),
        payer: payer.clone(),
        payee: payee.clone(),
        equivalent: equivalent.clone(),
        amount: text(equivalent, amount),
        description: description.clone(),
        at: at.clone(),
        journal_seq: None,
        invoice_id: None,
    };
    match event {
        JournalEvent::EquivalentSet { .. }
        | JournalEvent::ParticipantRegistered { .. }
        | JournalEvent::ParticipantUpdated { .. } => {}
        JournalEvent::ParticipantStatusSet { pid, status, .. } => {
            push(
                pid,
                EventKind::ParticipantStatusChanged {
                    status: *status,
                    at: at.clone(),
                },
            );
        }
        JournalEvent::TrustLineSet {
            line_id,
            creditor,
            debtor,
            equivalent,
            limit,
            ..
        } => {
            let e = EventKind::TrustLineChanged {
                line_id: line_id.to_string(),
                creditor: creditor.clone(),
                debtor: debtor.clone(),
                equivalent: equivalent.clone(),
                limit: Some(text(equivalent, *limit)),
                status: "active".into(),
                at: at.clone(),
            };
            push(creditor, e.clone());
            push(debtor, e);
        }
        JournalEvent::TrustLineClosed {
            line_id,
            creditor,
            debtor,
            equivalent,
            ..
        } => {
            let e = EventKind::TrustLineChanged {
                line_id: line_id.to_string(),
                creditor: creditor.clone(),
                debtor: debtor.clone(),
                equivalent: equivalent.clone(),
                limit: None,
                status: "closed".into(),
                at: at.clone(),
            };
            push(creditor, e.clone());
            push(debtor, e);
        }
        JournalEvent::PaymentPrepared {
            tx_id,
            payer,
            payee,
            equivalent,
            amount,
            expires_at,
            description,
            ..
        } => {
            let e = EventKind::PaymentPrepared {
                payment: payment(tx_id, payer, payee, equivalent, *amount, description),
                expires_at: expires_at.to_string(),
            };
            push(payer, e.clone());
            push(payee, e);
        }
        JournalEvent::PaymentCommitted {
            tx_id,
            payer,
            payee,
            equivalent,
            amount,
            paths,
            description,
            invoice_id,
            ..
        } => {
            let body = PaymentEvent {
                journal_seq: Some(seq),
                invoice_id: invoice_id.as_ref().map(|n| n.as_str().to_owned()),
                ..payment(tx_id, payer, payee, equivalent, *amount, description)
            };
            push(payer, EventKind::PaymentSent(body.clone()));
            push(payee, EventKind::PaymentReceived(body.clone()));
            let mut relays: Vec<&Pid> = paths
                .iter()
                .flat_map(|p| p.path[1..p.path.len() - 1].iter())
                .filter(|p| *p != payer && *p != payee)
                .collect();
            relays.sort();
            relays.dedup();
            for pid in relays {
                push(pid, EventKind::PaymentRelayed(body.clone()));
            }
        }
        JournalEvent::PaymentAborted {
            tx_id,
            payer,
            payee,
            equivalent,
            amount,
            error_code,
            description,
            ..
        } => {
            push(
                payer,
                EventKind::PaymentAborted {
                    payment: payment(tx_id, payer, payee, equivalent, *amount, description),
                    error_code: Some(*error_code),
                },
            );
        }
        JournalEvent::ClearingProposed {
            clearing_id,
            equivalent,
            set_offs,
            consent_required_from,
            expires_at,
        } => {
            let e = EventKind::ClearingProposed {
                clearing_id: clearing_id.to_string(),
                equivalent: equivalent.clone(),
                edges: edges(equivalent, set_offs),
                consent_required_from: consent_required_from.clone(),
                expires_at: expires_at.to_string(),
                at: at.clone(),
            };
            for pid in involved(set_offs) {
                push(&pid, e.clone());
            }
        }
        JournalEvent::ClearingConsented { .. }
        | JournalEvent::ClearingProposalClosed { .. }
        | JournalEvent::FulfilmentRefused { .. } => {}
        JournalEvent::ClearingCommitted {
            clearing_id,
            equivalent,
            set_offs,
        } => {
            let e = EventKind::ClearingCommitted {
                clearing_id: clearing_id.to_string(),
                equivalent: equivalent.clone(),
                edges: edges(equivalent, set_offs),
                at: at.clone(),
                receipt: None,
            };
            for pid in involved(set_offs) {
                push(&pid, e.clone());
            }
        }
    }
    out
}
