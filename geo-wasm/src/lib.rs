//! The GEO SDK for JavaScript and TypeScript: wasm-bindgen bindings over geo-client's sans-I/O core
//! and its policy state machines. This crate adds only the transport (`fetch`, `WebSocket`, timers
//! of the JS host) and the conversion of values to and from JS; signing, resending, re-signing,
//! token renewal, receipt verification and event resumption are geo-client's.
//!
//! Values cross the boundary as JSON-shaped objects whose TypeScript types are generated from the
//! API description (`geo-wasm/build.sh`); amounts are always decimal strings.
//!
//! The crate is built three times for the package (`geo-wasm/build.sh`), one wasm module per
//! feature: `wallet`, the module a wallet page loads (`@geo/client`); `admin`, the operator's
//! client (`@geo/client/admin`); `tools`, the protocol tools (`@geo/client/tools`). A page
//! downloads only the modules it imports.
#![deny(missing_docs)]
// Each module alone leaves some shared helpers unused.
#![cfg_attr(
    not(all(feature = "wallet", feature = "admin", feature = "tools")),
    allow(dead_code, unused_imports)
)]

#[cfg(feature = "admin")]
mod admin;
#[cfg(feature = "wallet")]
mod client;
mod error;
#[cfg(feature = "wallet")]
mod events;
#[cfg(feature = "wallet")]
mod identity;
#[cfg(feature = "wallet")]
mod invoice;
mod js;
#[cfg(feature = "wallet")]
mod protocol;
#[cfg(feature = "tools")]
mod tools;
#[cfg(any(feature = "wallet", feature = "admin"))]
mod transport;
mod types;

#[cfg(feature = "admin")]
pub use admin::AdminClient;
#[cfg(feature = "wallet")]
pub use client::HubClient;
#[cfg(feature = "wallet")]
pub use events::EventStream;
#[cfg(feature = "wallet")]
pub use identity::Identity;
#[cfg(feature = "wallet")]
pub use invoice::{read_invoice, sign_invoice};
#[cfg(feature = "tools")]
pub use tools::Verifier;
