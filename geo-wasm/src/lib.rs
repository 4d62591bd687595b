//! The GEO SDK for JavaScript and TypeScript: wasm-bindgen bindings over geo-client's sans-I/O core
//! and its policy state machines. This crate adds only the transport (`fetch`, `WebSocket`, timers
//! of the JS host) and the conversion of values to and from JS; signing, resending, re-signing,
//! token renewal, receipt verification and event resumption are geo-client's.
//!
//! Values cross the boundary as JSON-shaped objects whose TypeScript types are generated from the
//! API description (`geo-wasm/build.sh`); amounts are always decimal strings.
#![deny(missing_docs)]

mod admin;
mod client;
mod error;
mod events;
mod identity;
mod invoice;
mod js;
mod protocol;
mod types;

pub use admin::AdminClient;
pub use client::HubClient;
pub use events::EventStream;
pub use identity::Identity;
pub use invoice::{read_invoice, sign_invoice};
