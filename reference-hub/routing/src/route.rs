//! The router's output: a set of paths whose amounts sum to the requested amount.

use crate::{ArcId, NodeId};

/// One path of a route: `nodes[0]` is the payer, the last node the payee, `arcs[i]` joins `nodes[i]`
/// to `nodes[i + 1]`; the hub reserves `amount` on each arc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// Participants from payer to payee, without repetition.
    pub nodes: Vec<NodeId>,
    /// Arcs used, one per hop.
    pub arcs: Vec<ArcId>,
    /// Amount sent along this path, in minor units, `> 0`.
    pub amount: u64,
}

impl Path {
    /// Number of hops (arcs) of the path.
    pub fn hops(&self) -> usize {
        self.arcs.len()
    }
}

/// A complete route: path amounts sum exactly to `amount` and fit every arc's capacity together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Payer.
    pub from: NodeId,
    /// Payee.
    pub to: NodeId,
    /// Total amount routed, equal to the requested amount.
    pub amount: u64,
    /// The paths, shortest first where possible.
    pub paths: Vec<Path>,
}

/// The result of a capacity preview between two participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityPreview {
    /// The largest amount the router routes now under the constraints: exact for this router
    /// (`route(a)` succeeds iff `1 <= a <= max_amount` on the same graph, and a refusal's `found`
    /// equals it), never above the hop- and path-limited optimum; not a bound that might fail.
    pub max_amount: u64,
    /// A cheap upper bound: min(usable out-capacity of the payer, usable in-capacity of the payee).
    pub upper_bound: u64,
}
