//! Deliberate protocol violations, compiled only with the `fault-injection` feature, so that the
//! conformance suite can prove it catches a broken hub. Each fault is carried per hub in
//! [`crate::config::Settings`] (never read from files, flags or the environment) and checked at the
//! one place where the correct behaviour is decided.

use geo_protocol::{EnvelopeError, ErrorCode, PaymentConstraints};

/// Which rules a deliberately broken hub breaks (all off by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// Accept participant-signed messages whose signature does not verify (§5.4 step 5).
    pub skip_signature_check: bool,
    /// Ignore the payer's `max_hops` (§8.2.2); the hub's own limit still applies.
    pub ignore_hop_limit: bool,
    /// Ignore the payer's `avoid` list (§8.2.2).
    pub ignore_avoid_list: bool,
    /// Clear with a greedy shortest-cycle pass instead of the maximum set-off (§8.4).
    pub non_optimal_clearing: bool,
    /// Treat a retried payment (same payer, same payload) as a conflict instead of returning the
    /// stored outcome (§8.2.1).
    pub forget_idempotency: bool,
    /// Remember the nonce of a verified trust line set that §7.1 refuses, so the same message can
    /// never be resent once the state allows it (§5.4: a refusal consumes nothing).
    pub consume_nonce_on_refusal: bool,
}

impl Faults {
    /// Signature verification as a hub with `skip_signature_check` does it: bad signatures pass.
    pub fn verified(&self, result: Result<(), EnvelopeError>) -> Result<(), EnvelopeError> {
        match result {
            Err(e) if self.skip_signature_check && e.code() == ErrorCode::InvalidSignature => {
                Ok(())
            }
            other => other,
        }
    }

    /// The payer's constraints as a hub with `ignore_hop_limit` / `ignore_avoid_list` reads them.
    pub fn constraints(&self, mut c: PaymentConstraints) -> PaymentConstraints {
        if self.ignore_hop_limit {
            c.max_hops = None;
        }
        if self.ignore_avoid_list {
            c.avoid.clear();
        }
        c
    }
}

/// A valid but not maximal clearing: repeatedly sets off the shortest cycle (fewest debts, then
/// lowest indices) by its smallest debt. Returns `(debtor, creditor, amount)` per reduced debt.
pub fn greedy_clearing(debts: &[geo_clearing::Debt]) -> Vec<(u32, u32, u64)> {
    use std::collections::{BTreeMap, VecDeque};
    let mut left: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    for d in debts.iter().filter(|d| d.amount > 0) {
        *left.entry((d.debtor, d.creditor)).or_default() += d.amount;
    }
    let mut cleared: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    loop {
        // The shortest cycle through any debt: a shortest path from its creditor back to its debtor.
        let mut best: Option<Vec<u32>> = None;
        for &(debtor, creditor) in left.keys() {
            let mut prev: BTreeMap<u32, u32> = BTreeMap::new();
            let mut queue = VecDeque::from([creditor]);
            prev.insert(creditor, creditor);
            while let Some(x) = queue.pop_front() {
                if x == debtor {
                    break;
                }
                for (&(_, y), _) in left.range((x, 0)..=(x, u32::MAX)) {
                    if let std::collections::btree_map::Entry::Vacant(v) = prev.entry(y) {
                        v.insert(x);
                        queue.push_back(y);
                    }
                }
            }
            if !prev.contains_key(&debtor) {
                continue;
            }
            let mut cycle = vec![debtor];
            let mut at = debtor;
            while at != creditor {
                at = prev[&at];
                cycle.push(at);
            }
            cycle.reverse(); // creditor … debtor, then back to creditor
            if best.as_ref().is_none_or(|b| cycle.len() < b.len()) {
                best = Some(cycle);
            }
        }
        let Some(cycle) = best else { break };
        let hops: Vec<(u32, u32)> = (0..cycle.len())
            .map(|i| (cycle[i], cycle[(i + 1) % cycle.len()]))
            .collect();
        let amount = hops.iter().map(|h| left[h]).min().unwrap_or(0);
        for h in hops {
            let rest = left[&h] - amount;
            if rest == 0 {
                left.remove(&h);
            } else {
                left.insert(h, rest);
            }
            *cleared.entry(h).or_default() += amount;
        }
    }
    cleared.into_iter().map(|((d, c), a)| (d, c, a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_clearing::Debt;

    #[test]
    fn greedy_takes_the_short_cycle_and_loses() {
        // A short cycle 0→1→2→0 of 2 shares debt 0→1 with two long cycles of 1 each.
        let d = |a, b, x| Debt::new(a, b, x);
        let debts = vec![
            d(0, 1, 2),
            d(1, 2, 2),
            d(2, 0, 2),
            d(1, 3, 1),
            d(3, 4, 1),
            d(4, 5, 1),
            d(5, 0, 1),
            d(1, 6, 1),
            d(6, 7, 1),
            d(7, 8, 1),
            d(8, 0, 1),
        ];
        let greedy: u64 = greedy_clearing(&debts).iter().map(|s| s.2).sum();
        let optimal = geo_clearing::optimal_clearing(&debts).unwrap().total;
        assert_eq!((greedy, optimal), (6, 10));
    }
}
