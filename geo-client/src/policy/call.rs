//! One API call as a state machine: send, then resend the same bytes or renew the token or finish,
//! depending on the answer.

use std::collections::VecDeque;

use crate::error::{GeoError, GeoResult};
use geo_protocol::Timestamp;

use crate::policy::{Backoff, Exchange, Jitter};
use crate::requests::ApiRequest;

/// Which failures allow sending the same request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resend {
    /// Any retryable failure (network error, time-out, 429, 502–504): reads, and payments (the hub
    /// applies a `tx_id` at most once).
    Retryable,
    /// Only a refusal before the hub did anything (429, 503): other signed changes, whose nonce
    /// would be refused as replayed if the first attempt had been applied.
    RefusedBeforeWork,
}

impl Resend {
    fn allows(self, e: &GeoError) -> bool {
        match self {
            Resend::Retryable => e.is_retryable(),
            Resend::RefusedBeforeWork => matches!(
                e,
                GeoError::Hub {
                    status: 429 | 503,
                    ..
                }
            ),
        }
    }
}

/// What the transport must do next; `T` is what the machine finishes with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action<T = String> {
    /// Send this request (with the current bearer token when `authenticated`), then report the
    /// answer with [`Exchange::on_response`] or the failure with [`Exchange::on_failure`].
    Send(ApiRequest),
    /// Wait this many milliseconds, then ask again.
    Wait(u64),
    /// Get fresh tokens (refresh, else log in), then report with [`Exchange::on_renewed`].
    Renew,
    /// Finished: the result (for [`Call`], the body of the 2xx answer), or the error.
    Done(GeoResult<T>),
}

/// One request's life: sends, resends with backoff, one token renewal on 401.
#[derive(Debug, Clone)]
pub struct Call {
    request: ApiRequest,
    resend: Resend,
    backoff: Backoff,
    jitter: Jitter,
    attempt: u32,
    renewed: bool,
    queue: VecDeque<Action>,
}

impl Call {
    /// A call that starts by sending `request`; its waits are spread by `jitter`.
    pub fn new(request: ApiRequest, resend: Resend, backoff: Backoff, jitter: Jitter) -> Call {
        Call {
            queue: VecDeque::from([Action::Send(request.clone())]),
            request,
            resend,
            backoff,
            jitter,
            attempt: 0,
            renewed: false,
        }
    }

    /// The request this call sends.
    pub fn request(&self) -> &ApiRequest {
        &self.request
    }

    /// Replaces the request for the next sends (a re-signed payment); attempts keep counting.
    pub fn replace_request(&mut self, request: ApiRequest) {
        for a in self.queue.iter_mut() {
            if let Action::Send(r) = a {
                *r = request.clone();
            }
        }
        self.request = request;
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempt
    }

    /// The next thing to do. After `Done` the call is over (and keeps answering `Done` with an
    /// error if asked again).
    pub fn next_action(&mut self) -> Action {
        let a = self.queue.pop_front().unwrap_or_else(|| {
            Action::Done(Err(GeoError::Protocol {
                message: "the call was asked for an action while waiting for an answer".into(),
            }))
        });
        match &a {
            Action::Send(_) => self.attempt += 1,
            Action::Wait(_) => self.queue.push_back(Action::Send(self.request.clone())),
            Action::Renew | Action::Done(_) => {}
        }
        a
    }

    /// Reports the hub's answer; `retry_after` is its `Retry-After` header in seconds.
    pub fn on_response(&mut self, status: u16, body: String, retry_after: Option<u64>) {
        if (200..300).contains(&status) {
            self.queue.push_back(Action::Done(Ok(body)));
        } else {
            self.failed(GeoError::from_problem(status, &body), retry_after);
        }
    }

    /// Reports that no answer came (network error, time-out).
    pub fn on_failure(&mut self, error: GeoError) {
        self.failed(error, None);
    }

    /// Reports the outcome of a renewal asked for with [`Action::Renew`].
    pub fn on_renewed(&mut self, result: GeoResult<()>) {
        match result {
            Ok(()) => {
                self.attempt = self.attempt.saturating_sub(1); // the 401 attempt does not count
                self.queue.push_back(Action::Send(self.request.clone()));
            }
            Err(e) => self.queue.push_back(Action::Done(Err(e))),
        }
    }

    /// Finishes the call with an error decided outside (e.g. a payment refused as expired that is
    /// re-signed instead).
    pub fn fail(&mut self, error: GeoError) {
        self.queue.clear();
        self.queue.push_back(Action::Done(Err(error)));
    }

    fn failed(&mut self, e: GeoError, retry_after: Option<u64>) {
        if self.request.authenticated && matches!(e, GeoError::Hub { status: 401, .. }) {
            if !self.renewed {
                self.renewed = true;
                self.queue.push_back(Action::Renew);
                return;
            }
        } else if self.attempt < self.backoff.attempts && self.resend.allows(&e) {
            let ms = self
                .backoff
                .jittered(self.attempt + 1, retry_after, &mut self.jitter);
            self.queue.push_back(Action::Wait(ms));
            return;
        }
        self.queue.push_back(Action::Done(Err(e)));
    }
}

impl Exchange for Call {
    type Output = String;

    fn next_action(&mut self, _now: Timestamp) -> Action {
        Call::next_action(self)
    }

    fn on_response(&mut self, status: u16, body: String, retry_after: Option<u64>, _: Timestamp) {
        Call::on_response(self, status, body, retry_after)
    }

    fn on_failure(&mut self, error: GeoError) {
        Call::on_failure(self, error)
    }

    fn on_renewed(&mut self, result: GeoResult<()>) {
        Call::on_renewed(self, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::read;

    fn problem(code: &str) -> String {
        format!(r#"{{"code":"{code}","title":"t","detail":"d"}}"#)
    }

    #[test]
    fn resends_the_same_request_after_network_errors_and_503_with_retry_after() {
        let mut c = Call::new(
            read::balance(),
            Resend::Retryable,
            Backoff::default(),
            Jitter::none(),
        );
        let Action::Send(first) = c.next_action() else {
            panic!()
        };
        c.on_failure(GeoError::Transport {
            message: "reset".into(),
        });
        assert_eq!(c.next_action(), Action::Wait(200));
        assert_eq!(c.next_action(), Action::Send(first.clone()));
        c.on_response(503, problem("E_UNAVAILABLE"), Some(3));
        assert_eq!(c.next_action(), Action::Wait(3_000));
        assert_eq!(c.next_action(), Action::Send(first));
        c.on_response(200, "[]".into(), None);
        assert_eq!(c.next_action(), Action::Done(Ok("[]".into())));
        assert_eq!(c.attempts(), 3);
    }

    #[test]
    fn a_seeded_jitter_spreads_the_waits_but_never_before_retry_after() {
        let waits = |seed: u64| {
            let mut c = Call::new(
                read::balance(),
                Resend::Retryable,
                Backoff::default(),
                Jitter::seeded(seed),
            );
            let mut out = Vec::new();
            // Backoffs of 200, 400 and 800 ms: the hub's 1 s decides.
            for _ in 0..3 {
                let Action::Send(_) = c.next_action() else {
                    panic!()
                };
                c.on_response(429, problem("E_RATE_LIMITED"), Some(1));
                let Action::Wait(ms) = c.next_action() else {
                    panic!()
                };
                out.push(ms);
            }
            out
        };
        let a = waits(1);
        assert_eq!(a, waits(1), "deterministic for a seed");
        assert!(a.iter().all(|&ms| (1_000..=1_100).contains(&ms)), "{a:?}");
        let spread: std::collections::BTreeSet<u64> = (0..20).flat_map(waits).collect();
        assert!(spread.len() > 20, "seeds give different waits: {spread:?}");
    }

    #[test]
    fn gives_up_after_the_last_attempt_with_the_last_error() {
        let b = Backoff {
            attempts: 2,
            ..Backoff::default()
        };
        let mut c = Call::new(read::balance(), Resend::Retryable, b, Jitter::none());
        c.next_action();
        c.on_response(429, problem("E_RATE_LIMITED"), None);
        assert!(matches!(c.next_action(), Action::Wait(_)));
        c.next_action();
        c.on_response(429, problem("E_RATE_LIMITED"), None);
        match c.next_action() {
            Action::Done(Err(e)) => assert_eq!(e.code(), "E_RATE_LIMITED"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn signed_changes_are_not_resent_after_a_lost_answer() {
        let req = ApiRequest {
            method: crate::requests::Method::Post,
            path: "/trust-lines".into(),
            body: Some("{}".into()),
            authenticated: true,
        };
        let mut c = Call::new(
            req,
            Resend::RefusedBeforeWork,
            Backoff::default(),
            Jitter::none(),
        );
        c.next_action();
        c.on_response(503, problem("E_UNAVAILABLE"), None);
        assert!(matches!(c.next_action(), Action::Wait(_)));
        c.next_action();
        c.on_failure(GeoError::Timeout {
            message: "late".into(),
        });
        assert!(matches!(
            c.next_action(),
            Action::Done(Err(GeoError::Timeout { .. }))
        ));
    }

    #[test]
    fn an_operator_401_is_the_answer_not_a_renewal() {
        // The operator's token is not a session: nothing to renew, the hub's refusal is the answer.
        let mut c = Call::new(
            crate::requests::admin::stats(),
            Resend::Retryable,
            Backoff::default(),
            Jitter::none(),
        );
        c.next_action();
        c.on_response(401, problem("E_UNAUTHORIZED"), None);
        match c.next_action() {
            Action::Done(Err(e)) => assert_eq!(e.code(), "E_UNAUTHORIZED"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn renews_the_token_once_on_401() {
        let mut c = Call::new(
            read::me(),
            Resend::Retryable,
            Backoff::default(),
            Jitter::none(),
        );
        c.next_action();
        c.on_response(401, problem("E_UNAUTHORIZED"), None);
        assert_eq!(c.next_action(), Action::Renew);
        c.on_renewed(Ok(()));
        assert!(matches!(c.next_action(), Action::Send(_)));
        c.on_response(401, problem("E_UNAUTHORIZED"), None);
        match c.next_action() {
            Action::Done(Err(e)) => assert_eq!(e.code(), "E_UNAUTHORIZED"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refusals_finish_at_once() {
        let mut c = Call::new(
            read::balance(),
            Resend::Retryable,
            Backoff::default(),
            Jitter::none(),
        );
        c.next_action();
        c.on_response(422, problem("E_INSUFFICIENT_CAPACITY"), None);
        match c.next_action() {
            Action::Done(Err(e)) => assert_eq!(e.code(), "E_INSUFFICIENT_CAPACITY"),
            other => panic!("{other:?}"),
        }
    }
}
