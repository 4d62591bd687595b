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
mod payment;
mod subscription;

pub use backoff::Backoff;
pub use call::{Action, Call, Resend};
pub use payment::{verify_read, PaymentAction, PaymentCall, PaymentOutcome};
pub use subscription::{Subscription, SubscriptionStep};

/// A verified identity of a hub whose key is `hub`'s, for the machines' tests.
#[cfg(test)]
pub(crate) fn test_hub(hub: &geo_protocol::Identity) -> crate::verify::HubIdentity {
    let info = crate::types::HubInfo {
        protocol: "geo/1".into(),
        hub_pid: hub.pid(),
        public_key: hub.public_key().to_base64(),
        version: "t".into(),
        backend: "sqlite".into(),
        features: Vec::new(),
        limits: crate::types::HubLimits {
            max_hops: 6,
            max_paths: 16,
            max_hold_seconds: 300,
            max_validity_seconds: 600,
            max_clock_skew_seconds: 60,
            max_body_bytes: 65536,
            challenge_ttl_seconds: 300,
        },
    };
    crate::verify::HubIdentity::from_info(info, None).expect("the key belongs to the PID")
}
