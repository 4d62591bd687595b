//! Login with a signed challenge, and token refresh.

use geo_protocol::{ErrorCode, Login};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::participant::Participant;
use crate::routes::{schema, Access, Body, Endpoint, Method};

/// `POST /auth/challenge`.
pub const CHALLENGE: Endpoint = Endpoint {
    method: Method::Post,
    path: "/auth/challenge",
    access: Access::Public,
    summary: "Get a single-use login challenge",
    tag: "auth",
    query: None,
    body: Body::json::<ChallengeRequest>(),
    ok: 200,
    answer: Some(schema::<Challenge>),
    problems: &[ErrorCode::UnknownParticipant, ErrorCode::Validation],
};

/// `POST /auth/login`.
pub const LOGIN: Endpoint = Endpoint {
    method: Method::Post,
    path: "/auth/login",
    access: Access::Public,
    summary: "Answer the challenge with a signed `login` message",
    tag: "auth",
    query: None,
    body: Body::signed::<Login>(),
    ok: 200,
    answer: Some(schema::<Tokens>),
    problems: &[
        ErrorCode::ChallengeInvalid,
        ErrorCode::InvalidSignature,
        ErrorCode::ParticipantInactive,
    ],
};

/// `POST /auth/refresh`.
pub const REFRESH: Endpoint = Endpoint {
    method: Method::Post,
    path: "/auth/refresh",
    access: Access::Public,
    summary: "Trade a refresh token (single use) for a new pair",
    tag: "auth",
    query: None,
    body: Body::json::<RefreshRequest>(),
    ok: 200,
    answer: Some(schema::<Tokens>),
    problems: &[ErrorCode::TokenExpired],
};

/// Asks for a login challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChallengeRequest {
    /// Who will log in (PID text; checked by the hub).
    pub pid: String,
}

/// A login challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Challenge {
    /// The text to sign in a `login` message.
    pub challenge: String,
    /// Unix seconds after which it is refused.
    pub expires_at: i64,
}

/// Trades a refresh token for a new pair.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The single-use refresh token.
    pub refresh_token: String,
}

impl std::fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshRequest").finish_non_exhaustive()
    }
}

/// Tokens after login or refresh.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Tokens {
    /// Short-lived bearer token.
    pub access_token: String,
    /// Single-use token that gets a new pair.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Access token lifetime, seconds.
    pub expires_in: i64,
    /// Refresh token lifetime, seconds.
    pub refresh_expires_in: i64,
    /// Who logged in.
    pub participant: Participant,
}

/// Never prints the tokens.
impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .field("participant", &self.participant.pid)
            .finish_non_exhaustive()
    }
}
