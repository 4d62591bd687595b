//! `EventStream`: the participant's live events as an async iterator. The SDK reconnects and
//! resumes after the last delivered event id, so nothing is lost or repeated.

use std::sync::Arc;

use futures_util::StreamExt;
use tokio::sync::Mutex;

use crate::error::GeoError;
use crate::records::{set_offs, SetOff};
use crate::types::{hub_amount, hub_tx, Amount, EquivalentCode, Pid, TxId};

/// One event for the subscribed participant.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Event {
    /// Position in the participant's stream (resume after it).
    pub id: u64,
    /// The hub journal entry it comes from.
    pub journal_seq: u64,
    /// What happened.
    pub kind: EventKind,
}

/// A payment event's body.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PaymentEvent {
    /// Payment id.
    pub tx_id: TxId,
    /// Payer.
    pub payer: Pid,
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Amount.
    pub amount: Amount,
    /// When.
    pub at: String,
    /// The payee's invoice it pays, when the payer named one.
    pub invoice_id: Option<String>,
}

impl TryFrom<geo_client::PaymentEvent> for PaymentEvent {
    type Error = GeoError;
    fn try_from(p: geo_client::PaymentEvent) -> Result<Self, GeoError> {
        Ok(PaymentEvent {
            tx_id: hub_tx(&p.tx_id)?,
            payer: p.payer,
            payee: p.payee,
            equivalent: p.equivalent,
            amount: hub_amount(&p.amount)?,
            at: p.at,
            invoice_id: p.invoice_id,
        })
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum EventKind {
    /// A trust line the participant is party to was set or closed.
    TrustLineChanged {
        /// Line id.
        line_id: String,
        /// Owner.
        creditor: Pid,
        /// Debtor.
        debtor: Pid,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// New limit (none when closed).
        limit: Option<Amount>,
        /// `active` or `closed`.
        status: String,
    },
    /// A held payment was prepared.
    PaymentPrepared {
        /// The payment.
        payment: PaymentEvent,
        /// When the hold lapses.
        expires_at: String,
    },
    /// The participant's payment committed.
    PaymentSent {
        /// The payment.
        payment: PaymentEvent,
    },
    /// A payment to the participant committed.
    PaymentReceived {
        /// The payment.
        payment: PaymentEvent,
    },
    /// A payment passed through the participant.
    PaymentRelayed {
        /// The payment.
        payment: PaymentEvent,
    },
    /// The participant's payment aborted.
    PaymentAborted {
        /// The payment.
        payment: PaymentEvent,
        /// Why (`E_…`).
        error_code: Option<String>,
    },
    /// A clearing proposal needs consent or involves the participant.
    ClearingProposed {
        /// Its id.
        clearing_id: String,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// Proposed set-offs.
        edges: Vec<SetOff>,
        /// Who must consent.
        consent_required_from: Vec<Pid>,
    },
    /// A clearing touching the participant was applied (its receipt verified before delivery).
    ClearingCommitted {
        /// Its id.
        clearing_id: String,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// What was set off.
        edges: Vec<SetOff>,
        /// The hub-signed `clearing_receipt` (JSON text).
        receipt: Option<String>,
    },
    /// The operator changed the participant's status.
    ParticipantStatusChanged {
        /// New status.
        status: String,
    },
    /// A kind this SDK does not know yet.
    Other {
        /// The kind.
        name: String,
        /// Its data (JSON text).
        data: String,
    },
}

impl TryFrom<geo_client::EventKind> for EventKind {
    type Error = GeoError;
    fn try_from(k: geo_client::EventKind) -> Result<Self, GeoError> {
        use geo_client::EventKind as S;
        Ok(match k {
            S::TrustLineChanged {
                line_id,
                creditor,
                debtor,
                equivalent,
                limit,
                status,
                ..
            } => EventKind::TrustLineChanged {
                line_id,
                creditor,
                debtor,
                equivalent,
                limit: limit.as_deref().map(hub_amount).transpose()?,
                status,
            },
            S::PaymentPrepared {
                payment,
                expires_at,
            } => EventKind::PaymentPrepared {
                payment: payment.try_into()?,
                expires_at,
            },
            S::PaymentSent(p) => EventKind::PaymentSent {
                payment: p.try_into()?,
            },
            S::PaymentReceived(p) => EventKind::PaymentReceived {
                payment: p.try_into()?,
            },
            S::PaymentRelayed(p) => EventKind::PaymentRelayed {
                payment: p.try_into()?,
            },
            S::PaymentAborted {
                payment,
                error_code,
            } => EventKind::PaymentAborted {
                payment: payment.try_into()?,
                error_code: error_code.map(|c| c.as_str().to_owned()),
            },
            S::ClearingProposed {
                clearing_id,
                equivalent,
                edges,
                consent_required_from,
                ..
            } => EventKind::ClearingProposed {
                clearing_id,
                equivalent,
                edges: set_offs(edges)?,
                consent_required_from,
            },
            S::ClearingCommitted {
                clearing_id,
                equivalent,
                edges,
                receipt,
                ..
            } => EventKind::ClearingCommitted {
                clearing_id,
                equivalent,
                edges: set_offs(edges)?,
                receipt,
            },
            S::ParticipantStatusChanged { status, .. } => EventKind::ParticipantStatusChanged {
                status: status.to_string(),
            },
            S::Other { name, data } => EventKind::Other { name, data },
        })
    }
}

impl TryFrom<geo_client::Event> for Event {
    type Error = GeoError;
    fn try_from(e: geo_client::Event) -> Result<Self, GeoError> {
        Ok(Event {
            id: e.id,
            journal_seq: e.journal_seq,
            kind: e.kind.try_into()?,
        })
    }
}

/// Live events (wraps [`geo_client::EventStream`]). Closing it (or dropping it) ends the
/// connection.
#[derive(uniffi::Object)]
pub struct EventStream {
    inner: Mutex<Option<geo_client::EventStream>>,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl EventStream {
    pub(crate) fn new(inner: geo_client::EventStream) -> Arc<Self> {
        Arc::new(EventStream {
            inner: Mutex::new(Some(inner)),
        })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl EventStream {
    /// The next event (waiting for it), or none once the stream ended for good. An error is one
    /// bad frame or a refusal the SDK cannot fix by reconnecting; calling `next()` again goes on.
    pub async fn next(&self) -> Result<Option<Event>, GeoError> {
        let mut guard = self.inner.lock().await;
        let Some(stream) = guard.as_mut() else {
            return Ok(None);
        };
        match stream.next().await {
            Some(item) => Ok(Some(item?.try_into()?)),
            None => Ok(None),
        }
    }

    /// Ends the subscription now (a later `next()` returns none). Not `close`: Kotlin objects
    /// already have `close()` (it frees the native object).
    pub async fn cancel(&self) {
        self.inner.lock().await.take();
    }
}
