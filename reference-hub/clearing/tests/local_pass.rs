//! Black-box properties of the incremental debt graph and the local short-cycle pass.

use std::collections::BTreeMap;

use geo_clearing::{Debt, DebtGraph, LocalClearer};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Set(u32, u32, u64),
    Add(u32, u32, u64),
    Remove(u32, u32),
}

fn op() -> impl Strategy<Value = Op> {
    let pair = (0u32..6, 0u32..6).prop_filter("no self debt", |(a, b)| a != b);
    prop_oneof![
        (pair.clone(), 0u64..50).prop_map(|((a, b), x)| Op::Set(a, b, x)),
        (pair.clone(), 0u64..50).prop_map(|((a, b), x)| Op::Add(a, b, x)),
        pair.prop_map(|(a, b)| Op::Remove(a, b)),
    ]
}

/// Whether any simple cycle of at most `max_len` positive debts remains (brute force).
fn has_short_cycle(g: &DebtGraph, max_len: usize) -> bool {
    fn dfs(
        g: &DebtGraph,
        start: u32,
        at: u32,
        depth: usize,
        max_len: usize,
        seen: &mut Vec<u32>,
    ) -> bool {
        for (next, _) in g.creditors_of(at) {
            if next == start {
                return true;
            }
            if depth < max_len && !seen.contains(&next) {
                seen.push(next);
                if dfs(g, start, next, depth + 1, max_len, seen) {
                    return true;
                }
                seen.pop();
            }
        }
        false
    }
    (0..g.participant_count() as u32).any(|s| dfs(g, s, s, 1, max_len, &mut vec![s]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// The graph behaves like a map from ordered pairs to positive amounts, and its two
    /// adjacency directions always mirror each other.
    #[test]
    fn graph_matches_a_map_model(ops in prop::collection::vec(op(), 0..60)) {
        let mut g = DebtGraph::new();
        let mut model: BTreeMap<(u32, u32), u64> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Set(a, b, x) => {
                    let prev = g.set_debt(a, b, x).unwrap();
                    prop_assert_eq!(prev, model.get(&(a, b)).copied().unwrap_or(0));
                    model.insert((a, b), x);
                }
                Op::Add(a, b, x) => {
                    let new = g.add_debt(a, b, x).unwrap();
                    let e = model.entry((a, b)).or_insert(0);
                    *e += x;
                    prop_assert_eq!(new, *e);
                }
                Op::Remove(a, b) => {
                    let prev = g.remove_debt(a, b);
                    prop_assert_eq!(prev, model.remove(&(a, b)).unwrap_or(0));
                }
            }
            model.retain(|_, x| *x > 0);
        }
        let expected: Vec<Debt> = model.iter().map(|(&(a, b), &x)| Debt::new(a, b, x)).collect();
        prop_assert_eq!(g.debts(), expected.clone());
        prop_assert_eq!(g.debt_count(), expected.len());
        for v in 0..g.participant_count() as u32 {
            for (c, x) in g.creditors_of(v) {
                prop_assert!(g.debtors_of(c).any(|(d, y)| d == v && y == x));
            }
            for (d, x) in g.debtors_of(v) {
                prop_assert_eq!(g.debt(d, v), x);
            }
        }
    }

    /// Debts only shrink, so once the pass has handled a debt no short cycle through it can
    /// reappear: touching every debt leaves no cycle of at most `len` debts at all.
    #[test]
    fn touching_every_debt_leaves_no_short_cycle(
        debts in prop::collection::vec((0u32..7, 0u32..7, 1u64..20), 0..16),
        len in 2usize..=6,
    ) {
        let debts: Vec<Debt> = debts
            .into_iter()
            .filter(|(a, b, _)| a != b)
            .map(|(a, b, x)| Debt::new(a, b, x))
            .collect();
        let mut g = DebtGraph::from_debts(&debts).unwrap();
        let touched: Vec<(u32, u32)> = debts.iter().map(|d| (d.debtor, d.creditor)).collect();
        let had_cycle = has_short_cycle(&g, len);
        let r = LocalClearer::new(len).unwrap().with_search_budget(usize::MAX).clear_around(&mut g, &touched);
        prop_assert!(!has_short_cycle(&g, len));
        prop_assert_eq!(had_cycle, r.total > 0);
    }
}
