//! Prometheus metrics: real histograms (buckets, not summaries) for every duration and batch size,
//! HELP text for every series, and the ledger's gauges set from [`Ledger::stats`] at each scrape.
//! Money is exported in integer minor units (exact below 2^53), never as a rounded decimal.

use geo_api::ParticipantStatus;
use metrics::Unit;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::engine::stats::LedgerStats;

/// Bucket bounds for durations, in seconds (0.25 ms to 10 s).
const SECONDS: &[f64] = &[
    0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    10.0,
];

/// Bucket bounds for batch sizes (entries).
const ENTRIES: &[f64] = &[
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 4096.0,
];

/// Installs the process-wide recorder (once per process; `None` if another is installed).
pub fn recorder() -> Option<PrometheusHandle> {
    PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS)
        .and_then(|b| b.set_buckets_for_metric(Matcher::Suffix("_entries".into()), ENTRIES))
        .ok()?
        .install_recorder()
        .ok()
}

/// HELP text and units of every series the hub exports.
pub fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_histogram!(
        "geo_http_request_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request, by method, route template and status"
    );
    describe_counter!(
        "geo_rate_limited_total",
        "Requests refused with E_RATE_LIMITED"
    );
    describe_counter!(
        "geo_payments_total",
        "Payment answers rendered, by status (prepared, committed, aborted)"
    );
    describe_counter!("geo_clearings_total", "Clearings applied by the writer");
    describe_counter!(
        "geo_journal_entries_total",
        "Journal entries persisted by this process since it started"
    );
    describe_histogram!(
        "geo_batch_apply_seconds",
        Unit::Seconds,
        "Time the writer spends applying one batch of commands to the ledger"
    );
    describe_histogram!(
        "geo_batch_persist_seconds",
        Unit::Seconds,
        "Time to persist one batch durably (group commit)"
    );
    describe_histogram!("geo_batch_entries", "Journal entries per persisted batch");
    describe_histogram!(
        "geo_projection_flush_seconds",
        Unit::Seconds,
        "Time to apply pending changes to the query tables"
    );
    describe_histogram!(
        "geo_projection_flush_entries",
        "Journal entries applied to the query tables per flush"
    );
    describe_histogram!(
        "geo_checkpoint_seconds",
        Unit::Seconds,
        "Time to hash and store one ledger checkpoint (after the writer took its snapshot)"
    );
    describe_histogram!(
        "geo_checkpoint_snapshot_seconds",
        Unit::Seconds,
        "Time the writer pauses to take a ledger snapshot for a checkpoint"
    );
    describe_gauge!(
        "geo_participants",
        "Participants by status (active, suspended, left)"
    );
    describe_gauge!(
        "geo_open_holds",
        "Prepared payments waiting for their payer to commit or abort"
    );
    describe_gauge!(
        "geo_journal_length",
        "Journal entries (the last sequence number)"
    );
    describe_gauge!(
        "geo_projection_lag_entries",
        "Journal entries acknowledged but not yet applied to the query tables (journal head minus projected position); reads wait for them"
    );
    describe_gauge!(
        "geo_debt_outstanding_minor_units",
        "Sum of every debt now owed, per equivalent, in minor units (10^-precision)"
    );
    describe_counter!(
        "geo_cleared_minor_units_total",
        "Debt set off by clearing since the journal began, per equivalent, in minor units"
    );
    describe_counter!(
        "geo_payments_committed_total",
        "Payments committed since the journal began, per equivalent"
    );
    describe_counter!(
        "geo_payments_aborted_total",
        "Payments ended with nothing applied since the journal began"
    );
}

/// Sets how far the query tables trail the journal (called at each scrape).
pub fn observe_projection_lag(entries: u64) {
    metrics::gauge!("geo_projection_lag_entries").set(entries as f64);
}

/// Sets the ledger's gauges and journal-wide counters (called at each scrape).
pub fn observe_ledger(s: &LedgerStats) {
    for (status, n) in [
        (ParticipantStatus::Active, s.active),
        (ParticipantStatus::Suspended, s.suspended),
        (ParticipantStatus::Left, s.left),
    ] {
        metrics::gauge!("geo_participants", "status" => status.as_str()).set(n as f64);
    }
    metrics::gauge!("geo_open_holds").set(s.open_holds as f64);
    metrics::gauge!("geo_journal_length").set(s.journal_length as f64);
    metrics::counter!("geo_payments_aborted_total").absolute(s.payments_aborted);
    for e in &s.equivalents {
        let code = e.code.to_string();
        metrics::gauge!("geo_debt_outstanding_minor_units", "equivalent" => code.clone())
            .set(e.debt_outstanding as f64);
        metrics::counter!("geo_cleared_minor_units_total", "equivalent" => code.clone())
            .absolute(e.cleared_to_date.min(u64::MAX as u128) as u64);
        metrics::counter!("geo_payments_committed_total", "equivalent" => code)
            .absolute(e.payments_committed);
    }
}
