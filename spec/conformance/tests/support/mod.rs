//! Starts the reference hub in-process (SQLite, or a throwaway PostgreSQL cluster made with initdb)
//! and runs the suite against it through the library API.
#![allow(dead_code)]

use geo_conformance::{embedded_scenarios, run, Level, Outcome, Report, RunConfig};
use reference_hub::app::{self, RunningHub};
use reference_hub::config::Settings;
use reference_hub::faults::Faults;

pub use geo_testkit::Backend;

pub const ADMIN: &str = "conformance-operator-token";

/// A running hub and its storage, kept alive for the test.
pub struct Hub {
    pub hub: RunningHub,
    _dir: tempfile::TempDir,
}

async fn fresh_postgres_url() -> String {
    geo_testkit::fresh_postgres_url("geo_conf").await
}

/// Starts a reference hub with these faults (none for a healthy hub).
pub async fn start(backend: Backend, faults: Faults) -> Hub {
    start_with(backend, faults, |_| {}).await
}

/// [`start`], with settings changed by `adjust` (e.g. a small rate limit).
#[allow(dead_code)] // not every test binary adjusts settings
pub async fn start_with(
    backend: Backend,
    faults: Faults,
    adjust: impl FnOnce(&mut Settings),
) -> Hub {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = match backend {
        Backend::Sqlite => String::new(),
        Backend::Postgres => fresh_postgres_url().await,
    };
    let settings = Settings {
        listen: "127.0.0.1:0".parse().expect("address"),
        data_dir: dir.path().to_path_buf(),
        database_url,
        admin_token: ADMIN.into(),
        rate_limit_per_second: 0,
        // Short enough for the challenge-expiry scenario to run (it needs at most 10 s).
        challenge_ttl_seconds: 5,
        faults,
        ..Settings::default()
    };
    let mut settings = settings;
    adjust(&mut settings);
    let hub = app::start(settings).await.expect("the hub starts");
    Hub { hub, _dir: dir }
}

/// Runs the embedded suite (all levels, with the operator token) against a hub.
pub async fn run_suite(hub: &Hub, filter: Option<&str>) -> Report {
    let scenarios = embedded_scenarios().expect("the embedded scenarios parse");
    run(
        &RunConfig {
            hub: hub.hub.url(),
            operator_token: Some(ADMIN.into()),
            filter: filter.map(str::to_owned),
            level: Level::Full,
            jobs: 6,
        },
        &scenarios,
    )
    .await
    .expect("the hub answers discovery")
}

/// Ids of the scenarios that ended with `outcome`.
pub fn ids(report: &Report, outcome: Outcome) -> Vec<String> {
    report
        .results
        .iter()
        .filter(|r| r.outcome == outcome)
        .map(|r| r.id.clone())
        .collect()
}
