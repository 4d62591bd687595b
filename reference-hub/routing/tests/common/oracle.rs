//! Exact oracle: the hop- and path-limited integral optimum F, a MILP over every valid path.
//!
//! Independent of the router: it enumerates every simple path of at most `max_hops` hops with
//! positive capacity that passes the route checker's rules, and asks `microlp` (pure-Rust branch
//! and bound) for `max Σ x_p` with integer `x_p ≤ bottleneck_p · y_p`, binary `y_p`,
//! `Σ y_p ≤ max_paths` and `Σ_{p ∋ a} x_p ≤ capacity_a`. The solution is rounded and re-checked
//! in integers. Floats live only here, in the test oracle, never in the library.

use geo_routing::{check_route, ArcId, Constraints, Graph, NodeId, Path, Route};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, TerminationReason};
use std::collections::HashMap;

/// What the oracle proved about one payer → payee pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Optimum {
    /// A verified feasible route of this value exists: `lower ≤ F`.
    pub lower: u64,
    /// No route carries more: `F ≤ upper` (equal to `lower` when proven exact).
    pub upper: u64,
    /// Number of valid paths the MILP chose from.
    pub paths: usize,
    /// The MILP's route as (node list, amount) per path, when it found one.
    pub best: Vec<(Vec<u32>, u64)>,
}

/// Why the oracle has no answer for a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsolved {
    /// More valid paths than the enumeration limit.
    TooManyPaths,
    /// A path's bottleneck does not fit the solver's `i32` integer bounds.
    TooLarge,
    /// The LP solver failed numerically.
    NotProven,
}

/// Every valid path (arc lists) from `s` to `t`, or `None` beyond `limit` paths.
pub fn enumerate_paths(
    g: &Graph,
    s: NodeId,
    t: NodeId,
    c: &Constraints,
    limit: usize,
) -> Option<Vec<Vec<u32>>> {
    struct Walk<'a> {
        g: &'a Graph,
        s: NodeId,
        t: NodeId,
        c: &'a Constraints,
        limit: usize,
        nodes: Vec<u32>,
        arcs: Vec<u32>,
        out: Vec<Vec<u32>>,
    }
    impl Walk<'_> {
        /// False once the limit is exceeded.
        fn extend(&mut self) -> bool {
            let u = *self.nodes.last().unwrap();
            let arcs: Vec<(NodeId, ArcId)> = self.g.out_arcs(NodeId(u)).collect();
            for (v, a) in arcs {
                if self.g.capacity(a) == 0 || self.nodes.contains(&v.0) {
                    continue;
                }
                if v == self.t {
                    self.arcs.push(a.0);
                    self.nodes.push(v.0);
                    if self.valid() {
                        if self.out.len() == self.limit {
                            return false;
                        }
                        self.out.push(self.arcs.clone());
                    }
                    self.arcs.pop();
                    self.nodes.pop();
                    continue;
                }
                if self.arcs.len() + 2 > self.c.max_hops as usize
                    || !self.g.is_routable(v)
                    || self.c.avoid.contains(&v)
                    || !self.g.can_be_intermediate(a)
                {
                    continue;
                }
                self.arcs.push(a.0);
                self.nodes.push(v.0);
                let more = self.extend();
                self.arcs.pop();
                self.nodes.pop();
                if !more {
                    return false;
                }
            }
            true
        }

        /// The checker's verdict on the current path at amount 1. Without blocked sets the walk
        /// already enforces every rule (hops, simplicity, suspension, avoid list, intermediates).
        fn valid(&self) -> bool {
            if self.g.blocked_participants_count() == 0 {
                return true;
            }
            let route = Route {
                from: self.s,
                to: self.t,
                amount: 1,
                paths: vec![Path {
                    nodes: self.nodes.iter().map(|&v| NodeId(v)).collect(),
                    arcs: self.arcs.iter().map(|&a| ArcId(a)).collect(),
                    amount: 1,
                }],
            };
            check_route(self.g, self.s, self.t, 1, self.c, &route).is_ok()
        }
    }
    if s == t
        || !g.is_routable(s)
        || !g.is_routable(t)
        || c.avoid.contains(&s)
        || c.avoid.contains(&t)
    {
        return Some(Vec::new());
    }
    let mut w = Walk {
        g,
        s,
        t,
        c,
        limit,
        nodes: vec![s.0],
        arcs: Vec::new(),
        out: Vec::new(),
    };
    w.extend().then_some(w.out)
}

/// Bounds of the hop- and path-limited integral optimum F from `s` to `t`: `lower ≤ F ≤ upper`,
/// equal when proven. `upper` is the LP relaxation (with the path limit as the valid cut
/// `Σ x_p / bottleneck_p ≤ max_paths`); `lower` the best verified integral route of at most
/// `max_paths` paths among the LP's rounded solution, `known` (a route value the caller proved
/// feasible, e.g. the router's) and the MILP's (integer `x_p`, binary path choices) within
/// `node_limit` branch-and-bound nodes (deterministic, unlike a time limit), which also proves
/// `upper` when it finishes.
pub fn optimum(
    g: &Graph,
    s: NodeId,
    t: NodeId,
    c: &Constraints,
    known: u64,
    path_limit: usize,
    node_limit: u64,
) -> Result<Optimum, Unsolved> {
    let paths = enumerate_paths(g, s, t, c, path_limit).ok_or(Unsolved::TooManyPaths)?;
    if paths.is_empty() {
        return Ok(Optimum {
            lower: 0,
            upper: 0,
            paths: 0,
            best: Vec::new(),
        });
    }
    let bottleneck: Vec<u64> = paths
        .iter()
        .map(|p| p.iter().map(|&a| g.capacity(ArcId(a))).min().unwrap())
        .collect();
    if bottleneck.iter().any(|&b| b > i32::MAX as u64) {
        return Err(Unsolved::TooLarge);
    }
    let limited = paths.len() > c.max_paths as usize;
    let mut on_arc: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        for &a in p {
            on_arc.entry(a).or_default().push(i);
        }
    }
    let mut shared: Vec<(u32, Vec<usize>)> = on_arc.into_iter().filter(|e| e.1.len() > 1).collect();
    shared.sort_unstable_by_key(|e| e.0);

    // The LP relaxation: the upper bound, and a rounded solution as a first lower bound.
    let mut lp = Problem::new(OptimizationDirection::Maximize);
    let x: Vec<_> = bottleneck
        .iter()
        .map(|&b| lp.add_var(1.0, (0.0, b as f64)))
        .collect();
    for (a, users) in &shared {
        let row: Vec<_> = users.iter().map(|&i| (x[i], 1.0)).collect();
        lp.add_constraint(&row[..], ComparisonOp::Le, g.capacity(ArcId(*a)) as f64);
    }
    if limited {
        let row: Vec<_> = x
            .iter()
            .zip(&bottleneck)
            .map(|(&v, &b)| (v, 1.0 / b as f64))
            .collect();
        lp.add_constraint(&row[..], ComparisonOp::Le, c.max_paths as f64);
    }
    let relaxed = lp
        .solve()
        .map_err(|_| Unsolved::NotProven)?
        .into_solution()
        .map_err(|_| Unsolved::NotProven)?;
    let objective = relaxed.objective();
    let upper = (objective + 1e-6 * objective.max(1.0)).floor() as u64;
    let rounded: Vec<u64> = x
        .iter()
        .map(|&v| (relaxed.var_value(v) + 1e-6).floor().max(0.0) as u64)
        .collect();
    let mut lower = known.max(verified(g, s, t, c, &paths, &rounded).unwrap_or(0));
    if lower < upper {
        // The MILP closes the gap (or raises the lower bound) within the time limit.
        let mut mip = Problem::new(OptimizationDirection::Maximize);
        let x: Vec<_> = bottleneck
            .iter()
            .map(|&b| mip.add_integer_var(1.0, (0, b as i32)))
            .collect();
        if limited {
            let y: Vec<_> = paths.iter().map(|_| mip.add_binary_var(0.0)).collect();
            for i in 0..paths.len() {
                mip.add_constraint(
                    [(x[i], 1.0), (y[i], -(bottleneck[i] as f64))],
                    ComparisonOp::Le,
                    0.0,
                );
            }
            let all: Vec<_> = y.iter().map(|&v| (v, 1.0)).collect();
            mip.add_constraint(&all[..], ComparisonOp::Le, c.max_paths as f64);
        }
        for (a, users) in &shared {
            let row: Vec<_> = users.iter().map(|&i| (x[i], 1.0)).collect();
            mip.add_constraint(&row[..], ComparisonOp::Le, g.capacity(ArcId(*a)) as f64);
        }
        let mut options = SolveOptions::default();
        options.node_limit = Some(node_limit);
        if let Ok(outcome) = mip.solve_with(options) {
            let proven = outcome.termination_reason() == TerminationReason::ProvenOptimal;
            if let Ok(solution) = outcome.into_solution() {
                let amounts: Vec<u64> = x
                    .iter()
                    .map(|&v| solution.var_value(v).round().max(0.0) as u64)
                    .collect();
                if let Some(v) = verified(g, s, t, c, &paths, &amounts) {
                    lower = lower.max(v);
                    if proven {
                        let objective = solution.objective();
                        assert!(
                            (objective - v as f64).abs() < 1.0,
                            "rounding moved {objective} to {v}"
                        );
                        let best = paths
                            .iter()
                            .zip(&amounts)
                            .filter(|(_, &a)| a > 0)
                            .map(|(p, &a)| {
                                let nodes = std::iter::once(s.0)
                                    .chain(p.iter().map(|&a| g.arc_ends(ArcId(a)).unwrap().1 .0))
                                    .collect();
                                (nodes, a)
                            })
                            .collect();
                        return Ok(Optimum {
                            lower,
                            upper: lower,
                            paths: paths.len(),
                            best,
                        });
                    }
                }
            }
        }
    }
    assert!(
        lower <= upper,
        "a feasible route of {lower} above the LP bound {upper}"
    );
    Ok(Optimum {
        lower,
        upper,
        paths: paths.len(),
        best: Vec::new(),
    })
}

/// The value of the route given by per-path amounts, if it passes the checker (capacities, path
/// limit, hops, policies).
fn verified(
    g: &Graph,
    s: NodeId,
    t: NodeId,
    c: &Constraints,
    paths: &[Vec<u32>],
    amounts: &[u64],
) -> Option<u64> {
    let route = Route {
        from: s,
        to: t,
        amount: amounts.iter().sum(),
        paths: paths
            .iter()
            .zip(amounts)
            .filter(|(_, &a)| a > 0)
            .map(|(p, &a)| Path {
                nodes: std::iter::once(s)
                    .chain(p.iter().map(|&a| g.arc_ends(ArcId(a)).unwrap().1))
                    .collect(),
                arcs: p.iter().map(|&a| ArcId(a)).collect(),
                amount: a,
            })
            .collect(),
    };
    if route.amount == 0 {
        return Some(0);
    }
    check_route(g, s, t, route.amount, c, &route)
        .ok()
        .map(|()| route.amount)
}
