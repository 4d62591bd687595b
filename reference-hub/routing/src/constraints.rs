//! Per-request routing constraints: hop limit, path limit and participants to avoid.

use crate::{NodeId, RoutingError};

/// Largest hop limit the router accepts (hub-internal routing may use up to 8).
pub const MAX_HOPS_LIMIT: u8 = 8;
/// Default hop limit, as GEO's `kMaxPathLength`.
pub const DEFAULT_MAX_HOPS: u8 = 6;
/// Default number of paths a route may be split into.
pub const DEFAULT_MAX_PATHS: u16 = 16;
/// Largest accepted `max_paths`, to keep one routing call bounded.
pub const MAX_PATHS_LIMIT: u16 = 256;

/// Constraints of one routing request; `Default` gives 6 hops, 16 paths, nothing avoided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraints {
    /// Maximum number of hops (arcs) per path, `1..=8`.
    pub max_hops: u8,
    /// Maximum number of paths in a route, `1..=256`.
    pub max_paths: u16,
    /// Participants that must not appear as intermediates (payer or payee here means no route).
    pub avoid: Vec<NodeId>,
}

impl Default for Constraints {
    fn default() -> Self {
        Constraints {
            max_hops: DEFAULT_MAX_HOPS,
            max_paths: DEFAULT_MAX_PATHS,
            avoid: Vec::new(),
        }
    }
}

impl Constraints {
    /// Default constraints with another hop limit.
    pub fn with_max_hops(mut self, max_hops: u8) -> Self {
        self.max_hops = max_hops;
        self
    }

    /// Default constraints with another path limit.
    pub fn with_max_paths(mut self, max_paths: u16) -> Self {
        self.max_paths = max_paths;
        self
    }

    /// Adds participants that must not be used as intermediates.
    pub fn avoiding(mut self, avoid: impl IntoIterator<Item = NodeId>) -> Self {
        self.avoid.extend(avoid);
        self
    }

    /// Checks the ranges; every routing entry point calls this first.
    pub fn validate(&self) -> Result<(), RoutingError> {
        if self.max_hops == 0 || self.max_hops > MAX_HOPS_LIMIT {
            return Err(RoutingError::InvalidConstraints {
                reason: "max_hops must be in 1..=8",
            });
        }
        if self.max_paths == 0 || self.max_paths > MAX_PATHS_LIMIT {
            return Err(RoutingError::InvalidConstraints {
                reason: "max_paths must be in 1..=256",
            });
        }
        Ok(())
    }
}
