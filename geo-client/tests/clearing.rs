//! Clearing through the SDK: a triangle set off right after the payment that closes it (seen in
//! events, balances and the clearing history with verified receipts), and consent to a proposal.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use geo_client::{ClearingDecision, EventKind, PaymentOrder, TrustLinePolicy};
use support::{net, position, Backend, TestHub};

both_backends!(a_triangle_is_cleared_and_visible, |backend| async move {
    let hub = TestHub::start(backend).await;
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    b.set_trust_line(&a.pid(), "UAH", "100", None)
        .await
        .unwrap();
    c.set_trust_line(&b.pid(), "UAH", "100", None)
        .await
        .unwrap();
    a.set_trust_line(&c.pid(), "UAH", "100", None)
        .await
        .unwrap();
    let mut events = a.events(0);
    a.pay(PaymentOrder::new(b.pid(), "UAH", "10"))
        .await
        .unwrap();
    b.pay(PaymentOrder::new(c.pid(), "UAH", "10"))
        .await
        .unwrap();
    c.pay(PaymentOrder::new(a.pid(), "UAH", "10"))
        .await
        .unwrap();
    // Every debt of the cycle is gone, and nobody's net position moved.
    assert_eq!(position(&a, &b).await, ("0.00".into(), "0.00".into()));
    assert_eq!(position(&b, &c).await, ("0.00".into(), "0.00".into()));
    assert_eq!(position(&c, &a).await, ("0.00".into(), "0.00".into()));
    assert_eq!(net(&a).await, "0.00");

    // A sees the clearing as an event with a hub-signed receipt (verified by the stream).
    let cleared = loop {
        let e = tokio::time::timeout(Duration::from_secs(15), events.next())
            .await
            .expect("in time")
            .expect("open")
            .expect("valid");
        if let EventKind::ClearingCommitted {
            clearing_id,
            edges,
            receipt,
            ..
        } = e.kind
        {
            assert_eq!(edges.len(), 3);
            assert!(receipt.is_some());
            break clearing_id;
        }
    };
    // …and in its clearing history, the receipt verified against the hub's key.
    let history = a.clearings().await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].clearing_id, cleared);
    assert!(history[0].edges.iter().all(|e| e.amount == "10.00"));
    assert_eq!(b.clearings().await.unwrap().len(), 1);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_to_a_proposal_commits_the_clearing() {
    // No local pass: the operator's optimal run finds the cycle and asks A, whose line does not
    // consent in advance.
    let hub = TestHub::start_with(Backend::Sqlite, |s| s.clearing_cycle_len = 0).await;
    let (a, b, c) = (
        hub.participant("A").await,
        hub.participant("B").await,
        hub.participant("C").await,
    );
    b.set_trust_line(&a.pid(), "UAH", "100", None)
        .await
        .unwrap();
    c.set_trust_line(&b.pid(), "UAH", "100", None)
        .await
        .unwrap();
    a.set_trust_line(
        &c.pid(),
        "UAH",
        "100",
        Some(TrustLinePolicy {
            auto_clearing: false,
            ..Default::default()
        }),
    )
    .await
    .unwrap();
    a.pay(PaymentOrder::new(b.pid(), "UAH", "10"))
        .await
        .unwrap();
    b.pay(PaymentOrder::new(c.pid(), "UAH", "10"))
        .await
        .unwrap();
    c.pay(PaymentOrder::new(a.pid(), "UAH", "10"))
        .await
        .unwrap();
    let run = hub.admin.run_clearing("UAH").await.unwrap();
    assert!(!run.cleared);
    let open = a.clearing_proposals().await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(Some(open[0].clearing_id.clone()), run.proposal);
    assert_eq!(open[0].consent_required_from, vec![a.pid()]);
    assert!(a.clearings().await.unwrap().is_empty());

    // A tampered listing is refused before anything is signed.
    let mut forged = open[0].clone();
    forged.proposal_digest = "0".repeat(64);
    let e = a
        .consent(&forged, ClearingDecision::Accept)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "E_INVALID_SIGNATURE");

    let outcome = a.consent(&open[0], ClearingDecision::Accept).await.unwrap();
    assert_eq!(outcome.clearing_id, open[0].clearing_id);
    assert_eq!(position(&a, &b).await, ("0.00".into(), "0.00".into()));
    let done = c.clearings().await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].clearing_id, open[0].clearing_id);
    assert!(a.clearing_proposals().await.unwrap().is_empty());
}
