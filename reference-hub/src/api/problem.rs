//! The API's one error type: a stable code, a human detail, and extension members, answered as an
//! RFC 9457 `application/problem+json` document. The engine's refusals ([`EngineError`]) become
//! problems here and nowhere else.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use geo_protocol::{EnvelopeError, ErrorCode};
use serde_json::{Map, Value};

use crate::engine::EngineError;

/// A refusal or failure with a stable code.
#[derive(Debug, Clone, PartialEq)]
pub struct HubError {
    /// The stable machine code.
    pub code: ErrorCode,
    /// What happened, for people.
    pub detail: String,
    /// Extra members of the problem document (e.g. `receipt`, `max_amount`).
    pub extensions: Map<String, Value>,
}

impl HubError {
    /// An error with a code and a detail.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        HubError {
            code,
            detail: detail.into(),
            extensions: Map::new(),
        }
    }

    /// Adds an extension member.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extensions.insert(key.to_owned(), value.into());
        self
    }

    /// Shorthand for `E_NOT_FOUND`.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, what)
    }

    /// Shorthand for `E_INTERNAL` (the detail is logged, not returned).
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(ErrorCode::Internal, "internal error")
    }

    /// A storage failure: `E_UNAVAILABLE` (send again shortly) while the database is unreachable,
    /// restarting or full; `E_INTERNAL` for anything else (the detail is logged, not returned).
    /// Counted in `geo_storage_failures_total` by its kind's code.
    pub fn storage(e: crate::storage::StorageError) -> Self {
        let kind = e.kind();
        metrics::counter!("geo_storage_failures_total", "kind" => kind.code()).increment(1);
        if kind.is_transient() {
            tracing::warn!(error = %e, kind = kind.code(), "storage unavailable");
            Self::new(
                ErrorCode::Unavailable,
                "the hub's database is unavailable; send the same request again shortly",
            )
        } else {
            tracing::error!(error = %e, kind = kind.code(), "storage failed");
            Self::new(ErrorCode::Internal, "internal error")
        }
    }

    /// The problem document.
    pub fn to_problem(&self) -> geo_api::Problem {
        geo_api::Problem::new(self.code, self.detail.clone(), self.extensions.clone())
    }
}

impl std::fmt::Display for HubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

impl std::error::Error for HubError {}

impl From<EnvelopeError> for HubError {
    fn from(e: EnvelopeError) -> Self {
        let mut err = HubError::new(e.code(), e.to_string());
        if let EnvelopeError::Payload(v) = &e {
            err = err.with("field", v.field.clone());
        }
        err
    }
}

impl From<EngineError> for HubError {
    fn from(e: EngineError) -> Self {
        if let EngineError::Internal(detail) = &e {
            return HubError::internal(detail);
        }
        let mut err = HubError::new(e.code(), e.to_string());
        for (member, value) in e.facts() {
            err = err.with(member, value);
        }
        err
    }
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self.to_problem()).expect("problem documents serialise");
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        // For the access log (`api::observe`): one line per refusal, with its code.
        resp.extensions_mut().insert(self.code);
        if matches!(self.code, ErrorCode::RateLimited | ErrorCode::Unavailable) {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        resp
    }
}

/// Result alias for handlers.
pub type HubResult<T> = Result<T, HubError>;
