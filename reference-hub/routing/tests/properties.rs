//! Property tests on random small graphs against an exact brute-force oracle.
//!
//! Guarantees asserted (the router is a heuristic for the hop-bounded max flow F_H, so it does not
//! promise to reach F_H; the benchmark reports how close it gets):
//! - every returned route passes the exact checker;
//! - soundness: preview ≤ F_H (integer, brute force) and ≤ its own upper bound;
//! - path existence: preview > 0 whenever F_H > 0 (blocked sets rely on a bounded exhaustive
//!   fallback, complete on graphs this small);
//! - exact feasibility relation: `route(A)` succeeds iff `A ≤ preview`, and on failure
//!   `found == preview`.

mod common;

use common::{brute_force_max_flow, random_case, Case};
use geo_routing::{check_route, Router, RoutingError};
use proptest::prelude::*;

fn check_case(case: &Case) -> Result<(), TestCaseError> {
    let Case { g, s, t, c, amount } = case;
    let mut router = Router::new();
    let preview = router.preview(g, *s, *t, c).unwrap();
    prop_assert!(preview.max_amount <= preview.upper_bound);
    if let Some(oracle) = brute_force_max_flow(g, *s, *t, c) {
        prop_assert!(
            preview.max_amount <= oracle,
            "preview {} > oracle {}",
            preview.max_amount,
            oracle
        );
        if oracle > 0 {
            prop_assert!(
                preview.max_amount > 0,
                "a valid path exists but none was found"
            );
        }
    }
    match router.route(g, *s, *t, *amount, c) {
        Ok(route) => {
            prop_assert!(*amount <= preview.max_amount);
            if let Err(v) = check_route(g, *s, *t, *amount, c, &route) {
                return Err(TestCaseError::fail(format!("checker: {v}: {route:?}")));
            }
        }
        Err(RoutingError::InsufficientCapacity { requested, found }) => {
            prop_assert_eq!(requested, *amount);
            prop_assert!(*amount > preview.max_amount);
            prop_assert_eq!(found, preview.max_amount);
        }
        Err(e) => return Err(TestCaseError::fail(format!("unexpected error {e}"))),
    }
    if preview.max_amount > 0 {
        let route = router
            .route(g, *s, *t, preview.max_amount, c)
            .map_err(|e| TestCaseError::fail(format!("route(preview) failed: {e}")))?;
        if let Err(v) = check_route(g, *s, *t, preview.max_amount, c, &route) {
            return Err(TestCaseError::fail(format!("checker: {v}")));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn routes_are_valid_and_sound_without_policies(seed in any::<u64>()) {
        check_case(&random_case(seed, false))?;
    }

    #[test]
    fn routes_are_valid_and_sound_with_policies(seed in any::<u64>()) {
        check_case(&random_case(seed, true))?;
    }
}

/// The generator is not vacuous: it produces feasible, infeasible and multi-path cases, and
/// the router gets close to the oracle on them in aggregate.
#[test]
fn generator_covers_interesting_cases() {
    let (mut ok, mut insufficient, mut multi, mut positive) = (0, 0, 0, 0);
    let (mut got, mut best) = (0u64, 0u64);
    for seed in 0..600u64 {
        let case = random_case(seed, seed % 2 == 0);
        let mut router = Router::new();
        let p = router.preview(&case.g, case.s, case.t, &case.c).unwrap();
        if let Some(oracle) = brute_force_max_flow(&case.g, case.s, case.t, &case.c) {
            got += p.max_amount;
            best += oracle;
            positive += usize::from(oracle > 0);
        }
        match router.route(&case.g, case.s, case.t, case.amount, &case.c) {
            Ok(r) => {
                ok += 1;
                multi += usize::from(r.paths.len() > 1);
            }
            Err(_) => insufficient += 1,
        }
    }
    eprintln!("ok {ok} insufficient {insufficient} multi {multi} positive {positive} fraction {got}/{best}");
    assert!(
        ok > 50 && insufficient > 50 && multi > 20 && positive > 150,
        "{ok} {insufficient} {multi} {positive}"
    );
    assert!(
        got * 100 >= best * 90,
        "aggregate fraction {got}/{best} below 0.90"
    );
}
