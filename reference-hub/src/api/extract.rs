//! Request extractors that answer every bad input with a typed problem document.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use geo_protocol::{EnvelopeError, ErrorCode, Message, Pid, SignedMessage, VerifyPolicy};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::api::problem::HubError;
use crate::writer::now;

/// Reads a JSON body up to the configured limit. Any other media type is refused before the body is
/// read: a page on another site can send `text/plain` or a form across origins without asking, never
/// `application/json`. The bytes are kept as received ([`utf8`] reads them as text without a copy).
async fn body_bytes(req: Request, state: &AppState) -> Result<axum::body::Bytes, HubError> {
    let media_type = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("?"))
        .unwrap_or_default();
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(HubError::new(
            ErrorCode::UnsupportedMediaType,
            format!("bodies are application/json, not {media_type:?}"),
        ));
    }
    let limit = state.settings.max_body_bytes;
    let bytes = axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| {
            HubError::new(
                ErrorCode::PayloadTooLarge,
                format!("request bodies are limited to {limit} bytes"),
            )
            .with("max_bytes", limit as u64)
        })?;
    Ok(bytes)
}

/// A body's text.
fn utf8(bytes: &[u8]) -> Result<&str, HubError> {
    std::str::from_utf8(bytes)
        .map_err(|_| HubError::new(ErrorCode::Malformed, "the body is not UTF-8"))
}

/// A participant-signed message, decoded strictly and fully verified (signature, audience, window).
/// Replay is checked by the writer, which remembers nonces durably.
pub struct Signed<P>(pub SignedMessage<P>);

impl<P: Message + Send> FromRequest<AppState> for Signed<P> {
    type Rejection = HubError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, HubError> {
        let body = body_bytes(req, state).await?;
        verified(state, utf8(&body)?).map(Signed)
    }
}

/// A participant-signed message's wire text decoded strictly and fully verified (signature,
/// audience, window); replay is the writer's to check.
pub fn verified<P: Message>(state: &AppState, text: &str) -> Result<SignedMessage<P>, HubError> {
    let msg = SignedMessage::<P>::from_json(text)?;
    // §5.4 step 5: registration is self-signed with the key it carries; any other signer must
    // be registered (else `E_UNKNOWN_PARTICIPANT`).
    let key = match msg.payload().self_key() {
        Some(k) => *k,
        None => state
            .key_of(msg.signer())
            .ok_or_else(|| EnvelopeError::UnknownSigner(msg.signer().clone()))?,
    };
    let mut policy = VerifyPolicy::new(now(), Some(state.hub.pid()));
    policy.max_validity_seconds = state.settings.max_validity_seconds;
    policy.max_clock_skew_seconds = state.settings.max_clock_skew_seconds;
    let verified = msg.verify(&key, &policy);
    #[cfg(feature = "fault-injection")]
    let verified = state.settings.faults.verified(verified);
    verified?;
    Ok(msg)
}

/// A plain JSON body (unsigned requests such as challenges and refresh).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for JsonBody<T> {
    type Rejection = HubError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, HubError> {
        let body = body_bytes(req, state).await?;
        let value: serde_json::Value = serde_json::from_str(utf8(&body)?)
            .map_err(|e| HubError::new(ErrorCode::Malformed, format!("malformed JSON: {e}")))?;
        serde_json::from_value(value)
            .map(JsonBody)
            .map_err(|e| HubError::new(ErrorCode::Validation, e.to_string()))
    }
}

/// A JSON body decoded straight from its text, so it may keep parts as received (signed messages
/// inside it stay byte for byte what their signers sent). Syntax errors are `E_MALFORMED`, a
/// document of the wrong shape `E_VALIDATION`.
pub struct JsonText<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for JsonText<T> {
    type Rejection = HubError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, HubError> {
        let body = body_bytes(req, state).await?;
        serde_json::from_str(utf8(&body)?)
            .map(JsonText)
            .map_err(|e| match e.classify() {
                serde_json::error::Category::Data => {
                    HubError::new(ErrorCode::Validation, e.to_string())
                }
                _ => HubError::new(ErrorCode::Malformed, format!("malformed JSON: {e}")),
            })
    }
}

/// Path parameters with typed errors (a parameter that is not UTF-8 is `E_MALFORMED`).
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = HubError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, HubError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|e| {
                HubError::new(
                    ErrorCode::Malformed,
                    format!("invalid path parameter: {}", e.body_text()),
                )
            })
    }
}

/// Query parameters with typed errors.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = HubError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HubError> {
        let q = parts.uri.query().unwrap_or_default();
        serde_urlencoded_like(q).map(Query)
    }
}

fn serde_urlencoded_like<T: DeserializeOwned>(q: &str) -> Result<T, HubError> {
    axum::extract::Query::<T>::try_from_uri(&format!("/?{q}").parse().expect("valid uri"))
        .map(|axum::extract::Query(v)| v)
        .map_err(|e| {
            HubError::new(
                ErrorCode::Validation,
                format!("invalid query: {}", e.body_text()),
            )
        })
}

/// The authenticated participant (bearer access token).
pub struct Auth(pub Pid);

/// The token a request presents: `Authorization: Bearer …`, or for WebSockets the subprotocol pair
/// `bearer, <token>` (browsers cannot set headers on WebSockets; tokens in URLs would leak into logs).
pub fn presented_token(headers: &axum::http::HeaderMap) -> Option<String> {
    if let Some(h) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return h.strip_prefix("Bearer ").map(|t| t.trim().to_owned());
    }
    let protocols = headers
        .get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)?
        .to_str()
        .ok()?;
    let mut it = protocols.split(',').map(str::trim);
    while let Some(p) = it.next() {
        if p == "bearer" {
            return it.next().map(str::to_owned);
        }
    }
    None
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = HubError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HubError> {
        let token = presented_token(&parts.headers).ok_or_else(|| {
            HubError::new(ErrorCode::Unauthorized, "a bearer access token is required")
        })?;
        state.sessions.access(&token).map(Auth)
    }
}

/// The operator (`X-Admin-Token` header). No token and a wrong one are both `E_UNAUTHORIZED`
/// (401: the credentials are missing or not valid), told apart by the detail; the access log
/// (`api::observe`) records both, never the token.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = HubError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HubError> {
        let given = parts
            .headers
            .get("x-admin-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let refused = |code: ErrorCode, detail: &str| Err(HubError::new(code, detail.to_owned()));
        if given.is_empty() {
            refused(
                ErrorCode::Unauthorized,
                "operator token required (X-Admin-Token)",
            )
        } else if constant_time_eq(
            given.as_bytes(),
            state.admin_token.read().expect("token lock").as_bytes(),
        ) {
            Ok(Admin)
        } else {
            refused(
                ErrorCode::Unauthorized,
                "wrong operator token (X-Admin-Token)",
            )
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks that a signed message is the caller's own.
pub fn same_signer<P: Message>(auth: &Auth, msg: &SignedMessage<P>) -> Result<(), HubError> {
    if msg.signer() != &auth.0 {
        return Err(HubError::new(
            ErrorCode::WrongSigner,
            "the message is signed by another participant than the caller",
        ));
    }
    Ok(())
}
