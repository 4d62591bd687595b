//! Why an operator command failed, in classes with their own exit codes (scripts branch on them).

use geo_api::Problem;
use serde_json::json;

/// A failed operator command.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The command line is wrong (also what clap exits with).
    #[error("{0}")]
    Usage(String),
    /// The hub refused the request (a problem document other than authentication).
    #[error("{code}: {detail}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The stable `E_…` code.
        code: String,
        /// The hub's explanation.
        detail: String,
    },
    /// The hub cannot be reached.
    #[error("cannot reach the hub: {0}")]
    Network(String),
    /// No operator token, or the hub does not accept it.
    #[error("{code}: {detail}")]
    Auth {
        /// HTTP status (0 when no request was sent).
        status: u16,
        /// The stable `E_…` code.
        code: String,
        /// What to do.
        detail: String,
    },
    /// Anything else on this side (an unreadable file, an unexpected answer).
    #[error("{0}")]
    Local(String),
}

impl AdminError {
    /// Sorts a problem document: 401 and 403 are authentication, the rest a refusal.
    pub fn from_problem(p: Problem) -> AdminError {
        if p.status == 401 || p.status == 403 {
            AdminError::Auth {
                status: p.status,
                code: p.code,
                detail: p.detail,
            }
        } else {
            AdminError::Refused {
                status: p.status,
                code: p.code,
                detail: p.detail,
            }
        }
    }

    /// The process exit code: 2 usage, 3 refused, 4 network, 5 authentication, 1 anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            AdminError::Usage(_) => 2,
            AdminError::Refused { .. } => 3,
            AdminError::Network(_) => 4,
            AdminError::Auth { .. } => 5,
            AdminError::Local(_) => 1,
        }
    }

    /// The stable code shown to people and scripts.
    pub fn code(&self) -> &str {
        match self {
            AdminError::Usage(_) => "E_USAGE",
            AdminError::Refused { code, .. } | AdminError::Auth { code, .. } => code,
            AdminError::Network(_) => "E_NETWORK",
            AdminError::Local(_) => "E_LOCAL",
        }
    }

    /// The `--json` form written to standard error.
    pub fn to_json(&self) -> serde_json::Value {
        let status = match self {
            AdminError::Refused { status, .. } | AdminError::Auth { status, .. } => Some(*status),
            _ => None,
        };
        let detail = match self {
            AdminError::Refused { detail, .. } | AdminError::Auth { detail, .. } => detail.clone(),
            other => other.to_string(),
        };
        json!({ "error": {
            "code": self.code(),
            "status": status,
            "detail": detail,
            "exit_code": self.exit_code(),
        }})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_protocol::ErrorCode;

    #[test]
    fn classes_have_distinct_exit_codes() {
        let problem = |c| AdminError::from_problem(Problem::new(c, "x", Default::default()));
        let all = [
            AdminError::Usage("u".into()),
            problem(ErrorCode::NotFound),
            AdminError::Network("n".into()),
            problem(ErrorCode::Unauthorized),
            AdminError::Local("l".into()),
        ];
        let codes: Vec<u8> = all.iter().map(AdminError::exit_code).collect();
        assert_eq!(codes, vec![2, 3, 4, 5, 1]);
        assert_eq!(problem(ErrorCode::Forbidden).exit_code(), 5);
        assert_eq!(
            problem(ErrorCode::Forbidden).to_json()["error"]["code"],
            "E_FORBIDDEN"
        );
    }
}
