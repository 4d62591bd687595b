//! The router: hop-limited multi-path augmentation with undo arcs and validated re-decomposition,
//! then a widest-path strategy when the fewest-hop one falls short.
//!
//! Strategy 1, phase 1 augments along fewest-hop valid paths (bidirectional hop-bounded BFS) in the
//! residual graph without undo arcs, each path taking its full bottleneck; most payments end here
//! with the first path. Two upper bounds of the hop-limited optimum end the search as soon as the
//! flow meets them: the payer's usable out-capacity and the payee's usable in-capacity (O(degree)),
//! then the payer's capacity towards participants within `max_hops − 1` hops of the payee (one
//! hop-bounded backward search), checked before any costlier phase. Otherwise phase 2 searches
//! augmenting walks that may also cancel flow already placed (undo arcs), applies one,
//! re-decomposes the whole flow into fewest-hop paths and keeps it only if every path satisfies
//! the hop limit and all policies and the path limit holds; otherwise it rolls back and bans the
//! offending undo arc.
//!
//! Strategy 2 (only when strategy 1 falls short of both the amount and a hop-pruned upper bound)
//! starts again from the empty flow and spends the path budget on capacity: each path is a widest
//! (largest bottleneck) valid path of at most `max_hops` hops, found by a hop-layered dynamic
//! programme pruned by hop distance to the payee. The better of the two flows is kept. The amount
//! in excess of the request is trimmed from the last paths.
//!
//! Every call does at most a fixed amount of work (nodes and arcs inspected, see
//! [`Router::with_work_budget`]); a search that would exceed it stops the call with what was found
//! so far. Refusals are therefore bounded in time, and since `route` and `preview` run the same
//! deterministic machinery on the same budget, `route(a)` succeeds exactly when
//! `a <= preview().max_amount`, and a refusal reports `found == preview().max_amount`.
//!
//! Determinism: every tie-break follows adjacency order, which [`Graph`] keeps sorted by node id,
//! so the answer depends only on node ids, capacities and policies, never on arc ids.

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
/// Default work budget of one call per participant of the graph, in work units: one per node a
/// search expands plus one per positive-capacity arc of it (~5–10 ns each on the project's machine).
pub const DEFAULT_WORK_PER_PARTICIPANT: u64 = 24;
/// Floor of the default work budget (small graphs are searched exhaustively).
pub const MIN_WORK_BUDGET: u64 = 150_000;
/// Ceiling of the default work budget (a full hop-bounded search of a 100k graph is ~1M units;
/// 1.5M measured 54 ms p99 CPU per refusal at 100k on a loaded machine, over the 20 ms goal).
pub const MAX_WORK_BUDGET: u64 = 600_000;

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
    /// Paths added by the widest-path strategy (0 when the fewest-hop strategy sufficed).
    pub widest_paths: u32,
    /// Work units spent by the call (nodes expanded plus their positive-capacity arcs).
    pub work: u64,
    /// Whether the call stopped because it reached its work budget.
    pub budget_exhausted: bool,
    /// Work spent per stage: fewest-hop paths, hop-pruned bound, undo phase, widest paths.
    pub stage_work: [u64; 4],
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

/// One label of the hop-layered widest-path programme: best bottleneck to `node` in `layer` hops.
#[derive(Debug, Clone, Copy)]
struct WideLabel {
    node: u32,
    width: u64,
    /// Index of the previous label (`NONE` at the payer).
    parent: u32,
    /// Arc from the previous label's node to `node`.
    arc: u32,
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
    /// Hop distance to the payee (strategy 2's pruning), kept apart from the searches' labels.
    hops: NodeLabels,
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
    best: Vec<FlowPath>,
    labels: Vec<WideLabel>,
    wide: Vec<u64>,
    budget: u64,
    limit: u64,
    exhausted: bool,
    stats: RouteStats,
}

impl Router {
    /// A router with empty scratch buffers (they grow to the graph on first use).
    pub fn new() -> Self {
        Self::default()
    }

    /// A router whose calls do at most `budget` work units each (nodes expanded plus their
    /// positive-capacity arcs). 0 means the default: [`DEFAULT_WORK_PER_PARTICIPANT`] × the
    /// graph's participants, within [`MIN_WORK_BUDGET`]..=[`MAX_WORK_BUDGET`]. Work counts only
    /// positive-capacity arcs and participants, so the same ledger state gives the same answer
    /// whatever zero-capacity arcs exist. A smaller budget bounds latency, a larger one lets
    /// previews on very large graphs search further; the preview/route relation holds for any
    /// budget.
    pub fn with_work_budget(mut self, budget: u64) -> Self {
        self.budget = budget;
        self
    }

    /// Counters of the last `route` or `preview` call.
    pub fn last_stats(&self) -> RouteStats {
        self.stats
    }

    /// Routes exactly `amount` from `from` to `to` as a set of paths, or fails with
    /// `InsufficientCapacity { requested, found }`; all or nothing.
    ///
    /// In a refusal, `found` is exactly [`Router::preview`]'s `max_amount` for the same graph and
    /// constraints: the most this router routes, not a bound. It is never above the hop- and
    /// path-limited optimum, and `route(found)` succeeds when `found > 0`.
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

    /// The largest amount this router routes from `from` to `to` under the constraints (the same
    /// machinery run to exhaustion within the same work budget), plus a cheap upper bound.
    ///
    /// `max_amount` is exact for this router: `route(a)` succeeds iff `1 <= a <= max_amount` on the
    /// same graph. It is a lower bound of the hop-limited optimum (never above it), so a preview
    /// never promises more than a payment gets.
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

    /// Runs strategy 1, then strategy 2 if needed, until the target or the upper bound is reached;
    /// returns the amount routed (possibly above the target: the last augmentation takes its full
    /// bottleneck) and leaves the paths in `self.paths`.
    fn run(&mut self, q: &Query, upper: u64) -> u64 {
        let goal = q.target.min(upper);
        self.exhausted = false;
        self.limit = self.budget_for(q.g.node_count());
        let routed = self.fewest_hop_phase(q, goal);
        self.stage_done(0);
        if routed >= goal || routed == 0 {
            return self.finish(routed);
        }
        // The hop-pruned bound before any costlier search: when fewest-hop paths already carry
        // it, nothing routes more (most refusals of a payer short of capacity end here).
        let bound = self.hop_distances_to_payee(q);
        self.stage_done(1);
        let bound = match bound {
            Some(bound) if routed < bound => bound,
            _ => return self.finish(routed),
        };
        let goal = goal.min(bound);
        let routed = self.undo_phase(q, goal, routed);
        self.stage_done(2);
        if routed >= goal || self.exhausted {
            return self.finish(routed);
        }
        // Strategy 2 from the empty flow.
        let first = routed;
        std::mem::swap(&mut self.paths, &mut self.best);
        self.spare.append(&mut self.paths);
        self.arcs.start(q.g.arc_count());
        // No undo phase here: on the bench's communities it almost never helps, and its rejected
        // searches would spend the budget that refusals must not exceed.
        let second = self.widest_phase(q, goal);
        self.stage_done(3);
        if second > first {
            self.spare.append(&mut self.best);
            self.finish(second)
        } else {
            self.spare.append(&mut self.paths);
            std::mem::swap(&mut self.paths, &mut self.best);
            self.finish(first)
        }
    }

    /// Attributes the work since the previous stage to `stage`.
    fn stage_done(&mut self, stage: usize) {
        let before: u64 = self.stats.stage_work.iter().sum();
        self.stats.stage_work[stage] = self.stats.work - before;
    }

    fn finish(&mut self, routed: u64) -> u64 {
        self.spare.truncate(64);
        self.stats.budget_exhausted = self.exhausted;
        routed
    }

    /// The call's work budget on a graph of `n` participants.
    fn budget_for(&self, n: usize) -> u64 {
        if self.budget == 0 {
            (DEFAULT_WORK_PER_PARTICIPANT * n as u64).clamp(MIN_WORK_BUDGET, MAX_WORK_BUDGET)
        } else {
            self.budget
        }
    }

    /// Charges `entries` adjacency inspections; false (and the call stops searching) once the
    /// budget is spent.
    #[inline]
    fn charge(&mut self, entries: u32) -> bool {
        self.stats.work += u64::from(entries) + 1;
        if self.stats.work > self.limit {
            self.exhausted = true;
        }
        !self.exhausted
    }

    /// Places a path of `delta` from `cand_*` on the flow.
    fn push_candidate(&mut self, delta: u64) {
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
    }

    fn cand_bottleneck(&self, g: &Graph) -> u64 {
        self.cand_arcs
            .iter()
            .map(|&a| self.residual(g, a))
            .min()
            .unwrap_or(0)
    }

    /// Strategy 1, phase 1: fewest-hop valid paths, no undo arcs.
    fn fewest_hop_phase(&mut self, q: &Query, goal: u64) -> u64 {
        let mut routed: u64 = 0;
        let mut dfs_budget = DFS_BUDGET;
        while routed < goal && self.paths.len() < q.max_paths && !self.exhausted {
            self.stats.searches += 1;
            // Blocked sets are path-level: BFS trees can miss a valid path, so fall back to a
            // bounded exhaustive search when the graph has any.
            let found = self.phase1_path(q)
                || (q.g.live_blocked > 0 && !self.exhausted && self.dfs_path(q, &mut dfs_budget));
            if !found {
                break;
            }
            let delta = self.cand_bottleneck(q.g).min(u64::MAX - routed);
            if delta == 0 {
                break;
            }
            self.push_candidate(delta);
            routed += delta;
            self.stats.phase1_paths += 1;
        }
        routed
    }

    /// Strategy 2: widest valid paths of at most `max_hops` hops, no undo arcs.
    fn widest_phase(&mut self, q: &Query, goal: u64) -> u64 {
        let mut routed: u64 = 0;
        while routed < goal && self.paths.len() < q.max_paths && !self.exhausted {
            self.stats.searches += 1;
            if !self.widest_path(q) {
                break;
            }
            let delta = self.cand_bottleneck(q.g).min(u64::MAX - routed);
            if delta == 0 {
                break;
            }
            self.push_candidate(delta);
            routed += delta;
            self.stats.widest_paths += 1;
        }
        routed
    }

    /// Phase 2 on the current flow of `routed`: augmenting walks with undo arcs, kept only if
    /// re-decomposition is valid.
    fn undo_phase(&mut self, q: &Query, goal: u64, mut routed: u64) -> u64 {
        self.refresh_hints();
        let budget = q.max_paths as u32 + 4;
        let mut attempts = 0;
        let mut rejected_in_a_row = 0;
        while routed < goal
            && attempts < budget
            && rejected_in_a_row < MAX_REJECTIONS_IN_A_ROW
            && !self.exhausted
        {
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

    /// Hop distance to the payee over arcs with capacity, in `hops.depth`: a backward BFS marks
    /// every node within `max_hops - 2` hops; of the nodes at `max_hops - 1`, only the payer's
    /// out-neighbours can be on a valid path (any other would be at least 2 hops from the payer),
    /// so only they are checked, one adjacency scan each, instead of expanding the BFS's widest
    /// level. A lower bound of the distance for the rest of the call, whose flow only lowers
    /// residuals. Returns an upper bound of the hop-limited optimum: the payer's capacity towards
    /// nodes within `max_hops - 1` hops of the payee (or to the payee itself); `None` if the
    /// budget ran out.
    fn hop_distances_to_payee(&mut self, q: &Query) -> Option<u64> {
        let g = q.g;
        self.hops.start(g.node_count());
        self.hops.mark(q.t, NONE, 0, 0);
        self.bq.clear();
        self.bq.push(q.t);
        let mut d = 0u8;
        while !self.bq.is_empty() && d + 2 < q.h {
            self.next.clear();
            for i in 0..self.bq.len() {
                let v = self.bq[i];
                if !self.charge(g.live_in[v as usize]) {
                    return None;
                }
                for e in &g.inc[v as usize] {
                    let (a, u) = (e.arc, e.node);
                    if g.cap[a as usize] == 0 || (v != q.t && !g.can_be_intermediate[a as usize]) {
                        continue;
                    }
                    if u == q.s {
                        continue;
                    }
                    if self.hops.seen(u) || !self.usable(g, u) {
                        continue;
                    }
                    self.hops.mark(u, NONE, d + 1, 0);
                    self.next.push(u);
                }
            }
            std::mem::swap(&mut self.bq, &mut self.next);
            d += 1;
        }
        if q.h >= 2 {
            for e in &g.out[q.s as usize] {
                let u = e.node;
                if g.cap[e.arc as usize] == 0 || self.hops.seen(u) || !self.usable(g, u) {
                    continue;
                }
                if !self.charge(g.live_out[u as usize]) {
                    return None;
                }
                let reaches = g.out[u as usize].iter().any(|f| {
                    g.cap[f.arc as usize] > 0
                        && self.hops.seen(f.node)
                        && (f.node == q.t || g.can_be_intermediate[f.arc as usize])
                });
                if reaches {
                    self.hops.mark(u, NONE, q.h - 1, 0);
                }
            }
        }
        let bound = g.out[q.s as usize]
            .iter()
            .filter(|e| {
                e.node == q.t
                    || (self.hops.seen(e.node)
                        && g.can_be_intermediate[e.arc as usize]
                        && self.usable(g, e.node))
            })
            .fold(0u64, |acc, e| acc.saturating_add(g.cap[e.arc as usize]));
        Some(bound)
    }

    /// Widest valid path of at most `max_hops` hops in the residual graph (ties: fewer hops, then
    /// adjacency order), by a hop-layered programme: a node gets a label in layer `h` only if its
    /// bottleneck beats every label it has in fewer hops, which also keeps the walks simple.
    /// Leaves the path in `cand_*`.
    fn widest_path(&mut self, q: &Query) -> bool {
        let g = q.g;
        let n = g.node_count();
        if self.wide.len() < n {
            self.wide.resize(n, 0);
        }
        // fwd.seen(v): v has a label; wide[v]: its best width so far; fwd.parent[v]: index of its
        // label in the current layer (valid when fwd.depth[v] == layer).
        self.fwd.start(n);
        self.labels.clear();
        self.labels.push(WideLabel {
            node: q.s,
            width: u64::MAX,
            parent: NONE,
            arc: NONE,
        });
        self.fwd.mark(q.s, 0, 0, 0);
        self.wide[q.s as usize] = u64::MAX;
        let (mut lo, mut hi) = (0usize, 1usize);
        let mut best_t: u64 = 0;
        let mut best: Option<(u32, u32)> = None;
        for layer in 1..=q.h {
            for i in lo..hi {
                let WideLabel { node: u, width, .. } = self.labels[i];
                if width <= best_t {
                    continue;
                }
                if !self.charge(g.live_out[u as usize]) {
                    return false;
                }
                for e in &g.out[u as usize] {
                    let (a, v) = (e.arc, e.node);
                    let w = width.min(self.residual(g, a));
                    if w <= best_t {
                        continue;
                    }
                    if v == q.t {
                        best_t = w;
                        best = Some((i as u32, a));
                        continue;
                    }
                    if v == q.s
                        || !self.hops.seen(v)
                        || layer + self.hops.depth[v as usize] > q.h
                        || !g.can_be_intermediate[a as usize]
                        || !self.usable(g, v)
                    {
                        continue;
                    }
                    let vi = v as usize;
                    if self.fwd.seen(v) && self.wide[vi] >= w {
                        continue;
                    }
                    if self.fwd.seen(v) && self.fwd.depth[vi] == layer {
                        let l = &mut self.labels[self.fwd.parent[vi] as usize];
                        l.width = w;
                        l.parent = i as u32;
                        l.arc = a;
                    } else {
                        let at = self.labels.len() as u32;
                        self.labels.push(WideLabel {
                            node: v,
                            width: w,
                            parent: i as u32,
                            arc: a,
                        });
                        self.fwd.mark(v, at, layer, 0);
                    }
                    self.wide[vi] = w;
                }
            }
            lo = hi;
            hi = self.labels.len();
            if lo == hi {
                break;
            }
        }
        let Some((mut i, a)) = best else {
            return false;
        };
        self.cand_nodes.clear();
        self.cand_arcs.clear();
        self.cand_nodes.push(q.t);
        self.cand_arcs.push(a);
        while i != NONE {
            let l = self.labels[i as usize];
            self.cand_nodes.push(l.node);
            if l.arc != NONE {
                self.cand_arcs.push(l.arc);
            }
            i = l.parent;
        }
        self.cand_nodes.reverse();
        self.cand_arcs.reverse();
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
    /// the cheaper side (fewer positive-capacity arcs, so zero-capacity arcs never change the
    /// choice) level by level. Leaves the path in `cand_*`.
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
        let mut fcost = g.live_out[q.s as usize] as usize;
        let mut bcost = g.live_in[q.t as usize] as usize;
        let (mut fd, mut bd) = (0u8, 0u8);
        while fd + bd < q.h && !self.fq.is_empty() && !self.bq.is_empty() {
            let mut cost = 0usize;
            self.next.clear();
            if fcost <= bcost {
                for i in 0..self.fq.len() {
                    let u = self.fq[i];
                    if !self.charge(g.live_out[u as usize]) {
                        return false;
                    }
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
                        cost += g.live_out[v as usize] as usize;
                    }
                }
                std::mem::swap(&mut self.fq, &mut self.next);
                fcost = cost;
                fd += 1;
            } else {
                for i in 0..self.bq.len() {
                    let v = self.bq[i];
                    if !self.charge(g.live_in[v as usize]) {
                        return false;
                    }
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
                        cost += g.live_in[u as usize] as usize;
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
            let (a, v) = (e.arc, e.node);
            // Zero-capacity arcs are skipped before the budget is charged: a replayed graph may
            // not have them, and they must not change where the search stops.
            if g.cap[a as usize] == 0 {
                continue;
            }
            if *budget == 0 {
                return false;
            }
            *budget -= 1;
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
    /// (arc ids, undo arcs tagged with `REV`), from payer to payee. Forward steps are pruned by
    /// the hop distances to the payee of [`Self::hop_distances_to_payee`], as strategy 2 is.
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
            if !self.charge(g.live_out[u as usize] + g.live_in[u as usize]) {
                return false;
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
                // The path being formed continues from v over positive-capacity arcs, so it
                // needs at least v's hop distance to the payee more.
                if self.fwd.seen(v)
                    || !self.hops.seen(v)
                    || d + 1 + self.hops.depth[v as usize] > h
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
