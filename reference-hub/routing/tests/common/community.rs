//! Seeded generated communities (perf-anchors §2.1–2.3): Holme–Kim graph, lognormal trust limits,
//! and the payment mix; shared by the routing bench and the quality test.

use std::collections::HashMap;

use geo_routing::{ArcId, Graph, NodeId, Path, Route};

/// splitmix64 with float helpers (floats only in the generator, never in the library).
pub struct Prng(pub u64);

impl Prng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }
}

/// Generated community: undirected neighbourhoods, payment graph and sampling tables.
pub struct Community {
    pub n: usize,
    pub adj: Vec<Vec<u32>>,
    pub graph: Graph,
    pub median_limit: f64,
    pub zipf_cdf: Vec<f64>,
    pub zipf_perm: Vec<u32>,
}

/// Holme–Kim preferential attachment with triadic closure; trust lines with lognormal limits
/// scaled by a Pareto "size" of the creditor, reciprocated with probability `r`.
pub fn generate(n: usize, m: usize, p_triad: f64, r: f64, seed: u64) -> Community {
    let mut rng = Prng(seed);
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut ends: Vec<u32> = Vec::new();
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let connect = |a: usize,
                   b: usize,
                   adj: &mut Vec<Vec<u32>>,
                   ends: &mut Vec<u32>,
                   edges: &mut Vec<(u32, u32)>| {
        adj[a].push(b as u32);
        adj[b].push(a as u32);
        ends.push(a as u32);
        ends.push(b as u32);
        edges.push((a as u32, b as u32));
    };
    let m0 = m + 1;
    for a in 0..m0.min(n) {
        for b in 0..a {
            connect(a, b, &mut adj, &mut ends, &mut edges);
        }
    }
    for v in m0..n {
        let mut last: Option<usize> = None;
        let mut added = 0;
        let mut tries = 0;
        while added < m && tries < 20 * m {
            tries += 1;
            let cand = match last {
                Some(w) if rng.unit() < p_triad && !adj[w].is_empty() => {
                    adj[w][rng.below(adj[w].len())] as usize
                }
                _ => ends[rng.below(ends.len())] as usize,
            };
            if cand == v || adj[v].contains(&(cand as u32)) {
                continue;
            }
            connect(v, cand, &mut adj, &mut ends, &mut edges);
            added += 1;
            if last.is_none() {
                last = Some(cand);
            }
        }
    }
    let size: Vec<f64> = (0..n)
        .map(|_| (1.0 - rng.unit()).powf(-1.0 / 1.8).min(20.0))
        .collect();
    let median_limit = 10_000.0; // 100.00 in minor units of a 2-decimal equivalent
    let mut graph = Graph::with_capacity(n, 2 * edges.len());
    graph.ensure_nodes(n).unwrap();
    for &(a, b) in &edges {
        let (a, b) = if rng.unit() < 0.5 { (a, b) } else { (b, a) };
        // Trust line a → b: b may owe a, so payment arc b → a.
        let both = rng.unit() < r;
        let lim = |rng: &mut Prng, creditor: u32| {
            (rng.lognormal(median_limit, 1.2) * size[creditor as usize]).round() as u64
        };
        let l_ab = lim(&mut rng, a);
        let l_ba = if both { lim(&mut rng, b) } else { 0 };
        graph.set_capacity(NodeId(b), NodeId(a), l_ab).unwrap();
        graph.set_capacity(NodeId(a), NodeId(b), l_ba).unwrap();
    }
    let mut zipf_cdf = Vec::with_capacity(n);
    let mut acc = 0.0;
    for k in 1..=n {
        acc += 1.0 / (k as f64).powf(1.1);
        zipf_cdf.push(acc);
    }
    let mut zipf_perm: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        zipf_perm.swap(i, rng.below(i + 1));
    }
    Community {
        n,
        adj,
        graph,
        median_limit,
        zipf_cdf,
        zipf_perm,
    }
}

/// One payment of the mix: 70 % local (≤ 2 hops), 25 % Zipf-popular payee, 5 % uniform;
/// lognormal amount (median 3 % of the median limit), 5 % tail up to half the payer's out-capacity.
pub fn draw_payment(c: &Community, rng: &mut Prng) -> (NodeId, NodeId, u64) {
    let s = rng.below(c.n);
    let roll = rng.unit();
    let t = if roll < 0.70 {
        let a = &c.adj[s];
        let first = a[rng.below(a.len())] as usize;
        if rng.unit() < 0.5 {
            first
        } else {
            let b = &c.adj[first];
            b[rng.below(b.len())] as usize
        }
    } else if roll < 0.95 {
        let x = rng.unit() * c.zipf_cdf[c.n - 1];
        let k = c.zipf_cdf.partition_point(|&v| v < x).min(c.n - 1);
        c.zipf_perm[k] as usize
    } else {
        rng.below(c.n)
    };
    let t = if t == s { (s + 1) % c.n } else { t };
    let amount = if rng.unit() < 0.05 {
        let out: u64 = c
            .graph
            .out_arcs(NodeId(s as u32))
            .map(|(_, a)| c.graph.capacity(a))
            .sum();
        ((out as f64) * (0.1 + 0.4 * rng.unit())) as u64
    } else {
        rng.lognormal(0.03 * c.median_limit, 1.0) as u64
    };
    (NodeId(s as u32), NodeId(t as u32), amount.max(1))
}

/// Commits `payments` payments of the mix, so capacities carry debts as in a live ledger. They are
/// routed by a fixed greedy (fewest-hop paths, at most 16, no undo) independent of the router under
/// test, so two builds of the router are measured on the same ledger state.
pub fn warm_up(c: &mut Community, payments: usize, rng: &mut Prng) -> usize {
    let mut ok = 0;
    for _ in 0..payments {
        let (s, t, a) = draw_payment(c, rng);
        if let Some(r) = greedy_route(&c.graph, s, t, a, 6, 16) {
            c.graph.reserve(&r).unwrap();
            c.graph.commit(&r).unwrap();
            ok += 1;
        }
    }
    ok
}

/// A route of exactly `amount` along fewest-hop paths of the residual graph (no policies beyond
/// capacity and the hop limit), or `None` if greedy falls short.
pub fn greedy_route(
    g: &Graph,
    s: NodeId,
    t: NodeId,
    amount: u64,
    max_hops: u8,
    max_paths: usize,
) -> Option<Route> {
    let mut used: HashMap<u32, u64> = HashMap::new();
    let mut paths = Vec::new();
    let mut routed = 0;
    while routed < amount && paths.len() < max_paths {
        let mut parent: HashMap<u32, (u32, u32)> = HashMap::new();
        let mut frontier = vec![s.0];
        let mut found = false;
        'levels: for _ in 0..max_hops {
            let mut next = Vec::new();
            for &u in &frontier {
                for (v, a) in g.out_arcs(NodeId(u)) {
                    let residual = g.capacity(a) - used.get(&a.0).copied().unwrap_or(0);
                    if residual == 0 || v == s || parent.contains_key(&v.0) {
                        continue;
                    }
                    parent.insert(v.0, (u, a.0));
                    if v == t {
                        found = true;
                        break 'levels;
                    }
                    next.push(v.0);
                }
            }
            frontier = next;
        }
        if !found {
            return None;
        }
        let (mut nodes, mut arcs) = (vec![t], Vec::new());
        let mut x = t.0;
        while x != s.0 {
            let (u, a) = parent[&x];
            arcs.push(ArcId(a));
            nodes.push(NodeId(u));
            x = u;
        }
        nodes.reverse();
        arcs.reverse();
        let width = arcs
            .iter()
            .map(|a| g.capacity(*a) - used.get(&a.0).copied().unwrap_or(0))
            .min()
            .unwrap()
            .min(amount - routed);
        for a in &arcs {
            *used.entry(a.0).or_insert(0) += width;
        }
        routed += width;
        paths.push(Path {
            nodes,
            arcs,
            amount: width,
        });
    }
    (routed == amount).then_some(Route {
        from: s,
        to: t,
        amount,
        paths,
    })
}
