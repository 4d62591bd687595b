//! The `geo-conformance` binary end to end: embedded scenarios, exit status, JSON and JUnit output,
//! skips without an operator token, and the two-hub scenarios with a linked hub (`--peer-hub`).

mod support;

use reference_hub::faults::Faults;
use support::{start, Backend, ADMIN};

/// Runs the binary with `args`; returns the exit code and stdout.
async fn cli(args: Vec<String>) -> (i32, String) {
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_geo-conformance"))
            .args(&args)
            .env_remove("GEO_OPERATOR_TOKEN")
            .output()
            .expect("the binary runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    })
    .await
    .expect("join")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reports_json_and_junit_and_skips_without_the_operator() {
    let hub = start(Backend::Sqlite, Faults::default()).await;
    let url = hub.hub.url();
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let (code, out) = cli(args(&[
        "--hub",
        &url,
        "--operator-token",
        ADMIN,
        "--filter",
        "payment-direct",
        "--json",
        "--junit",
        junit.to_str().unwrap(),
    ]))
    .await;
    assert_eq!(code, 0, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(
        report["summary"],
        serde_json::json!({"passed": 1, "failed": 0, "skipped": 0})
    );
    assert_eq!(report["results"][0]["id"], "payment-direct");
    assert_eq!(
        report["results"][0]["sections"],
        serde_json::json!(["2", "8.2", "8.3"])
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(r#"tests="1" failures="0" skipped="0""#),
        "{xml}"
    );
    assert!(xml.contains(r#"name="payment-direct""#), "{xml}");

    // Without the operator token, scenarios that need it are skipped with the reason; no failure,
    // but a partial run exits 3 unless skips are allowed (a CI job that forgets the token fails).
    let (code, out) = cli(args(&["--hub", &url, "--filter", "payment-direct"])).await;
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("skip") && out.contains("operator token"),
        "{out}"
    );
    assert!(out.contains("0 passed, 0 failed, 1 skipped"), "{out}");
    let (code, out) = cli(args(&[
        "--hub",
        &url,
        "--filter",
        "payment-direct",
        "--allow-skips",
    ]))
    .await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 passed, 0 failed, 1 skipped"), "{out}");

    // Core only: full scenarios are skipped as not requested.
    let (code, out) = cli(args(&[
        "--hub",
        &url,
        "--operator-token",
        ADMIN,
        "--filter",
        "clearing-triangle",
        "--level",
        "core",
        "--allow-skips",
    ]))
    .await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("level full not requested"), "{out}");
}

// A hub with a small request budget answers the suite's bursts with 429 and `Retry-After`; the
// runner waits and resends instead of reporting the hub's rate limit as a failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rate_limited_hub_is_checked_not_failed() {
    let hub = support::start_with(Backend::Sqlite, Faults::default(), |s| {
        s.rate_limit_per_second = 2;
        s.rate_limit_burst = 4;
    })
    .await;
    let (code, out) = cli(args(&[
        "--hub",
        &hub.hub.url(),
        "--operator-token",
        ADMIN,
        "--filter",
        "payment-direct",
    ]))
    .await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 passed, 0 failed, 0 skipped"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failure_sets_the_exit_status_and_shows_expected_and_actual() {
    let hub = start(
        Backend::Sqlite,
        Faults {
            forget_idempotency: true,
            ..Faults::default()
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let (code, out) = cli(args(&[
        "--hub",
        &hub.hub.url(),
        "--operator-token",
        ADMIN,
        "--filter",
        "payment-idempotency",
        "--junit",
        junit.to_str().unwrap(),
    ]))
    .await;
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL") && out.contains("expected:") && out.contains("E_TX_ID_CONFLICT"),
        "{out}"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(r#"failures="1""#) && xml.contains("<failure"),
        "{xml}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_hub_is_an_error_not_a_pass() {
    let (code, _) = cli(args(&["--hub", "http://127.0.0.1:9"])).await;
    assert_eq!(code, 2);
}

/// A key file as `geo-hub` reads it (the seed in hex).
fn key_file(dir: &std::path::Path, key: &geo_protocol::Identity) -> String {
    let path = dir.join(key.pid().to_string());
    let hex: String = key.seed().iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(&path, hex).unwrap();
    path.to_string_lossy().into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hub_scenarios_run_with_a_linked_hub_and_its_keys_and_skip_without() {
    let (hub, _peer, link) = support::start_linked(Backend::Sqlite, Faults::default()).await;
    let url = hub.hub.url();
    let dir = tempfile::tempdir().unwrap();
    let (home, peer) = (
        key_file(dir.path(), &link.home_key),
        key_file(dir.path(), &link.peer_key),
    );
    let base = [
        "--hub",
        &url,
        "--operator-token",
        ADMIN,
        "--filter",
        "federation-",
    ];
    let with = |keys: [&str; 2]| {
        let mut a = args(&base);
        a.extend(args(&[
            "--peer-hub",
            &link.hub,
            "--peer-operator-token",
            ADMIN,
            "--hub-key-file",
            keys[0],
            "--peer-hub-key-file",
            keys[1],
        ]));
        a
    };
    let (code, out) = cli(with([&home, &peer])).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("4 passed, 0 failed, 0 skipped"), "{out}");
    // Keys that are not the hubs' own: refused before any scenario runs.
    let (code, out) = cli(with([&peer, &home])).await;
    assert_eq!((code, out.as_str()), (2, ""));
    // Without a linked hub: skipped with the reason, exit 3.
    let (code, out) = cli(args(&base)).await;
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("needs a linked hub") && out.contains("0 passed, 0 failed, 4 skipped"),
        "{out}"
    );
}
