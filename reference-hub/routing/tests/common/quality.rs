//! Router quality against the exact oracle on generated communities: the distribution of
//! `preview ÷ F` over payer → payee pairs of the payment mix, after a warm-up of committed payments.

use std::time::{Duration, Instant};

use geo_routing::{Constraints, Router};

use super::community::{draw_payment, generate, warm_up, Prng};
use super::oracle::{optimum, Unsolved};

/// One community's measurement.
#[derive(Debug, Default)]
pub struct Quality {
    /// `preview ÷ F` for every solved pair with `F > 0`.
    pub ratios: Vec<f64>,
    /// Solved pairs with `F = 0` (the preview was 0 too).
    pub zero: usize,
    /// Pairs whose F the oracle proved exactly (lower = upper); the others count against the upper bound.
    pub proven: usize,
    /// Pairs the oracle could not solve, by reason.
    pub too_many_paths: usize,
    pub not_proven: usize,
    /// Largest number of valid paths of a solved pair.
    pub most_paths: usize,
    /// Wall time spent in the oracle and in the router's previews.
    pub oracle_time: Duration,
    pub router_time: Duration,
}

impl Quality {
    /// Sorted ratios.
    fn sorted(&self) -> Vec<f64> {
        let mut r = self.ratios.clone();
        r.sort_by(|a, b| a.partial_cmp(b).unwrap());
        r
    }

    pub fn mean(&self) -> f64 {
        self.ratios.iter().sum::<f64>() / self.ratios.len() as f64
    }

    /// The `p`-quantile (nearest rank, low side).
    pub fn quantile(&self, p: f64) -> f64 {
        let r = self.sorted();
        r[((r.len() as f64 * p) as usize).min(r.len() - 1)]
    }

    pub fn min(&self) -> f64 {
        self.sorted()[0]
    }

    /// Share of pairs at ≥ 0.98 of the optimum.
    pub fn share_at_least(&self, x: f64) -> f64 {
        self.ratios.iter().filter(|&&r| r >= x).count() as f64 / self.ratios.len() as f64
    }

    pub fn exact_share(&self) -> f64 {
        self.share_at_least(1.0)
    }

    pub fn summary(&self) -> String {
        format!(
            "mean {:.4} p5 {:.4} min {:.4} share ≥ 0.98 {:.1} % exact {:.1} % (n = {}, F proven on {}, F = 0: {}, unsolved: {} too many paths, {} not proven; most paths {}; oracle {:.1} s, router {:.1} ms)",
            self.mean(),
            self.quantile(0.05),
            self.min(),
            100.0 * self.share_at_least(0.98),
            100.0 * self.exact_share(),
            self.ratios.len(),
            self.proven,
            self.zero,
            self.too_many_paths,
            self.not_proven,
            self.most_paths,
            self.oracle_time.as_secs_f64(),
            self.router_time.as_secs_f64() * 1e3,
        )
    }
}

/// Generates a community of `n` participants (seed `seed`), commits `warmup` payments of the mix,
/// then compares the router's preview with the oracle's F on `pairs` pairs of the mix.
/// Panics if a preview is ever above F (the router would promise what no route carries).
pub fn measure(
    n: usize,
    seed: u64,
    warmup: usize,
    pairs: usize,
    path_limit: usize,
    node_limit: u64,
) -> Quality {
    let mut c = generate(n, 4, 0.5, 0.5, seed);
    let mut router = Router::new();
    let mut rng = Prng(seed ^ 0x5EED);
    warm_up(&mut c, warmup, &mut rng);
    let cons = Constraints::default();
    let mut q = Quality::default();
    for _ in 0..pairs {
        let (s, t, _) = draw_payment(&c, &mut rng);
        let t1 = Instant::now();
        let p = router.preview(&c.graph, s, t, &cons).unwrap().max_amount;
        q.router_time += t1.elapsed();
        let t0 = Instant::now();
        let f = optimum(&c.graph, s, t, &cons, p, path_limit, node_limit);
        q.oracle_time += t0.elapsed();
        if std::env::var_os("GEO_QUALITY_TRACE").is_some() {
            eprintln!("{s} -> {t}: preview {p}, {:?} in {:?}", f, t0.elapsed());
            if let Ok(f) = &f {
                if p < f.lower && f.lower == f.upper {
                    let r = router.route(&c.graph, s, t, p, &cons).unwrap();
                    for x in &r.paths {
                        let nodes: Vec<u32> = x.nodes.iter().map(|n| n.0).collect();
                        eprintln!("   router {nodes:?} {}", x.amount);
                    }
                    router.preview(&c.graph, s, t, &cons).unwrap();
                    eprintln!("   preview stats {:?}", router.last_stats());
                    for (nodes, a) in &f.best {
                        let caps: Vec<u64> = nodes
                            .windows(2)
                            .map(|w| {
                                c.graph.capacity(
                                    c.graph
                                        .arc(geo_routing::NodeId(w[0]), geo_routing::NodeId(w[1]))
                                        .unwrap(),
                                )
                            })
                            .collect();
                        eprintln!("   optimum {nodes:?} {a} caps {caps:?}");
                    }
                }
            }
        }
        match f {
            Ok(f) => {
                let f = f.clone();
                assert!(
                    p <= f.upper,
                    "preview {p} above the optimum's bound {} for {s} → {t} (n = {n}, seed {seed})",
                    f.upper
                );
                q.most_paths = q.most_paths.max(f.paths);
                if f.upper == 0 {
                    q.zero += 1;
                } else {
                    // Against the upper bound: a lower bound of preview ÷ F, exact when proven.
                    q.ratios.push(p as f64 / f.upper as f64);
                    q.proven += usize::from(f.lower == f.upper);
                }
            }
            Err(Unsolved::TooManyPaths) => q.too_many_paths += 1,
            Err(Unsolved::NotProven | Unsolved::TooLarge) => q.not_proven += 1,
        }
    }
    q
}
