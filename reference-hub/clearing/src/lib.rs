//! Optimal debt-cycle clearing for one equivalent of a GEO hub.
//!
//! Participants owe each other along trust lines; when debts form cycles (A owes B, B owes C,
//! C owes A) they can be set off without changing anyone's net position. This crate computes:
//!
//! - [`optimal_clearing`]: the exact maximum set-off (a maximum-weight integer circulation
//!   `0 <= c_e <= d_e`), via strongly-connected-component decomposition and, per component, an
//!   exact min-cost-flow solver in integer arithmetic ([`Solver::PrimalDual`] by default,
//!   [`Solver::NetworkSimplex`] as an independent cross-check). Meant to run on a schedule over
//!   a snapshot: about 60 ms at 10k participants and 1.6–1.9 s at 100k (see BENCHMARKS.md).
//! - [`verify`]: an exact checker for any clearing (net positions, bounds, total).
//! - [`DebtGraph`] and [`LocalClearer`]: an incrementally updated debt graph and a fast, greedy,
//!   *non-optimal* pass that clears short cycles (length <= 6 by default) through the debts a
//!   payment just touched.
//!
//! The crate is pure: no I/O, no clock, no threads; it compiles for `wasm32`.
//!
//! ```
//! use geo_clearing::{optimal_clearing, verify, Debt};
//!
//! // Alice (0) owes Bob (1) 10, Bob owes Carol (2) 7, Carol owes Alice 12.
//! let debts = [Debt::new(0, 1, 10), Debt::new(1, 2, 7), Debt::new(2, 0, 12)];
//! let clearing = optimal_clearing(&debts)?;
//! assert_eq!(clearing.set_off, vec![7, 7, 7]);
//! assert_eq!(clearing.total, 21);
//! verify(&debts, &clearing)?;
//! # Ok::<(), geo_clearing::ClearingError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod graph;
mod local;
mod optimal;
mod primal_dual;
mod scc;
mod simplex;
mod types;
mod verify;

pub use error::ClearingError;
pub use graph::DebtGraph;
pub use local::{ClearedCycle, LocalClearer, LocalClearing, DEFAULT_MAX_CYCLE_LEN};
pub use optimal::{optimal_clearing, optimal_clearing_with, Solver};
pub use types::{Clearing, Debt};
pub use verify::verify;
