//! uniffi bindings (Kotlin, Swift, Python) over the Rust SDK `geo-client`.
//!
//! A thin layer in the shape of ldk-node and nostr-sdk-ffi: every object wraps one SDK object
//! (`Arc<Inner>`), every record is converted with `From`/`TryFrom`, and nothing here decides
//! anything the SDK does not. The surface:
//!
//! - [`Identity`]: keys, the 24-word phrase, encrypted key files, signing.
//! - [`HubClientBuilder`] → [`HubClient`]: every SDK operation, async (Kotlin coroutines, Swift
//!   async, Python asyncio) on uniffi's Tokio runtime; [`EventStream`] and [`PaymentHistory`] are
//!   async iterators with `next()`.
//! - [`AdminClient`]: the operator's equivalents and clearing runs.
//! - [`GeoError`]: one error type per language with the stable `E_…` code and `is_retryable`.
//! - Identifiers and amounts are validated custom types ([`types`]): bad text is a typed error
//!   before anything is sent, never a panic crossing the FFI.
//! - [`sign_invoice`], [`read_invoice`] and `HubClient::pay_invoice`: invoices as `geo:invoice`
//!   links (QR codes), checked offline by the payer.
//! - [`MessageVerifier`] and [`parse_amount`] run the spec's vectors through the same code.
//!
//! Generate the foreign code with `geo-ffi/build-bindings.sh` (see the README's "Bindings").

uniffi::setup_scaffolding!();

mod admin;
mod client;
mod error;
mod events;
mod history;
mod identity;
mod invoice;
mod protocol;
mod records;
pub mod types;

pub use admin::AdminClient;
pub use client::{HubClient, HubClientBuilder, RetryPolicy, SignedPayment};
pub use error::GeoError;
pub use events::{Event, EventKind, EventStream, PaymentEvent};
pub use history::PaymentHistory;
pub use identity::{pid_of_public_key, verify_signature, Identity};
pub use invoice::{read_invoice, sign_invoice, Invoice, InvoiceOrder};
pub use protocol::{parse_amount, AmountValue, MessageVerifier};
pub use records::*;
