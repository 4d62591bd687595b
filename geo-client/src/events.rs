//! Typed events of the hub's WebSocket stream, and the cursor that makes resuming exact: after a
//! reconnect the stream restarts after the last event delivered, and anything at or below it is
//! dropped, so nothing is lost and nothing is seen twice.

use geo_protocol::{EquivalentCode, ErrorCode, Pid};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{GeoError, GeoResult};
use crate::types::SetOff;

/// One event for the subscribed participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the participant's stream (resume after it).
    pub id: u64,
    /// The hub journal entry it comes from.
    pub journal_seq: u64,
    /// What happened (its members are flattened into the event's JSON, tagged by `kind`).
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A payment event's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentEvent {
    /// Payment id.
    pub tx_id: String,
    /// Payer.
    pub payer: Pid,
    /// Payee.
    pub payee: Pid,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Amount.
    pub amount: String,
    /// When.
    pub at: String,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
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
        /// New limit (absent when closed).
        limit: Option<String>,
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
    PaymentSent(PaymentEvent),
    /// A payment to the participant committed.
    PaymentReceived(PaymentEvent),
    /// A payment passed through the participant.
    PaymentRelayed(PaymentEvent),
    /// The participant's payment aborted.
    PaymentAborted {
        /// The payment.
        payment: PaymentEvent,
        /// Why.
        error_code: Option<ErrorCode>,
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
    /// A clearing touching the participant was applied; `receipt` is the hub-signed receipt JSON.
    ClearingCommitted {
        /// Its id.
        clearing_id: String,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// What was set off.
        edges: Vec<SetOff>,
        /// The hub-signed `clearing_receipt`, verified by the subscription before delivery.
        receipt: Option<String>,
    },
    /// The operator changed the participant's status.
    ParticipantStatusChanged {
        /// New status.
        status: String,
    },
    /// A kind this SDK does not know yet (data as JSON text).
    Other {
        /// The kind.
        name: String,
        /// Its data.
        data: String,
    },
}

/// A frame of the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// The greeting, with the cursor the hub resumes after.
    Hello {
        /// Who is subscribed.
        pid: Pid,
        /// Events after this id follow.
        cursor: u64,
    },
    /// An event.
    Event(Event),
}

fn field<T: serde::de::DeserializeOwned>(data: &Value, name: &str) -> GeoResult<T> {
    serde_json::from_value(data.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|e| GeoError::invalid(format!("event member {name}: {e}")))
}

fn payment_event(data: &Value) -> GeoResult<PaymentEvent> {
    serde_json::from_value(data.clone())
        .map_err(|e| GeoError::invalid(format!("payment event: {e}")))
}

/// Decodes one text frame.
pub fn parse_frame(text: &str) -> GeoResult<Frame> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| GeoError::invalid(format!("event frame: {e}")))?;
    match v.get("type").and_then(Value::as_str) {
        Some("hello") => Ok(Frame::Hello {
            pid: field(&v, "pid")?,
            cursor: field(&v, "cursor")?,
        }),
        Some("event") => {
            let data = v.get("data").cloned().unwrap_or(Value::Null);
            let name: String = field(&v, "kind")?;
            let kind = match name.as_str() {
                "trust_line_changed" => EventKind::TrustLineChanged {
                    line_id: field(&data, "line_id")?,
                    creditor: field(&data, "creditor")?,
                    debtor: field(&data, "debtor")?,
                    equivalent: field(&data, "equivalent")?,
                    limit: field(&data, "limit")?,
                    status: field(&data, "status")?,
                },
                "payment_prepared" => EventKind::PaymentPrepared {
                    payment: payment_event(&data)?,
                    expires_at: field(&data, "expires_at")?,
                },
                "payment_sent" => EventKind::PaymentSent(payment_event(&data)?),
                "payment_received" => EventKind::PaymentReceived(payment_event(&data)?),
                "payment_relayed" => EventKind::PaymentRelayed(payment_event(&data)?),
                "payment_aborted" => EventKind::PaymentAborted {
                    payment: payment_event(&data)?,
                    error_code: field(&data, "error_code")?,
                },
                "clearing_proposed" => EventKind::ClearingProposed {
                    clearing_id: field(&data, "clearing_id")?,
                    equivalent: field(&data, "equivalent")?,
                    edges: field(&data, "edges")?,
                    consent_required_from: field(&data, "consent_required_from")?,
                },
                "clearing_committed" => EventKind::ClearingCommitted {
                    clearing_id: field(&data, "clearing_id")?,
                    equivalent: field(&data, "equivalent")?,
                    edges: field(&data, "edges")?,
                    receipt: data
                        .get("receipt")
                        .filter(|r| !r.is_null())
                        .map(Value::to_string),
                },
                "participant_status_changed" => EventKind::ParticipantStatusChanged {
                    status: field(&data, "status")?,
                },
                _ => EventKind::Other {
                    name,
                    data: data.to_string(),
                },
            };
            Ok(Frame::Event(Event {
                id: field(&v, "id")?,
                journal_seq: field(&v, "journal_seq")?,
                kind,
            }))
        }
        _ => Err(GeoError::invalid(format!(
            "unknown event frame: {}",
            crate::error::truncate(text, 200)
        ))),
    }
}

/// The last event delivered; decides what a (re)connected stream must skip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventCursor {
    last: u64,
}

impl EventCursor {
    /// Starts after event `last` (0: from the beginning).
    pub fn after(last: u64) -> EventCursor {
        EventCursor { last }
    }

    /// The id to resume after (the `cursor` query of a reconnect).
    pub fn position(&self) -> u64 {
        self.last
    }

    /// Whether the event with this id is new; if so it becomes the position. Events at or below the
    /// position are duplicates of something already delivered.
    pub fn accept(&mut self, id: u64) -> bool {
        if id > self.last {
            self.last = id;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_decode_into_typed_events() {
        let hello = parse_frame(
            r#"{"type":"hello","pid":"3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW","cursor":4}"#,
        )
        .unwrap();
        assert!(matches!(hello, Frame::Hello { cursor: 4, .. }));
        let text = r#"{"type":"event","id":9,"kind":"payment_received","journal_seq":12,"data":{"tx_id":"t","payer":"3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW","payee":"3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW","equivalent":"UAH","amount":"1.00","at":"2026-01-01T00:00:00Z","journal_seq":12}}"#;
        match parse_frame(text).unwrap() {
            Frame::Event(Event {
                id: 9,
                kind: EventKind::PaymentReceived(p),
                ..
            }) => assert_eq!(p.amount, "1.00"),
            other => panic!("{other:?}"),
        }
        let unknown =
            r#"{"type":"event","id":10,"kind":"future_thing","journal_seq":13,"data":{"x":1}}"#;
        assert!(matches!(
            parse_frame(unknown).unwrap(),
            Frame::Event(Event {
                kind: EventKind::Other { .. },
                ..
            })
        ));
        assert!(parse_frame("not json").is_err());
        assert!(parse_frame(r#"{"type":"event","id":"x"}"#).is_err());
    }

    #[test]
    fn the_cursor_drops_what_was_already_delivered() {
        let mut c = EventCursor::after(3);
        assert!(!c.accept(2));
        assert!(!c.accept(3));
        assert!(c.accept(5));
        assert!(!c.accept(5));
        assert!(!c.accept(4));
        assert_eq!(c.position(), 5);
    }
}
