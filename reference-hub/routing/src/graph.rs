//! The per-equivalent payment graph: directed arcs with available capacity and routing policies.
//!
//! An arc `u → v` carries the capacity for `u` to pay `v`:
//! `limit(v trusts u) − debt(u→v) + debt(v→u) − reservations(u→v)`. The hub computes it and
//! keeps it current with O(1) updates; the router only reads it.

use std::collections::HashMap;

use crate::{ArcId, NodeId, Route, RoutingError};

/// One adjacency entry: the node at the other end and the arc joining them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Adj {
    pub(crate) node: u32,
    pub(crate) arc: u32,
}

/// Inserts an adjacency entry keeping the list sorted by the node at the other end.
///
/// Every router tie-break follows adjacency order, so keeping it by node id (not by arc id, which
/// depends on the order arcs were created) makes routes depend only on node ids and capacities.
fn insert_sorted(list: &mut Vec<Adj>, node: u32, arc: u32) {
    let at = list.partition_point(|e| e.node < node);
    list.insert(at, Adj { node, arc });
}

/// Index limit for nodes and arcs (the router uses the top bit of arc ids internally).
const ID_LIMIT: usize = 1 << 31;

/// The payment graph of one equivalent, updated in place by the hub's single writer.
///
/// Changing capacities or policies is O(1); adding a node is O(1) amortised, adding an arc
/// O(degree) (adjacency lists are kept sorted by node id so routing does not depend on the order
/// arcs were created: the same node ids and capacities give the same routes).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub(crate) routable: Vec<bool>,
    pub(crate) out: Vec<Vec<Adj>>,
    pub(crate) inc: Vec<Vec<Adj>>,
    pub(crate) tail: Vec<u32>,
    pub(crate) head: Vec<u32>,
    pub(crate) cap: Vec<u64>,
    pub(crate) can_be_intermediate: Vec<bool>,
    pub(crate) blocked: Vec<Option<Box<[u32]>>>,
    pub(crate) blocked_arcs: usize,
    /// Arcs with positive capacity and a blocked set: whether the router needs its exhaustive
    /// fallback search. Counting only positive arcs keeps that choice the same in a graph rebuilt
    /// without the empty arcs a live hub keeps (a restart must not change a decision).
    pub(crate) live_blocked: usize,
    /// Per node, the number of outgoing / incoming arcs with positive capacity: the router's work
    /// unit, so its work budget does not depend on zero-capacity arcs a replay may not recreate.
    pub(crate) live_out: Vec<u32>,
    pub(crate) live_in: Vec<u32>,
    index: HashMap<(u32, u32), u32>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty graph with room for `nodes` participants and `arcs` arcs.
    pub fn with_capacity(nodes: usize, arcs: usize) -> Self {
        Graph {
            routable: Vec::with_capacity(nodes),
            out: Vec::with_capacity(nodes),
            inc: Vec::with_capacity(nodes),
            tail: Vec::with_capacity(arcs),
            head: Vec::with_capacity(arcs),
            cap: Vec::with_capacity(arcs),
            can_be_intermediate: Vec::with_capacity(arcs),
            blocked: Vec::with_capacity(arcs),
            blocked_arcs: 0,
            live_blocked: 0,
            live_out: Vec::with_capacity(nodes),
            live_in: Vec::with_capacity(nodes),
            index: HashMap::with_capacity(arcs),
        }
    }

    /// Number of participants (node indices are `0..node_count`).
    pub fn node_count(&self) -> usize {
        self.routable.len()
    }

    /// Number of arcs (arc indices are `0..arc_count`).
    pub fn arc_count(&self) -> usize {
        self.cap.len()
    }

    /// Adds a routable participant and returns its index.
    pub fn add_node(&mut self) -> Result<NodeId, RoutingError> {
        let id = self.routable.len();
        if id >= ID_LIMIT {
            return Err(RoutingError::GraphFull);
        }
        self.routable.push(true);
        self.out.push(Vec::new());
        self.inc.push(Vec::new());
        self.live_out.push(0);
        self.live_in.push(0);
        Ok(NodeId(id as u32))
    }

    /// Adds routable participants until there are at least `count`.
    pub fn ensure_nodes(&mut self, count: usize) -> Result<(), RoutingError> {
        while self.node_count() < count {
            self.add_node()?;
        }
        Ok(())
    }

    /// Whether `node` is an index of this graph.
    pub fn contains(&self, node: NodeId) -> bool {
        node.index() < self.node_count()
    }

    fn check_node(&self, node: NodeId) -> Result<(), RoutingError> {
        if self.contains(node) {
            Ok(())
        } else {
            Err(RoutingError::UnknownParticipant(node))
        }
    }

    fn check_arc(&self, arc: ArcId) -> Result<(), RoutingError> {
        if arc.index() < self.arc_count() {
            Ok(())
        } else {
            Err(RoutingError::UnknownArc(arc))
        }
    }

    /// Marks a participant routable or suspended; a suspended one can neither send, receive nor relay.
    pub fn set_routable(&mut self, node: NodeId, routable: bool) -> Result<(), RoutingError> {
        self.check_node(node)?;
        self.routable[node.index()] = routable;
        Ok(())
    }

    /// Whether the participant may take part in payments (false for unknown nodes).
    pub fn is_routable(&self, node: NodeId) -> bool {
        self.routable.get(node.index()).copied().unwrap_or(false)
    }

    /// The arc `from → to`, if it exists.
    pub fn arc(&self, from: NodeId, to: NodeId) -> Option<ArcId> {
        self.index.get(&(from.0, to.0)).map(|&a| ArcId(a))
    }

    /// Sets the available capacity of `from → to`, creating the arc if needed; returns its id.
    pub fn set_capacity(
        &mut self,
        from: NodeId,
        to: NodeId,
        capacity: u64,
    ) -> Result<ArcId, RoutingError> {
        self.check_node(from)?;
        self.check_node(to)?;
        if from == to {
            return Err(RoutingError::SelfLoop(from));
        }
        if let Some(&a) = self.index.get(&(from.0, to.0)) {
            self.put_cap(a as usize, capacity);
            return Ok(ArcId(a));
        }
        let a = self.cap.len();
        if a >= ID_LIMIT {
            return Err(RoutingError::GraphFull);
        }
        let a32 = a as u32;
        self.tail.push(from.0);
        self.head.push(to.0);
        self.cap.push(0);
        self.can_be_intermediate.push(true);
        self.blocked.push(None);
        insert_sorted(&mut self.out[from.index()], to.0, a32);
        insert_sorted(&mut self.inc[to.index()], from.0, a32);
        self.index.insert((from.0, to.0), a32);
        self.put_cap(a, capacity);
        Ok(ArcId(a32))
    }

    /// Sets the available capacity of an existing arc in O(1).
    pub fn set_arc_capacity(&mut self, arc: ArcId, capacity: u64) -> Result<(), RoutingError> {
        self.check_arc(arc)?;
        self.put_cap(arc.index(), capacity);
        Ok(())
    }

    /// Writes an arc's capacity, keeping the per-node counts of positive-capacity arcs.
    fn put_cap(&mut self, a: usize, capacity: u64) {
        let was = self.cap[a] > 0;
        let now = capacity > 0;
        self.cap[a] = capacity;
        if was != now {
            let (u, v) = (self.tail[a] as usize, self.head[a] as usize);
            let blocked = usize::from(self.blocked[a].is_some());
            if now {
                self.live_out[u] += 1;
                self.live_in[v] += 1;
                self.live_blocked += blocked;
            } else {
                self.live_out[u] -= 1;
                self.live_in[v] -= 1;
                self.live_blocked -= blocked;
            }
        }
    }

    /// Available capacity of an arc (0 for unknown arcs).
    pub fn capacity(&self, arc: ArcId) -> u64 {
        self.cap.get(arc.index()).copied().unwrap_or(0)
    }

    /// The `(from, to)` ends of an arc.
    pub fn arc_ends(&self, arc: ArcId) -> Option<(NodeId, NodeId)> {
        let i = arc.index();
        (i < self.arc_count()).then(|| (NodeId(self.tail[i]), NodeId(self.head[i])))
    }

    /// Outgoing arcs of a participant as `(payee, arc)` pairs, by increasing payee id.
    pub fn out_arcs(&self, node: NodeId) -> impl Iterator<Item = (NodeId, ArcId)> + '_ {
        self.out
            .get(node.index())
            .into_iter()
            .flatten()
            .map(|a| (NodeId(a.node), ArcId(a.arc)))
    }

    /// Incoming arcs of a participant as `(payer, arc)` pairs, by increasing payer id.
    pub fn in_arcs(&self, node: NodeId) -> impl Iterator<Item = (NodeId, ArcId)> + '_ {
        self.inc
            .get(node.index())
            .into_iter()
            .flatten()
            .map(|a| (NodeId(a.node), ArcId(a.arc)))
    }

    /// Sets the creditor's `can_be_intermediate` policy: if false, flow entering `v` through this
    /// arc must end at `v`.
    pub fn set_can_be_intermediate(
        &mut self,
        arc: ArcId,
        allowed: bool,
    ) -> Result<(), RoutingError> {
        self.check_arc(arc)?;
        self.can_be_intermediate[arc.index()] = allowed;
        Ok(())
    }

    /// Whether flow entering through `arc` may continue from its head.
    pub fn can_be_intermediate(&self, arc: ArcId) -> bool {
        self.can_be_intermediate
            .get(arc.index())
            .copied()
            .unwrap_or(false)
    }

    /// Sets the creditor's `blocked_participants` for an arc: none of them may be an intermediate
    /// anywhere on a path using this arc. An empty set clears the policy.
    pub fn set_blocked_participants(
        &mut self,
        arc: ArcId,
        blocked: impl IntoIterator<Item = NodeId>,
    ) -> Result<(), RoutingError> {
        self.check_arc(arc)?;
        let mut set: Vec<u32> = blocked.into_iter().map(|n| n.0).collect();
        set.sort_unstable();
        set.dedup();
        let live = usize::from(self.cap[arc.index()] > 0);
        let slot = &mut self.blocked[arc.index()];
        if slot.is_some() {
            self.blocked_arcs -= 1;
            self.live_blocked -= live;
        }
        *slot = if set.is_empty() {
            None
        } else {
            self.blocked_arcs += 1;
            self.live_blocked += live;
            Some(set.into_boxed_slice())
        };
        Ok(())
    }

    /// The blocked participants of an arc, sorted (empty if none).
    pub fn blocked_participants(&self, arc: ArcId) -> &[u32] {
        self.blocked
            .get(arc.index())
            .and_then(|b| b.as_deref())
            .unwrap_or(&[])
    }

    /// Number of arcs that carry a `blocked_participants` policy (0 lets the router skip those checks).
    pub fn blocked_participants_count(&self) -> usize {
        self.blocked_arcs
    }

    /// Whether `node` is in the arc's blocked set.
    #[inline]
    pub(crate) fn is_blocked(&self, arc: u32, node: u32) -> bool {
        match &self.blocked[arc as usize] {
            None => false,
            Some(set) => set.binary_search(&node).is_ok(),
        }
    }

    /// Total amount per arc used by a route, sorted by arc; checked against overflow.
    fn route_usage(&self, route: &Route) -> Result<Vec<(u32, u64)>, RoutingError> {
        let mut usage: Vec<(u32, u64)> = route
            .paths
            .iter()
            .flat_map(|p| p.arcs.iter().map(move |a| (a.0, p.amount)))
            .collect();
        for &(a, _) in &usage {
            self.check_arc(ArcId(a))?;
        }
        usage.sort_unstable_by_key(|x| x.0);
        let mut merged: Vec<(u32, u64)> = Vec::with_capacity(usage.len());
        for (a, x) in usage {
            match merged.last_mut() {
                Some(last) if last.0 == a => {
                    last.1 = last
                        .1
                        .checked_add(x)
                        .ok_or(RoutingError::CapacityOutOfRange { arc: ArcId(a) })?;
                }
                _ => merged.push((a, x)),
            }
        }
        Ok(merged)
    }

    /// Reserves a route: subtracts each path's amount from its arcs, all or nothing.
    ///
    /// Call when a payment is prepared; undo with [`Graph::release`] on abort.
    pub fn reserve(&mut self, route: &Route) -> Result<(), RoutingError> {
        let usage = self.route_usage(route)?;
        for &(a, x) in &usage {
            if self.cap[a as usize] < x {
                return Err(RoutingError::CapacityOutOfRange { arc: ArcId(a) });
            }
        }
        for (a, x) in usage {
            self.put_cap(a as usize, self.cap[a as usize] - x);
        }
        Ok(())
    }

    /// Gives back a reservation made with [`Graph::reserve`] (payment aborted or expired).
    pub fn release(&mut self, route: &Route) -> Result<(), RoutingError> {
        let usage = self.route_usage(route)?;
        for &(a, x) in &usage {
            if self.cap[a as usize].checked_add(x).is_none() {
                return Err(RoutingError::CapacityOutOfRange { arc: ArcId(a) });
            }
        }
        for (a, x) in usage {
            self.put_cap(a as usize, self.cap[a as usize] + x);
        }
        Ok(())
    }

    /// Applies the commit of a reserved route: each hop `u → v` of amount `x` raises `u`'s debt
    /// to `v`, so the capacity of `v → u` grows by `x` (the arc is created if missing).
    ///
    /// The forward capacity already dropped at [`Graph::reserve`]; the reservation turns into debt.
    pub fn commit(&mut self, route: &Route) -> Result<(), RoutingError> {
        let usage = self.route_usage(route)?;
        let mut reverse = Vec::with_capacity(usage.len());
        for &(a, x) in &usage {
            let (u, v) = (self.tail[a as usize], self.head[a as usize]);
            let current = self
                .arc(NodeId(v), NodeId(u))
                .map(|r| self.cap[r.index()])
                .unwrap_or(0);
            if current.checked_add(x).is_none() {
                return Err(RoutingError::CapacityOutOfRange { arc: ArcId(a) });
            }
            reverse.push((v, u, x));
        }
        for (v, u, x) in reverse {
            let r = match self.arc(NodeId(v), NodeId(u)) {
                Some(r) => r,
                None => self.set_capacity(NodeId(v), NodeId(u), 0)?,
            };
            self.put_cap(r.index(), self.cap[r.index()] + x);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Path;

    fn three() -> Graph {
        let mut g = Graph::new();
        g.ensure_nodes(3).unwrap();
        g
    }

    #[test]
    fn set_capacity_creates_then_updates() {
        let mut g = three();
        let a = g.set_capacity(NodeId(0), NodeId(1), 10).unwrap();
        assert_eq!(g.capacity(a), 10);
        let b = g.set_capacity(NodeId(0), NodeId(1), 3).unwrap();
        assert_eq!(a, b);
        assert_eq!(g.capacity(a), 3);
        assert_eq!(g.arc_count(), 1);
        assert_eq!(g.arc_ends(a), Some((NodeId(0), NodeId(1))));
        assert_eq!(
            g.set_capacity(NodeId(0), NodeId(9), 1),
            Err(RoutingError::UnknownParticipant(NodeId(9)))
        );
        assert_eq!(
            g.set_capacity(NodeId(1), NodeId(1), 1),
            Err(RoutingError::SelfLoop(NodeId(1)))
        );
    }

    #[test]
    fn reserve_release_commit_follow_the_capacity_formula() {
        let mut g = three();
        let a = g.set_capacity(NodeId(0), NodeId(1), 10).unwrap();
        let route = Route {
            from: NodeId(0),
            to: NodeId(1),
            amount: 4,
            paths: vec![Path {
                nodes: vec![NodeId(0), NodeId(1)],
                arcs: vec![a],
                amount: 4,
            }],
        };
        g.reserve(&route).unwrap();
        assert_eq!(g.capacity(a), 6);
        g.release(&route).unwrap();
        assert_eq!(g.capacity(a), 10);
        g.reserve(&route).unwrap();
        g.commit(&route).unwrap();
        let back = g.arc(NodeId(1), NodeId(0)).unwrap();
        assert_eq!(g.capacity(back), 4);
        assert_eq!(g.capacity(a), 6);
        let too_big = Route {
            amount: 7,
            paths: vec![Path {
                amount: 7,
                ..route.paths[0].clone()
            }],
            ..route
        };
        assert!(g.reserve(&too_big).is_err());
        assert_eq!(g.capacity(a), 6, "failed reserve changes nothing");
    }

    #[test]
    fn blocked_sets_are_counted() {
        let mut g = three();
        let a = g.set_capacity(NodeId(0), NodeId(1), 1).unwrap();
        g.set_blocked_participants(a, [NodeId(2), NodeId(2)])
            .unwrap();
        assert_eq!(g.blocked_arcs, 1);
        assert_eq!(g.blocked_participants(a), &[2]);
        g.set_blocked_participants(a, [NodeId(1)]).unwrap();
        assert_eq!(g.blocked_arcs, 1);
        g.set_blocked_participants(a, []).unwrap();
        assert_eq!(g.blocked_arcs, 0);
    }

    #[test]
    fn live_blocked_counts_only_arcs_with_capacity() {
        let mut g = three();
        let a = g.set_capacity(NodeId(0), NodeId(1), 0).unwrap();
        g.set_blocked_participants(a, [NodeId(2)]).unwrap();
        assert_eq!((g.blocked_arcs, g.live_blocked), (1, 0));
        g.set_arc_capacity(a, 5).unwrap();
        assert_eq!(g.live_blocked, 1);
        let b = g.set_capacity(NodeId(1), NodeId(2), 3).unwrap();
        g.set_blocked_participants(b, [NodeId(0)]).unwrap();
        assert_eq!(g.live_blocked, 2);
        g.set_arc_capacity(a, 0).unwrap();
        assert_eq!(g.live_blocked, 1);
        g.set_blocked_participants(b, []).unwrap();
        assert_eq!((g.blocked_arcs, g.live_blocked), (1, 0));
    }
}
