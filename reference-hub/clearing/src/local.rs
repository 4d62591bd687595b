//! A fast, greedy, local clearing pass for use right after a payment.
//!
//! For every debt the payment touched it repeatedly finds a short cycle (at most `max_len`
//! debts) through that debt and sets it off by the cycle's minimum. Greedy and bounded, so it is
//! NOT optimal (on synthetic graphs it reaches a fraction of the optimum, see BENCHMARKS.md);
//! the exact [`crate::optimal_clearing`] runs on a schedule.

use crate::error::ClearingError;
use crate::graph::DebtGraph;

/// Default cycle length limit, as in the GEO reference client (cycles of up to 6 participants).
pub const DEFAULT_MAX_CYCLE_LEN: usize = 6;

/// Default search budget: debts scanned per cycle search before giving up.
const DEFAULT_SEARCH_BUDGET: usize = 20_000;

/// One cycle set off by the local pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearedCycle {
    /// `participants[i]` owed `participants[i + 1]`, and the last owed the first.
    pub participants: Vec<u32>,
    /// The amount set off on each debt of the cycle.
    pub amount: u64,
}

/// The result of a local pass: the cycles set off, in order, and their total over all debts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalClearing {
    /// Cycles in the order they were set off.
    pub cycles: Vec<ClearedCycle>,
    /// Total debt cancelled (each cycle counts `amount × length`).
    pub total: u128,
}

/// Runs the local pass; owns scratch buffers reused across calls so a pass allocates little.
#[derive(Debug, Clone)]
pub struct LocalClearer {
    max_len: usize,
    budget: usize,
    stamp: u32,
    fwd_seen: Vec<u32>,
    fwd_prev: Vec<u32>,
    bwd_seen: Vec<u32>,
    bwd_next: Vec<u32>,
    frontier: Vec<u32>,
    next: Vec<u32>,
    bfrontier: Vec<u32>,
    path: Vec<u32>,
}

impl Default for LocalClearer {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_CYCLE_LEN).expect("default length is valid")
    }
}

impl LocalClearer {
    /// A pass that clears cycles of at most `max_len` debts (at least 2).
    pub fn new(max_len: usize) -> Result<Self, ClearingError> {
        if max_len < 2 {
            return Err(ClearingError::InvalidCycleLength { max_len });
        }
        Ok(Self {
            max_len,
            budget: DEFAULT_SEARCH_BUDGET,
            stamp: 0,
            fwd_seen: Vec::new(),
            fwd_prev: Vec::new(),
            bwd_seen: Vec::new(),
            bwd_next: Vec::new(),
            frontier: Vec::new(),
            next: Vec::new(),
            bfrontier: Vec::new(),
            path: Vec::new(),
        })
    }

    /// Caps the debts scanned per cycle search (latency bound on hub-heavy graphs).
    pub fn with_search_budget(mut self, debts_scanned: usize) -> Self {
        self.budget = debts_scanned.max(1);
        self
    }

    /// Sets off short cycles through the given `(a, b)` pairs (both directions are tried) and
    /// applies them to `graph`; returns what was set off so the hub can record it.
    pub fn clear_around(&mut self, graph: &mut DebtGraph, touched: &[(u32, u32)]) -> LocalClearing {
        let n = graph.participant_count();
        if self.fwd_seen.len() < n {
            self.fwd_seen.resize(n, 0);
            self.fwd_prev.resize(n, 0);
            self.bwd_seen.resize(n, 0);
            self.bwd_next.resize(n, 0);
        }
        let mut out = LocalClearing::default();
        for &(a, b) in touched {
            for (u, v) in [(a, b), (b, a)] {
                while u != v && graph.debt(u, v) > 0 {
                    if !self.find_path(graph, v, u) {
                        break;
                    }
                    // Cycle: u -> v -> ... -> u; `path` holds v .. u.
                    let mut participants = Vec::with_capacity(self.path.len());
                    participants.push(u);
                    participants.extend_from_slice(&self.path[..self.path.len() - 1]);
                    let k = participants.len();
                    let amount = (0..k)
                        .map(|i| graph.debt(participants[i], participants[(i + 1) % k]))
                        .min()
                        .expect("cycle has debts");
                    debug_assert!(amount > 0);
                    for i in 0..k {
                        graph.reduce(participants[i], participants[(i + 1) % k], amount);
                    }
                    out.total += u128::from(amount) * k as u128;
                    out.cycles.push(ClearedCycle {
                        participants,
                        amount,
                    });
                }
            }
        }
        out
    }

    fn next_stamp(&mut self) -> u32 {
        if self.stamp == u32::MAX {
            self.fwd_seen.iter_mut().for_each(|s| *s = 0);
            self.bwd_seen.iter_mut().for_each(|s| *s = 0);
            self.stamp = 0;
        }
        self.stamp += 1;
        self.stamp
    }

    /// Bidirectional BFS for a path `from ⇝ to` of at most `max_len - 1` positive debts; on
    /// success `self.path` holds the simple path's participants from `from` to `to`.
    fn find_path(&mut self, g: &DebtGraph, from: u32, to: u32) -> bool {
        let s = self.next_stamp();
        let limit = self.max_len - 1;
        self.fwd_seen[from as usize] = s;
        self.fwd_prev[from as usize] = u32::MAX;
        self.bwd_seen[to as usize] = s;
        self.bwd_next[to as usize] = u32::MAX;
        self.frontier.clear();
        self.frontier.push(from);
        self.bfrontier.clear();
        self.bfrontier.push(to);
        let (mut fd, mut bd) = (0usize, 0usize);
        let mut scanned = 0usize;
        let mut meet = u32::MAX;
        debug_assert_ne!(from, to, "callers skip self pairs");
        'search: while meet == u32::MAX && fd + bd < limit {
            // Expand the side whose frontier has fewer debts to scan.
            let fcost: usize = self
                .frontier
                .iter()
                .map(|&x| g.owes[x as usize].len())
                .sum();
            let bcost: usize = self
                .bfrontier
                .iter()
                .map(|&x| g.owed[x as usize].len())
                .sum();
            if fcost == 0 || bcost == 0 {
                return false;
            }
            self.next.clear();
            if fcost <= bcost {
                for &x in &self.frontier {
                    for l in &g.owes[x as usize] {
                        scanned += 1;
                        let y = l.peer as usize;
                        if self.fwd_seen[y] == s {
                            continue;
                        }
                        self.fwd_seen[y] = s;
                        self.fwd_prev[y] = x;
                        if self.bwd_seen[y] == s {
                            meet = y as u32;
                            break 'search;
                        }
                        self.next.push(y as u32);
                    }
                    if scanned > self.budget {
                        return false;
                    }
                }
                std::mem::swap(&mut self.frontier, &mut self.next);
                fd += 1;
            } else {
                for &x in &self.bfrontier {
                    for l in &g.owed[x as usize] {
                        scanned += 1;
                        let y = l.peer as usize;
                        if self.bwd_seen[y] == s {
                            continue;
                        }
                        self.bwd_seen[y] = s;
                        self.bwd_next[y] = x;
                        if self.fwd_seen[y] == s {
                            meet = y as u32;
                            break 'search;
                        }
                        self.next.push(y as u32);
                    }
                    if scanned > self.budget {
                        return false;
                    }
                }
                std::mem::swap(&mut self.bfrontier, &mut self.next);
                bd += 1;
            }
        }
        if meet == u32::MAX {
            return false;
        }
        // Assemble from ⇝ meet ⇝ to, then cut any loop so the path is simple.
        self.path.clear();
        let mut x = meet;
        while x != u32::MAX {
            self.path.push(x);
            x = self.fwd_prev[x as usize];
        }
        self.path.reverse();
        let mut x = self.bwd_next[meet as usize];
        while x != u32::MAX {
            self.path.push(x);
            x = self.bwd_next[x as usize];
        }
        let mut simple: Vec<u32> = Vec::with_capacity(self.path.len());
        for &p in &self.path {
            if let Some(i) = simple.iter().position(|&q| q == p) {
                simple.truncate(i);
            }
            simple.push(p);
        }
        debug_assert!(simple.len() >= 2 && simple.len() <= self.max_len);
        self.path = simple;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Debt;

    #[test]
    fn clears_a_triangle_through_the_touched_debt() {
        let mut g =
            DebtGraph::from_debts(&[Debt::new(0, 1, 10), Debt::new(1, 2, 7), Debt::new(2, 0, 12)])
                .unwrap();
        let r = LocalClearer::default().clear_around(&mut g, &[(0, 1)]);
        assert_eq!(r.total, 21);
        assert_eq!(r.cycles.len(), 1);
        assert_eq!(r.cycles[0].participants, vec![0, 1, 2]);
        assert_eq!(g.debts(), vec![Debt::new(0, 1, 3), Debt::new(2, 0, 5)]);
    }

    #[test]
    fn respects_the_length_limit() {
        let ring: Vec<Debt> = (0..7u32).map(|i| Debt::new(i, (i + 1) % 7, 5)).collect();
        let mut g = DebtGraph::from_debts(&ring).unwrap();
        let r = LocalClearer::default().clear_around(&mut g, &[(0, 1)]);
        assert_eq!(
            r.total, 0,
            "a 7-cycle is longer than the default limit of 6"
        );
        let r = LocalClearer::new(7)
            .unwrap()
            .clear_around(&mut g, &[(0, 1)]);
        assert_eq!(r.total, 35);
        assert_eq!(g.debt_count(), 0);
    }

    #[test]
    fn two_cycle_and_invalid_limit() {
        let mut g = DebtGraph::from_debts(&[Debt::new(0, 1, 4), Debt::new(1, 0, 9)]).unwrap();
        let r = LocalClearer::new(2)
            .unwrap()
            .clear_around(&mut g, &[(1, 0)]);
        assert_eq!(r.total, 8);
        assert_eq!(g.debts(), vec![Debt::new(1, 0, 5)]);
        assert_eq!(
            LocalClearer::new(1).unwrap_err().code(),
            "E_CLEARING_INVALID_CYCLE_LENGTH"
        );
    }
}
