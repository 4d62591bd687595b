//! Runs the `community` example against an in-process hub, so the example keeps working.

mod support;

#[path = "../../examples/rust/community.rs"]
mod community;

use support::{Backend, TestHub, ADMIN_TOKEN};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_community_example_runs() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let s = community::run(&hub.url, Some(ADMIN_TOKEN)).await.unwrap();
    assert_eq!(s.path.len(), 3, "Alice → Bob → Carol");
    assert_eq!(s.cleared, vec!["20.00", "20.00", "20.00"]);
    // Alice paid 30 and received 20; Bob relayed; Carol received 30 and paid 20.
    assert_eq!(s.nets, vec!["-10.00", "0.00", "10.00"]);
}
