//! Starts the reference hub in-process (SQLite, or a throwaway PostgreSQL cluster made with initdb)
//! and runs the suite against it through the library API.
#![allow(dead_code)]

use geo_conformance::{embedded_scenarios, run, Level, Outcome, PeerHub, Report, RunConfig};
use geo_protocol::geo_uri::{HubUrl, ParticipantAddress};
use geo_protocol::Identity;
use reference_hub::app::{self, RunningHub};
use reference_hub::config::Settings;
use reference_hub::faults::Faults;

pub use geo_testkit::Backend;

pub const ADMIN: &str = "conformance-operator-token";

/// A running hub and its storage, kept alive for the test.
pub struct Hub {
    pub hub: RunningHub,
    _dir: tempfile::TempDir,
    _keys: Option<tempfile::TempDir>,
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
    Hub {
        hub,
        _dir: dir,
        _keys: None,
    }
}

/// Two hubs on `backend` linked to each other (`spec/federation.md` §1), each with a key file the
/// runner is given too: the hub under test, with `faults`, and its healthy linked hub
/// (`RunConfig::peer`).
pub async fn start_linked(backend: Backend, faults: Faults) -> (Hub, Hub, PeerHub) {
    let (home_key, peer_key) = (Identity::generate(), Identity::generate());
    let port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port()
    };
    let (home_port, peer_port) = (port(), port());
    let address = |port: u16, key: &Identity| {
        ParticipantAddress {
            hub: HubUrl::parse(&format!("http://127.0.0.1:{port}")).expect("hub URL"),
            pid: key.pid(),
        }
        .to_string()
    };
    let keys = tempfile::tempdir().expect("temp dir");
    let linked = |key: &Identity, port: u16, link: String| {
        let file = keys.path().join(key.pid().to_string());
        let hex: String = key.seed().iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(&file, hex).expect("key file");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("0600");
        move |s: &mut Settings| {
            s.listen = format!("127.0.0.1:{port}").parse().expect("address");
            s.hub_key_file = file.to_string_lossy().into_owned();
            s.federation_links = vec![link];
            s.federation_margin_seconds = 2;
        }
    };
    let home = start_with(
        backend,
        faults,
        linked(&home_key, home_port, address(peer_port, &peer_key)),
    )
    .await;
    let mut peer = start_with(
        backend,
        Faults::default(),
        linked(&peer_key, peer_port, address(home_port, &home_key)),
    )
    .await;
    peer._keys = Some(keys);
    let config = PeerHub {
        hub: peer.hub.url(),
        operator_token: ADMIN.into(),
        home_key,
        peer_key,
    };
    (home, peer, config)
}

/// Runs the embedded suite (all levels, with the operator token) against a hub.
pub async fn run_suite(hub: &Hub, filter: Option<&str>) -> Report {
    run_suite_linked(hub, None, filter).await
}

/// [`run_suite`], with a linked hub for the two-hub scenarios.
pub async fn run_suite_linked(hub: &Hub, peer: Option<PeerHub>, filter: Option<&str>) -> Report {
    let scenarios = embedded_scenarios().expect("the embedded scenarios parse");
    run(
        &RunConfig {
            hub: hub.hub.url(),
            operator_token: Some(ADMIN.into()),
            filter: filter.map(str::to_owned),
            level: Level::Full,
            jobs: 6,
            peer,
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
