//! Routing quality against the exact hop- and path-limited integral optimum (a MILP over every
//! valid path, `tests/common/oracle.rs`), per community size: mean, p5, min, share ≥ 0.98.
//!
//! `cargo bench -p geo-routing --bench quality -- [--sizes 100,300,1000] [--pairs 300] [--seeds 42,43]
//! [--mip-nodes 500] [--path-limit 20000]`

#[path = "../tests/common/mod.rs"]
mod common;

use common::quality::{measure, Quality};

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<Vec<T>> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sizes: Vec<usize> = arg(&args, "--sizes").unwrap_or_else(|| vec![100, 300, 1000]);
    let pairs = arg::<usize>(&args, "--pairs").map_or(300, |v| v[0]);
    let seeds: Vec<u64> = arg(&args, "--seeds").unwrap_or_else(|| vec![42]);
    let path_limit = arg::<usize>(&args, "--path-limit").map_or(20_000, |v| v[0]);
    let mip = arg::<u64>(&args, "--mip-nodes").map_or(500, |v| v[0]);
    println!("# geo-routing quality vs the exact optimum (H = 6, 16 paths; {pairs} pairs per seed, seeds {seeds:?}, oracle path limit {path_limit}, MILP node limit {mip})\n");
    for n in sizes {
        let mut all = Quality::default();
        for &seed in &seeds {
            // As many warm-up payments as the routing bench gives 500 participants per participant.
            let q = measure(n, seed, 80 * n, pairs, path_limit, mip);
            all.ratios.extend(q.ratios);
            all.zero += q.zero;
            all.proven += q.proven;
            all.too_many_paths += q.too_many_paths;
            all.not_proven += q.not_proven;
            all.most_paths = all.most_paths.max(q.most_paths);
            all.oracle_time += q.oracle_time;
            all.router_time += q.router_time;
        }
        println!("{n} participants: {}", all.summary());
    }
}
