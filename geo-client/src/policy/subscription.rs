//! The live event stream's policy: which cursor to connect with, which frames to deliver (new,
//! verified events only), and what to do when the connection ends (reconnect with backoff, renew
//! the token when the hub would not even greet us).

use geo_protocol::Pid;

use crate::error::{GeoError, GeoResult};
use crate::events::{parse_frame, Event, EventCursor, EventKind, Frame};
use crate::policy::Backoff;
use crate::verify::HubIdentity;

/// What to do after a connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscriptionStep {
    /// Wait this many milliseconds, then connect to [`Subscription::path`].
    Reconnect(u64),
    /// Renew the token (the hub refused the connection before greeting), then report with
    /// [`Subscription::on_renewed`].
    Renew,
}

/// One participant's event subscription, across any number of connections.
#[derive(Debug, Clone)]
pub struct Subscription {
    hub: HubIdentity,
    me: Pid,
    cursor: EventCursor,
    backoff: Backoff,
    failures: u32,
    greeted: bool,
    renewed_since_greeting: bool,
}

impl Subscription {
    /// Events after id `after` for `me`; reconnect delays grow from `backoff.base_ms` to
    /// `backoff.max_ms`.
    pub fn new(hub: HubIdentity, me: Pid, after: u64, backoff: Backoff) -> Subscription {
        Subscription {
            hub,
            me,
            cursor: EventCursor::after(after),
            backoff,
            failures: 0,
            greeted: false,
            renewed_since_greeting: false,
        }
    }

    /// The path (below `/api/v1`) to connect to now: resumes after the last delivered event.
    pub fn path(&self) -> String {
        crate::requests::read::events(self.cursor.position()).path
    }

    /// The id of the last delivered event.
    pub fn position(&self) -> u64 {
        self.cursor.position()
    }

    /// A new connection opened.
    pub fn on_open(&mut self) {
        self.greeted = false;
    }

    /// A text frame arrived: `Ok(Some(event))` to deliver, `Ok(None)` for the greeting and for
    /// duplicates of delivered events, `Err` for a frame that cannot be read (keep the connection)
    /// or a hub-signed receipt that does not verify (deliver the error).
    pub fn on_text(&mut self, text: &str) -> GeoResult<Option<Event>> {
        match parse_frame(text)? {
            Frame::Hello { pid, .. } => {
                if pid != self.me {
                    return Err(GeoError::invalid("the event stream is for someone else"));
                }
                self.greeted = true;
                self.renewed_since_greeting = false;
                self.failures = 0;
                Ok(None)
            }
            Frame::Event(event) => {
                if !self.cursor.accept(event.id) {
                    return Ok(None); // delivered before a reconnect
                }
                self.verify(&event)?;
                Ok(Some(event))
            }
        }
    }

    /// The connection ended (closed, failed, or never opened).
    pub fn on_closed(&mut self) -> SubscriptionStep {
        if !self.greeted && !self.renewed_since_greeting {
            self.renewed_since_greeting = true;
            return SubscriptionStep::Renew;
        }
        self.failures += 1;
        SubscriptionStep::Reconnect(self.backoff.delay_ms(self.failures + 1))
    }

    /// The renewal asked for with [`SubscriptionStep::Renew`] ended: `Ok` → reconnect now; a
    /// retryable error → reconnect later; another error ends the subscription with it.
    pub fn on_renewed(&mut self, result: GeoResult<()>) -> GeoResult<SubscriptionStep> {
        match result {
            Ok(()) => Ok(SubscriptionStep::Reconnect(0)),
            Err(e) if e.is_retryable() => {
                self.failures += 1;
                Ok(SubscriptionStep::Reconnect(
                    self.backoff.delay_ms(self.failures + 1),
                ))
            }
            Err(e) => Err(e),
        }
    }

    fn verify(&self, event: &Event) -> GeoResult<()> {
        if let EventKind::ClearingCommitted {
            receipt: Some(json),
            clearing_id,
            ..
        } = &event.kind
        {
            let r = self.hub.verify_clearing_receipt(json)?;
            if &r.payload().clearing_id.to_string() != clearing_id {
                return Err(GeoError::InvalidSignature {
                    message: "a clearing event with another clearing's receipt".into(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use geo_protocol::Identity;

    use super::*;

    fn sub(me: &Pid) -> Subscription {
        let hub = Identity::from_seed(&[3; 32]);
        Subscription::new(
            super::super::test_hub(&hub),
            me.clone(),
            0,
            Backoff::default(),
        )
    }

    fn event(id: u64, me: &Pid) -> String {
        format!(
            r#"{{"type":"event","id":{id},"kind":"payment_received","journal_seq":{id},"data":{{"tx_id":"t{id}","payer":"{me}","payee":"{me}","equivalent":"UAH","amount":"1.00","at":"2026-01-01T00:00:00Z"}}}}"#
        )
    }

    #[test]
    fn resumes_after_the_last_delivered_event_without_duplicates() {
        let me = Identity::from_seed(&[1; 32]).pid();
        let mut s = sub(&me);
        assert_eq!(s.path(), "/events?cursor=0");
        s.on_open();
        let hello = format!(r#"{{"type":"hello","pid":"{me}","cursor":0}}"#);
        assert_eq!(s.on_text(&hello).unwrap(), None);
        assert_eq!(s.on_text(&event(1, &me)).unwrap().unwrap().id, 1);
        assert_eq!(s.on_text(&event(2, &me)).unwrap().unwrap().id, 2);
        assert_eq!(s.on_closed(), SubscriptionStep::Reconnect(200));
        assert_eq!(s.path(), "/events?cursor=2");
        s.on_open();
        s.on_text(&hello).unwrap();
        assert_eq!(s.on_text(&event(2, &me)).unwrap(), None, "a duplicate");
        assert_eq!(s.on_text(&event(3, &me)).unwrap().unwrap().id, 3);
        assert!(s.on_text("garbage").is_err());
    }

    #[test]
    fn a_connection_refused_before_the_greeting_renews_the_token_once() {
        let me = Identity::from_seed(&[1; 32]).pid();
        let mut s = sub(&me);
        s.on_open();
        assert_eq!(s.on_closed(), SubscriptionStep::Renew);
        assert_eq!(
            s.on_renewed(Ok(())).unwrap(),
            SubscriptionStep::Reconnect(0)
        );
        s.on_open();
        assert_eq!(s.on_closed(), SubscriptionStep::Reconnect(200));
        s.on_open();
        assert_eq!(s.on_closed(), SubscriptionStep::Reconnect(400));
        let refused = GeoError::from_problem(403, r#"{"code":"E_FORBIDDEN"}"#);
        assert!(s.on_renewed(Err(refused)).is_err());
    }

    #[test]
    fn a_stream_for_someone_else_is_refused() {
        let me = Identity::from_seed(&[1; 32]).pid();
        let other = Identity::from_seed(&[2; 32]).pid();
        let mut s = sub(&me);
        let hello = format!(r#"{{"type":"hello","pid":"{other}","cursor":0}}"#);
        assert!(s.on_text(&hello).is_err());
    }
}
