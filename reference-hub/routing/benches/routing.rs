//! Routing benchmark on seeded Holme–Kim community graphs (perf-anchors §2.1–2.3, goals §3.1–3.2).
//!
//! `cargo bench -p geo-routing --bench routing -- [--quick] [--sizes 500,10000,100000] [--seed N]`

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::community::{draw_payment, generate, Prng};
use geo_routing::{check_route, Constraints, Graph, NodeId, Router, RoutingError};

/// Hop distances over positive-capacity arcs from `root` (forward, or backward with `rev`), at
/// most `h` hops; `u8::MAX` when farther.
fn hop_dist(g: &Graph, root: NodeId, h: u8, rev: bool) -> Vec<u8> {
    let mut d = vec![u8::MAX; g.node_count()];
    d[root.index()] = 0;
    let mut q = std::collections::VecDeque::from([root]);
    while let Some(u) = q.pop_front() {
        if d[u.index()] >= h {
            continue;
        }
        let next: Vec<(NodeId, geo_routing::ArcId)> = if rev {
            g.in_arcs(u).collect()
        } else {
            g.out_arcs(u).collect()
        };
        for (v, a) in next {
            if g.capacity(a) > 0 && d[v.index()] == u8::MAX {
                d[v.index()] = d[u.index()] + 1;
                q.push_back(v);
            }
        }
    }
    d
}

/// Upper bound of the hop-limited optimum F_H: exact max flow on the arcs `u → v` that lie on
/// some walk of at most `h` hops (dist(s, u) + 1 + dist(v, t) ≤ h). Ignores the path limit and
/// simplicity, so F_H (16 paths) ≤ F_H ≤ this.
fn hop_pruned_max_flow(g: &Graph, s: NodeId, t: NodeId, h: u8) -> u64 {
    let ds = hop_dist(g, s, h, false);
    let dt = hop_dist(g, t, h, true);
    let mut pruned = Graph::with_capacity(g.node_count(), g.arc_count());
    pruned.ensure_nodes(g.node_count()).unwrap();
    for a in 0..g.arc_count() {
        let a = geo_routing::ArcId(a as u32);
        let (u, v) = g.arc_ends(a).unwrap();
        let (x, y) = (ds[u.index()], dt[v.index()]);
        if g.capacity(a) > 0 && x != u8::MAX && y != u8::MAX && x as u16 + 1 + y as u16 <= h as u16
        {
            pruned.set_capacity(u, v, g.capacity(a)).unwrap();
        }
    }
    dinic(&pruned, s, t)
}

/// Exact unbounded max flow (Dinic on a CSR residual graph built from current capacities).
fn dinic(g: &Graph, s: NodeId, t: NodeId) -> u64 {
    let n = g.node_count();
    let m = g.arc_count();
    // Residual arcs: 2 per graph arc (forward, reverse), CSR by tail.
    let mut deg = vec![0u32; n + 1];
    let mut ends = Vec::with_capacity(m);
    for a in 0..m {
        let (u, v) = g.arc_ends(geo_routing::ArcId(a as u32)).unwrap();
        ends.push((u.0, v.0));
        deg[u.index() + 1] += 1;
        deg[v.index() + 1] += 1;
    }
    for i in 0..n {
        deg[i + 1] += deg[i];
    }
    let mut pos: Vec<u32> = deg.clone();
    let mut to = vec![0u32; 2 * m];
    let mut cap = vec![0u64; 2 * m];
    let mut rev = vec![0u32; 2 * m];
    for (a, &(u, v)) in ends.iter().enumerate() {
        let i = pos[u as usize] as usize;
        pos[u as usize] += 1;
        let j = pos[v as usize] as usize;
        pos[v as usize] += 1;
        to[i] = v;
        cap[i] = g.capacity(geo_routing::ArcId(a as u32));
        rev[i] = j as u32;
        to[j] = u;
        cap[j] = 0;
        rev[j] = i as u32;
    }
    let (s, t) = (s.0 as usize, t.0 as usize);
    let mut level = vec![u32::MAX; n];
    let mut it = vec![0u32; n];
    let mut queue = Vec::with_capacity(n);
    let mut flow: u64 = 0;
    loop {
        level.iter_mut().for_each(|l| *l = u32::MAX);
        level[s] = 0;
        queue.clear();
        queue.push(s);
        let mut h = 0;
        while h < queue.len() {
            let u = queue[h];
            h += 1;
            for e in deg[u] as usize..deg[u + 1] as usize {
                let v = to[e] as usize;
                if cap[e] > 0 && level[v] == u32::MAX {
                    level[v] = level[u] + 1;
                    queue.push(v);
                }
            }
        }
        if level[t] == u32::MAX {
            return flow;
        }
        it[..n].copy_from_slice(&deg[..n]);
        // Iterative DFS for blocking flow.
        loop {
            let mut path: Vec<usize> = Vec::new();
            let mut u = s;
            let pushed = loop {
                if u == t {
                    let f = path.iter().map(|&e| cap[e]).min().unwrap_or(0);
                    break f;
                }
                let mut advanced = false;
                while it[u] < deg[u + 1] {
                    let e = it[u] as usize;
                    let v = to[e] as usize;
                    if cap[e] > 0 && level[v] == level[u] + 1 {
                        path.push(e);
                        u = v;
                        advanced = true;
                        break;
                    }
                    it[u] += 1;
                }
                if !advanced {
                    if u == s {
                        break 0;
                    }
                    level[u] = u32::MAX; // dead end
                    let e = path.pop().unwrap();
                    u = to[rev[e] as usize] as usize;
                    it[u] += 1;
                }
            };
            if pushed == 0 {
                break;
            }
            for &e in &path {
                cap[e] -= pushed;
                cap[rev[e] as usize] = cap[rev[e] as usize].saturating_add(pushed);
            }
            flow = flow.saturating_add(pushed);
        }
    }
}

/// CPU time consumed by this thread, in ns (wall time is meaningless on a loaded shared machine).
#[cfg(unix)]
fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

#[cfg(not(unix))]
fn thread_cpu_ns() -> u64 {
    0
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn fmt_us(ns: u64) -> String {
    format!("{:.1} µs", ns as f64 / 1000.0)
}

struct Tier {
    n: usize,
    warmup: usize,
    measured: usize,
    oracle_every: usize,
}

fn run_tier(tier: &Tier, seed: u64) {
    let t0 = Instant::now();
    let mut c = generate(tier.n, 4, 0.5, 0.5, seed);
    let gen_ms = t0.elapsed().as_millis();
    let mut router = Router::new();
    // The warm-up routes with a budget fixed here (the default of the 2026-12-07 router), not the
    // build's default, so two builds compared side by side measure from the same ledger state.
    let mut warm_router =
        Router::new().with_work_budget((24 * tier.n as u64).clamp(150_000, 600_000));
    let cons = Constraints::default();
    let mut rng = Prng(seed ^ 0xA5A5);
    let t1 = Instant::now();
    let mut warm_ok = 0;
    for _ in 0..tier.warmup {
        let (s, t, a) = draw_payment(&c, &mut rng);
        if let Ok(r) = warm_router.route(&c.graph, s, t, a, &cons) {
            c.graph.reserve(&r).unwrap();
            c.graph.commit(&r).unwrap();
            warm_ok += 1;
        }
    }
    let warm_s = t1.elapsed().as_secs_f64();
    let mut lat = Vec::with_capacity(tier.measured);
    let mut lat_ok = Vec::new();
    let mut lat_fail = Vec::new();
    let (mut cpu_ok, mut cpu_fail) = (Vec::new(), Vec::new());
    let (mut ok, mut paths_total, mut multi) = (0usize, 0usize, 0usize);
    let (mut req_sum, mut got_sum) = (0u128, 0u128);
    let mut ratios_flow: Vec<f64> = Vec::new();
    let mut ratios_preview: Vec<f64> = Vec::new();
    let mut ratios_greedy: Vec<f64> = Vec::new();
    let mut ratios_wide: Vec<f64> = Vec::new();
    let mut ratios_wide8: Vec<f64> = Vec::new();
    let mut ratios_ub: Vec<f64> = Vec::new();
    let mut ratios_hop: Vec<f64> = Vec::new();
    let mut ratios_greedy_wide: Vec<f64> = Vec::new();
    let mut infeasible_rejected = 0usize;
    let mut oracle_samples = 0usize;
    let (mut p2_acc, mut p2_rej, mut p2_used) = (0u64, 0u64, 0u64);
    let (mut work_fail, mut widest_used, mut exhausted) = (Vec::new(), 0usize, 0usize);
    // Work of refusals per stage (fewest-hop, hop-pruned bound, undo, widest), all and budget-bound.
    let (mut stage_fail, mut stage_exhausted) = ([0u64; 4], [0u64; 4]);
    for i in 0..tier.measured {
        let (s, t, a) = draw_payment(&c, &mut rng);
        let cpu0 = thread_cpu_ns();
        let start = Instant::now();
        let res = router.route(&c.graph, s, t, a, &cons);
        let ns = start.elapsed().as_nanos() as u64;
        let cpu = thread_cpu_ns() - cpu0;
        lat.push(ns);
        if res.is_ok() {
            cpu_ok.push(cpu);
        } else {
            cpu_fail.push(cpu);
        }
        let st = router.last_stats();
        p2_acc += st.phase2_accepted as u64;
        p2_rej += st.phase2_rejected as u64;
        p2_used += u64::from(st.phase2_accepted > 0 && res.is_ok());
        widest_used += usize::from(st.widest_paths > 0 && res.is_ok());
        exhausted += usize::from(st.budget_exhausted);
        if res.is_err() {
            work_fail.push(st.work);
            for (sum, w) in stage_fail.iter_mut().zip(st.stage_work) {
                *sum += w;
            }
            if st.budget_exhausted {
                for (sum, w) in stage_exhausted.iter_mut().zip(st.stage_work) {
                    *sum += w;
                }
            }
        }
        req_sum += a as u128;
        let achieved = match &res {
            Ok(r) => {
                check_route(&c.graph, s, t, a, &cons, r).expect("valid route");
                ok += 1;
                paths_total += r.paths.len();
                multi += usize::from(r.paths.len() > 1);
                lat_ok.push(ns);
                a
            }
            Err(RoutingError::InsufficientCapacity { found, .. }) => {
                lat_fail.push(ns);
                *found
            }
            Err(e) => panic!("unexpected {e}"),
        };
        if res.is_ok() {
            got_sum += a as u128;
        }
        if i % tier.oracle_every == 0 {
            oracle_samples += 1;
            let f = dinic(&c.graph, s, t);
            let best = f.min(a);
            if best > 0 {
                ratios_flow.push(achieved as f64 / best as f64);
            }
            if f < a && res.is_err() {
                infeasible_rejected += 1;
            }
            let p = router.preview(&c.graph, s, t, &cons).unwrap();
            if f > 0 {
                ratios_preview.push(p.max_amount as f64 / f as f64);
                let wide = Constraints::default().with_max_paths(256);
                let pw = router.preview(&c.graph, s, t, &wide).unwrap();
                ratios_wide.push(pw.max_amount as f64 / f as f64);
                let wide8 = Constraints::default().with_max_paths(256).with_max_hops(8);
                let p8 = router.preview(&c.graph, s, t, &wide8).unwrap();
                ratios_wide8.push(p8.max_amount as f64 / f as f64);
                ratios_ub.push(p.upper_bound.min(f) as f64 / f as f64);
                if tier.n <= 10_000 {
                    let fh = hop_pruned_max_flow(&c.graph, s, t, 6);
                    assert!(p.max_amount <= fh, "preview above the F_H upper bound");
                    if fh > 0 {
                        ratios_hop.push(p.max_amount as f64 / fh as f64);
                    }
                }
            }
            if tier.n <= 10_000 && f > 0 {
                let gr = common::greedy_no_undo(&c.graph, s, t, u64::MAX, 6, 16);
                let gw = common::greedy_no_undo(&c.graph, s, t, u64::MAX, 6, 256);
                ratios_greedy_wide.push(gw as f64 / f as f64);
                ratios_greedy.push(gr as f64 / f as f64);
            }
        }
        if let Ok(r) = res {
            c.graph.reserve(&r).unwrap();
            c.graph.commit(&r).unwrap();
        }
    }
    lat.sort_unstable();
    lat_ok.sort_unstable();
    lat_fail.sort_unstable();
    cpu_ok.sort_unstable();
    cpu_fail.sort_unstable();
    let mean = |v: &[f64]| {
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let p10 = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        if v.is_empty() {
            f64::NAN
        } else {
            v[(v.len() as f64 * 0.1) as usize]
        }
    };
    let arcs = c.graph.arc_count();
    println!(
        "## {} participants ({} payment arcs), seed {}",
        tier.n, arcs, seed
    );
    println!(
        "generate {} ms; warm-up {} payments in {:.1} s ({} routed)",
        gen_ms, tier.warmup, warm_s, warm_ok
    );
    println!(
        "latency all: p50 {} p99 {} max {} (n={})",
        fmt_us(percentile(&lat, 0.5)),
        fmt_us(percentile(&lat, 0.99)),
        fmt_us(*lat.last().unwrap_or(&0)),
        lat.len()
    );
    println!(
        "latency successful: p50 {} p99 {}; rejected: p50 {} p99 {} (n={})",
        fmt_us(percentile(&lat_ok, 0.5)),
        fmt_us(percentile(&lat_ok, 0.99)),
        fmt_us(percentile(&lat_fail, 0.5)),
        fmt_us(percentile(&lat_fail, 0.99)),
        lat_fail.len()
    );
    println!(
        "thread CPU time (includes ~0.3 µs clock overhead): successful p50 {} p99 {}; rejected p50 {} p99 {}",
        fmt_us(percentile(&cpu_ok, 0.5)),
        fmt_us(percentile(&cpu_ok, 0.99)),
        fmt_us(percentile(&cpu_fail, 0.5)),
        fmt_us(percentile(&cpu_fail, 0.99)),
    );
    println!(
        "success {:.1} %; multipath {:.1} % of successes; mean paths {:.2}; delivered/requested (volume) {:.3}",
        100.0 * ok as f64 / tier.measured as f64,
        100.0 * multi as f64 / ok.max(1) as f64,
        paths_total as f64 / ok.max(1) as f64,
        got_sum as f64 / req_sum as f64
    );
    println!(
        "undo phase: {p2_acc} augmentations kept, {p2_rej} rejected; {p2_used} successes needed it"
    );
    work_fail.sort_unstable();
    println!(
        "widest strategy: {widest_used} successes used it; work budget reached on {exhausted} calls; \
         adjacency entries per rejection p50 {} p99 {}",
        percentile(&work_fail, 0.5),
        percentile(&work_fail, 0.99)
    );
    let share = |v: [u64; 4]| {
        let total = v.iter().sum::<u64>().max(1) as f64;
        v.map(|w| format!("{:.0} %", 100.0 * w as f64 / total))
            .join(" / ")
    };
    println!(
        "refusals' work by stage (fewest-hop / hop bound / undo / widest): all {}; budget reached {}",
        share(stage_fail),
        share(stage_exhausted)
    );
    let mut rf = ratios_flow.clone();
    let mut rp = ratios_preview.clone();
    println!(
        "oracle samples {}: routed-or-found / min(A, maxflow) mean {:.4} p10 {:.4}; infeasible (A > maxflow) rejected {}",
        oracle_samples,
        mean(&ratios_flow),
        p10(&mut rf),
        infeasible_rejected
    );
    println!(
        "preview / unbounded maxflow (H=6, 16 paths): mean {:.4} p10 {:.4}",
        mean(&ratios_preview),
        p10(&mut rp)
    );
    println!(
        "preview / maxflow with 256 paths: H=6 mean {:.4}, H=8 mean {:.4}",
        mean(&ratios_wide),
        mean(&ratios_wide8)
    );
    let _ = mean(&ratios_ub);
    if !ratios_hop.is_empty() {
        let mut rh = ratios_hop.clone();
        rh.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let at = |p: f64| rh[((rh.len() as f64 * p) as usize).min(rh.len() - 1)];
        println!(
            "preview / hop-pruned max flow (upper bound of F_H, H=6; a lower bound of preview / F_H): \
             mean {:.4} p5 {:.4} min {:.4}; share ≥ 0.98 {:.1} %",
            mean(&ratios_hop),
            at(0.05),
            rh[0],
            100.0 * rh.iter().filter(|&&r| r >= 0.98).count() as f64 / rh.len() as f64
        );
    }
    if !ratios_greedy.is_empty() {
        let mut rg = ratios_greedy.clone();
        println!(
            "baseline greedy fewest-hop no-undo / maxflow (H=6, 16 paths): mean {:.4} p10 {:.4}; 256 paths: mean {:.4}",
            mean(&ratios_greedy),
            p10(&mut rg),
            mean(&ratios_greedy_wide)
        );
    }
    println!();
}

/// Router vs the exact integer hop-bounded max flow F_H on tiny random graphs (with policies).
fn tiny_oracle(cases: u64) {
    let (mut got, mut best, mut exact, mut counted) = (0u64, 0u64, 0u64, 0u64);
    let mut min_ratio: f64 = 1.0;
    let mut router = Router::new();
    for seed in 0..cases {
        let case = common::random_case(seed, seed % 2 == 0);
        let Some(f) = common::brute_force_max_flow(&case.g, case.s, case.t, &case.c) else {
            continue;
        };
        if f == 0 {
            continue;
        }
        let p = router.preview(&case.g, case.s, case.t, &case.c).unwrap();
        counted += 1;
        got += p.max_amount;
        best += f;
        exact += u64::from(p.max_amount == f);
        min_ratio = min_ratio.min(p.max_amount as f64 / f as f64);
    }
    println!("## tiny graphs vs exact hop-bounded integer max flow F_H (brute force, ≤ 7 nodes)");
    println!(
        "{} instances with F_H > 0: volume fraction {:.4}, exact on {:.1} %, worst instance {:.3}",
        counted,
        got as f64 / best as f64,
        100.0 * exact as f64 / counted as f64,
        min_ratio
    );
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(42u64);
    let sizes: Vec<usize> = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| {
            if quick {
                vec![100, 500]
            } else {
                vec![500, 10_000, 100_000]
            }
        });
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    println!("# geo-routing benchmark (seed {seed}, cpu: {cpu}, quick: {quick})\n");
    tiny_oracle(if quick { 500 } else { 3000 });
    for n in sizes {
        let tier = match n {
            n if n <= 1000 => Tier {
                n,
                warmup: if quick { 10_000 } else { 40_000 },
                measured: if quick { 2_000 } else { 10_000 },
                oracle_every: 1,
            },
            n if n <= 20_000 => Tier {
                n,
                warmup: 100_000,
                measured: 5_000,
                oracle_every: 10,
            },
            n => Tier {
                n,
                warmup: 30_000,
                measured: 2_000,
                oracle_every: 100,
            },
        };
        run_tier(&tier, seed);
    }
}
