//! Rust SDK over the GEO hub's REST and WebSocket API, signing locally.
//!
//! [`HubClient`] is the whole surface: it fetches the hub's discovery document, checks that the
//! hub's published key belongs to its PID, signs every change with the participant's
//! [`Identity`](geo_protocol::Identity) (the keys never leave the process), logs in and renews its
//! tokens by itself, resends payments safely (same signed request, same `tx_id`), and verifies every
//! receipt, proposal and clearing the hub signs.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use geo_client::{HubClient, PaymentOrder};
//! use geo_protocol::{Identity, ParticipantKind};
//!
//! # async fn demo(bob: geo_protocol::Pid) -> Result<(), geo_client::GeoError> {
//! let alice = HubClient::connect("http://127.0.0.1:8080", Identity::generate()).await?;
//! alice.register("Alice", ParticipantKind::Person, None).await?;
//! // Alice lets Bob owe her up to 100 UAH.
//! alice.set_trust_line(&bob, "UAH", "100", None).await?;
//! // Pay Bob 10.50 UAH through whatever chain of trust lines exists; the receipt is hub-signed
//! // and already verified.
//! let receipt = alice.pay(PaymentOrder::new(bob.clone(), "UAH", "10.50")).await?;
//! println!("paid over {} path(s)", receipt.routes.len());
//! // Live events, resumed after reconnects without loss or duplicates.
//! let mut events = alice.events(0);
//! while let Some(event) = events.next().await {
//!     println!("{:?}", event?.kind);
//! }
//! # Ok(()) }
//! ```
//!
//! Errors are one enum, [`GeoError`], with a stable [`GeoError::code`] (the hub's `E_…` code for
//! refusals) and [`GeoError::is_retryable`]:
//!
//! ```
//! use geo_client::GeoError;
//! let e = GeoError::from_problem(
//!     422,
//!     r#"{"code":"E_INSUFFICIENT_CAPACITY","title":"Insufficient capacity","detail":"no route"}"#,
//! );
//! assert_eq!(e.code(), "E_INSUFFICIENT_CAPACITY");
//! assert!(!e.is_retryable());
//! ```
//!
//! Key storage: [`keyfile`] encrypts an identity under a password (Argon2id + XChaCha20-Poly1305)
//! and exports or restores the 24-word backup.
//!
//! ```
//! use geo_client::keyfile;
//! use geo_protocol::Identity;
//! let me = Identity::generate();
//! let text = keyfile::encrypt(&me, "a long passphrase").unwrap();
//! assert_eq!(keyfile::decrypt(&text, "a long passphrase").unwrap().pid(), me.pid());
//! assert!(keyfile::decrypt(&text, "wrong").is_err());
//! ```
//!
//! Layout: the modules [`requests`], [`invoice`], [`policy`] (resend, re-sign, renew, resume: the client's
//! policy as sans-I/O state machines), [`verify`], [`events`], [`paging`], [`keyfile`], [`clock`], [`types`]
//! and [`error`] are sans-I/O and build for `wasm32-unknown-unknown` (`--no-default-features`); the
//! default `native` feature adds the transport ([`HubClient`], [`EventStream`], [`AdminClient`]) and
//! the `geo` command-line tool. The `tls` feature adds HTTPS/WSS.
#![deny(missing_docs)]

pub mod clock;
pub mod error;
pub mod events;
pub mod invoice;
pub mod keyfile;
pub mod paging;
pub mod policy;
pub mod requests;
pub mod types;
pub mod verify;

#[cfg(feature = "native")]
pub mod native;

pub use error::{GeoError, GeoResult, HubCode};
pub use events::{Event, EventCursor, EventKind, PaymentEvent};
pub use invoice::{read_invoice, sign_invoice, Invoice, InvoiceOrder};
pub use requests::{HistoryFilter, Payee, PaymentOrder, Signer, TrustLineFilter};
pub use types::*;
pub use verify::{HubIdentity, Receipt};

#[cfg(feature = "native")]
pub use native::client::{
    now, AdminClient, ClientConfig, HubClient, HubClientBuilder, PageStream, PaymentRecord,
    RetryPolicy,
};
#[cfg(feature = "native")]
pub use native::subscription::{Connection, EventStream};

/// Re-exported protocol types the SDK's API uses.
pub use geo_protocol::{
    ClearingDecision, Identity, ParticipantKind, PaymentConstraints, Pid, Profile, TrustLinePolicy,
};
