//! The event subscription: typed events, and resuming without loss or duplicates after a forced
//! disconnect and after a hub restart.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use geo_client::{Event, EventKind, EventStream, HubClient, Identity, PaymentOrder};
use support::{Backend, Proxy, TestHub};

async fn next(s: &mut EventStream) -> Event {
    tokio::time::timeout(Duration::from_secs(15), s.next())
        .await
        .expect("an event in time")
        .expect("the stream is open")
        .expect("a valid event")
}

/// Reads events until `n` payments received have arrived; returns every event read.
async fn read_until_received(s: &mut EventStream, n: usize) -> Vec<Event> {
    let mut out = Vec::new();
    while out
        .iter()
        .filter(|e: &&Event| matches!(e.kind, EventKind::PaymentReceived(_)))
        .count()
        < n
    {
        out.push(next(s).await);
    }
    out
}

fn assert_strictly_increasing(events: &[Event]) {
    for w in events.windows(2) {
        assert!(w[0].id < w[1].id, "ids {} then {}", w[0].id, w[1].id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_forced_disconnect_loses_and_repeats_nothing() {
    let hub = TestHub::start(Backend::Sqlite).await;
    let proxy = Proxy::start(hub.addr()).await;
    let payer = hub.participant("Payer").await;
    // The watcher's HTTP and WebSocket traffic goes through the proxy.
    let watcher = HubClient::connect(&proxy.url, Identity::generate())
        .await
        .unwrap();
    watcher
        .register("Watcher", geo_client::ParticipantKind::Person, None)
        .await
        .unwrap();
    watcher
        .set_trust_line(&payer.pid(), "UAH", "1000", None)
        .await
        .unwrap();
    let mut events = watcher.events(0);
    let first = next(&mut events).await;
    assert!(
        matches!(first.kind, EventKind::TrustLineChanged { ref status, .. } if status == "active"),
        "{first:?}"
    );
    for i in 1..=3 {
        payer
            .pay(PaymentOrder::new(watcher.pid(), "UAH", &i.to_string()))
            .await
            .unwrap();
    }
    let mut seen = vec![first];
    seen.extend(read_until_received(&mut events, 3).await);
    // Cut every connection; pay more while the watcher is disconnected.
    proxy.cut();
    for i in 4..=6 {
        payer
            .pay(PaymentOrder::new(watcher.pid(), "UAH", &i.to_string()))
            .await
            .unwrap();
    }
    seen.extend(read_until_received(&mut events, 3).await);
    let amounts: Vec<String> = seen
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PaymentReceived(p) => Some(p.amount.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        amounts,
        ["1.00", "2.00", "3.00", "4.00", "5.00", "6.00"].map(String::from)
    );
    assert_strictly_increasing(&seen);
    // Nothing else is pending: no duplicate arrives later.
    assert!(
        tokio::time::timeout(Duration::from_millis(500), events.next())
            .await
            .is_err(),
        "no duplicates after the reconnect"
    );
}

both_backends!(the_stream_survives_a_hub_restart, |backend| async move {
    let mut hub = TestHub::start(backend).await;
    // The hub's graceful shutdown waits for open WebSockets, so the watcher reaches it through a
    // proxy that drops its connections and refuses new ones while the hub restarts.
    let proxy = Proxy::start(hub.addr()).await;
    let payer = hub.participant("Payer").await;
    let watcher = HubClient::connect(&proxy.url, Identity::generate())
        .await
        .unwrap();
    watcher
        .register("Watcher", geo_client::ParticipantKind::Person, None)
        .await
        .unwrap();
    watcher
        .set_trust_line(&payer.pid(), "UAH", "1000", None)
        .await
        .unwrap();
    let mut events = watcher.events(0);
    payer
        .pay(PaymentOrder::new(watcher.pid(), "UAH", "1"))
        .await
        .unwrap();
    let mut seen = read_until_received(&mut events, 1).await;

    // The hub goes away; payments happen after it is back, while the stream is reconnecting (its
    // access token died with the hub: it refreshes it by itself).
    proxy.set_down(true);
    proxy.cut();
    hub.restart().await;
    proxy.set_down(false);
    for i in 2..=4 {
        payer
            .pay(PaymentOrder::new(watcher.pid(), "UAH", &i.to_string()))
            .await
            .unwrap();
    }
    seen.extend(read_until_received(&mut events, 3).await);
    let received: Vec<String> = seen
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::PaymentReceived(p) => Some(p.amount.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(received, ["1.00", "2.00", "3.00", "4.00"].map(String::from));
    assert_strictly_increasing(&seen);

    // A new subscription from the last id sees only what came after it.
    let last = seen.last().unwrap().id;
    payer
        .pay(PaymentOrder::new(watcher.pid(), "UAH", "5"))
        .await
        .unwrap();
    let mut resumed = watcher.events(last);
    let e = next(&mut resumed).await;
    assert!(e.id > last);
    assert!(
        matches!(&e.kind, EventKind::PaymentReceived(p) if p.amount == "5.00"),
        "{e:?}"
    );
});
