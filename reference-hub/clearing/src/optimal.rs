//! The exact optimal clearing: SCC decomposition, then one exact min-cost-flow solve per
//! strongly connected component (only debts inside a component can be set off).

use crate::error::ClearingError;
use crate::primal_dual::PrimalDual;
use crate::scc;
use crate::simplex::Simplex;
use crate::types::{Clearing, Debt};

/// The exact algorithm used per strongly connected component; both reach the same optimal total
/// (the per-debt set-offs may differ where several optima exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Solver {
    /// Primal-dual shortest augmenting paths on the remainder formulation; the fast default
    /// (about 25× faster than the simplex at 10k participants).
    #[default]
    PrimalDual,
    /// Primal network simplex with block-search pivots (LEMON-style); an independent cross-check.
    NetworkSimplex,
}

/// Computes the set-off that cancels the most debt while keeping every net position unchanged.
///
/// Exact: the result is an optimal integer circulation `0 <= c_e <= d_e`. Excluded debts (no
/// consent) are simply left out of `debts`; duplicates and zero amounts are allowed.
pub fn optimal_clearing(debts: &[Debt]) -> Result<Clearing, ClearingError> {
    optimal_clearing_with(debts, Solver::default())
}

/// [`optimal_clearing`] with an explicit choice of exact algorithm (for cross-checks and benchmarks).
pub fn optimal_clearing_with(debts: &[Debt], solver: Solver) -> Result<Clearing, ClearingError> {
    for (index, d) in debts.iter().enumerate() {
        if d.debtor == d.creditor {
            return Err(ClearingError::SelfDebt {
                index: Some(index),
                participant: d.debtor,
            });
        }
    }
    // Arc and node indices are u32 in the solver; node count <= 2 * debts, plus the root.
    if debts.len() > (u32::MAX as usize - 1) / 3 {
        return Err(ClearingError::TooLarge { debts: debts.len() });
    }
    let mut set_off = vec![0u64; debts.len()];
    let live: Vec<u32> = (0..debts.len() as u32)
        .filter(|&i| debts[i as usize].amount > 0)
        .collect();
    if live.is_empty() {
        return Ok(Clearing { set_off, total: 0 });
    }

    // Dense node ids for the participants that appear in a positive debt.
    let mut ids: Vec<u32> = Vec::with_capacity(live.len() * 2);
    for &i in &live {
        let d = &debts[i as usize];
        ids.push(d.debtor);
        ids.push(d.creditor);
    }
    ids.sort_unstable();
    ids.dedup();
    let n = ids.len();
    let dense = |p: u32| ids.binary_search(&p).expect("participant collected above") as u32;
    let ends: Vec<(u32, u32)> = live
        .iter()
        .map(|&i| {
            let d = &debts[i as usize];
            (dense(d.debtor), dense(d.creditor))
        })
        .collect();

    // CSR adjacency for the SCC pass.
    let mut offsets = vec![0u32; n + 1];
    for &(u, _) in &ends {
        offsets[u as usize + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut heads = vec![0u32; ends.len()];
    for &(u, v) in &ends {
        heads[fill[u as usize] as usize] = v;
        fill[u as usize] += 1;
    }
    drop(fill);
    let (comp, comp_count) = scc::components(&offsets, &heads);
    drop(heads);
    drop(offsets);

    // Local node index inside each component, and component sizes.
    let comps = comp_count as usize;
    let mut size = vec![0u32; comps];
    let mut local = vec![0u32; n];
    for v in 0..n {
        let c = comp[v] as usize;
        local[v] = size[c];
        size[c] += 1;
    }
    // Bucket the arcs that stay inside one component (only they can be set off).
    let mut start = vec![0u32; comps + 1];
    for &(u, v) in &ends {
        if comp[u as usize] == comp[v as usize] {
            start[comp[u as usize] as usize + 1] += 1;
        }
    }
    for c in 0..comps {
        start[c + 1] += start[c];
    }
    let mut fill = start.clone();
    let mut bucket = vec![0u32; start[comps] as usize];
    for (k, &(u, v)) in ends.iter().enumerate() {
        let c = comp[u as usize];
        if c == comp[v as usize] {
            bucket[fill[c as usize] as usize] = k as u32;
            fill[c as usize] += 1;
        }
    }

    let mut simplex = Simplex::default();
    let mut primal_dual = PrimalDual::default();
    let mut total: u128 = 0;
    for c in 0..comps {
        let arcs = &bucket[start[c] as usize..start[c + 1] as usize];
        if arcs.is_empty() {
            continue;
        }
        let input = arcs.iter().map(|&k| {
            let (u, v) = ends[k as usize];
            (
                local[u as usize],
                local[v as usize],
                debts[live[k as usize] as usize].amount,
            )
        });
        let nodes = size[c] as usize;
        match solver {
            Solver::NetworkSimplex => simplex.solve(nodes, input),
            Solver::PrimalDual => primal_dual.solve(nodes, input),
        }
        for (j, &k) in arcs.iter().enumerate() {
            let f = match solver {
                Solver::NetworkSimplex => simplex.flow(j),
                Solver::PrimalDual => primal_dual.flow(j),
            };
            set_off[live[k as usize] as usize] = f;
            total += u128::from(f);
        }
    }
    Ok(Clearing { set_off, total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_self_debt_with_its_index() {
        let debts = [Debt::new(0, 1, 5), Debt::new(2, 2, 1)];
        let err = optimal_clearing(&debts).unwrap_err();
        assert_eq!(
            err,
            ClearingError::SelfDebt {
                index: Some(1),
                participant: 2
            }
        );
        assert_eq!(err.code(), "E_CLEARING_SELF_DEBT");
    }

    #[test]
    fn sparse_participant_ids_are_fine() {
        let debts = [
            Debt::new(4_000_000_000, 7, 9),
            Debt::new(7, 123_456, 9),
            Debt::new(123_456, 4_000_000_000, 2),
        ];
        let c = optimal_clearing(&debts).unwrap();
        assert_eq!(c.set_off, vec![2, 2, 2]);
        assert_eq!(c.total, 6);
    }

    #[test]
    fn empty_and_zero_inputs() {
        assert_eq!(optimal_clearing(&[]).unwrap(), Clearing::default());
        let c = optimal_clearing(&[Debt::new(0, 1, 0), Debt::new(1, 0, 0)]).unwrap();
        assert_eq!(c.set_off, vec![0, 0]);
        assert_eq!(c.total, 0);
    }
}
