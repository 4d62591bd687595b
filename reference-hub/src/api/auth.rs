//! Who is calling: login challenges and access tokens, kept in memory (a restart only forces a
//! refresh; refresh tokens are stored, `handlers::refresh`).

use std::collections::HashMap;
use std::sync::Mutex;

use geo_protocol::{Digest, ErrorCode, Pid};

use super::problem::HubError;
use crate::writer::now;

/// Random bytes as base64url text.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine as _;
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf).expect("the platform random source works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Login challenges and access tokens (in memory: a restart only forces a refresh).
#[derive(Default)]
pub struct Sessions {
    challenges: Mutex<HashMap<String, (Pid, i64)>>,
    access: Mutex<HashMap<Digest, (Pid, i64)>>,
}

impl Sessions {
    /// Issues a single-use challenge for `pid`.
    pub fn challenge(&self, pid: Pid, ttl: i64) -> (String, i64) {
        let challenge = random_token(32);
        let exp = now().unix() + ttl;
        let mut c = self.challenges.lock().expect("lock");
        let t = now().unix();
        c.retain(|_, (_, e)| *e >= t);
        c.insert(challenge.clone(), (pid, exp));
        (challenge, exp)
    }

    /// Consumes a challenge; it must be live and bound to `pid`.
    pub fn consume_challenge(&self, challenge: &str, pid: &Pid) -> Result<(), HubError> {
        let mut c = self.challenges.lock().expect("lock");
        let invalid = || {
            HubError::new(
                ErrorCode::ChallengeInvalid,
                "the challenge is unknown, expired, used, or for another participant",
            )
        };
        match c.get(challenge) {
            Some((owner, exp)) if owner == pid && *exp >= now().unix() => {
                c.remove(challenge);
                Ok(())
            }
            _ => Err(invalid()),
        }
    }

    /// Issues an access token.
    pub fn issue_access(&self, pid: Pid, ttl: i64) -> String {
        let token = random_token(32);
        let mut a = self.access.lock().expect("lock");
        let t = now().unix();
        if a.len() > 100_000 {
            a.retain(|_, (_, e)| *e >= t);
        }
        a.insert(Digest::of(token.as_bytes()), (pid, t + ttl));
        token
    }

    /// The participant an access token belongs to.
    pub fn access(&self, token: &str) -> Result<Pid, HubError> {
        let a = self.access.lock().expect("lock");
        match a.get(&Digest::of(token.as_bytes())) {
            Some((pid, exp)) if *exp >= now().unix() => Ok(pid.clone()),
            Some(_) => Err(HubError::new(
                ErrorCode::TokenExpired,
                "the access token has expired; refresh it",
            )),
            None => Err(HubError::new(
                ErrorCode::Unauthorized,
                "unknown access token",
            )),
        }
    }
}
