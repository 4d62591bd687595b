//! Getting fresh tokens as a state machine: trade the refresh token if the hub still takes it,
//! else log in afresh (ask for a challenge, sign it, send it back).

use geo_protocol::Timestamp;

use crate::error::{GeoError, GeoResult};
use crate::policy::{Action, Backoff, Call, Exchange, Jitter, Resend};
use crate::requests::{self, Signer};
use crate::types::{Challenge, Tokens};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Refresh,
    Challenge,
    Login,
}

/// One renewal of a participant's tokens; each step is resent only when the hub refused it before
/// doing anything (a refresh token is single-use, a challenge answer is a signed message).
#[derive(Debug, Clone)]
pub struct Renewal {
    signer: Signer,
    backoff: Backoff,
    jitter: Jitter,
    stage: Stage,
    call: Call,
}

impl Renewal {
    /// Renews with `refresh_token` when there is one, else by logging in.
    pub fn new(
        signer: Signer,
        refresh_token: Option<&str>,
        backoff: Backoff,
        mut jitter: Jitter,
    ) -> Renewal {
        let (stage, request) = match refresh_token {
            Some(t) => (Stage::Refresh, Signer::refresh(t)),
            None => (Stage::Challenge, signer.challenge()),
        };
        Renewal {
            call: Call::new(request, Resend::RefusedBeforeWork, backoff, jitter.fork()),
            signer,
            backoff,
            jitter,
            stage,
        }
    }

    /// Logs in afresh (no refresh token to try).
    pub fn login(signer: Signer, backoff: Backoff, jitter: Jitter) -> Renewal {
        Renewal::new(signer, None, backoff, jitter)
    }

    fn then(&mut self, stage: Stage, request: requests::ApiRequest) {
        self.stage = stage;
        let jitter = self.jitter.fork();
        self.call = Call::new(request, Resend::RefusedBeforeWork, self.backoff, jitter);
    }
}

impl Exchange for Renewal {
    type Output = Tokens;

    fn next_action(&mut self, now: Timestamp) -> Action<Tokens> {
        loop {
            let result = match self.call.next_action() {
                Action::Send(req) => return Action::Send(req),
                Action::Wait(ms) => return Action::Wait(ms),
                // Nothing here is sent with a token, so there is nothing to renew.
                Action::Renew => {
                    return Action::Done(Err(GeoError::Protocol {
                        message: "a renewal was asked to renew".into(),
                    }))
                }
                Action::Done(result) => result,
            };
            match (self.stage, result) {
                (Stage::Refresh, Ok(body)) => return Action::Done(requests::parse(200, &body)),
                // The hub may take it later: do not spend a login on a passing failure.
                (Stage::Refresh, Err(e)) if e.is_retryable() => return Action::Done(Err(e)),
                // Expired, revoked or already used: log in afresh.
                (Stage::Refresh, Err(_)) => self.then(Stage::Challenge, self.signer.challenge()),
                (Stage::Challenge, Ok(body)) => {
                    let login = requests::parse::<Challenge>(200, &body)
                        .and_then(|c| self.signer.login(&c.challenge, now));
                    match login {
                        Ok(req) => self.then(Stage::Login, req),
                        Err(e) => return Action::Done(Err(e)),
                    }
                }
                (Stage::Challenge, Err(e)) => return Action::Done(Err(e)),
                (Stage::Login, r) => {
                    return Action::Done(r.and_then(|body| requests::parse(200, &body)))
                }
            }
        }
    }

    fn on_response(&mut self, status: u16, body: String, retry_after: Option<u64>, _: Timestamp) {
        self.call.on_response(status, body, retry_after);
    }

    fn on_failure(&mut self, error: GeoError) {
        self.call.on_failure(error);
    }

    fn on_renewed(&mut self, result: GeoResult<()>) {
        self.call.on_renewed(result);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use geo_protocol::Identity;

    use super::*;
    use crate::requests::Method;

    const CHALLENGE: &str = "Y2hhbGxlbmdlLWZvci10aGUtcmVuZXdhbC10ZXN0LTQ";

    fn signer() -> Signer {
        let hub = Identity::from_seed(&[3; 32]);
        Signer::new(Arc::new(Identity::from_seed(&[1; 32])), hub.pid(), 60)
    }

    fn now() -> Timestamp {
        Timestamp::parse("2026-11-24T10:00:00Z").unwrap()
    }

    fn tokens(access: &str) -> String {
        let me = Identity::from_seed(&[1; 32]);
        let t = Tokens {
            access_token: access.into(),
            refresh_token: "r2".into(),
            token_type: "Bearer".into(),
            expires_in: 900,
            refresh_expires_in: 86_400,
            participant: crate::types::Participant {
                pid: me.pid(),
                public_key: "k".into(),
                display_name: "A".into(),
                kind: geo_protocol::ParticipantKind::Person,
                profile: Default::default(),
                status: geo_api::ParticipantStatus::Active,
                created_at: "2026-01-01T00:00:00Z".into(),
                updated_at: "2026-01-01T00:00:00Z".into(),
            },
        };
        serde_json::to_string(&t).unwrap()
    }

    fn sent(r: &mut Renewal) -> requests::ApiRequest {
        match r.next_action(now()) {
            Action::Send(req) => req,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_refresh_token_the_hub_takes_is_all_it_needs() {
        let mut r = Renewal::new(signer(), Some("r1"), Backoff::default(), Jitter::none());
        let req = sent(&mut r);
        assert_eq!(
            (req.method, req.path.as_str()),
            (Method::Post, "/auth/refresh")
        );
        assert!(req.body.unwrap().contains("r1"));
        r.on_response(200, tokens("a2"), None, now());
        match r.next_action(now()) {
            Action::Done(Ok(t)) => assert_eq!(t.access_token, "a2"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_refused_refresh_token_falls_back_to_a_signed_login() {
        let mut r = Renewal::new(signer(), Some("old"), Backoff::default(), Jitter::none());
        sent(&mut r);
        r.on_response(401, r#"{"code":"E_UNAUTHORIZED"}"#.into(), None, now());
        let challenge = sent(&mut r);
        assert_eq!(challenge.path, "/auth/challenge");
        r.on_response(
            200,
            format!(r#"{{"challenge":"{}","expires_at":1}}"#, CHALLENGE),
            None,
            now(),
        );
        let login = sent(&mut r);
        assert_eq!(login.path, "/auth/login");
        let body = login.body.unwrap();
        assert!(
            body.contains(CHALLENGE) && body.contains(r#""type":"login""#),
            "{body}"
        );
        r.on_response(200, tokens("a3"), None, now());
        assert!(matches!(r.next_action(now()), Action::Done(Ok(t)) if t.access_token == "a3"));
    }

    #[test]
    fn a_hub_that_cannot_answer_now_ends_the_renewal_without_logging_in() {
        let b = Backoff {
            attempts: 2,
            ..Backoff::default()
        };
        let mut r = Renewal::new(signer(), Some("r1"), b, Jitter::none());
        sent(&mut r);
        r.on_response(503, r#"{"code":"E_UNAVAILABLE"}"#.into(), Some(1), now());
        assert_eq!(r.next_action(now()), Action::Wait(1_000));
        let again = sent(&mut r);
        assert_eq!(again.path, "/auth/refresh", "the same request again");
        r.on_failure(GeoError::Transport {
            message: "reset".into(),
        });
        match r.next_action(now()) {
            Action::Done(Err(e)) => assert!(e.is_retryable(), "{e}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_refused_login_is_the_answer() {
        let mut r = Renewal::login(signer(), Backoff::default(), Jitter::none());
        assert_eq!(sent(&mut r).path, "/auth/challenge");
        r.on_response(
            404,
            r#"{"code":"E_UNKNOWN_PARTICIPANT"}"#.into(),
            None,
            now(),
        );
        match r.next_action(now()) {
            Action::Done(Err(e)) => assert_eq!(e.code(), "E_UNKNOWN_PARTICIPANT"),
            other => panic!("{other:?}"),
        }
    }
}
