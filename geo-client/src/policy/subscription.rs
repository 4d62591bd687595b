//! The live event stream's policy: which cursor to connect with, which frames to deliver (new,
//! verified events only), and what to do when the connection ends (reconnect with backoff, renew
//! the token when the hub would not even greet us).

use geo_protocol::Pid;

use crate::error::{GeoError, GeoResult};
use crate::events::{parse_frame, Event, EventCursor, EventKind, Frame};
use crate::policy::{Backoff, Jitter};
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
    jitter: Jitter,
    failures: u32,
    greeted: bool,
    renewed_since_greeting: bool,
    started_after: Option<u64>,
    ended: bool,
}

impl Subscription {
    /// Events for `me` from `cursor` on; reconnect delays grow from `backoff.base_ms` to
    /// `backoff.max_ms`, spread by `jitter` (clients cut off together come back apart).
    pub fn new(
        hub: HubIdentity,
        me: Pid,
        cursor: EventCursor,
        backoff: Backoff,
        jitter: Jitter,
    ) -> Subscription {
        Subscription {
            hub,
            me,
            cursor,
            backoff,
            jitter,
            failures: 0,
            greeted: false,
            renewed_since_greeting: false,
            started_after: None,
            ended: false,
        }
    }

    /// The event id the subscription started after, once the hub first greeted it: the `after` it
    /// was opened with or, [from now](EventCursor::from_now), where the hub said now was.
    pub fn started_after(&self) -> Option<u64> {
        self.started_after
    }

    /// Whether an error that retrying cannot fix (a stream for someone else, a hub signature that
    /// fails) ended the subscription: deliver that error, then stop.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Connections that ended since the hub last greeted one (0 while connected).
    pub fn failures(&self) -> u32 {
        self.failures
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
    /// or a hub-signed receipt that does not verify (deliver the error; [`Subscription::ended`] then
    /// says to stop).
    pub fn on_text(&mut self, text: &str) -> GeoResult<Option<Event>> {
        match parse_frame(text)? {
            Frame::Hello { pid, cursor } => {
                if pid != self.me {
                    self.ended = true;
                    return Err(GeoError::invalid("the event stream is for someone else"));
                }
                self.cursor.greeted(cursor);
                self.started_after.get_or_insert(self.cursor.position());
                self.greeted = true;
                self.renewed_since_greeting = false;
                self.failures = 0;
                Ok(None)
            }
            Frame::Event(event) => {
                if !self.cursor.accept(event.id) {
                    return Ok(None); // delivered before a reconnect
                }
                if let Err(e) = self.verify(&event) {
                    self.ended = true;
                    return Err(e);
                }
                Ok(Some(event))
            }
        }
    }

    /// The connection ended (closed, failed, or never opened).
    pub fn on_closed(&mut self) -> SubscriptionStep {
        // The next connection is not greeted until the hub says so, even if it never opens (a
        // handshake refused with 401 after the token expired).
        let greeted = std::mem::replace(&mut self.greeted, false);
        if !greeted && !self.renewed_since_greeting {
            self.renewed_since_greeting = true;
            return SubscriptionStep::Renew;
        }
        self.failures += 1;
        SubscriptionStep::Reconnect(self.delay())
    }

    /// The renewal asked for with [`SubscriptionStep::Renew`] ended: `Ok` → reconnect now; a
    /// retryable error → reconnect later; another error ends the subscription with it.
    pub fn on_renewed(&mut self, result: GeoResult<()>) -> GeoResult<SubscriptionStep> {
        match result {
            Ok(()) => Ok(SubscriptionStep::Reconnect(0)),
            Err(e) if e.is_retryable() => {
                // Nothing was renewed (the hub was unreachable, say while it restarts): the next
                // refused handshake renews again, or a token lost with the hub's sessions would
                // be offered forever.
                self.renewed_since_greeting = false;
                self.failures += 1;
                Ok(SubscriptionStep::Reconnect(self.delay()))
            }
            Err(e) => {
                self.ended = true;
                Err(e)
            }
        }
    }

    fn delay(&mut self) -> u64 {
        self.backoff
            .jittered(self.failures + 1, None, &mut self.jitter)
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
            EventCursor::after(0),
            Backoff::default(),
            Jitter::none(),
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
    fn a_token_that_expires_while_connected_is_renewed_at_the_next_refusal() {
        let me = Identity::from_seed(&[1; 32]).pid();
        let mut s = sub(&me);
        s.on_open();
        s.on_text(&format!(r#"{{"type":"hello","pid":"{me}","cursor":0}}"#))
            .unwrap();
        assert_eq!(s.on_closed(), SubscriptionStep::Reconnect(200));
        // The handshake is refused (expired token): the socket never opens.
        assert_eq!(s.on_closed(), SubscriptionStep::Renew);
    }

    #[test]
    fn a_renewal_that_could_not_reach_the_hub_is_tried_again_at_the_next_refusal() {
        let me = Identity::from_seed(&[1; 32]).pid();
        let mut s = sub(&me);
        s.on_open();
        s.on_text(&format!(r#"{{"type":"hello","pid":"{me}","cursor":0}}"#))
            .unwrap();
        // The hub goes away: the reconnect fails, and so does the renewal it asks for.
        assert_eq!(s.on_closed(), SubscriptionStep::Reconnect(200));
        assert_eq!(s.on_closed(), SubscriptionStep::Renew);
        let down = GeoError::Transport {
            message: "connection refused".into(),
        };
        assert!(matches!(
            s.on_renewed(Err(down)).unwrap(),
            SubscriptionStep::Reconnect(_)
        ));
        // Back, but without the old session: the handshake is refused, so renew again.
        assert_eq!(s.on_closed(), SubscriptionStep::Renew);
    }

    #[test]
    fn a_stream_for_someone_else_is_refused() {
        let me = Identity::from_seed(&[1; 32]).pid();
        let other = Identity::from_seed(&[2; 32]).pid();
        let mut s = sub(&me);
        let hello = format!(r#"{{"type":"hello","pid":"{other}","cursor":0}}"#);
        assert!(s.on_text(&hello).is_err());
        assert!(s.ended(), "nothing to retry");
    }

    #[test]
    fn a_subscription_from_now_starts_where_the_first_greeting_says() {
        let me = Identity::from_seed(&[1; 32]).pid();
        let hub = Identity::from_seed(&[3; 32]);
        let mut s = Subscription::new(
            super::super::test_hub(&hub),
            me.clone(),
            EventCursor::from_now(),
            Backoff::default(),
            Jitter::none(),
        );
        assert_eq!(s.started_after(), None);
        s.on_open();
        let hello = |c: u64| format!(r#"{{"type":"hello","pid":"{me}","cursor":{c}}}"#);
        s.on_text(&hello(41)).unwrap();
        assert_eq!(s.started_after(), Some(41));
        assert_eq!(s.path(), "/events?cursor=41");
        assert_eq!(s.on_text(&event(41, &me)).unwrap(), None);
        assert_eq!(s.on_text(&event(42, &me)).unwrap().unwrap().id, 42);
        s.on_closed();
        s.on_open();
        s.on_text(&hello(3)).unwrap();
        assert_eq!(s.started_after(), Some(41), "the first greeting decides");
        assert_eq!(s.path(), "/events?cursor=42");
    }

    #[test]
    fn reconnect_delays_are_jittered_within_the_backoff() {
        let me = Identity::from_seed(&[1; 32]).pid();
        let hub = Identity::from_seed(&[3; 32]);
        let delays = |seed: u64| {
            let mut s = Subscription::new(
                super::super::test_hub(&hub),
                me.clone(),
                EventCursor::after(0),
                Backoff::default(),
                Jitter::seeded(seed),
            );
            s.on_open();
            assert_eq!(s.on_closed(), SubscriptionStep::Renew);
            s.on_renewed(Ok(())).unwrap();
            (0..3)
                .map(|_| {
                    s.on_open();
                    match s.on_closed() {
                        SubscriptionStep::Reconnect(ms) => ms,
                        other => panic!("{other:?}"),
                    }
                })
                .collect::<Vec<u64>>()
        };
        let d = delays(5);
        assert_eq!(d, delays(5));
        for (ms, full) in d.iter().zip([200u64, 400, 800]) {
            assert!((full / 2..=full).contains(ms), "{ms} within {full}");
        }
        assert_ne!(delays(5), delays(6));
    }
}
