//! Rows derived from the journal: payment records (for history and receipts) and per-participant
//! notifications (for the event stream).

use geo_protocol::{
    Amount, Digest, EquivalentCode, ErrorCode, PaymentReceipt, PaymentStatus, Pid, Precision,
    RoutePath, Timestamp, TxId,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::journal::{JournalEntry, JournalEvent, JournalPath};
use super::state::Ledger;

/// A payment's status as stored and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatusText {
    /// Reserved, waiting for the payer's commit or abort.
    Prepared,
    /// Applied.
    Committed,
    /// Ended with nothing applied.
    Aborted,
}

impl PaymentStatusText {
    /// Text form.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatusText::Prepared => "prepared",
            PaymentStatusText::Committed => "committed",
            PaymentStatusText::Aborted => "aborted",
        }
    }
}

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
    pub status: PaymentStatusText,
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
            PaymentStatusText::Committed => PaymentStatus::Committed,
            PaymentStatusText::Aborted => PaymentStatus::Aborted,
            PaymentStatusText::Prepared => return None,
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
    /// Event type, e.g. `payment_received`.
    pub kind: &'static str,
    /// Journal position it comes from.
    pub journal_seq: u64,
    /// Event body.
    pub body: Value,
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
    let mut push = |pid: &Pid, kind: &'static str, body: Value| {
        out.push(Notification {
            pid: pid.clone(),
            kind,
            journal_seq: seq,
            body,
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
    match event {
        JournalEvent::EquivalentSet { .. }
        | JournalEvent::ParticipantRegistered { .. }
        | JournalEvent::ParticipantUpdated { .. } => {}
        JournalEvent::ParticipantStatusSet { pid, status, .. } => {
            push(
                pid,
                "participant_status_changed",
                json!({ "status": status, "at": at }),
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
            let body = json!({
                "line_id": line_id.to_string(), "creditor": creditor, "debtor": debtor,
                "equivalent": equivalent, "limit": text(equivalent, *limit), "status": "active", "at": at,
            });
            push(creditor, "trust_line_changed", body.clone());
            push(debtor, "trust_line_changed", body);
        }
        JournalEvent::TrustLineClosed {
            line_id,
            creditor,
            debtor,
            equivalent,
            ..
        } => {
            let body = json!({
                "line_id": line_id.to_string(), "creditor": creditor, "debtor": debtor,
                "equivalent": equivalent, "status": "closed", "at": at,
            });
            push(creditor, "trust_line_changed", body.clone());
            push(debtor, "trust_line_changed", body);
        }
        JournalEvent::PaymentPrepared {
            tx_id,
            payer,
            payee,
            equivalent,
            amount,
            expires_at,
            ..
        } => {
            let body = json!({
                "tx_id": tx_id.to_string(), "payer": payer, "payee": payee, "equivalent": equivalent,
                "amount": text(equivalent, *amount), "expires_at": expires_at.to_string(), "at": at,
            });
            push(payer, "payment_prepared", body.clone());
            push(payee, "payment_prepared", body);
        }
        JournalEvent::PaymentCommitted {
            tx_id,
            payer,
            payee,
            equivalent,
            amount,
            paths,
            ..
        } => {
            let body = json!({
                "tx_id": tx_id.to_string(), "payer": payer, "payee": payee, "equivalent": equivalent,
                "amount": text(equivalent, *amount), "at": at, "journal_seq": seq,
            });
            push(payer, "payment_sent", body.clone());
            push(payee, "payment_received", body.clone());
            let mut relays: Vec<&Pid> = paths
                .iter()
                .flat_map(|p| p.path[1..p.path.len() - 1].iter())
                .filter(|p| *p != payer && *p != payee)
                .collect();
            relays.sort();
            relays.dedup();
            for pid in relays {
                push(pid, "payment_relayed", body.clone());
            }
        }
        JournalEvent::PaymentAborted {
            tx_id,
            payer,
            payee,
            equivalent,
            amount,
            error_code,
            ..
        } => {
            let body = json!({
                "tx_id": tx_id.to_string(), "payer": payer, "payee": payee, "equivalent": equivalent,
                "amount": text(equivalent, *amount), "error_code": error_code, "at": at,
            });
            push(payer, "payment_aborted", body);
        }
        JournalEvent::ClearingProposed {
            clearing_id,
            equivalent,
            set_offs,
            consent_required_from,
            expires_at,
        } => {
            let mut involved: Vec<&Pid> = set_offs
                .iter()
                .flat_map(|s| [&s.debtor, &s.creditor])
                .collect();
            involved.sort();
            involved.dedup();
            let edges: Vec<Value> = set_offs
                .iter()
                .map(|s| json!({"debtor": s.debtor, "creditor": s.creditor, "amount": text(equivalent, s.amount)}))
                .collect();
            let body = json!({
                "clearing_id": clearing_id.to_string(), "equivalent": equivalent, "edges": edges,
                "consent_required_from": consent_required_from, "expires_at": expires_at.to_string(), "at": at,
            });
            for pid in involved {
                push(pid, "clearing_proposed", body.clone());
            }
        }
        JournalEvent::ClearingConsented { .. } | JournalEvent::ClearingProposalClosed { .. } => {}
        JournalEvent::ClearingCommitted {
            clearing_id,
            equivalent,
            set_offs,
        } => {
            let mut involved: Vec<&Pid> = set_offs
                .iter()
                .flat_map(|s| [&s.debtor, &s.creditor])
                .collect();
            involved.sort();
            involved.dedup();
            let edges: Vec<Value> = set_offs
                .iter()
                .map(|s| json!({"debtor": s.debtor, "creditor": s.creditor, "amount": text(equivalent, s.amount)}))
                .collect();
            let body = json!({ "clearing_id": clearing_id.to_string(), "equivalent": equivalent, "edges": edges, "at": at });
            for pid in involved {
                push(pid, "clearing_committed", body.clone());
            }
        }
    }
    out
}
