//! Randomness that spreads resends apart, so clients refused together (a hub restart, a rate limit)
//! do not all come back in the same millisecond. Seeded by the transport: the machines stay
//! deterministic under test.

/// A small seeded generator (SplitMix64) that draws how much to shift each delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jitter {
    state: Option<u64>,
}

impl Jitter {
    /// Draws from `seed`: the same seed gives the same delays.
    pub fn seeded(seed: u64) -> Jitter {
        Jitter { state: Some(seed) }
    }

    /// Never shifts a delay (the exact backoff), for tests that pin delays.
    pub fn none() -> Jitter {
        Jitter { state: None }
    }

    /// An independent generator for another machine, drawn from this one (none stays none).
    pub fn fork(&mut self) -> Jitter {
        match self.state {
            Some(_) => Jitter::seeded(self.below(u64::MAX)),
            None => Jitter::none(),
        }
    }

    /// A number in `0..bound` (0 when `bound` is 0 or without randomness).
    pub fn below(&mut self, bound: u64) -> u64 {
        let Some(state) = self.state.as_mut() else {
            return 0;
        };
        if bound == 0 {
            return 0;
        }
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // Multiply-shift keeps the draw uniform enough for delays without a modulo bias loop.
        ((u128::from(z) * u128::from(bound)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_stay_below_the_bound_repeat_by_seed_and_spread() {
        let mut a = Jitter::seeded(7);
        let mut b = Jitter::seeded(7);
        let draws: Vec<u64> = (0..1000).map(|_| a.below(100)).collect();
        assert!(draws.iter().all(|&d| d < 100));
        assert_eq!(draws, (0..1000).map(|_| b.below(100)).collect::<Vec<_>>());
        let distinct: std::collections::BTreeSet<_> = draws.iter().collect();
        assert!(
            distinct.len() > 90,
            "spread over the range: {}",
            distinct.len()
        );
        let mut other = Jitter::seeded(8);
        let others: Vec<u64> = (0..10).map(|_| other.below(100)).collect();
        assert_ne!(draws[..10], others[..], "another seed, other delays");
        assert_eq!(Jitter::none().below(100), 0);
        assert_eq!(Jitter::seeded(1).below(0), 0);
    }
}
