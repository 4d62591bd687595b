//! Clearing benchmark on seeded Holme–Kim scale-free debt graphs (mirrors perf-anchors §1.1).
//!
//! Run: `cargo bench -p geo-clearing --bench clearing` (500 / 10k / 100k participants), or
//! `cargo bench -p geo-clearing --bench clearing -- --quick` (500 only, a few seconds).
//! Options: `--n <participants>` (repeatable), `--seed <u64>`, `--runs <k>`, `--simplex` (use the
//! network simplex instead of the default primal-dual solver), `--local-budget <debts>` (search
//! budget of the local pass, default 20,000 debts scanned per cycle search).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use geo_clearing::{optimal_clearing_with, verify, Debt, DebtGraph, LocalClearer, Solver};

/// Counts live heap bytes and their high-water mark, so the solver's peak can be measured.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// splitmix64: tiny, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Holme–Kim powerlaw-cluster graph (networkx `powerlaw_cluster_graph` procedure): each new node
/// makes `m` links, the first by preferential attachment, each further one a triangle-closing
/// link with probability `p`, else preferential attachment.
fn holme_kim(n: usize, m: usize, p: f64, rng: &mut Rng) -> Vec<(u32, u32)> {
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut repeated: Vec<u32> = (0..m as u32).collect();
    let mut pairs = Vec::with_capacity(n * m);
    let mut scratch = Vec::new();
    let link = |adj: &mut Vec<Vec<u32>>, pairs: &mut Vec<(u32, u32)>, a: u32, b: u32| {
        adj[a as usize].push(b);
        adj[b as usize].push(a);
        pairs.push((a, b));
    };
    for source in m..n {
        let s = source as u32;
        // m distinct preferential targets.
        let mut targets: Vec<u32> = Vec::with_capacity(m);
        while targets.len() < m {
            let t = repeated[rng.below(repeated.len())];
            if !targets.contains(&t) {
                targets.push(t);
            }
        }
        let mut target = targets.pop().expect("m >= 1");
        link(&mut adj, &mut pairs, s, target);
        repeated.push(target);
        let mut count = 1;
        while count < m {
            if rng.unit() < p {
                scratch.clear();
                scratch.extend(
                    adj[target as usize]
                        .iter()
                        .copied()
                        .filter(|&w| w != s && !adj[source].contains(&w)),
                );
                if !scratch.is_empty() {
                    let w = scratch[rng.below(scratch.len())];
                    link(&mut adj, &mut pairs, s, w);
                    repeated.push(w);
                    count += 1;
                    continue;
                }
            }
            target = targets.pop().expect("enough preferential targets");
            link(&mut adj, &mut pairs, s, target);
            repeated.push(target);
            count += 1;
        }
        repeated.extend(std::iter::repeat_n(s, m));
    }
    pairs
}

/// 70 % of linked pairs carry one debt in a random direction, lognormal(5, 1.2) capped at 20,000.
fn debts(n: usize, seed: u64) -> Vec<Debt> {
    let mut rng = Rng(seed);
    let pairs = holme_kim(n, 4, 0.5, &mut rng);
    let mut out = Vec::with_capacity(pairs.len());
    for (a, b) in pairs {
        if rng.unit() >= 0.7 {
            continue;
        }
        let amount = (5.0 + 1.2 * rng.normal())
            .exp()
            .round()
            .clamp(1.0, 20_000.0) as u64;
        let (debtor, creditor) = if rng.next_u64() & 1 == 0 {
            (a, b)
        } else {
            (b, a)
        };
        out.push(Debt::new(debtor, creditor, amount));
    }
    out
}

fn nid(debts: &[Debt], n: usize) -> u128 {
    let mut net = vec![0i128; n];
    for d in debts {
        net[d.debtor as usize] -= i128::from(d.amount);
        net[d.creditor as usize] += i128::from(d.amount);
    }
    net.iter().filter(|&&b| b > 0).map(|&b| b as u128).sum()
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn pct(a: u128, b: u128) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn run(n: usize, seed: u64, runs: Option<usize>, solver: Solver, budget: Option<usize>) {
    let t = Instant::now();
    let debts = debts(n, seed);
    let gen = t.elapsed();
    let td: u128 = debts.iter().map(|d| u128::from(d.amount)).sum();
    let nid = nid(&debts, n);
    let runs = runs.unwrap_or(if n <= 1_000 {
        21
    } else if n <= 20_000 {
        7
    } else {
        3
    });

    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut times = Vec::with_capacity(runs);
    let mut result = None;
    for _ in 0..runs {
        let t = Instant::now();
        let c = optimal_clearing_with(&debts, solver).expect("valid debts");
        times.push(t.elapsed());
        result = Some(c);
    }
    let solve_peak = PEAK.load(Ordering::Relaxed) - base;
    times.sort_unstable();
    let clearing = result.expect("at least one run");
    verify(&debts, &clearing).expect("optimal clearing verifies");

    let mut graph = DebtGraph::from_debts(&debts).expect("valid debts");
    let touched: Vec<(u32, u32)> = debts.iter().map(|d| (d.debtor, d.creditor)).collect();
    let t = Instant::now();
    let mut clearer = LocalClearer::default();
    if let Some(b) = budget {
        clearer = clearer.with_search_budget(b);
    }
    let local = clearer.clear_around(&mut graph, &touched);
    let local_time = t.elapsed();

    // Latency of one local pass per touched debt (what the hub pays after a payment), on a fresh
    // graph, for an evenly spaced sample of debts.
    let mut fresh = DebtGraph::from_debts(&debts).expect("valid debts");
    let step = (debts.len() / 2_000).max(1);
    let mut lat: Vec<Duration> = Vec::new();
    for d in debts.iter().step_by(step) {
        let t = Instant::now();
        clearer.clear_around(&mut fresh, &[(d.debtor, d.creditor)]);
        lat.push(t.elapsed());
    }
    lat.sort_unstable();
    let q = |p: usize| lat[(lat.len() - 1) * p / 100].as_secs_f64() * 1e6;

    println!(
        "participants {n}, debts {}, seed {seed}, solver {solver:?} (generated in {:.0} ms)",
        debts.len(),
        ms(gen)
    );
    println!("  total debt TD          {td}");
    println!(
        "  TD - NID ceiling       {} ({:.1} % of TD)",
        td - nid,
        pct(td - nid, td)
    );
    println!(
        "  optimum cleared        {} ({:.1} % of TD)",
        clearing.total,
        pct(clearing.total, td)
    );
    println!(
        "  optimal solve          median {:.2} ms, min {:.2} ms, max {:.2} ms over {runs} runs",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    println!(
        "  solver peak heap       {:.1} MiB",
        solve_peak as f64 / (1 << 20) as f64
    );
    println!(
        "  local <=6-cycle greedy {} ({:.1} % of optimum, {} cycles) in {:.1} ms",
        local.total,
        pct(local.total, clearing.total),
        local.cycles.len(),
        ms(local_time)
    );
    println!(
        "  local pass per touched debt: p50 {:.1} us, p99 {:.1} us, max {:.1} us ({} samples)",
        q(50),
        q(99),
        q(100),
        lat.len()
    );
    if let Some(kib) = vm_hwm_kib() {
        println!("  process VmHWM so far   {:.1} MiB", kib as f64 / 1024.0);
    }
}

fn main() {
    let mut sizes = Vec::new();
    let mut seed = 1u64;
    let mut runs = None;
    let mut quick = false;
    let mut solver = Solver::default();
    let mut budget = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--simplex" => solver = Solver::NetworkSimplex,
            "--primal-dual" => solver = Solver::PrimalDual,
            "--local-budget" => {
                budget = Some(
                    args.next()
                        .and_then(|v| v.parse().ok())
                        .expect("--local-budget <debts>"),
                )
            }
            "--n" => sizes.push(
                args.next()
                    .and_then(|v| v.parse().ok())
                    .expect("--n <participants>"),
            ),
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--seed <u64>")
            }
            "--runs" => {
                runs = Some(
                    args.next()
                        .and_then(|v| v.parse().ok())
                        .expect("--runs <k>"),
                )
            }
            _ => {} // cargo bench passes `--bench`; ignore unknown flags
        }
    }
    if sizes.is_empty() {
        sizes = if quick {
            vec![500]
        } else {
            vec![500, 10_000, 100_000]
        };
    }
    if cfg!(debug_assertions) {
        println!("warning: debug build; numbers are not representative (use cargo bench)");
    }
    for n in sizes {
        run(n, seed, runs, solver, budget);
    }
}
