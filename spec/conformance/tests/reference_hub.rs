//! The reference hub passes the whole suite, every scenario run and none skipped, on both backends:
//! linked to a second reference hub on the same backend for the two-hub scenarios (federation.md).

mod support;

use geo_conformance::{report, Outcome};
use support::{ids, run_suite_linked, start_linked, Backend};

async fn passes_everything(backend: Backend) {
    let (hub, _peer, link) = start_linked(backend, Default::default()).await;
    let report = run_suite_linked(&hub, Some(link), None).await;
    assert!(
        report.results.len() >= 30,
        "the suite has its scenarios ({})",
        report.results.len()
    );
    assert_eq!(
        (ids(&report, Outcome::Fail), ids(&report, Outcome::Skip)),
        (vec![], vec![]),
        "\n{}",
        report::table(&report)
    );
    assert_eq!(report.hub.protocol, "geo/1");
    // A run leaves no test equivalent active for members to pick.
    let listed: serde_json::Value = reqwest::get(format!("{}/api/v1/equivalents", hub.hub.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let active: Vec<&serde_json::Value> = listed
        .as_array()
        .map(|a| a.iter().filter(|e| e["active"] == true).collect())
        .unwrap_or_default();
    assert!(
        listed.as_array().is_some_and(|a| a.len() >= 30) && active.is_empty(),
        "{listed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite() {
    passes_everything(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres() {
    passes_everything(Backend::Postgres).await;
}
