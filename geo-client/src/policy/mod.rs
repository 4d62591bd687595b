//! The client's transport-independent policy, written once as sans-I/O state machines: what to send
//! next, when to resend the same signed bytes, when to re-sign, when to renew the token, and what a
//! verified result is. A transport (native, wasm) only carries requests and answers:
//!
//! ```text
//! loop { match call.next_action(now) { Send(req) => call.on_response(..), Wait(ms) => sleep,
//!        Renew => { renew tokens; call.on_renewed(..) }, Done(result) => break } }
//! ```

mod backoff;
mod call;
mod exchange;
mod jitter;
mod payment;
mod renewal;
mod subscription;

pub use backoff::Backoff;
pub use call::{Action, Call, Resend};
pub use exchange::Exchange;
pub use jitter::Jitter;
pub use payment::{batch_outcomes, verify_read, PaymentAction, PaymentCall, PaymentOutcome};
pub use renewal::Renewal;
pub use subscription::{Subscription, SubscriptionStep};

/// A verified identity of a hub whose key is `hub`'s, for the machines' tests.
#[cfg(test)]
pub(crate) fn test_hub(hub: &geo_protocol::Identity) -> crate::verify::HubIdentity {
    crate::verify::HubIdentity::from_info(crate::verify::test_hub_info(hub), None)
        .expect("the key belongs to the PID")
}
