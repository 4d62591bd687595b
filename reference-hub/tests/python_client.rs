//! The independent Python implementation (spec/conformance/python) registers, opens a trust line and
//! pays against a live reference hub, verifying the receipt with the hub's key.

mod support;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_client_pays_through_a_live_hub() {
    let hub = support::TestHub::start(support::Backend::Sqlite).await;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/conformance/python/live_client.py");
    let url = hub.url.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg(script)
            .args(["--hub", &url])
            .output()
    })
    .await
    .unwrap()
    .expect("python3 runs (scripts/setup installs its packages)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.trim_end().ends_with(" 0 failed"), "{stdout}");
}
