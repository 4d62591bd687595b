//! Exact route checker: independent of the router, used by tests and by the hub's debug assertions.

use std::collections::HashMap;

use crate::{Constraints, Graph, NodeId, Route};

/// Why a route is not acceptable for a request on a graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteViolation {
    /// The route's payer, payee or total differ from the request.
    #[error("route does not match the request")]
    RequestMismatch,
    /// Path amounts do not sum to the route amount (or overflow).
    #[error("path amounts do not sum to the route amount")]
    SumMismatch,
    /// More paths than `max_paths`.
    #[error("too many paths")]
    TooManyPaths,
    /// A path is empty, has amount 0, does not go from payer to payee, or its arcs do not join its nodes.
    #[error("path {0} is malformed")]
    MalformedPath(usize),
    /// A path has more hops than `max_hops`.
    #[error("path {0} is longer than the hop limit")]
    TooManyHops(usize),
    /// A path visits a participant twice.
    #[error("path {0} is not simple")]
    NotSimple(usize),
    /// A path uses a suspended participant.
    #[error("path {0} uses a suspended participant")]
    NotRoutable(usize),
    /// A path uses an avoided participant as intermediate.
    #[error("path {0} uses an avoided participant")]
    Avoided(usize),
    /// A path continues from a node entered through an arc with `can_be_intermediate = false`.
    #[error("path {0} relays through a creditor that refuses to be intermediate")]
    IntermediateRefused(usize),
    /// A path has an intermediate blocked by one of its arcs' creditors.
    #[error("path {0} has a blocked intermediate")]
    Blocked(usize),
    /// The paths together exceed an arc's capacity.
    #[error("arc {0} over capacity")]
    OverCapacity(u32),
}

/// Checks that a single path (nodes and arcs) satisfies the hop limit and all policies.
///
/// Shared by [`check_route`] and the router's own candidate validation.
pub(crate) fn path_violation(
    g: &Graph,
    nodes: &[u32],
    arcs: &[u32],
    max_hops: usize,
    avoided: impl Fn(u32) -> bool,
    index: usize,
) -> Option<RouteViolation> {
    let n = g.node_count();
    if arcs.is_empty() || nodes.len() != arcs.len() + 1 {
        return Some(RouteViolation::MalformedPath(index));
    }
    if arcs.len() > max_hops {
        return Some(RouteViolation::TooManyHops(index));
    }
    for (i, &a) in arcs.iter().enumerate() {
        let ai = a as usize;
        if ai >= g.arc_count() || g.tail[ai] != nodes[i] || g.head[ai] != nodes[i + 1] {
            return Some(RouteViolation::MalformedPath(index));
        }
    }
    for (i, &v) in nodes.iter().enumerate() {
        if v as usize >= n {
            return Some(RouteViolation::MalformedPath(index));
        }
        if nodes[..i].contains(&v) {
            return Some(RouteViolation::NotSimple(index));
        }
        if !g.routable[v as usize] {
            return Some(RouteViolation::NotRoutable(index));
        }
    }
    let inner = &nodes[1..nodes.len() - 1];
    if inner.iter().any(|&v| avoided(v)) {
        return Some(RouteViolation::Avoided(index));
    }
    // Every arc but the last enters an intermediate.
    if arcs[..arcs.len() - 1]
        .iter()
        .any(|&a| !g.can_be_intermediate[a as usize])
    {
        return Some(RouteViolation::IntermediateRefused(index));
    }
    if g.blocked_arcs > 0 {
        for &a in arcs {
            if inner.iter().any(|&v| g.is_blocked(a, v)) {
                return Some(RouteViolation::Blocked(index));
            }
        }
    }
    None
}

/// Verifies a route exactly: payer, payee and total, path count, hop limit, per-arc capacities
/// (summed over paths), suspended participants, avoid list, and creditor policies.
pub fn check_route(
    graph: &Graph,
    from: NodeId,
    to: NodeId,
    amount: u64,
    constraints: &Constraints,
    route: &Route,
) -> Result<(), RouteViolation> {
    if route.from != from || route.to != to || route.amount != amount {
        return Err(RouteViolation::RequestMismatch);
    }
    if route.paths.len() > constraints.max_paths as usize {
        return Err(RouteViolation::TooManyPaths);
    }
    if constraints.avoid.contains(&from) || constraints.avoid.contains(&to) {
        return Err(RouteViolation::Avoided(0));
    }
    let mut total: u64 = 0;
    let mut usage: HashMap<u32, u64> = HashMap::new();
    let mut nodes = Vec::new();
    let mut arcs = Vec::new();
    for (i, p) in route.paths.iter().enumerate() {
        if p.amount == 0 || p.nodes.first() != Some(&from) || p.nodes.last() != Some(&to) {
            return Err(RouteViolation::MalformedPath(i));
        }
        nodes.clear();
        nodes.extend(p.nodes.iter().map(|n| n.0));
        arcs.clear();
        arcs.extend(p.arcs.iter().map(|a| a.0));
        if let Some(v) = path_violation(
            graph,
            &nodes,
            &arcs,
            constraints.max_hops as usize,
            |v| constraints.avoid.contains(&NodeId(v)),
            i,
        ) {
            return Err(v);
        }
        total = total
            .checked_add(p.amount)
            .ok_or(RouteViolation::SumMismatch)?;
        for &a in &arcs {
            let used = usage.entry(a).or_insert(0);
            *used = used
                .checked_add(p.amount)
                .ok_or(RouteViolation::OverCapacity(a))?;
            if *used > graph.cap[a as usize] {
                return Err(RouteViolation::OverCapacity(a));
            }
        }
    }
    if total != amount {
        return Err(RouteViolation::SumMismatch);
    }
    Ok(())
}
