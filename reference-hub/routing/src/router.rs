//! The router: hop-limited multi-path augmentation with undo arcs and validated re-decomposition.
//!
//! Phase 1 augments along fewest-hop valid paths (bidirectional hop-bounded BFS) in the residual
//! graph without undo arcs, each path taking its full bottleneck. If that does not cover the amount,
//! phase 2 searches augmenting walks that may also cancel flow already placed (undo arcs), applies
//! one, re-decomposes the whole flow into fewest-hop paths and keeps it only if every path satisfies
//! the hop limit and all policies and the path limit holds; otherwise it rolls back and bans the
//! offending undo arc. The amount in excess of the request is trimmed from the last paths.

use crate::check::path_violation;
use crate::{ArcId, CapacityPreview, Constraints, Graph, NodeId, Path, Route, RoutingError};

const NONE: u32 = u32::MAX;
/// Marks a parent pointer as "undo arc" (flow cancelled on that arc, walked head to tail).
const REV: u32 = 1 << 31;
const BAN_FORWARD: u8 = 1;
const BAN_REVERSE: u8 = 2;
/// Phase 2 gives up after this many consecutive rejected augmentations (each costs one search).
const MAX_REJECTIONS_IN_A_ROW: u32 = 3;
/// Arc inspections allowed per query for the exhaustive fallback search (blocked sets only).
const DFS_BUDGET: u32 = 20_000;

/// Counters of the last routing call, for benchmarks and diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RouteStats {
    /// Paths added by the fewest-hop phase.
    pub phase1_paths: u32,
    /// Undo-arc augmentations kept after re-decomposition.
    pub phase2_accepted: u32,
    /// Undo-arc augmentations rolled back because a path would break the hop limit or a policy.
    pub phase2_rejected: u32,
    /// Graph searches run (each a bounded BFS).
    pub searches: u32,
}

/// Per-node labels reset in O(1) by bumping an epoch.
#[derive(Debug, Default, Clone)]
struct NodeLabels {
    stamp: Vec<u32>,
    epoch: u32,
    parent: Vec<u32>,
    depth: Vec<u8>,
    len: Vec<u8>,
}

impl NodeLabels {
    fn start(&mut self, n: usize) {
        if self.stamp.len() < n {
            self.stamp.resize(n, 0);
            self.parent.resize(n, NONE);
            self.depth.resize(n, 0);
            self.len.resize(n, 0);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.epoch = 1;
        }
    }

    #[inline]
    fn seen(&self, v: u32) -> bool {
        self.stamp[v as usize] == self.epoch
    }

    #[inline]
    fn mark(&mut self, v: u32, parent: u32, depth: u8, len: u8) {
        let i = v as usize;
        self.stamp[i] = self.epoch;
        self.parent[i] = parent;
        self.depth[i] = depth;
        self.len[i] = len;
    }
}

/// Per-arc state of one query (flow placed, bans, position hints), reset in O(1) per query.
#[derive(Debug, Default, Clone)]
struct ArcLabels {
    stamp: Vec<u32>,
    epoch: u32,
    flow: Vec<u64>,
    ban: Vec<u8>,
    pre: Vec<u8>,
    suf: Vec<u8>,
    touched: Vec<u32>,
}

impl ArcLabels {
    fn start(&mut self, m: usize) {
        if self.stamp.len() < m {
            self.stamp.resize(m, 0);
            self.flow.resize(m, 0);
            self.ban.resize(m, 0);
            self.pre.resize(m, u8::MAX);
            self.suf.resize(m, u8::MAX);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.epoch = 1;
        }
        self.touched.clear();
    }

    #[inline]
    fn touch(&mut self, a: u32) {
        let i = a as usize;
        if self.stamp[i] != self.epoch {
            self.stamp[i] = self.epoch;
            self.flow[i] = 0;
            self.ban[i] = 0;
            self.pre[i] = u8::MAX;
            self.suf[i] = u8::MAX;
            self.touched.push(a);
        }
    }

    #[inline]
    fn flow(&self, a: u32) -> u64 {
        let i = a as usize;
        if self.stamp[i] == self.epoch {
            self.flow[i]
        } else {
            0
        }
    }

    #[inline]
    fn ban(&self, a: u32) -> u8 {
        let i = a as usize;
        if self.stamp[i] == self.epoch {
            self.ban[i]
        } else {
            0
        }
    }
}

/// A path being built, in raw indices.
#[derive(Debug, Default, Clone)]
struct FlowPath {
    nodes: Vec<u32>,
    arcs: Vec<u32>,
    amount: u64,
}

/// One request, validated.
struct Query<'g> {
    g: &'g Graph,
    s: u32,
    t: u32,
    h: u8,
    max_paths: usize,
    target: u64,
}

/// Reusable routing workspace: keep one per equivalent (or per thread) and call it for every payment.
///
/// It holds only scratch buffers sized to the graph; routing never mutates the graph.
#[derive(Debug, Default, Clone)]
pub struct Router {
    fwd: NodeLabels,
    bwd: NodeLabels,
    arcs: ArcLabels,
    avoid: Vec<u32>,
    avoid_epoch: u32,
    fq: Vec<u32>,
    bq: Vec<u32>,
    next: Vec<u32>,
    paths: Vec<FlowPath>,
    spare: Vec<FlowPath>,
    cand_nodes: Vec<u32>,
    cand_arcs: Vec<u32>,
    walk: Vec<u32>,
    dec_arc: Vec<u32>,
    dec_rem: Vec<u64>,
    dec_next: Vec<u32>,
    stats: RouteStats,
}

impl Router {
    /// A router with empty scratch buffers (they grow to the graph on first use).
    pub fn new() -> Self {
        Self::default()
    }

    /// Counters of the last `route` or `preview` call.
    pub fn last_stats(&self) -> RouteStats {
        self.stats
    }

    /// Routes exactly `amount` from `from` to `to` as a set of paths, or fails with
    /// `InsufficientCapacity { requested, found }`; all or nothing.
    pub fn route(
        &mut self,
        graph: &Graph,
        from: NodeId,
        to: NodeId,
        amount: u64,
        constraints: &Constraints,
    ) -> Result<Route, RoutingError> {
        if amount == 0 {
            return Err(RoutingError::InvalidRequest {
                reason: "amount must be positive",
            });
        }
        let (q, upper) = match self.prepare(graph, from, to, amount, constraints)? {
            Some(x) => x,
            None => {
                return Err(RoutingError::InsufficientCapacity {
                    requested: amount,
                    found: 0,
                })
            }
        };
        let routed = self.run(&q, upper);
        if routed < amount {
            return Err(RoutingError::InsufficientCapacity {
                requested: amount,
                found: routed,
            });
        }
        self.trim(routed - amount);
        let paths = self
            .paths
            .iter()
            .map(|p| Path {
                nodes: p.nodes.iter().map(|&v| NodeId(v)).collect(),
                arcs: p.arcs.iter().map(|&a| ArcId(a)).collect(),
                amount: p.amount,
            })
            .collect();
        Ok(Route {
            from,
            to,
            amount,
            paths,
        })
    }

    /// The largest amount routable from `from` to `to` under the constraints (the same machinery
    /// run to exhaustion; `route` succeeds for every amount the preview's run covered), plus a cheap
    /// upper bound.
    pub fn preview(
        &mut self,
        graph: &Graph,
        from: NodeId,
        to: NodeId,
        constraints: &Constraints,
    ) -> Result<CapacityPreview, RoutingError> {
        match self.prepare(graph, from, to, u64::MAX, constraints)? {
            None => Ok(CapacityPreview {
                max_amount: 0,
                upper_bound: 0,
            }),
            Some((q, upper)) => {
                let routed = self.run(&q, upper);
                Ok(CapacityPreview {
                    max_amount: routed,
                    upper_bound: upper,
                })
            }
        }
    }

    /// Validates the request and sets up per-query state; `None` means "no route possible".
    fn prepare<'g>(
        &mut self,
        g: &'g Graph,
        from: NodeId,
        to: NodeId,
        target: u64,
        c: &Constraints,
    ) -> Result<Option<(Query<'g>, u64)>, RoutingError> {
        c.validate()?;
        self.stats = RouteStats::default();
        self.paths.clear();
        for node in [from, to] {
            if !g.contains(node) {
                return Err(RoutingError::UnknownParticipant(node));
            }
        }
        if from == to {
            return Err(RoutingError::InvalidRequest {
                reason: "payer and payee must differ",
            });
        }
        for node in [from, to] {
            if !g.is_routable(node) {
                return Err(RoutingError::ParticipantNotRoutable(node));
            }
        }
        if c.avoid.contains(&from) || c.avoid.contains(&to) {
            return Ok(None);
        }
        let n = g.node_count();
        if self.avoid.len() < n {
            self.avoid.resize(n, 0);
        }
        self.avoid_epoch = self.avoid_epoch.wrapping_add(1);
        if self.avoid_epoch == 0 {
            self.avoid.iter_mut().for_each(|s| *s = 0);
            self.avoid_epoch = 1;
        }
        for v in &c.avoid {
            if let Some(slot) = self.avoid.get_mut(v.index()) {
                *slot = self.avoid_epoch;
            }
        }
        self.arcs.start(g.arc_count());
        let q = Query {
            g,
            s: from.0,
            t: to.0,
            h: c.max_hops,
            max_paths: c.max_paths as usize,
            target,
        };
        let upper = self.upper_bound(&q);
        Ok(Some((q, upper)))
    }

    #[inline]
    fn usable(&self, g: &Graph, v: u32) -> bool {
        g.routable[v as usize] && self.avoid[v as usize] != self.avoid_epoch
    }

    #[inline]
    fn residual(&self, g: &Graph, a: u32) -> u64 {
        g.cap[a as usize] - self.arcs.flow(a)
    }

    /// min(usable out-capacity of the payer, usable in-capacity of the payee).
    fn upper_bound(&self, q: &Query) -> u64 {
        let g = q.g;
        let out: u64 = g.out[q.s as usize]
            .iter()
            .filter(|e| {
                e.node == q.t || (g.can_be_intermediate[e.arc as usize] && self.usable(g, e.node))
            })
            .fold(0u64, |acc, e| acc.saturating_add(g.cap[e.arc as usize]));
        let inc: u64 = g.inc[q.t as usize]
            .iter()
            .filter(|e| e.node == q.s || self.usable(g, e.node))
            .fold(0u64, |acc, e| acc.saturating_add(g.cap[e.arc as usize]));
        out.min(inc)
    }

    /// Runs both phases until the target or the upper bound is reached; returns the amount routed
    /// (possibly above the target: the last augmentation takes its full bottleneck).
    fn run(&mut self, q: &Query, upper: u64) -> u64 {
        let mut routed: u64 = 0;
        let goal = q.target.min(upper);
        // Phase 1: fewest-hop valid paths, no undo arcs.
        let mut dfs_budget = DFS_BUDGET;
        while routed < goal && self.paths.len() < q.max_paths {
            self.stats.searches += 1;
            // Blocked sets are path-level: BFS trees can miss a valid path, so fall back to a
            // bounded exhaustive search when the graph has any.
            let found =
                self.phase1_path(q) || (q.g.blocked_arcs > 0 && self.dfs_path(q, &mut dfs_budget));
            if !found {
                break;
            }
            let delta = self
                .cand_arcs
                .iter()
                .map(|&a| self.residual(q.g, a))
                .min()
                .unwrap_or(0)
                .min(u64::MAX - routed);
            if delta == 0 {
                break;
            }
            for &a in &self.cand_arcs {
                self.arcs.touch(a);
                self.arcs.flow[a as usize] += delta;
            }
            let mut p = self.spare.pop().unwrap_or_default();
            p.nodes.clear();
            p.nodes.extend_from_slice(&self.cand_nodes);
            p.arcs.clear();
            p.arcs.extend_from_slice(&self.cand_arcs);
            p.amount = delta;
            self.paths.push(p);
            routed += delta;
            self.stats.phase1_paths += 1;
        }
        if routed >= goal || routed == 0 {
            return routed;
        }
        // Phase 2: augmenting walks with undo arcs, kept only if re-decomposition is valid.
        self.refresh_hints();
        let budget = q.max_paths as u32 + 4;
        let mut attempts = 0;
        let mut rejected_in_a_row = 0;
        while routed < goal && attempts < budget && rejected_in_a_row < MAX_REJECTIONS_IN_A_ROW {
            attempts += 1;
            self.stats.searches += 1;
            if !self.phase2_walk(q) {
                break;
            }
            let delta = self.walk_bottleneck(q.g).min(u64::MAX - routed);
            if delta == 0 {
                break;
            }
            self.apply_walk(delta, true);
            if let Some(fresh) = self.decompose(q, routed + delta) {
                let old = std::mem::replace(&mut self.paths, fresh);
                self.spare.extend(old);
                self.spare.truncate(64);
                self.rebuild_flow();
                routed += delta;
                self.stats.phase2_accepted += 1;
                rejected_in_a_row = 0;
            } else {
                self.apply_walk(delta, false);
                self.ban_walk();
                self.stats.phase2_rejected += 1;
                rejected_in_a_row += 1;
            }
        }
        routed
    }

    /// Removes `excess` from the last paths so the total equals the target.
    fn trim(&mut self, mut excess: u64) {
        while excess > 0 {
            let Some(last) = self.paths.last_mut() else {
                return;
            };
            if last.amount > excess {
                last.amount -= excess;
                return;
            }
            excess -= last.amount;
            let p = self.paths.pop().expect("non-empty");
            self.spare.push(p);
        }
    }

    /// Builds the candidate path `s … u (→a→ v) … t` from the two BFS trees and validates it.
    fn candidate(&mut self, q: &Query, u: u32, mid: u32, v: u32) -> bool {
        let g = q.g;
        self.cand_nodes.clear();
        self.cand_arcs.clear();
        let mut x = u;
        self.cand_nodes.push(x);
        while x != q.s {
            let a = self.fwd.parent[x as usize];
            self.cand_arcs.push(a);
            x = g.tail[a as usize];
            self.cand_nodes.push(x);
        }
        self.cand_nodes.reverse();
        self.cand_arcs.reverse();
        let mut x = u;
        if mid != NONE {
            self.cand_arcs.push(mid);
            self.cand_nodes.push(v);
            x = v;
        }
        while x != q.t {
            let a = self.bwd.parent[x as usize];
            self.cand_arcs.push(a);
            x = g.head[a as usize];
            self.cand_nodes.push(x);
        }
        path_violation(
            g,
            &self.cand_nodes,
            &self.cand_arcs,
            q.h as usize,
            |v| self.avoid[v as usize] == self.avoid_epoch,
            0,
        )
        .is_none()
    }

    /// Phase 1 search: bidirectional hop-bounded BFS over arcs with residual capacity, expanding
    /// the cheaper side (fewer adjacency entries) level by level. Leaves the path in `cand_*`.
    fn phase1_path(&mut self, q: &Query) -> bool {
        let g = q.g;
        let n = g.node_count();
        self.fwd.start(n);
        self.bwd.start(n);
        self.fwd.mark(q.s, NONE, 0, 0);
        self.bwd.mark(q.t, NONE, 0, 0);
        self.fq.clear();
        self.fq.push(q.s);
        self.bq.clear();
        self.bq.push(q.t);
        let mut fcost = g.out[q.s as usize].len();
        let mut bcost = g.inc[q.t as usize].len();
        let (mut fd, mut bd) = (0u8, 0u8);
        while fd + bd < q.h && !self.fq.is_empty() && !self.bq.is_empty() {
            let mut cost = 0usize;
            self.next.clear();
            if fcost <= bcost {
                for i in 0..self.fq.len() {
                    let u = self.fq[i];
                    for e in &g.out[u as usize] {
                        let (a, v) = (e.arc, e.node);
                        if self.residual(g, a) == 0 {
                            continue;
                        }
                        if v == q.t {
                            if self.candidate(q, u, a, v) {
                                return true;
                            }
                            continue;
                        }
                        if self.fwd.seen(v)
                            || !g.can_be_intermediate[a as usize]
                            || !self.usable(g, v)
                        {
                            continue;
                        }
                        self.fwd.mark(v, a, fd + 1, 0);
                        if self.bwd.seen(v) && self.candidate(q, v, NONE, v) {
                            return true;
                        }
                        self.next.push(v);
                        cost += g.out[v as usize].len();
                    }
                }
                std::mem::swap(&mut self.fq, &mut self.next);
                fcost = cost;
                fd += 1;
            } else {
                for i in 0..self.bq.len() {
                    let v = self.bq[i];
                    for e in &g.inc[v as usize] {
                        let (a, u) = (e.arc, e.node);
                        if self.residual(g, a) == 0 {
                            continue;
                        }
                        if v != q.t && !g.can_be_intermediate[a as usize] {
                            continue;
                        }
                        if u == q.s {
                            if self.candidate(q, u, a, v) {
                                return true;
                            }
                            continue;
                        }
                        if self.bwd.seen(u) || !self.usable(g, u) {
                            continue;
                        }
                        self.bwd.mark(u, a, bd + 1, 0);
                        if self.fwd.seen(u) && self.candidate(q, u, NONE, u) {
                            return true;
                        }
                        self.next.push(u);
                        cost += g.inc[u as usize].len();
                    }
                }
                std::mem::swap(&mut self.bq, &mut self.next);
                bcost = cost;
                bd += 1;
            }
        }
        false
    }

    /// Exhaustive depth-first search for a valid path within the hop limit, bounded by `budget`
    /// arc inspections; used only when blocked sets may hide paths from the BFS.
    fn dfs_path(&mut self, q: &Query, budget: &mut u32) -> bool {
        self.cand_nodes.clear();
        self.cand_arcs.clear();
        self.cand_nodes.push(q.s);
        self.dfs_extend(q, budget)
    }

    fn dfs_extend(&mut self, q: &Query, budget: &mut u32) -> bool {
        let g = q.g;
        let u = *self.cand_nodes.last().expect("path starts at the payer");
        for e in &g.out[u as usize] {
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
            let (a, v) = (e.arc, e.node);
            if self.residual(g, a) == 0 || self.cand_nodes.contains(&v) {
                continue;
            }
            if v == q.t {
                self.cand_nodes.push(v);
                self.cand_arcs.push(a);
                let ok = path_violation(
                    g,
                    &self.cand_nodes,
                    &self.cand_arcs,
                    q.h as usize,
                    |x| self.avoid[x as usize] == self.avoid_epoch,
                    0,
                )
                .is_none();
                if ok {
                    return true;
                }
                self.cand_nodes.pop();
                self.cand_arcs.pop();
                continue;
            }
            if self.cand_arcs.len() + 2 > q.h as usize
                || !g.can_be_intermediate[a as usize]
                || !self.usable(g, v)
            {
                continue;
            }
            self.cand_nodes.push(v);
            self.cand_arcs.push(a);
            if self.dfs_extend(q, budget) {
                return true;
            }
            self.cand_nodes.pop();
            self.cand_arcs.pop();
        }
        false
    }

    /// Recomputes, for arcs carrying flow, the fewest hops before (`pre`) and after (`suf`) them
    /// on the current paths; phase 2 uses them to prune walks whose splices would be too long.
    fn refresh_hints(&mut self) {
        for &a in &self.arcs.touched {
            self.arcs.pre[a as usize] = u8::MAX;
            self.arcs.suf[a as usize] = u8::MAX;
        }
        for p in &self.paths {
            let len = p.arcs.len();
            for (i, &a) in p.arcs.iter().enumerate() {
                let ai = a as usize;
                self.arcs.pre[ai] = self.arcs.pre[ai].min(i as u8);
                self.arcs.suf[ai] = self.arcs.suf[ai].min((len - i - 1) as u8);
            }
        }
    }

    /// Phase 2 search: BFS from the payer over forward residual arcs and undo arcs (cancelling
    /// placed flow), tracking the hop count the spliced path would have. Leaves the walk in `walk`
    /// (arc ids, undo arcs tagged with `REV`), from payer to payee.
    fn phase2_walk(&mut self, q: &Query) -> bool {
        let g = q.g;
        let h = q.h;
        let max_len = 2 * h;
        self.fwd.start(g.node_count());
        self.fwd.mark(q.s, NONE, 0, 0);
        self.fq.clear();
        self.fq.push(q.s);
        let mut head = 0;
        let mut last: Option<(u32, u32)> = None;
        'bfs: while head < self.fq.len() {
            let u = self.fq[head];
            head += 1;
            let d = self.fwd.depth[u as usize];
            let l = self.fwd.len[u as usize];
            if l >= max_len {
                continue;
            }
            for e in &g.out[u as usize] {
                let (a, v) = (e.arc, e.node);
                if self.arcs.ban(a) & BAN_FORWARD != 0 || self.residual(g, a) == 0 {
                    continue;
                }
                if v == q.t {
                    if d < h {
                        last = Some((u, a));
                        break 'bfs;
                    }
                    continue;
                }
                if d + 2 > h
                    || self.fwd.seen(v)
                    || !g.can_be_intermediate[a as usize]
                    || !self.usable(g, v)
                {
                    continue;
                }
                self.fwd.mark(v, a, d + 1, l + 1);
                self.fq.push(v);
            }
            for e in &g.inc[u as usize] {
                let (a, x) = (e.arc, e.node);
                if self.arcs.flow(a) == 0 || self.arcs.ban(a) & BAN_REVERSE != 0 {
                    continue;
                }
                if self.fwd.seen(x) {
                    continue;
                }
                let suf = self.arcs.suf[a as usize];
                if d as u16 + suf as u16 > h as u16 {
                    continue;
                }
                let pre = self.arcs.pre[a as usize];
                self.fwd.mark(x, a | REV, pre, l + 1);
                self.fq.push(x);
            }
        }
        let Some((u, a)) = last else {
            return false;
        };
        self.walk.clear();
        self.walk.push(a);
        let mut x = u;
        while x != q.s {
            let p = self.fwd.parent[x as usize];
            self.walk.push(p);
            x = if p & REV != 0 {
                g.head[(p & !REV) as usize]
            } else {
                g.tail[p as usize]
            };
        }
        self.walk.reverse();
        true
    }

    fn walk_bottleneck(&self, g: &Graph) -> u64 {
        self.walk
            .iter()
            .map(|&p| {
                if p & REV != 0 {
                    self.arcs.flow(p & !REV)
                } else {
                    self.residual(g, p)
                }
            })
            .min()
            .unwrap_or(0)
    }

    /// Adds (`forward = true`) or removes the walk's augmentation of `delta`.
    fn apply_walk(&mut self, delta: u64, forward: bool) {
        for i in 0..self.walk.len() {
            let p = self.walk[i];
            let (a, undo) = (p & !REV, p & REV != 0);
            self.arcs.touch(a);
            let f = &mut self.arcs.flow[a as usize];
            if undo == forward {
                *f -= delta;
            } else {
                *f += delta;
            }
        }
    }

    /// Forbids, for this query, the first undo arc of the rejected walk (or its last arc).
    fn ban_walk(&mut self) {
        let (a, bit) = match self.walk.iter().find(|&&p| p & REV != 0) {
            Some(&p) => (p & !REV, BAN_REVERSE),
            None => (*self.walk.last().expect("walk is non-empty"), BAN_FORWARD),
        };
        self.arcs.touch(a);
        self.arcs.ban[a as usize] |= bit;
    }

    /// Decomposes the current arc flow into fewest-hop paths (dropping cycles) and validates them:
    /// total equal to `value`, at most `max_paths`, each within the hop limit and policies.
    fn decompose(&mut self, q: &Query, value: u64) -> Option<Vec<FlowPath>> {
        let g = q.g;
        let n = g.node_count();
        // Support lists per tail node: bwd.parent holds the first entry, dec_next chains them.
        self.bwd.start(n);
        self.dec_arc.clear();
        self.dec_rem.clear();
        self.dec_next.clear();
        for &a in &self.arcs.touched {
            let f = self.arcs.flow[a as usize];
            if f == 0 {
                continue;
            }
            let u = g.tail[a as usize];
            if !self.bwd.seen(u) {
                self.bwd.mark(u, NONE, 0, 0);
            }
            let e = self.dec_arc.len() as u32;
            self.dec_arc.push(a);
            self.dec_rem.push(f);
            self.dec_next.push(self.bwd.parent[u as usize]);
            self.bwd.parent[u as usize] = e;
        }
        let mut out: Vec<FlowPath> = Vec::new();
        let mut total: u64 = 0;
        loop {
            // BFS from s to t over entries with remaining flow; fwd.parent holds the entry used.
            self.fwd.start(n);
            self.fwd.mark(q.s, NONE, 0, 0);
            self.fq.clear();
            self.fq.push(q.s);
            let mut head = 0;
            let mut found = false;
            'bfs: while head < self.fq.len() {
                let u = self.fq[head];
                head += 1;
                if !self.bwd.seen(u) {
                    continue;
                }
                let mut e = self.bwd.parent[u as usize];
                while e != NONE {
                    let ei = e as usize;
                    if self.dec_rem[ei] > 0 {
                        let v = g.head[self.dec_arc[ei] as usize];
                        if !self.fwd.seen(v) {
                            self.fwd.mark(v, e, 0, 0);
                            if v == q.t {
                                found = true;
                                break 'bfs;
                            }
                            self.fq.push(v);
                        }
                    }
                    e = self.dec_next[ei];
                }
            }
            if !found {
                break;
            }
            let mut p = FlowPath::default();
            let mut amount = u64::MAX;
            let mut x = q.t;
            p.nodes.push(x);
            while x != q.s {
                let e = self.fwd.parent[x as usize] as usize;
                amount = amount.min(self.dec_rem[e]);
                let a = self.dec_arc[e];
                p.arcs.push(a);
                x = g.tail[a as usize];
                p.nodes.push(x);
            }
            p.nodes.reverse();
            p.arcs.reverse();
            let mut x = q.t;
            while x != q.s {
                let e = self.fwd.parent[x as usize] as usize;
                self.dec_rem[e] -= amount;
                x = g.tail[self.dec_arc[e] as usize];
            }
            p.amount = amount;
            let bad = path_violation(
                g,
                &p.nodes,
                &p.arcs,
                q.h as usize,
                |v| self.avoid[v as usize] == self.avoid_epoch,
                out.len(),
            )
            .is_some();
            out.push(p);
            total = total.saturating_add(amount);
            if bad || out.len() > q.max_paths {
                return None;
            }
        }
        if total != value {
            return None;
        }
        out.sort_by_key(|p| p.arcs.len());
        Some(out)
    }

    /// Rebuilds per-arc flow from the paths (dropping any cycles) and refreshes position hints.
    fn rebuild_flow(&mut self) {
        for &a in &self.arcs.touched {
            self.arcs.flow[a as usize] = 0;
        }
        for p in &self.paths {
            for &a in &p.arcs {
                self.arcs.flow[a as usize] += p.amount;
            }
        }
        self.refresh_hints();
    }
}

/// Routes `amount` with a fresh [`Router`]; convenient for one-off calls, keep a `Router` otherwise.
pub fn route(
    graph: &Graph,
    from: NodeId,
    to: NodeId,
    amount: u64,
    constraints: &Constraints,
) -> Result<Route, RoutingError> {
    Router::new().route(graph, from, to, amount, constraints)
}
