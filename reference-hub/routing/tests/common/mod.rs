//! Shared test helpers: graph builder, greedy baseline and a brute-force hop-bounded max-flow oracle.
#![allow(dead_code)]

use std::collections::HashMap;

pub mod community;
pub mod oracle;
pub mod quality;

use geo_routing::{check_route, ArcId, Constraints, Graph, NodeId, Path, Route};

/// A graph with `n` nodes and the given `(from, to, capacity)` arcs.
pub fn graph(n: usize, arcs: &[(u32, u32, u64)]) -> Graph {
    let mut g = Graph::new();
    g.ensure_nodes(n).unwrap();
    for &(u, v, c) in arcs {
        g.set_capacity(NodeId(u), NodeId(v), c).unwrap();
    }
    g
}

/// Node ids of each path, for readable assertions.
pub fn node_paths(route: &Route) -> Vec<Vec<u32>> {
    route
        .paths
        .iter()
        .map(|p| p.nodes.iter().map(|n| n.0).collect())
        .collect()
}

/// Whether a single path (amount 1) passes the checker's hop and policy rules, capacity aside.
fn path_is_valid(
    g: &Graph,
    s: NodeId,
    t: NodeId,
    c: &Constraints,
    nodes: &[u32],
    arcs: &[u32],
) -> bool {
    let route = Route {
        from: s,
        to: t,
        amount: 1,
        paths: vec![Path {
            nodes: nodes.iter().map(|&v| NodeId(v)).collect(),
            arcs: arcs.iter().map(|&a| ArcId(a)).collect(),
            amount: 1,
        }],
    };
    check_route(g, s, t, 1, c, &route).is_ok()
}

/// Every valid simple path from `s` to `t` with positive capacity on each arc, as arc lists.
pub fn valid_paths(g: &Graph, s: NodeId, t: NodeId, c: &Constraints) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut nodes = vec![s.0];
    let mut arcs = Vec::new();
    fn dfs(
        g: &Graph,
        s: NodeId,
        t: NodeId,
        c: &Constraints,
        nodes: &mut Vec<u32>,
        arcs: &mut Vec<u32>,
        out: &mut Vec<Vec<u32>>,
    ) {
        let u = *nodes.last().unwrap();
        if u == t.0 {
            if path_is_valid(g, s, t, c, nodes, arcs) {
                out.push(arcs.clone());
            }
            return;
        }
        if arcs.len() == c.max_hops as usize {
            return;
        }
        for (v, a) in g.out_arcs(NodeId(u)) {
            if g.capacity(a) == 0 || nodes.contains(&v.0) {
                continue;
            }
            nodes.push(v.0);
            arcs.push(a.0);
            dfs(g, s, t, c, nodes, arcs, out);
            nodes.pop();
            arcs.pop();
        }
    }
    dfs(g, s, t, c, &mut nodes, &mut arcs, &mut out);
    out
}

/// Exact integer hop-bounded max flow with policies (ignoring `max_paths`), by exhaustive search
/// with memoisation over integer path amounts. `None` if the instance is too large.
pub fn brute_force_max_flow(g: &Graph, s: NodeId, t: NodeId, c: &Constraints) -> Option<u64> {
    if s == t
        || c.avoid.contains(&s)
        || c.avoid.contains(&t)
        || !g.is_routable(s)
        || !g.is_routable(t)
    {
        return Some(0);
    }
    let paths = valid_paths(g, s, t, c);
    if paths.len() > 24 {
        return None;
    }
    let mut local: HashMap<u32, usize> = HashMap::new();
    let mut caps = Vec::new();
    let lp: Vec<Vec<usize>> = paths
        .iter()
        .map(|p| {
            p.iter()
                .map(|&a| {
                    *local.entry(a).or_insert_with(|| {
                        caps.push(g.capacity(ArcId(a)));
                        caps.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    let mut memo = HashMap::new();
    fn best(
        i: usize,
        paths: &[Vec<usize>],
        caps: &mut Vec<u64>,
        memo: &mut HashMap<(usize, Vec<u64>), u64>,
    ) -> u64 {
        if i == paths.len() {
            return 0;
        }
        if let Some(&v) = memo.get(&(i, caps.clone())) {
            return v;
        }
        let m = paths[i].iter().map(|&a| caps[a]).min().unwrap();
        let mut b = 0;
        for x in 0..=m {
            for &a in &paths[i] {
                caps[a] -= x;
            }
            b = b.max(x + best(i + 1, paths, caps, memo));
            for &a in &paths[i] {
                caps[a] += x;
            }
        }
        memo.insert((i, caps.clone()), b);
        b
    }
    Some(best(0, &lp, &mut caps, &mut memo))
}

/// Baseline of GEOv0 / GEO: repeated fewest-hop BFS on the residual graph without undo arcs
/// (policies other than the hop limit ignored); returns the amount routed.
pub fn greedy_no_undo(
    g: &Graph,
    s: NodeId,
    t: NodeId,
    amount: u64,
    max_hops: u8,
    max_paths: usize,
) -> u64 {
    let mut residual: Vec<u64> = (0..g.arc_count())
        .map(|a| g.capacity(ArcId(a as u32)))
        .collect();
    let mut routed = 0;
    for _ in 0..max_paths {
        if routed >= amount {
            break;
        }
        let n = g.node_count();
        let mut parent: Vec<Option<u32>> = vec![None; n];
        let mut depth = vec![u8::MAX; n];
        depth[s.index()] = 0;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            if u == t || depth[u.index()] >= max_hops {
                continue;
            }
            for (v, a) in g.out_arcs(u) {
                if residual[a.index()] > 0 && depth[v.index()] == u8::MAX {
                    depth[v.index()] = depth[u.index()] + 1;
                    parent[v.index()] = Some(a.0);
                    queue.push_back(v);
                }
            }
        }
        if depth[t.index()] == u8::MAX {
            break;
        }
        let mut arcs = Vec::new();
        let mut x = t;
        while x != s {
            let a = parent[x.index()].unwrap();
            arcs.push(a);
            x = g.arc_ends(ArcId(a)).unwrap().0;
        }
        let delta = arcs
            .iter()
            .map(|&a| residual[a as usize])
            .min()
            .unwrap()
            .min(amount - routed);
        for a in arcs {
            residual[a as usize] -= delta;
        }
        routed += delta;
    }
    routed
}

/// splitmix64: a tiny deterministic PRNG for generated cases.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A random routing instance.
pub struct Case {
    pub g: Graph,
    pub s: NodeId,
    pub t: NodeId,
    pub c: Constraints,
    pub amount: u64,
}

/// A random graph of 2..=7 nodes with capacities 0..=4, optionally with policies.
pub fn random_case(seed: u64, policies: bool) -> Case {
    let mut r = Rng(seed);
    let n = 2 + r.below(6) as u32; // 2..=7
    let density = 30 + r.below(40);
    let mut g = Graph::new();
    g.ensure_nodes(n as usize).unwrap();
    for u in 0..n {
        for v in 0..n {
            if u != v && r.chance(density) {
                let a = g.set_capacity(NodeId(u), NodeId(v), r.below(5)).unwrap();
                if policies && r.chance(12) {
                    g.set_can_be_intermediate(a, false).unwrap();
                }
                if policies && r.chance(10) {
                    let b = [NodeId(r.below(n as u64) as u32)];
                    g.set_blocked_participants(a, b).unwrap();
                }
            }
        }
    }
    let s = NodeId(r.below(n as u64) as u32);
    let mut t = NodeId(r.below(n as u64) as u32);
    if t == s {
        t = NodeId((s.0 + 1) % n);
    }
    let mut c = Constraints::default().with_max_hops(1 + r.below(6) as u8);
    if policies {
        for v in 0..n {
            if v != s.0 && v != t.0 && r.chance(8) {
                g.set_routable(NodeId(v), false).unwrap();
            }
        }
        if r.chance(30) {
            c.avoid.push(NodeId(r.below(n as u64) as u32));
        }
    }
    let amount = 1 + r.below(6);
    Case { g, s, t, c, amount }
}
