//! The bodies of participants' events. [`Ledger::evolve`](super::ledger::Ledger) makes them
//! with these helpers when it applies a journal entry (what each entry tells whom is said there,
//! once); the writer serialises each entry's body once ([`data_text`]; every party an entry tells
//! gets the same body, only the kind differs) and stores it in the entry's `event_bodies` row, in
//! the transaction that journals the entry, from where it is served as stored (the stream, `GET /clearings`, the operator's clearings).

use geo_api::{EventKind, PaymentEvent, SetOff};
use geo_protocol::{Amount, EquivalentCode, Pid, Precision, TxId};

use super::journal::{JournalPath, JournalSetOff};

/// An amount in minor units as canonical text at `precision`.
pub fn text(minor: u64, precision: Precision) -> String {
    Amount::from_minor(minor, precision).to_string()
}

/// A payment's event body.
#[allow(clippy::too_many_arguments)]
pub fn payment(
    tx_id: &TxId,
    payer: &Pid,
    payee: &Pid,
    equivalent: &EquivalentCode,
    amount: u64,
    precision: Precision,
    description: &Option<String>,
    at: &str,
) -> PaymentEvent {
    PaymentEvent {
        tx_id: tx_id.to_string(),
        payer: payer.clone(),
        payee: payee.clone(),
        equivalent: equivalent.clone(),
        amount: text(amount, precision),
        description: description.clone(),
        at: at.to_owned(),
        journal_seq: None,
        invoice_id: None,
    }
}

/// A clearing's set-offs as its events show them.
pub fn edges(set_offs: &[JournalSetOff], precision: Precision) -> Vec<SetOff> {
    set_offs
        .iter()
        .map(|s| SetOff {
            debtor: s.debtor.clone(),
            creditor: s.creditor.clone(),
            amount: text(s.amount, precision),
        })
        .collect()
}

/// Everyone a clearing's set-offs involve, each once, in order.
pub fn involved(set_offs: &[JournalSetOff]) -> Vec<Pid> {
    let mut v: Vec<Pid> = set_offs
        .iter()
        .flat_map(|s| [s.debtor.clone(), s.creditor.clone()])
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Those a committed payment passed through (neither its payer nor its payee), each once, in
/// order.
pub fn relays<'a>(paths: &'a [JournalPath], payer: &Pid, payee: &Pid) -> Vec<&'a Pid> {
    let mut relays: Vec<&Pid> = paths
        .iter()
        .flat_map(|p| p.path[1..p.path.len() - 1].iter())
        .filter(|p| *p != payer && *p != payee)
        .collect();
    relays.sort();
    relays.dedup();
    relays
}

/// An event's `data` as JSON text: the body serialised once, as the stream's frames carry it.
pub fn data_text(event: &EventKind) -> String {
    if let EventKind::Other { data, .. } = event {
        return data.clone();
    }
    // `{"kind":"<name>","data":<data>}`: kind names are plain ASCII, so the data is what follows the
    // prefix, without the closing brace.
    let tagged = serde_json::to_string(event).expect("events serialise");
    let prefix = format!("{{\"kind\":\"{}\",\"data\":", event.name());
    debug_assert!(tagged.starts_with(&prefix) && tagged.ends_with('}'));
    tagged[prefix.len()..tagged.len() - 1].to_owned()
}

/// The typed event of a stored `(kind, data)` (for the answers that show a stored event's members).
pub fn event_of(kind: &str, data: &str) -> Result<EventKind, serde_json::Error> {
    EventKind::from_data(kind, &serde_json::from_str(data)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_text_is_the_frames_data() {
        let pid: Pid = "3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW"
            .parse()
            .unwrap();
        let kinds = [
            EventKind::ClearingCommitted {
                clearing_id: "c".into(),
                equivalent: "UAH".parse().unwrap(),
                edges: vec![SetOff {
                    debtor: pid.clone(),
                    creditor: pid.clone(),
                    amount: "1.5".into(),
                }],
                at: "2026-01-01T00:00:00Z".into(),
                receipt: Some(r#"{"a":1,"b":"x"}"#.into()),
            },
            EventKind::ParticipantStatusChanged {
                status: geo_api::ParticipantStatus::Suspended,
                at: "2026-01-01T00:00:00Z".into(),
            },
        ];
        for kind in kinds {
            let frame = geo_api::Frame::Event(geo_api::Event {
                id: 7,
                journal_seq: 3,
                kind: kind.clone(),
            });
            let stored = geo_api::Frame::Event(geo_api::Event {
                id: 7,
                journal_seq: 3,
                kind: EventKind::Other {
                    name: kind.name().to_owned(),
                    data: data_text(&kind),
                },
            });
            assert_eq!(
                serde_json::to_string(&stored).unwrap(),
                serde_json::to_string(&frame).unwrap(),
                "a stored body is sent as the typed one would be"
            );
            assert_eq!(event_of(kind.name(), &data_text(&kind)).unwrap(), kind);
        }
    }
}
