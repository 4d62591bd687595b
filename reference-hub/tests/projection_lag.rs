//! `/metrics` says how far the query tables trail the journal: `geo_projection_lag_entries` counts
//! acknowledged journal entries whose projections wait for the next flush, and falls to 0 once a
//! read applies them. Its own test binary: the metrics recorder is process-wide.

mod support;

use support::{Backend, TestHub};

/// The value of one sample line (`name value`).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

async fn scrape(hub: &TestHub) -> String {
    let r = hub
        .http
        .get(format!("{}/metrics", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

async fn journal_head(hub: &TestHub) -> f64 {
    hub.hub().state.engine.read().await.ledger().last_seq as f64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_projection_lag_gauge_follows_the_journal_and_the_flushes() {
    // One backend after the other: both would set the same process-wide gauge.
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let hub = TestHub::start_with(backend, |s| {
            s.projection_flush_ms = 600_000; // only reads flush
            s.clearing_cycle_len = 0;
        })
        .await;
        let (a, b) = (hub.participant("A").await, hub.participant("B").await);
        b.trust(&a, "100").await;
        // A history read applies what is pending first.
        assert_eq!(a.get("/payments").await.0, 200);
        let text = scrape(&hub).await;
        assert!(
            text.contains("# HELP geo_projection_lag_entries "),
            "{text}"
        );
        assert_eq!(
            sample(&text, "geo_projection_lag_entries"),
            Some(0.0),
            "{backend:?}"
        );

        let head = journal_head(&hub).await;
        for _ in 0..3 {
            assert_eq!(a.pay(&b, "1").await.0, 200);
        }
        let written = journal_head(&hub).await - head;
        assert!(written >= 3.0, "{written}");
        let text = scrape(&hub).await;
        assert_eq!(
            sample(&text, "geo_projection_lag_entries"),
            Some(written),
            "{backend:?}: every entry since the last flush waits\n{text}"
        );

        assert_eq!(a.get("/payments").await.0, 200);
        let text = scrape(&hub).await;
        assert_eq!(
            sample(&text, "geo_projection_lag_entries"),
            Some(0.0),
            "{backend:?}: the read applied them"
        );
    }
}
