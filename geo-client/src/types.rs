//! What the hub answers: the wire types of `geo-api`, re-exported under the names this SDK has always
//! used (amounts are canonical decimal text at the equivalent's precision, never floats; hub-signed
//! documents are JSON text).

pub use geo_api::{
    Balance, Capacity, Challenge, Clearing, ClearingPreview, ClearingProposal, ClearingRun,
    ClosedLine, ConsentOutcome, Counterparty, Equivalent, EquivalentStats, HubInfo, HubLimits,
    HubStats, IntegrityReport, LinePolicy, Neighbourhood, NetworkLine, NetworkMember, Page,
    Participant, ParticipantCounts, ParticipantStatus, Payment, PaymentState, Problem, Route,
    SetOff, Tokens, TrustLine,
};
