//! The SDK's one error type, with the stable machine code every binding shows.

use geo_protocol::{EnvelopeError, ErrorCode};
use serde_json::Value;

/// A hub error code: one of the catalogue, or the raw text of a code this SDK does not know yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubCode {
    /// A code of the protocol's catalogue (`spec/protocol.md` §9).
    Known(ErrorCode),
    /// A code newer than this SDK, kept as sent.
    Unknown(String),
}

impl HubCode {
    /// Parses code text.
    pub fn parse(text: &str) -> HubCode {
        ErrorCode::parse(text).map_or_else(|| HubCode::Unknown(text.to_owned()), HubCode::Known)
    }

    /// The code text, e.g. `E_INSUFFICIENT_CAPACITY`.
    pub fn as_str(&self) -> &str {
        match self {
            HubCode::Known(c) => c.as_str(),
            HubCode::Unknown(s) => s,
        }
    }
}

impl std::fmt::Display for HubCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong in the SDK. Owned data only, so bindings can carry it across FFI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GeoError {
    /// The hub refused with an RFC 9457 problem document.
    #[error("{code}: {detail} (HTTP {status})")]
    Hub {
        /// HTTP status.
        status: u16,
        /// Stable machine code.
        code: HubCode,
        /// Short human title.
        title: String,
        /// Human explanation.
        detail: String,
        /// The whole problem document as JSON text (extension members such as `max_amount`).
        problem: String,
    },
    /// The hub could not be reached or the connection broke.
    #[error("transport: {message}")]
    Transport {
        /// What happened.
        message: String,
    },
    /// No answer in time; for payments, read the outcome back by `tx_id`.
    #[error("timed out: {message}")]
    Timeout {
        /// What timed out.
        message: String,
    },
    /// The hub answered with data the SDK cannot accept.
    #[error("invalid response from the hub: {message}")]
    InvalidResponse {
        /// What is wrong with it.
        message: String,
    },
    /// Something the hub signed does not verify against its published key, or does not say what the
    /// hub's answer claims.
    #[error("invalid hub signature: {message}")]
    InvalidSignature {
        /// What failed.
        message: String,
    },
    /// The hub is not who it claims to be, or speaks another protocol.
    #[error("protocol: {message}")]
    Protocol {
        /// What is wrong.
        message: String,
    },
    /// An argument is invalid (checked locally before anything is sent).
    #[error("{code}: {message}")]
    Validation {
        /// The protocol code the hub would answer with (e.g. `E_INVALID_AMOUNT`).
        code: String,
        /// What is wrong.
        message: String,
    },
    /// The key file's password is wrong.
    #[error("wrong password for the key file")]
    WrongPassword,
    /// The key file was modified or corrupted after it was written.
    #[error("key file tampered or corrupted: {message}")]
    KeyFileTampered {
        /// What does not check out.
        message: String,
    },
    /// Reading or writing a file failed, or a file is not a key file.
    #[error("storage: {message}")]
    Storage {
        /// What failed.
        message: String,
    },
    /// A cryptographic primitive failed (key derivation, random source).
    #[error("crypto: {message}")]
    Crypto {
        /// What failed.
        message: String,
    },
}

impl GeoError {
    /// The stable machine code: the hub's code for hub errors, an `E_…` code of the SDK otherwise.
    pub fn code(&self) -> String {
        match self {
            GeoError::Hub { code, .. } => code.as_str().to_owned(),
            GeoError::Transport { .. } => "E_TRANSPORT".into(),
            GeoError::Timeout { .. } => "E_TIMEOUT".into(),
            GeoError::InvalidResponse { .. } => "E_INVALID_RESPONSE".into(),
            GeoError::InvalidSignature { .. } => "E_INVALID_SIGNATURE".into(),
            GeoError::Protocol { .. } => "E_PROTOCOL".into(),
            GeoError::Validation { code, .. } => code.clone(),
            GeoError::WrongPassword => "E_WRONG_PASSWORD".into(),
            GeoError::KeyFileTampered { .. } => "E_KEY_FILE_TAMPERED".into(),
            GeoError::Storage { .. } => "E_STORAGE".into(),
            GeoError::Crypto { .. } => "E_CRYPTO".into(),
        }
    }

    /// Whether sending the same request again later may succeed (network trouble, overload, rate
    /// limits, hub time-outs). Signed requests are safe to resend: the hub deduplicates them.
    pub fn is_retryable(&self) -> bool {
        match self {
            GeoError::Transport { .. } | GeoError::Timeout { .. } => true,
            GeoError::Hub { status, code, .. } => {
                matches!(status, 429 | 502 | 503 | 504)
                    || matches!(
                        code,
                        HubCode::Known(
                            ErrorCode::Unavailable | ErrorCode::RateLimited | ErrorCode::Timeout
                        )
                    )
            }
            _ => false,
        }
    }

    /// The hub's code, when this is a hub refusal with a catalogue code.
    pub fn hub_code(&self) -> Option<ErrorCode> {
        match self {
            GeoError::Hub {
                code: HubCode::Known(c),
                ..
            } => Some(*c),
            _ => None,
        }
    }

    /// An extension member of the hub's problem document (e.g. `max_amount`), when present.
    pub fn problem_member(&self, name: &str) -> Option<Value> {
        match self {
            GeoError::Hub { problem, .. } => serde_json::from_str::<Value>(problem)
                .ok()
                .and_then(|v| v.get(name).cloned()),
            _ => None,
        }
    }

    /// Builds the error for a non-success HTTP answer: its problem document when it is one, an
    /// [`GeoError::InvalidResponse`] otherwise.
    pub fn from_problem(status: u16, body: &str) -> GeoError {
        let parsed: Option<Value> = serde_json::from_str(body).ok();
        let code = parsed
            .as_ref()
            .and_then(|v| v.get("code"))
            .and_then(Value::as_str);
        match (parsed.as_ref(), code) {
            (Some(v), Some(code)) => {
                let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                GeoError::Hub {
                    status,
                    code: HubCode::parse(code),
                    title: text("title"),
                    detail: text("detail"),
                    problem: body.to_owned(),
                }
            }
            _ if matches!(status, 502..=504) => GeoError::Hub {
                status,
                code: HubCode::Known(if status == 504 {
                    ErrorCode::Timeout
                } else {
                    ErrorCode::Unavailable
                }),
                title: "Gateway error".into(),
                detail: format!("HTTP {status} without a problem document"),
                problem: String::new(),
            },
            _ => GeoError::InvalidResponse {
                message: format!(
                    "HTTP {status} without a problem document: {}",
                    truncate(body, 200)
                ),
            },
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> GeoError {
        GeoError::InvalidResponse {
            message: message.into(),
        }
    }

    pub(crate) fn validation(code: ErrorCode, message: impl Into<String>) -> GeoError {
        GeoError::Validation {
            code: code.as_str().into(),
            message: message.into(),
        }
    }
}

impl From<EnvelopeError> for GeoError {
    fn from(e: EnvelopeError) -> Self {
        GeoError::Validation {
            code: e.code().as_str().into(),
            message: e.to_string(),
        }
    }
}

impl From<geo_protocol::AmountError> for GeoError {
    fn from(e: geo_protocol::AmountError) -> Self {
        GeoError::validation(e.code(), e.to_string())
    }
}

impl From<geo_protocol::IdError> for GeoError {
    fn from(e: geo_protocol::IdError) -> Self {
        GeoError::validation(e.code(), e.to_string())
    }
}

impl From<geo_protocol::IdentityError> for GeoError {
    fn from(e: geo_protocol::IdentityError) -> Self {
        GeoError::validation(e.code(), e.to_string())
    }
}

pub(crate) fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The SDK's result type.
pub type GeoResult<T> = Result<T, GeoError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_documents_become_typed_hub_errors() {
        let body = r#"{"type":"urn:geo:error:E_INSUFFICIENT_CAPACITY","title":"Insufficient capacity","status":422,"code":"E_INSUFFICIENT_CAPACITY","detail":"no route","max_amount":"5.00"}"#;
        let e = GeoError::from_problem(422, body);
        assert_eq!(e.code(), "E_INSUFFICIENT_CAPACITY");
        assert_eq!(e.hub_code(), Some(ErrorCode::InsufficientCapacity));
        assert_eq!(e.problem_member("max_amount"), Some(Value::from("5.00")));
        assert!(!e.is_retryable());
    }

    #[test]
    fn unknown_codes_are_kept_as_text() {
        let e = GeoError::from_problem(418, r#"{"code":"E_TEAPOT","detail":"short and stout"}"#);
        assert_eq!(e.code(), "E_TEAPOT");
        assert_eq!(e.hub_code(), None);
    }

    #[test]
    fn non_problem_answers_are_invalid_responses_except_gateway_errors() {
        let e = GeoError::from_problem(500, "<html>oops</html>");
        assert!(matches!(e, GeoError::InvalidResponse { .. }), "{e:?}");
        let e = GeoError::from_problem(503, "");
        assert!(e.is_retryable());
        assert_eq!(e.code(), "E_UNAVAILABLE");
    }

    #[test]
    fn retryable_statuses() {
        let rate = GeoError::from_problem(429, r#"{"code":"E_RATE_LIMITED","detail":"slow"}"#);
        assert!(rate.is_retryable());
        let replay = GeoError::from_problem(409, r#"{"code":"E_REPLAYED","detail":"x"}"#);
        assert!(!replay.is_retryable());
        assert!(GeoError::Transport {
            message: "reset".into()
        }
        .is_retryable());
        assert!(!GeoError::WrongPassword.is_retryable());
    }
}
