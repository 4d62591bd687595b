//! Routing quality against the exact oracle, at CI scale: on seeded communities of 100
//! participants the preview must reach the goal (≥ 0.98 of the hop- and path-limited integral
//! optimum on average, ≥ 0.90 at the 5th percentile) and never exceed it. The full distribution
//! per community size is `benches/quality.rs`.

mod common;

use common::quality::{measure, Quality};

#[test]
fn preview_reaches_the_goal_against_the_exact_optimum_on_small_communities() {
    let mut all = Quality::default();
    for seed in [42, 7] {
        let q = measure(100, seed, 8_000, 30, 20_000, 100);
        all.ratios.extend(q.ratios);
        all.proven += q.proven;
        all.too_many_paths += q.too_many_paths;
        all.not_proven += q.not_proven;
    }
    println!("{}", all.summary());
    assert!(
        all.ratios.len() >= 50,
        "too few solved pairs: {}",
        all.summary()
    );
    // The oracle must still be exact on most pairs, or its upper bound would hide a regression
    // (ratios are taken against the upper bound, so an unproven pair only lowers them).
    assert!(
        all.proven * 10 >= all.ratios.len() * 7,
        "oracle proved too few optima: {}",
        all.summary()
    );
    assert!(all.mean() >= 0.98, "mean below 0.98: {}", all.summary());
    assert!(
        all.quantile(0.05) >= 0.90,
        "p5 below 0.90: {}",
        all.summary()
    );
}
