//! What can stop a `geo` command, with a stable code and the exit status of its class, and how it
//! is reported on stderr (text, or one JSON object with `--json`).

use std::io::IsTerminal as _;

use geo_client::GeoError;
use serde_json::{json, Map, Value};

/// Exit statuses by class of failure (documented in `geo --help`).
pub mod exit {
    /// Something else failed (storage, a bad answer or signature from the hub, a declined prompt).
    pub const OTHER: u8 = 1;
    /// The command line is wrong: a bad argument, an unknown or ambiguous name, a missing `--yes`.
    pub const USAGE: u8 = 2;
    /// The hub refused the request (e.g. `E_INSUFFICIENT_CAPACITY`); nothing changed.
    pub const REFUSED: u8 = 3;
    /// The hub could not be reached, timed out or is overloaded: trying again later may work.
    pub const NETWORK: u8 = 4;
    /// The key file could not be unlocked, or the hub did not accept who we are.
    pub const AUTH: u8 = 5;
}

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// An SDK error (the hub's refusal, the network, the key file, …).
    #[error("{0}")]
    Geo(#[from] GeoError),
    /// A name matches more than one participant.
    #[error("{name:?} names {} participants: {}; use a PID or `geo contacts add`", .candidates.len(), .candidates.join(", "))]
    AmbiguousName {
        /// What was typed.
        name: String,
        /// `Name (PID)` of each match.
        candidates: Vec<String>,
    },
    /// A name matches nobody.
    #[error("nobody is called {name:?}{}", suggest(.similar))]
    UnknownName {
        /// What was typed.
        name: String,
        /// `Name (PID)` of participants whose names contain it.
        similar: Vec<String>,
    },
    /// Something must be asked, but there is no terminal to ask on.
    #[error("{0}")]
    NoTerminal(String),
    /// The person answered no, or answered wrongly.
    #[error("{0}")]
    Declined(String),
    /// A local file could not be read or written.
    #[error("{0}")]
    Storage(String),
}

fn suggest(similar: &[String]) -> String {
    if similar.is_empty() {
        " (a display name, a contact from `geo contacts`, or a PID)".into()
    } else {
        format!("; did you mean {}?", similar.join(" or "))
    }
}

impl Failure {
    /// The stable machine code.
    pub fn code(&self) -> String {
        match self {
            Failure::Geo(e) => e.code(),
            Failure::AmbiguousName { .. } => "E_AMBIGUOUS_NAME".into(),
            Failure::UnknownName { .. } => "E_UNKNOWN_NAME".into(),
            Failure::NoTerminal(_) => "E_NO_TERMINAL".into(),
            Failure::Declined(_) => "E_DECLINED".into(),
            Failure::Storage(_) => "E_STORAGE".into(),
        }
    }

    /// The human explanation, without the code (shown once, in front).
    pub fn detail(&self) -> String {
        match self {
            Failure::Geo(GeoError::Hub { detail, .. }) => detail.clone(),
            Failure::Geo(GeoError::Validation { message, .. }) => message.clone(),
            other => other.to_string(),
        }
    }

    /// The exit status of this failure's class.
    pub fn exit_status(&self) -> u8 {
        match self {
            Failure::Geo(e) => match e {
                GeoError::Validation { .. } => exit::USAGE,
                GeoError::Hub {
                    status: 401 | 403, ..
                }
                | GeoError::WrongPassword
                | GeoError::KeyFileTampered { .. } => exit::AUTH,
                e if e.is_retryable() => exit::NETWORK,
                GeoError::Hub { .. } => exit::REFUSED,
                GeoError::Transport { .. } | GeoError::Timeout { .. } => exit::NETWORK,
                _ => exit::OTHER,
            },
            Failure::AmbiguousName { .. } | Failure::UnknownName { .. } => exit::USAGE,
            Failure::NoTerminal(_) => exit::USAGE,
            Failure::Declined(_) | Failure::Storage(_) => exit::OTHER,
        }
    }

    /// The error as one JSON object: code, detail, status, retryable, and every extension member
    /// of the hub's problem document (`max_amount`, the aborted `payment` with its `receipt`, …).
    pub fn to_json(&self) -> Value {
        let mut error = Map::new();
        error.insert("code".into(), self.code().into());
        error.insert("detail".into(), self.detail().into());
        let (status, retryable) = match self {
            Failure::Geo(e @ GeoError::Hub { status, .. }) => (Some(*status), e.is_retryable()),
            Failure::Geo(e) => (None, e.is_retryable()),
            _ => (None, false),
        };
        error.insert("status".into(), json!(status));
        error.insert("retryable".into(), retryable.into());
        error.insert("exit_status".into(), self.exit_status().into());
        if let Failure::Geo(GeoError::Hub { problem, .. }) = self {
            if let Ok(Value::Object(members)) = serde_json::from_str::<Value>(problem) {
                for (k, v) in members {
                    if !["type", "title", "status", "code", "detail", "instance"]
                        .contains(&k.as_str())
                    {
                        error.entry(k).or_insert(v);
                    }
                }
            }
        }
        if let Failure::AmbiguousName { candidates, .. } = self {
            error.insert("candidates".into(), json!(candidates));
        }
        json!({ "error": error })
    }

    /// The lines a person reads: the code and detail, then what the hub's refusal carries.
    pub fn to_text(&self) -> String {
        let mut text = format!("{} {}: {}", paint("error", RED), self.code(), self.detail());
        let j = self.to_json();
        let e = &j["error"];
        if let Some(max) = e["max_amount"].as_str() {
            let eq = e["payment"]["equivalent"].as_str().unwrap_or("");
            text.push_str(&format!("\n  at most {max} {eq} can reach the payee now"));
        }
        if let Some(p) = e["payment"].as_object() {
            text.push_str(&format!(
                "\n  payment {} ({} {}) {}: nothing changed",
                p.get("tx_id").and_then(Value::as_str).unwrap_or("?"),
                p.get("amount").and_then(Value::as_str).unwrap_or("?"),
                p.get("equivalent").and_then(Value::as_str).unwrap_or(""),
                p.get("status").and_then(Value::as_str).unwrap_or("?"),
            ));
        }
        if let Some(r) = e["payment"].get("receipt").or_else(|| e.get("receipt")) {
            if r.is_object() {
                text.push_str(&format!("\n  the hub's signed receipt (verified): {r}"));
            }
        }
        text
    }
}

const RED: &str = "31";

/// Colours `text` for a terminal on stderr, unless `NO_COLOR` is set (https://no-color.org).
pub fn paint(text: &str, colour: &str) -> String {
    let wanted = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    if wanted {
        format!("\x1b[{colour}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// A command's result.
pub type Outcome<T> = Result<T, Failure>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_shown_once_and_classes_have_their_exit_status() {
        let v = Failure::Geo(GeoError::Validation {
            code: "E_VALIDATION".into(),
            message: "kind \"robot\" is not person or business".into(),
        });
        assert_eq!(v.code(), "E_VALIDATION");
        assert!(!v.detail().contains("E_VALIDATION"));
        assert_eq!(v.to_text().matches("E_VALIDATION").count(), 1);
        assert_eq!(v.exit_status(), exit::USAGE);
        let refused = Failure::Geo(GeoError::from_problem(
            422,
            r#"{"code":"E_INSUFFICIENT_CAPACITY","detail":"no route","max_amount":"5.00","payment":{"tx_id":"t","amount":"9.00","equivalent":"UAH","status":"aborted","receipt":{"signature":"s"}}}"#,
        ));
        assert_eq!(refused.exit_status(), exit::REFUSED);
        let j = refused.to_json();
        assert_eq!(j["error"]["max_amount"], "5.00");
        assert_eq!(j["error"]["payment"]["receipt"]["signature"], "s");
        let t = refused.to_text();
        assert!(t.contains("at most 5.00 UAH"), "{t}");
        assert!(t.contains("payment t (9.00 UAH) aborted"), "{t}");
        assert!(
            t.contains(r#"receipt (verified): {"signature":"s"}"#),
            "{t}"
        );
        let down = Failure::Geo(GeoError::Transport {
            message: "refused".into(),
        });
        assert_eq!(down.exit_status(), exit::NETWORK);
        assert_eq!(
            Failure::Geo(GeoError::WrongPassword).exit_status(),
            exit::AUTH
        );
    }
}
