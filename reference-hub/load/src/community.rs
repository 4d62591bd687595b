//! A seeded community: who trusts whom for how much, and the payments they make.
//!
//! Trust graph: Holme–Kim preferential attachment (each newcomer links to `m` participants,
//! after the first by triadic closure with probability `p_triad`), so degrees are scale-free and
//! neighbourhoods clustered. Limits are lognormal (median 100.00) times a Pareto(1.8) "size" of
//! the creditor; the reverse line exists with probability 0.5. Payments: 70 % to a participant
//! within 2 hops, 25 % to a Zipf(1.1)-popular payee, 5 % uniform; amounts lognormal with median
//! 3.00, and 5 % a multi-path tail of 10–50 % of the payer's total incoming trust.
//! Floats are used only to draw; every amount is integer minor units.

/// splitmix64 with float helpers: deterministic for a seed on every platform.
pub struct Rng(pub u64);

impl Rng {
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// Lognormal with the given median and shape.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// Exponential with the given rate (Poisson inter-arrival times).
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -(1.0 - self.unit()).ln() / rate
    }
}

/// A trust line: `creditor` lets `debtor` owe it up to `limit` minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// The participant extending credit (the signer of the line).
    pub creditor: usize,
    /// The participant who may owe.
    pub debtor: usize,
    /// Limit in minor units.
    pub limit: u64,
}

/// One payment to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    /// Payer's index.
    pub payer: usize,
    /// Payee's index.
    pub payee: usize,
    /// Amount in minor units, `> 0`.
    pub amount: u64,
}

/// Shape of a generated community.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Participants.
    pub participants: usize,
    /// Links each newcomer makes (Holme–Kim `m`).
    pub links: usize,
    /// Probability that a link after the first closes a triangle.
    pub triad: f64,
    /// Seed of everything.
    pub seed: u64,
}

impl Shape {
    /// `participants` participants with the bench's defaults (m = 4, triadic closure 0.5).
    pub fn new(participants: usize, seed: u64) -> Shape {
        Shape {
            participants,
            links: 4,
            triad: 0.5,
            seed,
        }
    }
}

/// The generated community and its payment stream.
#[derive(Debug, Clone)]
pub struct Community {
    /// Number of participants (indices `0..participants`).
    pub participants: usize,
    /// Trust lines, each pair at most once per direction.
    pub lines: Vec<Line>,
    neighbours: Vec<Vec<u32>>,
    incoming_trust: Vec<u64>,
    zipf_cdf: Vec<f64>,
    zipf_rank: Vec<u32>,
}

impl Community {
    /// Generates the trust graph of `shape`.
    pub fn generate(shape: Shape) -> Community {
        let n = shape.participants.max(2);
        let m = shape.links.max(1);
        let mut rng = Rng(shape.seed);
        let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
        // Every link's two ends: drawing from it is drawing a participant by degree.
        let mut ends: Vec<u32> = Vec::new();
        let mut edges: Vec<(usize, usize)> = Vec::new();
        let connect = |a: usize, b: usize, adj: &mut Vec<Vec<u32>>, ends: &mut Vec<u32>| {
            adj[a].push(b as u32);
            adj[b].push(a as u32);
            ends.push(a as u32);
            ends.push(b as u32);
        };
        let seedlings = (m + 1).min(n);
        for a in 0..seedlings {
            for b in 0..a {
                connect(a, b, &mut adj, &mut ends);
                edges.push((a, b));
            }
        }
        for v in seedlings..n {
            let (mut last, mut added, mut tries) = (None::<usize>, 0, 0);
            while added < m && tries < 20 * m {
                tries += 1;
                let cand = match last {
                    Some(w) if rng.unit() < shape.triad && !adj[w].is_empty() => {
                        adj[w][rng.below(adj[w].len())] as usize
                    }
                    _ => ends[rng.below(ends.len())] as usize,
                };
                if cand == v || adj[v].contains(&(cand as u32)) {
                    continue;
                }
                connect(v, cand, &mut adj, &mut ends);
                edges.push((v, cand));
                added += 1;
                last.get_or_insert(cand);
            }
        }
        let size: Vec<f64> = (0..n)
            .map(|_| (1.0 - rng.unit()).powf(-1.0 / 1.8).min(20.0))
            .collect();
        let mut lines = Vec::with_capacity(2 * edges.len());
        let mut incoming_trust = vec![0u64; n];
        for &(a, b) in &edges {
            let (a, b) = if rng.unit() < 0.5 { (a, b) } else { (b, a) };
            let both = rng.unit() < 0.5;
            for (creditor, debtor) in [(a, b), (b, a)] {
                if creditor == b && !both {
                    continue;
                }
                let limit = (rng.lognormal(10_000.0, 1.2) * size[creditor])
                    .round()
                    .max(1.0) as u64;
                lines.push(Line {
                    creditor,
                    debtor,
                    limit,
                });
                incoming_trust[debtor] += limit;
            }
        }
        Community::of(n, lines, adj, incoming_trust, &mut rng)
    }

    /// A ring lattice of `participants`: each trusts its `reach` nearest neighbours on each side
    /// up to `limit` minor units (the throughput bench's community).
    pub fn ring(participants: usize, reach: usize, limit: u64) -> Community {
        let n = participants.max(2);
        let mut lines = Vec::with_capacity(2 * reach * n);
        let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut incoming_trust = vec![0u64; n];
        for (creditor, out) in adj.iter_mut().enumerate() {
            for k in 1..=reach {
                for debtor in [(creditor + k) % n, (creditor + n - k) % n] {
                    lines.push(Line {
                        creditor,
                        debtor,
                        limit,
                    });
                    out.push(debtor as u32);
                    incoming_trust[debtor] += limit;
                }
            }
        }
        Community::of(n, lines, adj, incoming_trust, &mut Rng(0))
    }

    /// A community of `n` with its lines, and the payee popularity its payment mix draws from.
    fn of(
        n: usize,
        lines: Vec<Line>,
        neighbours: Vec<Vec<u32>>,
        incoming_trust: Vec<u64>,
        rng: &mut Rng,
    ) -> Community {
        let mut zipf_cdf = Vec::with_capacity(n);
        let mut acc = 0.0;
        for k in 1..=n {
            acc += 1.0 / (k as f64).powf(1.1);
            zipf_cdf.push(acc);
        }
        let mut zipf_rank: Vec<u32> = (0..n as u32).collect();
        for i in (1..n).rev() {
            zipf_rank.swap(i, rng.below(i + 1));
        }
        Community {
            participants: n,
            lines,
            neighbours,
            incoming_trust,
            zipf_cdf,
            zipf_rank,
        }
    }

    /// The next payment of the mix.
    pub fn draw_payment(&self, rng: &mut Rng) -> Payment {
        let n = self.participants;
        let payer = rng.below(n);
        let roll = rng.unit();
        let payee = if roll < 0.70 && !self.neighbours[payer].is_empty() {
            let a = &self.neighbours[payer];
            let first = a[rng.below(a.len())] as usize;
            if rng.unit() < 0.5 || self.neighbours[first].is_empty() {
                first
            } else {
                let b = &self.neighbours[first];
                b[rng.below(b.len())] as usize
            }
        } else if roll < 0.95 {
            let x = rng.unit() * self.zipf_cdf[n - 1];
            let k = self.zipf_cdf.partition_point(|&v| v < x).min(n - 1);
            self.zipf_rank[k] as usize
        } else {
            rng.below(n)
        };
        let payee = if payee == payer {
            (payer + 1) % n
        } else {
            payee
        };
        let amount = if rng.unit() < 0.05 {
            // A payer can pay as much as others trust it (its debts are its payment capacity).
            (self.incoming_trust[payer] as f64 * (0.1 + 0.4 * rng.unit())) as u64
        } else {
            rng.lognormal(300.0, 1.0) as u64
        };
        Payment {
            payer,
            payee,
            amount: amount.max(1),
        }
    }

    /// `count` payments of the mix, seeded.
    pub fn payments(&self, count: usize, seed: u64) -> Vec<Payment> {
        let mut rng = Rng(seed ^ 0xA5A5_5A5A);
        (0..count).map(|_| self.draw_payment(&mut rng)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_community_and_payments() {
        let a = Community::generate(Shape::new(200, 7));
        let b = Community::generate(Shape::new(200, 7));
        assert_eq!(a.lines, b.lines);
        assert_eq!(a.payments(500, 1), b.payments(500, 1));
        let c = Community::generate(Shape::new(200, 8));
        assert_ne!(a.lines, c.lines);
    }

    #[test]
    fn graph_is_scale_free_and_payments_are_valid() {
        let c = Community::generate(Shape::new(2000, 3));
        // Every newcomer links to about 4: about 8 links per participant, half reciprocated.
        let per = c.lines.len() as f64 / 2000.0;
        assert!((5.0..7.0).contains(&per), "{per} lines per participant");
        let mut degree = vec![0usize; 2000];
        for l in &c.lines {
            degree[l.creditor] += 1;
            degree[l.debtor] += 1;
        }
        let max = *degree.iter().max().unwrap();
        assert!(
            max > 60,
            "hubs exist in a scale-free graph (max degree {max})"
        );
        for p in c.payments(5000, 9) {
            assert!(p.payer != p.payee && p.payer < 2000 && p.payee < 2000 && p.amount > 0);
        }
        let big = c
            .payments(5000, 9)
            .iter()
            .filter(|p| p.amount > 10_000)
            .count();
        assert!(
            (100..600).contains(&big),
            "the multi-path tail: {big} of 5000"
        );
    }

    #[test]
    fn a_ring_trusts_its_nearest_neighbours_on_each_side() {
        let c = Community::ring(10, 2, 500);
        assert_eq!(c.lines.len(), 40);
        let mut pairs: Vec<(usize, usize)> =
            c.lines.iter().map(|l| (l.creditor, l.debtor)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        assert_eq!(pairs.len(), 40, "each line once");
        assert!(pairs.contains(&(0, 9)) && pairs.contains(&(0, 8)) && pairs.contains(&(9, 1)));
        assert!(!pairs.contains(&(0, 3)), "only two places each way");
        assert!(c.lines.iter().all(|l| l.limit == 500));
    }
}
