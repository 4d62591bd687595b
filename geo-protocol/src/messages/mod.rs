//! The message catalogue: one module per concern, each payload a struct with serde and a JSON Schema.
//!
//! Participant-signed: registration and profile update, login, trust line set and close, payment
//! request, clearing consent, and the payee's invoice (read by the payer, not the hub). Hub-signed:
//! payment and clearing receipts, clearing proposals. Per-hop two-phase commit messages (prepare,
//! ack, commit, abort) are defined for later peer-to-peer use.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::envelope::ValidationError;
use crate::identity::Pid;

mod auth;
mod clearing;
mod federation;
mod hop;
mod invoice;
mod participant;
mod payment;
mod receipt;
mod trust_line;

pub use auth::Login;
pub use clearing::{ClearingConsent, ClearingDecision, ClearingProposal};
pub use federation::{HubFulfil, HubPrepare, HubReject, HubRejectStage};
pub use hop::{PaymentAbort, PaymentCommit, PaymentPrepare, PaymentPrepareAck};
pub use invoice::Invoice;
pub use participant::{ParticipantKind, ParticipantRegister, ParticipantUpdate, Profile};
pub use payment::{
    PaymentConstraints, PaymentRequest, MAX_HOLD_SECONDS, MAX_HOPS_LIMIT, MAX_PATHS_LIMIT,
};
pub use receipt::{ClearingReceipt, PaymentReceipt, PaymentStatus, RoutePath};
pub use trust_line::{TrustLineClose, TrustLinePolicy, TrustLineSet};

/// A debt between two participants in one equivalent: `debtor` owes `creditor` `amount`.
/// In a clearing it is the amount set off; in a prepare it is the increase reserved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DebtEdge {
    /// Who owes.
    pub debtor: Pid,
    /// Who is owed.
    pub creditor: Pid,
    /// How much, at the equivalent's precision.
    pub amount: crate::DecimalAmount,
}

impl DebtEdge {
    pub(crate) fn validate(&self, field: &str) -> Result<(), ValidationError> {
        if self.debtor == self.creditor {
            return Err(ValidationError::new(
                field,
                "debtor and creditor must differ",
            ));
        }
        positive(&format!("{field}.amount"), &self.amount)
    }
}

macro_rules! message_types {
    ($( $(#[doc = $doc:literal])* $variant:ident = $text:literal, )*) => {
        /// Every message type; its text is written in the envelope and in the signed bytes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum MessageType {
            $( $(#[doc = $doc])* #[serde(rename = $text)] $variant, )*
        }

        impl MessageType {
            /// Every type, in catalogue order.
            pub const ALL: &'static [MessageType] = &[$(MessageType::$variant),*];

            /// The type's text, e.g. `payment_request`.
            pub const fn as_str(self) -> &'static str {
                match self { $(MessageType::$variant => $text,)* }
            }
        }
    };
}

message_types! {
    /// A new participant registers its key (self-signed).
    ParticipantRegister = "participant_register",
    /// A participant changes its display name or profile.
    ParticipantUpdate = "participant_update",
    /// A participant answers a login challenge.
    Login = "login",
    /// A creditor creates or changes a trust line (limit and policy).
    TrustLineSet = "trust_line_set",
    /// A creditor closes a trust line.
    TrustLineClose = "trust_line_close",
    /// A payer asks the hub to route and commit a payment.
    PaymentRequest = "payment_request",
    /// A participant accepts or rejects a proposed clearing.
    ClearingConsent = "clearing_consent",
    /// The hub proposes a clearing that needs consent.
    ClearingProposal = "clearing_proposal",
    /// The hub's signed record of a committed or aborted payment.
    PaymentReceipt = "payment_receipt",
    /// The hub's signed record of a committed clearing.
    ClearingReceipt = "clearing_receipt",
    /// Per-hop 2PC: reserve the effects of a payment.
    PaymentPrepare = "payment_prepare",
    /// Per-hop 2PC: a hop's answer to a prepare.
    PaymentPrepareAck = "payment_prepare_ack",
    /// Per-hop 2PC: apply the reserved effects.
    PaymentCommit = "payment_commit",
    /// Per-hop 2PC: release the reserved effects.
    PaymentAbort = "payment_abort",
    /// A payee asks to be paid; read and checked by the payer's wallet, never sent to a hub.
    Invoice = "invoice",
    /// Hub to hub: the payer's hub holds a payment under a condition (federation.md §4).
    HubPrepare = "hub_prepare",
    /// Hub to hub: the payee's hub committed and releases the preimage (federation.md §4).
    HubFulfil = "hub_fulfil",
    /// Hub to hub: a prepare or a fulfilment refused (federation.md §4).
    HubReject = "hub_reject",
}

impl MessageType {
    /// Hub-signed records (receipts and proposals): a participant checks them at §5.4 steps 1–5
    /// only, since they name no audience, stay valid after `expires_at` and may be read many times.
    pub const fn is_record(self) -> bool {
        matches!(
            self,
            MessageType::PaymentReceipt
                | MessageType::ClearingReceipt
                | MessageType::ClearingProposal
        )
    }
}

impl MessageType {
    /// Hub-to-hub messages (`spec/federation.md`), whose vectors are in `federation.json`.
    pub const fn is_hub_to_hub(self) -> bool {
        matches!(
            self,
            MessageType::HubPrepare | MessageType::HubFulfil | MessageType::HubReject
        )
    }
}

impl std::fmt::Display for MessageType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The debts of a clearing: at least two, each valid (shared by proposals and receipts).
pub(crate) fn clearing_edges(edges: &[DebtEdge]) -> Result<(), ValidationError> {
    if edges.len() < 2 {
        return Err(ValidationError::new(
            "payload.edges",
            "a clearing sets off at least two debts",
        ));
    }
    for (i, e) in edges.iter().enumerate() {
        e.validate(&format!("payload.edges[{i}]"))?;
    }
    Ok(())
}

/// Shared field checks.
pub(crate) fn positive(field: &str, amount: &crate::DecimalAmount) -> Result<(), ValidationError> {
    if amount.is_zero() {
        Err(ValidationError::new(field, "must be greater than zero")
            .with_code(crate::ErrorCode::InvalidAmount))
    } else {
        Ok(())
    }
}

/// A name shown on one line (`display_name`, §6.1): 1..=100 characters, no control character
/// (Unicode category Cc, line feed included), no white space (Unicode `White_Space`) at either end.
pub(crate) fn name(field: &str, value: &str) -> Result<(), ValidationError> {
    length(field, value, 1, 100)?;
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters (a name is one line)",
        ));
    }
    if value.trim() != value {
        return Err(ValidationError::new(
            field,
            "must not start or end with white space",
        ));
    }
    Ok(())
}

/// Free text (descriptions, profile values, reasons, §6.1): `min..=max` characters, no control
/// character (Unicode category Cc) except line feed, so nothing shown to people can carry terminal
/// escapes or NUL.
pub(crate) fn free_text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), ValidationError> {
    length(field, value, min, max)?;
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ValidationError::new(
            field,
            "must not contain control characters other than line feed",
        ));
    }
    Ok(())
}

/// Length in characters (Unicode scalar values).
fn length(field: &str, value: &str, min: usize, max: usize) -> Result<(), ValidationError> {
    let count = value.chars().count();
    if count < min || count > max {
        return Err(ValidationError::new(
            field,
            format!("must be {min} to {max} characters long"),
        ));
    }
    Ok(())
}

/// Checks a PID list: bounded length, no duplicates.
pub(crate) fn pid_list(field: &str, pids: &[Pid], max: usize) -> Result<(), ValidationError> {
    if pids.len() > max {
        return Err(ValidationError::new(
            field,
            format!("at most {max} entries"),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for p in pids {
        if !seen.insert(p) {
            return Err(ValidationError::new(field, format!("duplicate entry {p}")));
        }
    }
    Ok(())
}
