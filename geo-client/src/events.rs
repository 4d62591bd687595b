//! Typed events of the hub's WebSocket stream, and the cursor that makes resuming exact: after a
//! reconnect the stream restarts after the last event delivered, and anything at or below it is
//! dropped, so nothing is lost and nothing is seen twice.

pub use geo_api::{Event, EventKind, Frame, PaymentEvent};

use crate::error::{GeoError, GeoResult};

/// Decodes one text frame (an unknown event kind is [`EventKind::Other`], not an error). By its
/// `type` member first, then the variant's members: the same result as `Frame`'s derived decoder
/// without serde's buffering of an internally tagged enum (a fifth of the decoding code in the
/// npm package's wasm).
pub fn parse_frame(text: &str) -> GeoResult<Frame> {
    #[derive(serde::Deserialize)]
    struct Hello {
        pid: geo_protocol::Pid,
        cursor: u64,
    }
    let invalid = |e: &dyn std::fmt::Display| {
        GeoError::invalid(format!(
            "event frame ({e}): {}",
            crate::error::truncate(text, 200)
        ))
    };
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| invalid(&e))?;
    let tag = value.as_object_mut().and_then(|o| o.remove("type"));
    let frame = match tag.as_ref().and_then(serde_json::Value::as_str) {
        Some("hello") => {
            geo_api::tree::decode(&value).map(|Hello { pid, cursor }| Frame::Hello { pid, cursor })
        }
        Some("event") => geo_api::tree::decode(&value).map(Frame::Event),
        Some(other) => return Err(invalid(&format_args!("unknown frame type {other:?}"))),
        None => return Err(invalid(&"no frame type")),
    };
    frame.map_err(|e| invalid(&e))
}

/// The last event delivered; decides what a (re)connected stream must skip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventCursor {
    last: u64,
    /// Started "from now": the hub's first greeting says where now is.
    from_now: bool,
}

impl EventCursor {
    /// Starts after event `last` (0: from the beginning).
    pub fn after(last: u64) -> EventCursor {
        EventCursor {
            last,
            from_now: false,
        }
    }

    /// Starts with the next new event: asks the hub for a cursor beyond its newest event, and takes
    /// the position the hub's greeting names ([`EventCursor::greeted`]).
    pub fn from_now() -> EventCursor {
        EventCursor {
            last: u64::MAX,
            from_now: true,
        }
    }

    /// The hub's greeting said it resumes after `cursor`: a "from now" cursor starts there.
    pub fn greeted(&mut self, cursor: u64) {
        if self.from_now {
            self.from_now = false;
            self.last = cursor;
        }
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
        assert!(parse_frame(r#"{"type":"hello","pid":"x","cursor":1}"#).is_err());
        assert!(parse_frame(r#"{"type":"goodbye"}"#).is_err());
        assert!(parse_frame(r#"{"pid":"x"}"#).is_err());
        assert!(parse_frame("[]").is_err());
        // What the hub sends decodes exactly as `Frame`'s own decoder decodes it.
        for text in [
            r#"{"type":"hello","pid":"3HhGPB6ht33n51YFaocqBtGePb3xqT4VgnjYbd81eeZW","cursor":7}"#,
            r#"{"type":"event","id":3,"journal_seq":9,"kind":"participant_status_changed","data":{"status":"suspended","at":"2026-01-01T00:00:00Z"}}"#,
            r#"{"type":"event","id":4,"journal_seq":9,"kind":"something_new","data":{"x":1}}"#,
        ] {
            assert_eq!(
                parse_frame(text).unwrap(),
                serde_json::from_str::<Frame>(text).unwrap()
            );
        }
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

    #[test]
    fn a_cursor_from_now_starts_where_the_first_greeting_says() {
        let mut c = EventCursor::from_now();
        assert_eq!(c.position(), u64::MAX, "asks the hub for its newest id");
        c.greeted(41);
        assert_eq!(c.position(), 41);
        assert!(!c.accept(41));
        assert!(c.accept(42));
        c.greeted(7); // a later greeting (after a reconnect) changes nothing
        assert_eq!(c.position(), 42);
        let mut plain = EventCursor::after(3);
        plain.greeted(0);
        assert_eq!(plain.position(), 3);
    }
}
