//! The bindings' one error type: `GeoException` in Kotlin, `GeoError` in Swift and Python.

/// Everything that can go wrong, one variant per kind of [`geo_client::GeoError`]. Every variant
/// carries the stable machine `code` (`E_INSUFFICIENT_CAPACITY`, `E_INVALID_AMOUNT`, …), a human
/// `detail`, and `is_retryable` (sending the same request again later may succeed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum GeoError {
    /// The hub refused with a problem document (HTTP `status`; `problem` is the whole document).
    #[error("{code}: {detail} (HTTP {status})")]
    Hub {
        /// Stable machine code.
        code: String,
        /// Human explanation.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
        /// HTTP status.
        status: u16,
        /// Short human title.
        title: String,
        /// The RFC 9457 problem document as JSON text (extension members such as `max_amount`).
        problem: String,
    },
    /// The hub could not be reached or the connection broke (`E_TRANSPORT`).
    #[error("{code}: {detail}")]
    Transport {
        /// Stable machine code.
        code: String,
        /// What happened.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// No answer in time (`E_TIMEOUT`); for payments, read the outcome back by tx id.
    #[error("{code}: {detail}")]
    Timeout {
        /// Stable machine code.
        code: String,
        /// What timed out.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// The hub answered with data the SDK cannot accept (`E_INVALID_RESPONSE`).
    #[error("{code}: {detail}")]
    InvalidResponse {
        /// Stable machine code.
        code: String,
        /// What is wrong.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// A signature does not verify (`E_INVALID_SIGNATURE`).
    #[error("{code}: {detail}")]
    InvalidSignature {
        /// Stable machine code.
        code: String,
        /// What failed.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// The hub is not who it claims to be, or speaks another protocol (`E_PROTOCOL`).
    #[error("{code}: {detail}")]
    Protocol {
        /// Stable machine code.
        code: String,
        /// What is wrong.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// An argument is invalid, checked locally before anything is sent (`E_INVALID_AMOUNT`,
    /// `E_VALIDATION`, …: the code the hub would answer with).
    #[error("{code}: {detail}")]
    Validation {
        /// Stable machine code.
        code: String,
        /// What is wrong.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// The key file's password is wrong (`E_WRONG_PASSWORD`).
    #[error("{code}: {detail}")]
    WrongPassword {
        /// Stable machine code.
        code: String,
        /// What failed.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// The key file was modified or corrupted (`E_KEY_FILE_TAMPERED`).
    #[error("{code}: {detail}")]
    KeyFileTampered {
        /// Stable machine code.
        code: String,
        /// What does not check out.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// Reading or writing a file failed, or a text is not a key file (`E_STORAGE`).
    #[error("{code}: {detail}")]
    Storage {
        /// Stable machine code.
        code: String,
        /// What failed.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
    /// A cryptographic primitive failed (`E_CRYPTO`).
    #[error("{code}: {detail}")]
    Crypto {
        /// Stable machine code.
        code: String,
        /// What failed.
        detail: String,
        /// Whether resending may succeed.
        is_retryable: bool,
    },
}

impl GeoError {
    /// The stable machine code.
    pub fn code(&self) -> &str {
        match self {
            GeoError::Hub { code, .. }
            | GeoError::Transport { code, .. }
            | GeoError::Timeout { code, .. }
            | GeoError::InvalidResponse { code, .. }
            | GeoError::InvalidSignature { code, .. }
            | GeoError::Protocol { code, .. }
            | GeoError::Validation { code, .. }
            | GeoError::WrongPassword { code, .. }
            | GeoError::KeyFileTampered { code, .. }
            | GeoError::Storage { code, .. }
            | GeoError::Crypto { code, .. } => code,
        }
    }

    /// A local validation error (bad text across the boundary).
    pub(crate) fn validation(code: geo_protocol::ErrorCode, detail: impl Into<String>) -> Self {
        geo_client::GeoError::Validation {
            code: code.as_str().into(),
            message: detail.into(),
        }
        .into()
    }

    /// An answer of the hub that does not fit the bindings' types.
    pub(crate) fn invalid_response(detail: impl Into<String>) -> Self {
        geo_client::GeoError::InvalidResponse {
            message: detail.into(),
        }
        .into()
    }
}

impl From<geo_client::GeoError> for GeoError {
    fn from(e: geo_client::GeoError) -> Self {
        use geo_client::GeoError as S;
        let code = e.code();
        let is_retryable = e.is_retryable();
        let detail = e.to_string();
        match e {
            S::Hub {
                status,
                title,
                detail,
                problem,
                ..
            } => GeoError::Hub {
                code,
                detail,
                is_retryable,
                status,
                title,
                problem,
            },
            S::Transport { .. } => GeoError::Transport {
                code,
                detail,
                is_retryable,
            },
            S::Timeout { .. } => GeoError::Timeout {
                code,
                detail,
                is_retryable,
            },
            S::InvalidResponse { .. } => GeoError::InvalidResponse {
                code,
                detail,
                is_retryable,
            },
            S::InvalidSignature { .. } => GeoError::InvalidSignature {
                code,
                detail,
                is_retryable,
            },
            S::Validation { message, .. } => GeoError::Validation {
                code,
                detail: message,
                is_retryable,
            },
            S::WrongPassword => GeoError::WrongPassword {
                code,
                detail,
                is_retryable,
            },
            S::KeyFileTampered { .. } => GeoError::KeyFileTampered {
                code,
                detail,
                is_retryable,
            },
            S::Storage { .. } => GeoError::Storage {
                code,
                detail,
                is_retryable,
            },
            S::Crypto { .. } => GeoError::Crypto {
                code,
                detail,
                is_retryable,
            },
            // `Protocol`, and any kind a newer SDK adds (the enum is non-exhaustive): the SDK's own
            // code and retry advice are kept, so nothing is lost until a variant is added here.
            _ => GeoError::Protocol {
                code,
                detail,
                is_retryable,
            },
        }
    }
}

impl From<geo_protocol::AmountError> for GeoError {
    fn from(e: geo_protocol::AmountError) -> Self {
        geo_client::GeoError::from(e).into()
    }
}

impl From<geo_protocol::IdError> for GeoError {
    fn from(e: geo_protocol::IdError) -> Self {
        geo_client::GeoError::from(e).into()
    }
}

impl From<geo_protocol::IdentityError> for GeoError {
    fn from(e: geo_protocol::IdentityError) -> Self {
        geo_client::GeoError::from(e).into()
    }
}

impl From<geo_protocol::EnvelopeError> for GeoError {
    fn from(e: geo_protocol::EnvelopeError) -> Self {
        geo_client::GeoError::from(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_refusals_keep_code_status_and_retry_advice() {
        let e: GeoError = geo_client::GeoError::from_problem(
            422,
            r#"{"code":"E_INSUFFICIENT_CAPACITY","title":"Insufficient capacity","detail":"no route","max_amount":"5.00"}"#,
        )
        .into();
        assert_eq!(e.code(), "E_INSUFFICIENT_CAPACITY");
        match e {
            GeoError::Hub {
                status,
                is_retryable,
                problem,
                ..
            } => {
                assert_eq!(status, 422);
                assert!(!is_retryable);
                assert!(problem.contains("max_amount"));
            }
            other => panic!("{other:?}"),
        }
        let busy: GeoError =
            geo_client::GeoError::from_problem(429, r#"{"code":"E_RATE_LIMITED","detail":"x"}"#)
                .into();
        assert!(matches!(
            busy,
            GeoError::Hub {
                is_retryable: true,
                ..
            }
        ));
    }

    #[test]
    fn every_sdk_kind_has_its_own_variant_and_code() {
        let cases = [
            (
                geo_client::GeoError::Transport {
                    message: "reset".into(),
                },
                "E_TRANSPORT",
            ),
            (
                geo_client::GeoError::Timeout {
                    message: "slow".into(),
                },
                "E_TIMEOUT",
            ),
            (geo_client::GeoError::WrongPassword, "E_WRONG_PASSWORD"),
            (
                geo_client::GeoError::Protocol {
                    message: "geo/2".into(),
                },
                "E_PROTOCOL",
            ),
        ];
        for (sdk, code) in cases {
            let retry = sdk.is_retryable();
            let e = GeoError::from(sdk);
            assert_eq!(e.code(), code);
            let is_retryable = match &e {
                GeoError::Transport { is_retryable, .. }
                | GeoError::Timeout { is_retryable, .. }
                | GeoError::WrongPassword { is_retryable, .. }
                | GeoError::Protocol { is_retryable, .. } => *is_retryable,
                other => panic!("wrong variant {other:?}"),
            };
            assert_eq!(is_retryable, retry);
        }
    }
}
