//! Multi-path, hop-limited payment routing over the in-memory trust graph of one equivalent.
//!
//! Pure library: no I/O, no clock, no threads; it compiles for `wasm32`. The hub's single-writer
//! engine keeps one [`Graph`] per equivalent, updates arc capacities in place as payments reserve,
//! commit and abort, and asks a [`Router`] for routes.
//!
//! Direction convention (normative): a trust line `A → B` with limit `L` lets `B` owe `A` up to `L`.
//! A payment `S → R` raises `S`'s debt to `R`, so the payment arc `u → v` has capacity
//! `limit(v trusts u) − debt(u→v) + debt(v→u) − reservations(u→v)`; the hub computes it.
//!
//! A route is a set of simple paths of at most `max_hops` hops whose amounts sum exactly to the
//! requested amount and fit every arc's capacity together. Routing is all or nothing: otherwise the
//! error [`RoutingError::InsufficientCapacity`] reports the most the router could route.
//! [`check_route`] verifies a route independently of the router.
//!
//! ```
//! use geo_routing::{check_route, Constraints, Graph, NodeId, Router};
//!
//! let mut g = Graph::new();
//! g.ensure_nodes(4).unwrap();
//! let (alice, bob, carol, dave) = (NodeId(0), NodeId(1), NodeId(2), NodeId(3));
//! // Payment capacity alice→bob→dave and alice→carol→dave, 60 each.
//! for (u, v) in [(alice, bob), (bob, dave), (alice, carol), (carol, dave)] {
//!     g.set_capacity(u, v, 60).unwrap();
//! }
//! let mut router = Router::new();
//! let c = Constraints::default();
//! // 100 needs both paths.
//! let route = router.route(&g, alice, dave, 100, &c).unwrap();
//! assert_eq!(route.paths.len(), 2);
//! assert!(check_route(&g, alice, dave, 100, &c, &route).is_ok());
//! // The hub reserves it, then commits (or releases) it.
//! g.reserve(&route).unwrap();
//! g.commit(&route).unwrap();
//! let err = router.route(&g, alice, dave, 21, &c).unwrap_err();
//! assert_eq!(err.code(), "E_INSUFFICIENT_CAPACITY");
//! assert_eq!(router.preview(&g, alice, dave, &c).unwrap().max_amount, 20);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod check;
mod constraints;
mod error;
mod graph;
mod ids;
mod route;
mod router;

pub use check::{check_route, RouteViolation};
pub use constraints::{
    Constraints, DEFAULT_MAX_HOPS, DEFAULT_MAX_PATHS, MAX_HOPS_LIMIT, MAX_PATHS_LIMIT,
};
pub use error::RoutingError;
pub use graph::Graph;
pub use ids::{ArcId, NodeId};
pub use route::{CapacityPreview, Path, Route};
pub use router::{
    route, RouteStats, Router, DEFAULT_WORK_PER_PARTICIPANT, MAX_WORK_BUDGET, MIN_WORK_BUDGET,
};
