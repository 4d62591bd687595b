//! The GEO hub's HTTP API, `/api/v1`, as data: every route (method + path template) and every
//! request, response, view, event and problem type, defined once.
//!
//! The reference hub serves these types, the SDK (`geo-client`) decodes them, the conformance runner
//! and the test clients read the hub's answers with them, and the OpenAPI document is generated from
//! the route table here ([`routes::ALL`], [`openapi::document`]). Nothing on the wire is written twice.
//!
//! Pure: serde, schemars and `geo-protocol`, no I/O; builds for `wasm32-unknown-unknown`.
//! Amounts are canonical decimal strings at the equivalent's precision, never floats.

pub mod auth;
pub mod balance;
pub mod clearing;
pub mod discovery;
pub mod equivalent;
pub mod event;
pub mod federation;
mod json_text;
pub mod network;
#[cfg(feature = "schema")]
pub mod openapi;
pub mod operator;
pub mod page;
pub mod participant;
pub mod payment;
pub mod problem;
pub mod query;
pub mod routes;
pub mod tree;
pub mod trust_line;

pub use auth::{Challenge, ChallengeRequest, RefreshRequest, Tokens};
pub use balance::{Balance, Counterparty};
pub use clearing::{
    Clearing, ClearingPreview, ClearingProposal, ClearingRun, ConsentOutcome, SetOff,
};
pub use discovery::{HubInfo, HubLimits, LinkedHub};
pub use equivalent::{Equivalent, EquivalentSettings};
pub use event::{Event, EventKind, Frame, PaymentEvent};
pub use network::{Neighbourhood, NeighbourhoodQuery, NetworkLine, NetworkMember};
pub use operator::{EquivalentStats, HubStats, IntegrityReport, ParticipantCounts, StatusChange};
pub use page::{Page, PageQuery};
pub use participant::{Participant, ParticipantSearch, ParticipantStatus};
pub use payment::{
    Capacity, CapacityQuery, HistoryQuery, Payment, PaymentBatch, PaymentBatchResults,
    PaymentResult, PaymentState, Route,
};
pub use problem::Problem;
pub use routes::{Access, Endpoint, Method, BASE};
pub use trust_line::{ClosedLine, LinePolicy, TrustLine, TrustLineQuery};
