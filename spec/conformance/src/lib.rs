//! The GEO conformance suite: scenarios as data (`scenarios/*.json`, embedded here) and a runner that
//! checks any hub over its public HTTP and WebSocket API, reporting pass, fail or skip per scenario
//! with the spec sections it checks.
//!
//! ```no_run
//! # async fn demo() -> Result<(), String> {
//! use geo_conformance::{embedded_scenarios, run, Level, RunConfig};
//! let report = run(
//!     &RunConfig {
//!         hub: "http://127.0.0.1:8080".into(),
//!         operator_token: None,
//!         filter: None,
//!         level: Level::Full,
//!         jobs: 8,
//!         peer: None,
//!     },
//!     &embedded_scenarios().map_err(|e| e.to_string())?,
//! )
//! .await?;
//! println!("{}", geo_conformance::report::table(&report));
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod expect;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod signing;
mod steps;

pub use runner::{run, Outcome, PeerHub, Report, RunConfig, ScenarioResult};
pub use scenario::{Level, Scenario, ScenarioError};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use embedded::EMBEDDED;

/// Error codes of the catalogue (§9) that no client can provoke from outside on a healthy hub, with
/// the reason; every other code is expected by at least one scenario (checked by a test).
pub const UNREACHABLE_CODES: &[(&str, &str)] = &[
    (
        "E_RATE_LIMITED",
        "depends on the hub's configured request budget; a suite that provoked it would throttle its own parallel scenarios",
    ),
    ("E_TIMEOUT", "needs a request the hub cannot finish in time; nothing a client sends guarantees that"),
    ("E_UNAVAILABLE", "only while the hub starts, stops or is overloaded"),
    (
        "E_URI_TOO_LONG",
        "a request target over the hub's own limit; the runner's HTTP client refuses to send one that long",
    ),
    (
        "E_HEADERS_TOO_LARGE",
        "a header section over the hub's own limit, which the hub does not announce",
    ),
    ("E_INTERNAL", "an unexpected hub failure; a conforming hub has none to show"),
    // federation.md §9: hub-to-hub codes, which a member's requests to one hub cannot provoke;
    // their rules are pinned by vectors/federation.json.
    ("E_CONDITION_MISMATCH", "a hub-to-hub fulfilment or prepare (federation.md §3); vectors/federation.json"),
    ("E_EXPIRY_TOO_SHORT", "a hub-to-hub prepare (federation.md §5); vectors/federation.json"),
    ("E_FULFILMENT_LATE", "a hub-to-hub fulfilment after the hold (federation.md §7)"),
    ("E_PEER_HUB_UNAVAILABLE", "needs a second hub that does not answer (federation.md §6)"),
];

/// The scenarios shipped with the suite.
pub fn embedded_scenarios() -> Result<Vec<Scenario>, ScenarioError> {
    EMBEDDED
        .iter()
        .map(|(name, text)| Scenario::parse(name, text))
        .collect()
}

/// The scenarios in a folder (`*.json`), to run a changed or extended suite.
pub fn scenarios_in(dir: &std::path::Path) -> Result<Vec<Scenario>, ScenarioError> {
    let err = |why: String| ScenarioError {
        file: dir.display().to_string(),
        why,
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| err(e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| err(e.to_string()))?;
            Scenario::parse(&p.file_name().unwrap_or_default().to_string_lossy(), &text)
        })
        .collect()
}
