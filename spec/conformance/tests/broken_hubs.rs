//! Broken hubs must fail: the reference hub started with one deliberate fault fails the scenarios that
//! check the broken rule, at a step expecting the refusal or outcome the rule requires. (The healthy
//! hub passes the same scenarios: see `reference_hub.rs`.) Each broken hub is linked to a healthy
//! one, so that the two-hub scenarios run too.

mod support;

use geo_conformance::{report, Outcome};
use reference_hub::faults::Faults;
use support::{ids, run_suite_linked, start_linked, Backend};

/// Runs the suite against a hub with `faults` and checks each `(scenario, text of the failing step's
/// note or expectation)`.
async fn fails(faults: Faults, expected: &[(&str, &str)]) {
    let (hub, _peer, link) = start_linked(Backend::Sqlite, faults).await;
    let report = run_suite_linked(&hub, Some(link), None).await;
    let failed = ids(&report, Outcome::Fail);
    for (id, what) in expected {
        let result = report
            .result(id)
            .unwrap_or_else(|| panic!("no scenario {id}"));
        let failure = result.failure.as_ref().unwrap_or_else(|| {
            panic!(
                "{id} should fail on this broken hub; failed: {failed:?}\n{}",
                report::table(&report)
            )
        });
        let said = format!(
            "{} {}",
            failure.note.as_deref().unwrap_or(""),
            failure.expected
        );
        assert!(
            said.contains(what),
            "{id} failed at step {} expecting {:?}, not at the broken rule ({what})",
            failure.step,
            failure.expected
        );
    }
    assert_eq!(ids(&report, Outcome::Skip), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn skipping_signature_checks_is_caught() {
    let faults = Faults {
        skip_signature_check: true,
        ..Faults::default()
    };
    let forged = "E_INVALID_SIGNATURE";
    fails(
        faults,
        &[
            ("signatures-participant-register", forged),
            ("signatures-participant-update", forged),
            ("signatures-login", forged),
            ("signatures-trust-line-set", forged),
            ("signatures-trust-line-close", forged),
            ("signatures-payment-request", forged),
            ("signatures-payment-commit", forged),
            ("signatures-payment-abort", forged),
            ("clearing-optimal", forged),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ignoring_the_hop_limit_is_caught() {
    let faults = Faults {
        ignore_hop_limit: true,
        ..Faults::default()
    };
    fails(
        faults,
        &[("payment-constraints", "the only path has 3 hops")],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ignoring_the_avoid_list_is_caught() {
    let faults = Faults {
        ignore_avoid_list: true,
        ..Faults::default()
    };
    fails(
        faults,
        &[("payment-constraints", "without xena only 5 can reach yuri")],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn greedy_clearing_is_caught() {
    let faults = Faults {
        non_optimal_clearing: true,
        ..Faults::default()
    };
    fails(faults, &[("clearing-optimal", "sets off 10 in total")]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forgetting_idempotency_is_caught() {
    let faults = Faults {
        forget_idempotency: true,
        ..Faults::default()
    };
    fails(
        faults,
        &[
            ("payment-idempotency", "\"status\":200"),
            ("signatures-payment-request", "committed"),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn consuming_a_refused_nonce_is_caught() {
    let faults = Faults {
        consume_nonce_on_refusal: true,
        ..Faults::default()
    };
    fails(
        faults,
        &[("nonce-consumption", "the refusal consumed nothing")],
    )
    .await;
}
