//! An incrementally updated debt graph of one equivalent, for the local clearing pass.

use crate::error::ClearingError;
use crate::types::Debt;

/// One side of a debt as seen from a participant: the other party and the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) peer: u32,
    pub(crate) amount: u64,
}

/// Debts between participants (dense `u32` ids), with per-participant out (owes) and in (is owed)
/// adjacency, so the hub can keep it current after every payment.
///
/// At most one debt per ordered pair; zero debts are removed. Ids should be dense: the graph
/// allocates adjacency up to the largest id seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DebtGraph {
    /// `owes[u]`: creditors of `u` with amounts.
    pub(crate) owes: Vec<Vec<Link>>,
    /// `owed[v]`: debtors of `v` with amounts (mirror of `owes`).
    pub(crate) owed: Vec<Vec<Link>>,
    debt_count: usize,
}

fn find(links: &[Link], peer: u32) -> Option<usize> {
    links.iter().position(|l| l.peer == peer)
}

fn put(links: &mut Vec<Link>, peer: u32, amount: u64) {
    match (find(links, peer), amount) {
        (Some(i), 0) => {
            links.swap_remove(i);
        }
        (Some(i), a) => links[i].amount = a,
        (None, 0) => {}
        (None, a) => links.push(Link { peer, amount: a }),
    }
}

impl DebtGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a graph from a debt list, summing duplicates of the same ordered pair.
    pub fn from_debts(debts: &[Debt]) -> Result<Self, ClearingError> {
        let mut g = Self::new();
        for (index, d) in debts.iter().enumerate() {
            if d.debtor == d.creditor {
                return Err(ClearingError::SelfDebt {
                    index: Some(index),
                    participant: d.debtor,
                });
            }
            g.add_debt(d.debtor, d.creditor, d.amount)?;
        }
        Ok(g)
    }

    /// Number of participant slots (largest id seen + 1).
    pub fn participant_count(&self) -> usize {
        self.owes.len()
    }

    /// Number of positive debts.
    pub fn debt_count(&self) -> usize {
        self.debt_count
    }

    /// What `debtor` currently owes `creditor` (0 if nothing).
    pub fn debt(&self, debtor: u32, creditor: u32) -> u64 {
        self.owes
            .get(debtor as usize)
            .and_then(|l| find(l, creditor).map(|i| l[i].amount))
            .unwrap_or(0)
    }

    /// Sets the debt of `debtor` to `creditor` to `amount` (0 removes it); returns the previous amount.
    pub fn set_debt(
        &mut self,
        debtor: u32,
        creditor: u32,
        amount: u64,
    ) -> Result<u64, ClearingError> {
        if debtor == creditor {
            return Err(ClearingError::SelfDebt {
                index: None,
                participant: debtor,
            });
        }
        let hi = debtor.max(creditor) as usize;
        if amount > 0 && self.owes.len() <= hi {
            self.owes.resize_with(hi + 1, Vec::new);
            self.owed.resize_with(hi + 1, Vec::new);
        }
        let prev = self.debt(debtor, creditor);
        if prev == amount {
            return Ok(prev);
        }
        put(&mut self.owes[debtor as usize], creditor, amount);
        put(&mut self.owed[creditor as usize], debtor, amount);
        match (prev, amount) {
            (0, _) => self.debt_count += 1,
            (_, 0) => self.debt_count -= 1,
            _ => {}
        }
        Ok(prev)
    }

    /// Increases the debt of `debtor` to `creditor` by `amount`; returns the new amount.
    pub fn add_debt(
        &mut self,
        debtor: u32,
        creditor: u32,
        amount: u64,
    ) -> Result<u64, ClearingError> {
        let new = self
            .debt(debtor, creditor)
            .checked_add(amount)
            .ok_or(ClearingError::AmountOverflow { debtor, creditor })?;
        self.set_debt(debtor, creditor, new)?;
        Ok(new)
    }

    /// Removes the debt of `debtor` to `creditor`; returns the amount it had.
    pub fn remove_debt(&mut self, debtor: u32, creditor: u32) -> u64 {
        if debtor == creditor {
            return 0;
        }
        self.set_debt(debtor, creditor, 0).unwrap_or(0)
    }

    /// Creditors of `debtor` with the amounts owed to them (unordered).
    pub fn creditors_of(&self, debtor: u32) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.owes
            .get(debtor as usize)
            .into_iter()
            .flatten()
            .map(|l| (l.peer, l.amount))
    }

    /// Debtors of `creditor` with the amounts they owe (unordered).
    pub fn debtors_of(&self, creditor: u32) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.owed
            .get(creditor as usize)
            .into_iter()
            .flatten()
            .map(|l| (l.peer, l.amount))
    }

    /// Rebuilds a graph from both adjacency lists in their given order (as [`Self::creditors_of`]
    /// and [`Self::debtors_of`] list them for each id), so a graph saved and restored keeps the order
    /// the local pass follows. `None` when the lists do not mirror each other exactly.
    pub fn from_adjacency(owes: Vec<Vec<(u32, u64)>>, owed: Vec<Vec<(u32, u64)>>) -> Option<Self> {
        if owes.len() != owed.len() || owes.len() > u32::MAX as usize {
            return None;
        }
        let links = |lists: Vec<Vec<(u32, u64)>>| -> Vec<Vec<Link>> {
            lists
                .into_iter()
                .map(|l| {
                    l.into_iter()
                        .map(|(peer, amount)| Link { peer, amount })
                        .collect()
                })
                .collect()
        };
        let g = DebtGraph {
            debt_count: owes.iter().map(Vec::len).sum(),
            owes: links(owes),
            owed: links(owed),
        };
        let mirrored = |from: &[Vec<Link>], to: &[Vec<Link>]| {
            from.iter().enumerate().all(|(u, list)| {
                list.iter().all(|l| {
                    l.amount > 0
                        && l.peer as usize != u
                        && find(list, l.peer).is_some_and(|i| std::ptr::eq(&list[i], l))
                        && to.get(l.peer as usize).is_some_and(|back| {
                            find(back, u as u32).is_some_and(|i| back[i].amount == l.amount)
                        })
                })
            })
        };
        let in_count: usize = g.owed.iter().map(Vec::len).sum();
        (in_count == g.debt_count && mirrored(&g.owes, &g.owed) && mirrored(&g.owed, &g.owes))
            .then_some(g)
    }

    /// All positive debts, sorted by (debtor, creditor): the input for [`crate::optimal_clearing`].
    pub fn debts(&self) -> Vec<Debt> {
        let mut out = Vec::with_capacity(self.debt_count);
        for (u, links) in self.owes.iter().enumerate() {
            out.extend(links.iter().map(|l| Debt::new(u as u32, l.peer, l.amount)));
        }
        out.sort_unstable_by_key(|d| (d.debtor, d.creditor));
        out
    }

    /// Sum of all debts.
    pub fn total_debt(&self) -> u128 {
        self.owes
            .iter()
            .flatten()
            .map(|l| u128::from(l.amount))
            .sum()
    }

    /// Reduces the debt `debtor -> creditor` by `amount`, which must not exceed it.
    pub(crate) fn reduce(&mut self, debtor: u32, creditor: u32, amount: u64) {
        let cur = self.debt(debtor, creditor);
        debug_assert!(amount <= cur);
        self.set_debt(debtor, creditor, cur - amount)
            .expect("debtor != creditor on a cycle");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_add_remove_keep_both_adjacencies_in_sync() {
        let mut g = DebtGraph::new();
        assert_eq!(g.set_debt(0, 3, 5).unwrap(), 0);
        assert_eq!(g.add_debt(0, 3, 2).unwrap(), 7);
        g.set_debt(2, 3, 1).unwrap();
        assert_eq!(g.debt_count(), 2);
        assert_eq!(g.debtors_of(3).count(), 2);
        assert_eq!(g.remove_debt(0, 3), 7);
        assert_eq!(g.debt(0, 3), 0);
        assert_eq!(g.debtors_of(3).collect::<Vec<_>>(), vec![(2, 1)]);
        assert_eq!(g.creditors_of(0).count(), 0);
        assert_eq!(g.debt_count(), 1);
        assert_eq!(g.total_debt(), 1);
    }

    #[test]
    fn rejects_self_debt_and_overflow() {
        let mut g = DebtGraph::new();
        assert_eq!(
            g.set_debt(1, 1, 1).unwrap_err().code(),
            "E_CLEARING_SELF_DEBT"
        );
        g.set_debt(0, 1, u64::MAX).unwrap();
        assert_eq!(
            g.add_debt(0, 1, 1).unwrap_err().code(),
            "E_CLEARING_AMOUNT_OVERFLOW"
        );
        assert_eq!(g.debt(0, 1), u64::MAX);
    }

    #[test]
    fn from_debts_sums_duplicates() {
        let g =
            DebtGraph::from_debts(&[Debt::new(0, 1, 2), Debt::new(0, 1, 3), Debt::new(1, 0, 0)])
                .unwrap();
        assert_eq!(g.debts(), vec![Debt::new(0, 1, 5)]);
    }

    #[test]
    fn adjacency_round_trips_in_order_and_mismatches_are_refused() {
        let mut g = DebtGraph::new();
        g.set_debt(0, 3, 5).unwrap();
        g.set_debt(0, 2, 4).unwrap();
        g.set_debt(1, 3, 1).unwrap();
        g.set_debt(0, 3, 0).unwrap();
        g.set_debt(0, 3, 6).unwrap();
        let n = g.participant_count() as u32;
        let owes: Vec<Vec<_>> = (0..n).map(|u| g.creditors_of(u).collect()).collect();
        let owed: Vec<Vec<_>> = (0..n).map(|u| g.debtors_of(u).collect()).collect();
        let back = DebtGraph::from_adjacency(owes.clone(), owed.clone()).unwrap();
        assert_eq!(back, g);
        assert_eq!(
            back.creditors_of(0).collect::<Vec<_>>(),
            vec![(2, 4), (3, 6)]
        );
        let mut wrong = owed.clone();
        wrong[3][0].1 += 1;
        assert_eq!(DebtGraph::from_adjacency(owes.clone(), wrong), None);
        let mut twice = owes.clone();
        twice[0].push((2, 4));
        assert_eq!(DebtGraph::from_adjacency(twice, owed.clone()), None);
        assert_eq!(DebtGraph::from_adjacency(owes, owed[..3].to_vec()), None);
    }
}
