//! Errors of routing and graph maintenance, with stable machine codes.

use crate::{ArcId, NodeId};

/// Everything that can go wrong when routing or updating a [`crate::Graph`].
///
/// `code()` gives the stable machine code shared by the HTTP problem documents, SDK and bindings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// The amount cannot be covered within the constraints; `found` is the most the router could route.
    #[error("insufficient capacity: requested {requested}, found {found}")]
    InsufficientCapacity {
        /// The amount asked for, in minor units.
        requested: u64,
        /// The most the router routes under the same constraints, in minor units: equal to
        /// `Router::preview(..).max_amount` on the same graph (an amount that routes, never a bound
        /// above what can be routed).
        found: u64,
    },
    /// Request constraints out of range (hop limit, path limit).
    #[error("invalid constraints: {reason}")]
    InvalidConstraints {
        /// Human-readable reason.
        reason: &'static str,
    },
    /// The request itself is malformed (zero amount, payer equals payee).
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// Human-readable reason.
        reason: &'static str,
    },
    /// A node index is not in the graph.
    #[error("unknown participant {0}")]
    UnknownParticipant(NodeId),
    /// The payer or payee is suspended (not routable).
    #[error("participant {0} is not routable (suspended)")]
    ParticipantNotRoutable(NodeId),
    /// An arc index is not in the graph.
    #[error("unknown arc {0}")]
    UnknownArc(ArcId),
    /// An arc from a node to itself was requested.
    #[error("self-loop arc at {0}")]
    SelfLoop(NodeId),
    /// A graph update would take an arc's capacity below zero or above `u64::MAX`.
    #[error("capacity of {arc} would leave the u64 range")]
    CapacityOutOfRange {
        /// The arc whose capacity would over- or underflow.
        arc: ArcId,
    },
    /// The graph reached its size limit (2^31 arcs or nodes).
    #[error("graph is full")]
    GraphFull,
}

impl RoutingError {
    /// Stable machine code of this error, e.g. `E_INSUFFICIENT_CAPACITY`.
    pub fn code(&self) -> &'static str {
        match self {
            RoutingError::InsufficientCapacity { .. } => "E_INSUFFICIENT_CAPACITY",
            RoutingError::InvalidConstraints { .. } => "E_INVALID_CONSTRAINTS",
            RoutingError::InvalidRequest { .. } => "E_INVALID_REQUEST",
            RoutingError::UnknownParticipant(_) => "E_UNKNOWN_PARTICIPANT",
            RoutingError::ParticipantNotRoutable(_) => "E_PARTICIPANT_NOT_ROUTABLE",
            RoutingError::UnknownArc(_) => "E_UNKNOWN_ARC",
            RoutingError::SelfLoop(_) => "E_INVALID_REQUEST",
            RoutingError::CapacityOutOfRange { .. } => "E_CAPACITY_OUT_OF_RANGE",
            RoutingError::GraphFull => "E_GRAPH_FULL",
        }
    }
}
